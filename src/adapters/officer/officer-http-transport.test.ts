import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { base64ToBytes } from '../../core/lib/pem';
import { DEVICE_KEY_ALGORITHM, SIGNATURE_HEADERS, verifyRequestSignature } from '../../protocol/kiosk-auth';
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

interface Seen {
  path: string;
  kioskId: string;
  timestamp: number;
  verified: boolean;
  json: unknown;
}

let server: Server | null = null;
afterEach(() => {
  server?.close();
  server = null;
});

async function listen(publicKeySpki: string, answer: (seen: Seen, n: number) => [number, unknown]) {
  const publicKey = await crypto.subtle.importKey(
    'spki',
    base64ToBytes(publicKeySpki),
    DEVICE_KEY_ALGORITHM,
    false,
    ['verify'],
  );
  const seen: Seen[] = [];
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = new Uint8Array(Buffer.concat(chunks));
    const header = (name: string) => String(req.headers[name] ?? '');
    const entry: Seen = {
      path: req.url ?? '',
      kioskId: header(SIGNATURE_HEADERS.kiosk),
      timestamp: Number(header(SIGNATURE_HEADERS.timestamp)),
      verified: await verifyRequestSignature(
        publicKey,
        {
          kioskId: header(SIGNATURE_HEADERS.kiosk),
          method: req.method ?? '',
          path: req.url ?? '',
          timestamp: header(SIGNATURE_HEADERS.timestamp),
          nonce: header(SIGNATURE_HEADERS.nonce),
          body,
        },
        header(SIGNATURE_HEADERS.signature),
      ),
      json: JSON.parse(Buffer.from(body).toString('utf8')),
    };
    seen.push(entry);
    const [status, json] = answer(entry, seen.length);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen };
}

const lockRequest = {
  kioskId: KIOSK_ID,
  officerId: '5d0b7a3e-9c41-4f0e-8a2b-6c7d8e9f0a1b',
  keyId: '7e1c2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f',
  lockedAt: '2026-11-26T02:30:00.000Z',
};

describe('createOfficerHttpTransport', () => {
  it('signs the lock report with the device key, as the kiosk the report names', async () => {
    const identity = openOutbox(`officer-transport-${crypto.randomUUID()}`);
    const { url, seen } = await listen((await identity.deviceKey()).publicKeySpki, () => [200, { ok: true }]);
    const transport = createOfficerHttpTransport(url, identity);
    expect(await transport.reportOfficerLock(lockRequest)).toEqual({
      kind: 'response',
      status: 200,
      body: { ok: true },
    });
    expect(seen).toEqual([
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
    const { url, seen } = await listen((await identity.deviceKey()).publicKeySpki, () => [
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
    const { url, seen } = await listen((await identity.deviceKey()).publicKeySpki, () => [200, answer]);
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
    const { url, seen } = await listen((await identity.deviceKey()).publicKeySpki, (_seen, n) =>
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
    const { url } = await listen((await identity.deviceKey()).publicKeySpki, () => [200, {}]);
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = null;
    const transport = createOfficerHttpTransport(url, identity, { timeoutMs: 2_000 });
    expect(await transport.reportOfficerLock(lockRequest)).toMatchObject({ kind: 'network-error' });
  });
});
