import { describe, expect, it } from 'vitest';
import { createMemoryRevocationLog } from '../../adapters/lifecycle/revocation-log';
import { readStatementText } from '../../core/officer/statement-text';
import {
  type CertificateRecord,
  type CorrectionRequest,
  correctionPayloadSchema,
  type LookupResponse,
} from '../../protocol/lifecycle';
import type { UnlockResult } from '../officer/ports';
import type { TransportResult } from '../ports';
import type { LifecycleTransport, RevocationLogEntry } from './ports';
import { createLifecycleServices } from './services';

const KIOSK_ID = '0f6d1c4a-2b3e-4d5f-8a9b-0c1d2e3f4a5b';
const A = '3d8c2a71-5b4e-4f0a-9c1d-2e3f4a5b6c7d';
const B = '4e9d3b82-6c5f-4a1b-8d2e-3f4a5b6c7d8e';
const profile = {
  officerId: '1f2e3d4c-5b6a-4978-8a1b-2c3d4e5f6a7b',
  keyId: '7e1c2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f',
  username: 'siti',
  nama: 'SITI RAHAYU',
  nip: null,
  kioskId: KIOSK_ID,
  publicKeySpki: 'x',
  enrolledAt: '2026-11-26T00:00:00.000Z',
  wrongPins: 0,
  lockedAt: null,
  pendingLockReport: false,
};

function certificate(applicationId: string, serial: string, state: 'revoked' | null): CertificateRecord {
  return {
    applicationId,
    certificateType: 'individu',
    serialNumberHex: serial,
    notAfter: '2026-12-20T00:00:00.000Z',
    applicant: {
      nama: 'SITI RAHAYU',
      nik: '3577014501900003',
      nip: null,
      email: 'siti@madiunkota.go.id',
      perangkatDaerah: 'Dinas Komunikasi dan Informatika',
      jabatan: null,
      host: null,
      category: null,
      mobile: null,
    },
    revocation:
      state === null
        ? null
        : {
            requestId: '5e0a4c93-7d6f-4b2c-9e3f-4a5b6c7d8e9f',
            applicationId,
            serialNumberHex: serial,
            reason: 'keyCompromise',
            lostKey: 'lost',
            state,
            requestedAt: '2026-11-26T03:00:00.000Z',
            revokedAt: '2026-11-26T04:00:00.000Z',
          },
    followedBy: null,
  };
}

function setup(
  options: {
    unlock?: (pin: string) => UnlockResult;
    lookup?: LookupResponse;
    correction?: (request: CorrectionRequest) => TransportResult;
  } = {},
) {
  const log = createMemoryRevocationLog();
  const corrections: CorrectionRequest[] = [];
  let ended = 0;
  let lockReports = 0;
  const answer = (body: unknown): TransportResult => ({ kind: 'response', status: 200, body });
  const transport: LifecycleTransport = {
    expiring: async () => answer({}),
    lookup: async () => answer(options.lookup ?? { certificates: [] }),
    listIncidents: async () => answer({}),
    revoke: async () => answer({}),
    recordIncident: async () => answer({}),
    recordCorrection: async (request) => {
      corrections.push(request);
      return options.correction?.(request) ?? answer({});
    },
  };
  const session = {
    profile,
    isActive: () => ended === 0,
    signLifecycle: async (payload: string) => ({
      ok: true as const,
      value: { payload, signature: 'A'.repeat(86) },
    }),
    end: () => {
      ended += 1;
    },
  };
  const services = createLifecycleServices({
    transport,
    log,
    session: () => session,
    identity: {
      enrollment: async () => ({ kioskId: KIOSK_ID, name: 'Loket', enrolledAt: profile.enrolledAt }),
    },
    keys: {
      nikHashKey: async () => null,
      unlock: async (_officerId, pin) =>
        options.unlock?.(pin) ?? { ok: false, problem: 'unknown-officer' as const },
    },
    onLocked: () => {
      lockReports += 1;
    },
    now: () => new Date('2026-11-26T05:00:00.000Z'),
    newId: () => crypto.randomUUID(),
  });
  return { services, log, corrections, ended: () => ended, lockReports: () => lockReports };
}

