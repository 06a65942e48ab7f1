import { describe, expect, it } from 'vitest';
import type { OutboxHistoryEntry, OutboxLifecycleState } from '../../core/outbox/lifecycle';
import { importNikHashKey, type NikCheckRequest, nikHash } from '../../protocol/officer';
import type { Enrollment, TransportResult } from '../ports';
import { checkNikAtServer, localNikMatches, type NikCandidate, nikStanding } from './duplicate-nik';

const NIK = '3577014501900003';
const OTHER_NIK = '3577015502910004';
const KIOSK_ID = '0f6d1c4a-2b3e-4d5f-8a9b-0c1d2e3f4a5b';
// 32 bytes, base64: what an officer's enrollment hands the kiosk.
const NIK_KEY_BASE64 = btoa(String.fromCharCode(...Array.from({ length: 32 }, (_, i) => i + 1)));
const AT = '2026-11-26T02:00:00.000Z';

function history(...states: OutboxLifecycleState[]): OutboxHistoryEntry[] {
  return states.map((state) => ({ state, at: AT }));
}

function decision(kind: 'approved' | 'rejected') {
  return {
    payload: JSON.stringify({
      v: 1,
      type: 'decision',
      applicationId: crypto.randomUUID(),
      applicationHash: 'a'.repeat(64),
      decision: kind,
      reasons: kind === 'rejected' ? ['lainnya'] : [],
      note: '',
      checklist: [],
      officerId: crypto.randomUUID(),
      keyId: crypto.randomUUID(),
      kioskId: KIOSK_ID,
      decidedAt: AT,
    }),
    signature: 'A'.repeat(86),
  };
}

function candidate(
  id: string,
  nik: string,
  states: OutboxLifecycleState[],
  decided?: 'approved' | 'rejected',
): NikCandidate {
  return {
    id,
    history: history(...states),
    record: {
      id,
      createdAt: AT,
      certificateType: 'individu',
      applicant: {
        nama: 'SITI RAHAYU',
        nik,
        nip: null,
        email: 'siti.rahayu@madiunkota.go.id',
        perangkatDaerah: 'Dinas Komunikasi dan Informatika',
      },
      ocrText: '',
      csrPem: 'x',
      encryptedPrivateKeyPem: '-----BEGIN ENCRYPTED PRIVATE KEY-----',
      ...(decided ? { decision: decision(decided) } : {}),
    },
  };
}

describe('nikStanding', () => {
  it.each([
    [['captured'], undefined, 'open'],
    [['captured', 'decided', 'queued'], 'approved', 'open'],
    [['captured', 'decided', 'queued'], 'rejected', null],
    [['captured', 'queued', 'synced'], undefined, 'open'],
    [['captured', 'queued', 'synced', 'sent-to-ca'], undefined, 'open'],
    [['captured', 'queued', 'synced', 'issued'], undefined, 'certificate'],
    [['captured', 'queued', 'synced', 'issued', 'handed-over'], undefined, 'certificate'],
    [['captured', 'queued', 'rejected'], undefined, null],
    [['captured', 'queued', 'synced', 'ca-rejected'], undefined, null],
  ] as const)('%j decided %s → %s', (states, decided, standing) => {
    expect(nikStanding(candidate('x', NIK, [...states], decided))).toBe(standing);
  });
});

describe('localNikMatches', () => {
  const others = [
    candidate('self', NIK, ['captured']),
    candidate('open', NIK, ['captured', 'queued']),
    candidate('issued', NIK, ['captured', 'queued', 'synced', 'issued']),
    candidate('refused', NIK, ['captured', 'decided', 'queued'], 'rejected'),
    candidate('someone-else', OTHER_NIK, ['captured']),
  ];

  it('finds the other applications that still count, by the NIK itself without the RA key', async () => {
    expect(await localNikMatches({ id: 'self', nik: NIK }, others, null)).toEqual([
      { id: 'open', standing: 'open' },
      { id: 'issued', standing: 'certificate' },
    ]);
  });

  it('finds the same ones by the keyed hash when the key is at hand', async () => {
    const key = await importNikHashKey(NIK_KEY_BASE64);
    expect(await localNikMatches({ id: 'self', nik: NIK }, others, key)).toEqual([
      { id: 'open', standing: 'open' },
      { id: 'issued', standing: 'certificate' },
    ]);
  });

  it('finds nothing for a NIK no other application has', async () => {
    expect(await localNikMatches({ id: 'someone-else', nik: OTHER_NIK }, others, null)).toEqual([]);
  });
});

describe('checkNikAtServer', () => {
  const enrolled: Enrollment = { kioskId: KIOSK_ID, name: 'Loket 1', enrolledAt: AT };

  function deps(answer: TransportResult, options: { key?: boolean; enrollment?: Enrollment | null } = {}) {
    const requests: NikCheckRequest[] = [];
    return {
      requests,
      deps: {
        keys: {
          nikHashKey: async () => (options.key === false ? null : importNikHashKey(NIK_KEY_BASE64)),
        },
        identity: {
          enrollment: async () => (options.enrollment === undefined ? enrolled : options.enrollment),
        },
        transport: {
          async nikCheck(request: NikCheckRequest) {
            requests.push(request);
            return answer;
          },
        },
      },
    };
  }

  it('sends only the keyed hash and reads the counts for it', async () => {
    const hash = await nikHash(await importNikHashKey(NIK_KEY_BASE64), NIK);
    const { deps: d, requests } = deps({
      kind: 'response',
      status: 200,
      body: { results: [{ hash, openApplications: 1, validCertificates: 2 }] },
    });
    expect(await checkNikAtServer(NIK, d)).toEqual({
      kind: 'checked',
      openApplications: 1,
      validCertificates: 2,
    });
    expect(requests).toEqual([{ kioskId: KIOSK_ID, hashes: [hash] }]);
    expect(JSON.stringify(requests)).not.toContain(NIK);
  });

  it.each([
    ['no link', { kind: 'network-error', message: 'offline' }, { kind: 'offline' }],
    ['an unknown kiosk', { kind: 'response', status: 401, body: null }, { kind: 'not-enrolled' }],
    [
      'a server error',
      { kind: 'response', status: 500, body: { error: { code: 'internal', message: 'x' } } },
      { kind: 'failed', serverCode: 'internal' },
    ],
    [
      'an answer about another hash',
      { kind: 'response', status: 200, body: { results: [] } },
      { kind: 'failed' },
    ],
    ['an unreadable answer', { kind: 'response', status: 200, body: 'nonsense' }, { kind: 'failed' }],
  ] as const)('answers %s', async (_name, answer, expected) => {
    expect(await checkNikAtServer(NIK, deps(answer).deps)).toEqual(expected);
  });

  it('asks nothing without the RA key or an enrollment', async () => {
    const noKey = deps({ kind: 'network-error', message: 'x' }, { key: false });
    expect(await checkNikAtServer(NIK, noKey.deps)).toEqual({ kind: 'no-key' });
    const noKiosk = deps({ kind: 'network-error', message: 'x' }, { enrollment: null });
    expect(await checkNikAtServer(NIK, noKiosk.deps)).toEqual({ kind: 'not-enrolled' });
    expect([...noKey.requests, ...noKiosk.requests]).toEqual([]);
  });
});
