import { describe, expect, it } from 'vitest';
import { openOutbox } from '../adapters/db/outbox-db';
import { exportSealPublicKey, generateSealKeyPair } from '../core/sealing/seal';
import type { EnrollRequest } from '../protocol/kiosk-auth';
import { type EnrollTransport, enrollKiosk } from './enroll-kiosk';
import type { TransportResult } from './ports';

const NOW = new Date('2026-11-25T08:00:00.000Z');
const KIOSK_ID = '0f6d1c4a-2b3e-4d5f-8a9b-0c1d2e3f4a5b';

function transport(answer: TransportResult): EnrollTransport & { sent: EnrollRequest[] } {
  const sent: EnrollRequest[] = [];
  return {
    sent,
    async enroll(request) {
      sent.push(request);
      return answer;
    },
  };
}

const created = (body: unknown = { kioskId: KIOSK_ID, name: 'Loket 1' }): TransportResult => ({
  kind: 'response',
  status: 201,
  body,
});
const refused = (status: number, code: string): TransportResult => ({
  kind: 'response',
  status,
  body: { error: { code, message: code } },
});

describe('enrollKiosk', () => {
  it('sends the normalised code with the device key and keeps the enrollment', async () => {
    const identity = openOutbox(`enroll-${crypto.randomUUID()}`);
    const server = transport(created());
    const result = await enrollKiosk(' abcd efgh-jkmn pqrs ', {
      identity,
      transport: server,
      now: () => NOW,
    });
    expect(result).toEqual({
      ok: true,
      value: { kioskId: KIOSK_ID, name: 'Loket 1', enrolledAt: NOW.toISOString() },
    });
    expect(server.sent).toEqual([
      { code: 'ABCD-EFGH-JKMN-PQRS', publicKeySpki: (await identity.deviceKey()).publicKeySpki },
    ]);
    expect(await identity.enrollment()).toEqual(result.ok ? result.value : null);
  });

  it('keeps the RA archive key the server hands over, for sealing records to it', async () => {
    const identity = openOutbox(`enroll-${crypto.randomUUID()}`);
    const archive = await generateSealKeyPair();
    const archiveKey = {
      keyId: 'archive-20261126-0a1b2c3d',
      publicKeySpki: await exportSealPublicKey(archive.publicKey),
      createdAt: '2026-11-26T01:00:00.000Z',
    };
    const result = await enrollKiosk('ABCD-EFGH-JKMN-PQRS', {
      identity,
      transport: transport(created({ kioskId: KIOSK_ID, name: 'Loket 1', archiveKey })),
      now: () => NOW,
    });
    expect(result.ok).toBe(true);
    expect((await identity.enrollment())?.archiveKey).toEqual(archiveKey);
  });

  it.each<[string, TransportResult, string]>([
    ['an unknown code', refused(400, 'invalid-code'), 'invalid-code'],
    ['a used code', refused(409, 'code-used'), 'code-used'],
    ['an expired code', refused(410, 'code-expired'), 'code-expired'],
    ['no network', { kind: 'network-error', message: 'Failed to fetch' }, 'offline'],
    ['a server failure', refused(503, 'not-ready'), 'server-error'],
    ['an answer without a kiosk id', created({ name: 'x' }), 'server-error'],
  ])('%s → %s, and nothing is saved', async (_what, answer, problem) => {
    const identity = openOutbox(`enroll-${crypto.randomUUID()}`);
    const result = await enrollKiosk('ABCD-EFGH-JKMN-PQRS', {
      identity,
      transport: transport(answer),
      now: () => NOW,
    });
    expect(result).toEqual({ ok: false, problem });
    expect(await identity.enrollment()).toBeNull();
  });

  it('refuses what is not a code without asking the server (look-alikes 0, O, 1, I are not in codes)', async () => {
    const identity = openOutbox(`enroll-${crypto.randomUUID()}`);
    const server = transport(created());
    for (const code of ['', 'ABCD-EFGH', 'ABCD-EFGH-JKMN-PQR0', 'ABCD-EFGH-JKMN-PQRS-TUVW']) {
      expect(await enrollKiosk(code, { identity, transport: server, now: () => NOW })).toEqual({
        ok: false,
        problem: 'invalid-code',
      });
    }
    expect(server.sent).toEqual([]);
  });

  it('re-enrolling (after a revocation) registers a new device key', async () => {
    const identity = openOutbox(`enroll-${crypto.randomUUID()}`);
    const first = transport(created());
    await enrollKiosk('ABCD-EFGH-JKMN-PQRS', { identity, transport: first, now: () => NOW });
    const second = transport(created({ kioskId: crypto.randomUUID(), name: 'Loket 1' }));
    await enrollKiosk('WXYZ-EFGH-JKMN-PQRS', { identity, transport: second, now: () => NOW });
    expect(second.sent[0]?.publicKeySpki).not.toBe(first.sent[0]?.publicKeySpki);
  });
});
