import { afterEach, describe, expect, it } from 'vitest';
import { clearItem } from '../../../tests/support/clear-items';
import { createMemoryIdentity, createMemoryOutbox, type MemoryOutbox } from '../../adapters/db/memory-outbox';
import { DexieOfficerKeyStore } from '../../adapters/officer/officer-key-store';
import { base64ToBytes } from '../../core/lib/pem';
import { emptyFields, zeroConfidence } from '../../core/ocr/types';
import { type DecisionRules, readDecision } from '../../core/officer/decision';
import { DEVICE_KEY_ALGORITHM } from '../../protocol/kiosk-auth';
import { applicationHash, verifyStatement } from '../../protocol/officer';
import type { DeviceIdentityStore, OutboxItem } from '../ports';
import { framedRecord } from '../sync-outbox';
import { type DecideDeps, type DecideInput, decideApplication, hasOcrWarnings } from './decide-application';
import { createOfficerSessions, type OfficerSessions } from './officer-session';
import type { OfficerProfile } from './ports';

/** The signed payload as the server reads it. */
function readDecisionForTest(payload: string) {
  const read = readDecision(payload);
  if (!read.ok) throw new Error(`unreadable decision: ${read.problem}`);
  return read.value;
}

const KIOSK_ID = '0f6d1c4a-2b3e-4d5f-8a9b-0c1d2e3f4a5b';
const APPLICATION_ID = '3d8c2a71-5b4e-4f0a-9c1d-2e3f4a5b6c7d';
const PIN = '285713';
const START = Date.parse('2026-11-26T02:30:00.000Z');
const IDLE_SECONDS = 300;

const RULES: DecisionRules = {
  rejectionReasons: [
    { code: 'data-tidak-sesuai-ektp', id: 'Data tidak sesuai', en: 'Data do not match' },
    { code: 'dokumen-tidak-lengkap', id: 'Dokumen tidak lengkap', en: 'Documents missing' },
    { code: 'lainnya', id: 'Lainnya', en: 'Other', needsNote: true },
  ],
};

const INDIVIDU_CHECKLIST = [
  'identity-matches',
  'ektp-photo-matches',
  'ektp-scan-legible',
  'surat-pengantar-ok',
  'surat-rekomendasi-ok',
  'email-is-applicants',
];

function paper(
  kind: OutboxItem['attachments'][number]['kind'],
  size: number,
): OutboxItem['attachments'][number] {
  return {
    kind,
    mediaType: 'application/pdf',
    blob: new Blob([new Uint8Array(size).fill(7)], { type: 'application/pdf' }),
  };
}

function heldItem(overrides: Partial<OutboxItem> = {}): OutboxItem {
  const createdAt = '2026-11-26T02:00:00.000Z';
  return {
    id: APPLICATION_ID,
    state: 'held',
    createdAt,
    record: {
      id: APPLICATION_ID,
      createdAt,
      certificateType: 'individu',
      applicant: {
        nama: 'SITI RAHAYU',
        nik: '3577014501900003',
        nip: '199001052015022001',
        email: 'siti.rahayu@madiunkota.go.id',
        perangkatDaerah: 'Dinas Komunikasi dan Informatika',
      },
      ocrText: 'NIK : 3577014501900003\nNama : SITI RAHAYU',
      csrPem: '-----BEGIN CERTIFICATE REQUEST-----\nTUlJQ1Rlc3RDU1I=\n-----END CERTIFICATE REQUEST-----\n',
      encryptedPrivateKeyPem:
        '-----BEGIN ENCRYPTED PRIVATE KEY-----\nTUlJRVRlc3RLZXk=\n-----END ENCRYPTED PRIVATE KEY-----\n',
    },
    image: { mediaType: 'image/png', blob: new Blob([new Uint8Array(64).fill(1)], { type: 'image/png' }) },
    attachments: [
      paper('surat-pengantar', 40),
      paper('surat-rekomendasi', 30),
      paper('signature-specimen', 20),
    ],
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    syncedAt: null,
    rejection: null,
    ...overrides,
  };
}

const stores: DexieOfficerKeyStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

interface Setup {
  outbox: MemoryOutbox;
  identity: DeviceIdentityStore;
  sessions: OfficerSessions;
  profile: OfficerProfile;
  deps: DecideDeps;
  clock: { advance(ms: number): void };
}

