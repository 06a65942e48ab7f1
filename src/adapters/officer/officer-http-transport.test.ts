import { afterEach, describe, expect, it } from 'vitest';
import { closeStandIns, listenSigned } from '../../../tests/support/signed-stand-in';
import {
  NIK_CHECK_PATH,
  OFFICER_ENROLL_PATH,
  OFFICER_LOCK_PATH,
  officerLockRequestSchema,
  releaseRequestSchema,
  SYNC_RELEASES_PATH,
} from '../../protocol/officer';
import { openOutbox } from '../db/outbox-db';
import { createOfficerHttpTransport } from './officer-http-transport';

const KIOSK_ID = '0f6d1c4a-2b3e-4d5f-8a9b-0c1d2e3f4a5b';

afterEach(closeStandIns);

const lockRequest = {
  kioskId: KIOSK_ID,
  officerId: '5d0b7a3e-9c41-4f0e-8a2b-6c7d8e9f0a1b',
  keyId: '7e1c2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f',
  lockedAt: '2026-11-26T02:30:00.000Z',
};

describe('createOfficerHttpTransport', () => {
  it('signs the lock report with the device key, as the kiosk the report names', async () => {
    const identity = openOutbox(`officer-transport-${crypto.randomUUID()}`);
    const { url, seen } = await listenSigned((await identity.deviceKey()).publicKeySpki, () => [
      200,
      { ok: true },
    ]);
    const transport = createOfficerHttpTransport(url, identity);
    expect(await transport.reportOfficerLock(lockRequest)).toEqual({
      kind: 'response',
      status: 200,
      body: { ok: true },
    });
    expect(
      seen.map(({ path, kioskId, timestamp, verified, json }) => ({
        path,
        kioskId,
        timestamp,
        verified,
        json,
      })),
    ).toEqual([
      {
        path: OFFICER_LOCK_PATH,
        kioskId: KIOSK_ID,
        timestamp: expect.any(Number),
        verified: true,
        json: lockRequest,
      },
    ]);
    expect(officerLockRequestSchema.safeParse(seen[0]?.json).success).toBe(true);
  });

  it('signs the NIK check with the device key, as the kiosk the request names', async () => {
    const identity = openOutbox(`officer-transport-${crypto.randomUUID()}`);
    const { url, seen } = await listenSigned((await identity.deviceKey()).publicKeySpki, () => [
      200,
      { results: [] },
    ]);
    const request = { kioskId: KIOSK_ID, hashes: ['a'.repeat(64)] };
    expect(await createOfficerHttpTransport(url, identity).nikCheck(request)).toMatchObject({ status: 200 });
    expect(seen.map((s) => [s.path, s.kioskId, s.verified, s.json])).toEqual([
      [NIK_CHECK_PATH, KIOSK_ID, true, request],
    ]);
  });

  it('signs the releases with the device key, as the kiosk the request names', async () => {
    const identity = openOutbox(`officer-transport-${crypto.randomUUID()}`);
    const answer = {
      results: [{ applicationId: '3d8c2a71-5b4e-4f0a-9c1d-2e3f4a5b6c7d', status: 'released' }],
      refused: [],
    };
    const { url, seen } = await listenSigned((await identity.deviceKey()).publicKeySpki, () => [200, answer]);
    const request = {
      kioskId: KIOSK_ID,
      releases: [{ payload: '{"v":1,"type":"release"}', signature: 'A'.repeat(86) }],
    };
    expect(releaseRequestSchema.safeParse(request).success).toBe(true);
    expect(await createOfficerHttpTransport(url, identity).release(request)).toEqual({
      kind: 'response',
      status: 200,
      body: answer,
    });
    expect(seen.map((s) => [s.path, s.kioskId, s.verified, s.json])).toEqual([
      [SYNC_RELEASES_PATH, KIOSK_ID, true, request],
    ]);
  });

  it('signs again once with the server clock after stale-request', async () => {
    const identity = openOutbox(`officer-transport-${crypto.randomUUID()}`);
    const serverTime = Date.parse('2026-11-26T02:30:00.000Z');
    const { url, seen } = await listenSigned((await identity.deviceKey()).publicKeySpki, (_seen, n) =>
      n === 1
        ? [401, { error: { code: 'stale-request', serverTime: new Date(serverTime).toISOString() } }]
        : [201, { fine: true }],
    );
    // The kiosk's clock is three days behind.
    const transport = createOfficerHttpTransport(url, identity, { now: () => serverTime - 3 * 86_400_000 });
    const request = { username: 'siti', code: 'ABCD-EFGH-JKMN-PQRS', publicKeySpki: 'x'.repeat(124) };
    expect(await transport.enrollOfficer(KIOSK_ID, request)).toMatchObject({ status: 201 });
    expect(seen.map((s) => [s.path, s.verified])).toEqual([
      [OFFICER_ENROLL_PATH, true],
      [OFFICER_ENROLL_PATH, true],
    ]);
    expect(seen[1]?.timestamp).toBe(serverTime);
  });

  it('reports a network error when nothing answers', async () => {
    const identity = openOutbox(`officer-transport-${crypto.randomUUID()}`);
    const { url } = await listenSigned((await identity.deviceKey()).publicKeySpki, () => [200, {}]);
    closeStandIns();
    const transport = createOfficerHttpTransport(url, identity, { timeoutMs: 2_000 });
    expect(await transport.reportOfficerLock(lockRequest)).toMatchObject({ kind: 'network-error' });
  });
});