describe('the lifecycle services at the counter', () => {
  it('confirms the PIN without ending the session; the last wrong PIN ends it and reports the lock', async () => {
    const right = setup({
      unlock: (pin) =>
        pin === '285713'
          ? { ok: true, value: { profile, privateKey: {} as CryptoKey, counterKey: null } }
          : { ok: false, problem: 'wrong-pin', wrongPins: 1, attemptsLeft: 4 },
    });
    expect(await right.services.confirmPin('285713')).toBe('confirmed');
    expect(await right.services.confirmPin('111111')).toBe('wrong-pin');
    expect(right.ended()).toBe(0);
    const locked = setup({ unlock: () => ({ ok: false, problem: 'locked', lockedNow: true }) });
    expect(await locked.services.confirmPin('000000')).toBe('locked');
    expect(locked.ended()).toBe(1);
    expect(locked.lockReports()).toBe(1);
    expect(await locked.services.confirmPin('285713')).toBe('session-ended');
  });

  it('a search refreshes only the revocations this kiosk requested, keeping their incident', async () => {
    const { services, log } = setup({
      lookup: { certificates: [certificate(A, '4A6F', 'revoked'), certificate(B, '5B70', 'revoked')] },
    });
    const pending: RevocationLogEntry = {
      requestId: '5e0a4c93-7d6f-4b2c-9e3f-4a5b6c7d8e9f',
      applicationId: A,
      serialNumberHex: '4A6F',
      reason: 'keyCompromise',
      lostKey: 'lost',
      state: 'pending',
      requestedAt: '2026-11-26T03:00:00.000Z',
      revokedAt: null,
      incidentId: '6f1b5da4-8e7a-4c3d-af4a-5b6c7d8e9fa0',
    };
    await log.save(pending);
    expect(await services.findCertificates('4a:6f')).toMatchObject({ ok: true });
    expect(await log.forApplication(A)).toEqual({
      ...pending,
      state: 'revoked',
      revokedAt: '2026-11-26T04:00:00.000Z',
    });
    expect(await log.forApplication(B)).toBeNull();
    expect(await services.findCertificates('bukan nomor')).toEqual({
      ok: false,
      problem: { kind: 'search', problem: 'not-nik-or-serial' },
    });
  });

  it('a correction: the session’s officer signs only the fields given, trimmed, and the reason; the answer passes through', async () => {
    const { services, corrections } = setup({
      correction: (request) => {
        const read = readStatementText(correctionPayloadSchema, request.correction.payload);
        const correctionId = read.ok ? read.value.correctionId : '';
        return {
          kind: 'response',
          status: corrections.length === 1 ? 201 : 200,
          body: { status: corrections.length === 1 ? 'recorded' : 'duplicate', correctionId },
        };
      },
    });
    const input = {
      applicationId: ` ${A} `,
      fields: { nip: ' 198503122010011002 ', mobile: '0812 3456 7890', nama: '', jabatan: '  ' },
      reason: '  NIP salah ketik  ',
    };
    const first = await services.recordCorrection(input);
    const again = await services.recordCorrection(input);
    expect(corrections).toHaveLength(2);
    const [sent] = corrections;
    if (!sent) throw new Error('nothing sent');
    expect(sent.kioskId).toBe(KIOSK_ID);
    expect(sent.correction.signature).toBe('A'.repeat(86));
    const read = readStatementText(correctionPayloadSchema, sent.correction.payload);
    if (!read.ok) throw new Error('the statement does not parse');
    expect(read.value).toEqual({
      v: 1,
      type: 'correction',
      correctionId: expect.any(String),
      applicationId: A,
      fields: { nip: '198503122010011002', mobile: '+6281234567890' },
      reason: 'NIP salah ketik',
      officerId: profile.officerId,
      keyId: profile.keyId,
      kioskId: KIOSK_ID,
      correctedAt: '2026-11-26T05:00:00.000Z',
    });
    expect(first).toEqual({ ok: true, value: { status: 'recorded', correctionId: read.value.correctionId } });
    // A fresh id per submission: the server tells a resend by it.
    expect(again).toMatchObject({ ok: true, value: { status: 'duplicate' } });
    expect(again.ok && again.value.correctionId).not.toBe(read.value.correctionId);
  });

  it.each([
    [
      { kind: 'response', status: 404, body: { error: { code: 'unknown-application' } } },
      { kind: 'refused', serverCode: 'unknown-application' },
    ],
    [
      { kind: 'response', status: 409, body: { error: { code: 'purged' } } },
      { kind: 'refused', serverCode: 'purged' },
    ],
    [
      { kind: 'response', status: 403, body: { error: { code: 'officer-locked' } } },
      { kind: 'refused', serverCode: 'officer-locked' },
    ],
    [{ kind: 'response', status: 401, body: { error: { code: 'unknown-kiosk' } } }, { kind: 'not-enrolled' }],
    [
      { kind: 'response', status: 500, body: { error: { code: 'internal' } } },
      { kind: 'server', serverCode: 'internal' },
    ],
    [{ kind: 'response', status: 201, body: { status: 'stored' } }, { kind: 'server' }],
    [{ kind: 'network-error', message: 'fetch failed' }, { kind: 'offline' }],
  ] as const)('a correction answered %j is the problem %j', async (answer, problem) => {
    const { services } = setup({ correction: () => answer });
    expect(
      await services.recordCorrection({ applicationId: A, fields: { nama: 'Siti' }, reason: 'Salah ketik' }),
    ).toEqual({ ok: false, problem });
  });

  it('a correction without a field or a reason is not sent', async () => {
    const { services, corrections } = setup();
    expect(await services.recordCorrection({ applicationId: A, fields: {}, reason: 'Salah ketik' })).toEqual({
      ok: false,
      problem: { kind: 'invalid', fields: ['fields'] },
    });
    expect(
      await services.recordCorrection({ applicationId: A, fields: { jabatan: 'Analis' }, reason: ' ' }),
    ).toEqual({ ok: false, problem: { kind: 'invalid', fields: ['reason'] } });
    expect(corrections).toEqual([]);
  });
});