async function setup(
  items: OutboxItem[] = [heldItem()],
  nip: string | null = '198503102010011002',
): Promise<Setup> {
  let now = START;
  const store = new DexieOfficerKeyStore({
    databaseName: `officers-${crypto.randomUUID()}`,
    // A real PBKDF2 wrap, with fewer rounds than the kiosk's 600,000.
    iterations: 1_000,
    now: () => new Date(now),
  });
  stores.push(store);
  const profile = await store.saveEnrollment(await store.prepareKey(PIN), {
    officer: { id: crypto.randomUUID(), username: 'budi', nama: 'BUDI SANTOSO', nip, status: 'active' },
    keyId: crypto.randomUUID(),
    kioskId: KIOSK_ID,
    enrolledAt: new Date(START).toISOString(),
  });
  const identity = createMemoryIdentity();
  await identity.saveEnrollment({
    kioskId: KIOSK_ID,
    name: 'Loket 1',
    enrolledAt: new Date(START).toISOString(),
  });
  const outbox = createMemoryOutbox({ items });
  const sessions = createOfficerSessions({ keys: store, idleSeconds: IDLE_SECONDS, now: () => now });
  const unlocked = await sessions.unlock(profile.officerId, PIN);
  if (!unlocked.ok) throw new Error(`unlock: ${unlocked.problem}`);
  return {
    outbox,
    identity,
    sessions,
    profile,
    deps: {
      outbox: {
        get: async (id) => outbox.get(id) ?? null,
        decide: (id, statement, at) => outbox.decide(id, statement, at),
      },
      session: () => sessions.current(),
      identity,
      rules: RULES,
      now: () => new Date(now),
    },
    clock: { advance: (ms) => (now += ms) },
  };
}

const approve = (checklist = INDIVIDU_CHECKLIST): DecideInput => ({
  applicationId: APPLICATION_ID,
  decision: 'approved',
  reasons: [],
  note: '',
  checklist,
});

const reject = (reasons: string[], note = ''): DecideInput => ({
  applicationId: APPLICATION_ID,
  decision: 'rejected',
  reasons,
  note,
  checklist: ['identity-matches'],
});

const publicKeyOf = (profile: OfficerProfile) =>
  crypto.subtle.importKey('spki', base64ToBytes(profile.publicKeySpki), DEVICE_KEY_ALGORITHM, false, [
    'verify',
  ]);

describe('deciding a held application', () => {
  it('approves: signs the hash of the record as it will be sent, and queues it for sync', async () => {
    const { outbox, deps, profile } = await setup();
    const expectedHash = await applicationHash((await framedRecord(heldItem())).record);

    const result = await decideApplication(approve(), deps);

    if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.problem)}`);
    const stored = outbox.get(APPLICATION_ID);
    expect(stored?.state).toBe('queued');
    expect(stored?.history.map((e) => e.state)).toEqual(['captured', 'decided', 'queued']);
    const decision = stored?.record.decision;
    if (!decision) throw new Error('no decision kept');
    expect(decision).toEqual(result.value.statement);
    expect(await verifyStatement(await publicKeyOf(profile), decision)).toBe(true);
    expect(readDecisionForTest(decision.payload)).toEqual({
      v: 1,
      type: 'decision',
      applicationId: APPLICATION_ID,
      applicationHash: expectedHash,
      decision: 'approved',
      reasons: [],
      note: '',
      checklist: INDIVIDU_CHECKLIST,
      officerId: profile.officerId,
      keyId: profile.keyId,
      kioskId: KIOSK_ID,
      decidedAt: '2026-11-26T02:30:00.000Z',
    });
    // What the syncer will send still hashes to what was signed.
    const [queued] = await outbox.queued();
    if (!queued) throw new Error('not queued');
    expect(await applicationHash((await framedRecord(clearItem(queued))).record)).toBe(expectedHash);
  });

  it('gives the receipt its facts, the officer’s name and NIP included', async () => {
    const { deps } = await setup();
    const result = await decideApplication(approve(), deps);
    expect(result).toMatchObject({
      ok: true,
      value: {
        applicationId: APPLICATION_ID,
        decision: 'approved',
        certificateType: 'individu',
        nama: 'SITI RAHAYU',
        perangkatDaerah: 'Dinas Komunikasi dan Informatika',
        submittedAt: '2026-11-26T02:00:00.000Z',
        decidedAt: '2026-11-26T02:30:00.000Z',
        officer: { nama: 'BUDI SANTOSO', nip: '198503102010011002' },
      },
    });
  });

  it('refuses an approval with checklist items not ticked, and keeps the application held', async () => {
    const { outbox, deps } = await setup();
    const result = await decideApplication(approve(INDIVIDU_CHECKLIST.slice(1)), deps);
    expect(result).toEqual({
      ok: false,
      problem: {
        kind: 'invalid',
        problems: [{ field: 'checklist', reason: 'unchecked', items: ['identity-matches'] }],
      },
    });
    expect(outbox.get(APPLICATION_ID)?.state).toBe('held');
    expect(outbox.get(APPLICATION_ID)?.record.decision).toBeUndefined();
  });

  it('with OCR warnings, the approval also needs "warnings reviewed"', async () => {
    const warned = heldItem();
    warned.record.ektp = {
      fields: emptyFields(),
      confidence: zeroConfidence(),
      confirmed: [],
      warnings: [{ field: 'nik', code: 'nik-birth-date-mismatch' }],
    };
    expect(hasOcrWarnings(warned.record)).toBe(true);
    const { deps } = await setup([warned]);
    const refused = await decideApplication(approve(), deps);
    expect(refused).toMatchObject({
      ok: false,
      problem: { kind: 'invalid', problems: [{ field: 'checklist', items: ['warnings-reviewed'] }] },
    });
    const accepted = await decideApplication(approve([...INDIVIDU_CHECKLIST, 'warnings-reviewed']), deps);
    expect(accepted.ok).toBe(true);
  });

  it.each([
    ['no reason', reject([]), [{ field: 'reasons', reason: 'required' }]],
    ['"lainnya" without a note', reject(['lainnya'], '   '), [{ field: 'note', reason: 'required' }]],
    [
      'a note over 500 characters',
      reject(['dokumen-tidak-lengkap'], 'x'.repeat(501)),
      [{ field: 'note', reason: 'too-long' }],
    ],
    [
      'a reason not configured',
      reject(['bukan-alasan']),
      [{ field: 'reasons', reason: 'unknown', codes: ['bukan-alasan'] }],
    ],
  ])('refuses a rejection with %s', async (_name, input, problems) => {
    const { outbox, deps } = await setup();
    expect(await decideApplication(input, deps)).toEqual({
      ok: false,
      problem: { kind: 'invalid', problems },
    });
    expect(outbox.get(APPLICATION_ID)?.state).toBe('held');
  });

  it('rejects with reasons in the configured order and the note trimmed', async () => {
    const { outbox, deps } = await setup();
    const result = await decideApplication(
      reject(['lainnya', 'data-tidak-sesuai-ektp'], '  NIK pada e-KTP berbeda.  '),
      deps,
    );
    expect(result).toMatchObject({
      ok: true,
      value: {
        decision: 'rejected',
        reasons: ['data-tidak-sesuai-ektp', 'lainnya'],
        note: 'NIK pada e-KTP berbeda.',
      },
    });
    const payload = readDecisionForTest(outbox.get(APPLICATION_ID)?.record.decision?.payload ?? '');
    expect(payload).toMatchObject({
      decision: 'rejected',
      reasons: ['data-tidak-sesuai-ektp', 'lainnya'],
      note: 'NIK pada e-KTP berbeda.',
    });
    expect(outbox.get(APPLICATION_ID)?.state).toBe('queued');
  });

  it('needs an open session: none, ended, or idle too long', async () => {
    const { deps, sessions, clock, outbox } = await setup();
    expect(await decideApplication(approve(), { ...deps, session: () => null })).toEqual({
      ok: false,
      problem: { kind: 'session-ended' },
    });
    const session = sessions.current();
    clock.advance(IDLE_SECONDS * 1000);
    expect(await decideApplication(approve(), { ...deps, session: () => session })).toEqual({
      ok: false,
      problem: { kind: 'session-ended' },
    });
    expect(outbox.get(APPLICATION_ID)?.state).toBe('held');
  });

  it('refuses an application that is not held: unknown, or decided already', async () => {
    const { deps } = await setup();
    expect(await decideApplication({ ...approve(), applicationId: crypto.randomUUID() }, deps)).toEqual({
      ok: false,
      problem: { kind: 'not-held' },
    });
    expect((await decideApplication(approve(), deps)).ok).toBe(true);
    expect(await decideApplication(approve(), deps)).toEqual({ ok: false, problem: { kind: 'not-held' } });
  });

  it('answers not-held when another tab decided between the read and the write', async () => {
    const { deps, outbox } = await setup();
    const otherTab = { payload: '{"from":"the other tab"}', signature: 'B'.repeat(86) };
    const racing: DecideDeps = {
      ...deps,
      outbox: {
        get: async (id) => outbox.get(id) ?? null,
        async decide(id, statement, at) {
          await outbox.decide(id, otherTab, at);
          await outbox.decide(id, statement, at);
        },
      },
    };
    expect(await decideApplication(approve(), racing)).toEqual({ ok: false, problem: { kind: 'not-held' } });
    expect(outbox.get(APPLICATION_ID)?.record.decision).toEqual(otherTab);
  });

  it('refuses when the kiosk was enrolled again since the officer enrolled here', async () => {
    const { deps, identity, outbox } = await setup();
    await identity.saveEnrollment({
      kioskId: crypto.randomUUID(),
      name: 'Loket 1',
      enrolledAt: new Date(START).toISOString(),
    });
    expect(await decideApplication(approve(), deps)).toEqual({
      ok: false,
      problem: { kind: 'kiosk-changed' },
    });
    expect(outbox.get(APPLICATION_ID)?.state).toBe('held');
  });
});
