import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ADMIN_KIOSKS_PATH, SIGNATURE_HEADERS } from '../../../src/protocol/kiosk-auth';
import { errorBodySchema, SYNC_STATUSES_PATH } from '../../../src/protocol/sync';
import { fromAddress } from '../../../tests/support/from-address';
import {
  enrollTestKioskInStore,
  signedInit,
  TEST_ADMIN_TOKEN,
  type TestKiosk,
} from '../../../tests/support/signed-kiosk';
import { createLogger } from '../logger';
import { openSqliteStore } from '../store/sqlite';
import type { Store } from '../store/store';
import type { AdminRemoteAccess } from './admin-network';
import { createApp } from './app';

let dir: string;
let store: Store;
let logLines: string[];
let kiosk: TestKiosk;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sertel-admin-net-'));
  store = await openSqliteStore(join(dir, 'sertel.sqlite'));
  logLines = [];
  kiosk = await enrollTestKioskInStore(store, { kioskId: randomUUID() });
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function build(options: { adminRemote?: AdminRemoteAccess; trustedProxies?: number } = {}): Hono {
  const logger = createLogger('info', {
    write(line: string) {
      logLines.push(line);
    },
  });
  return createApp({ store, logger, adminToken: TEST_ADMIN_TOKEN, ...options });
}

const asAdmin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const listKiosks = (app: Hono, address: string, headers: Record<string, string> = asAdmin) =>
  app.request(ADMIN_KIOSKS_PATH, { headers }, fromAddress(address));

describe('the admin API is reachable from this machine only, unless ADMIN_ALLOW_REMOTE says otherwise', () => {
  test.each(['127.0.0.1', '127.0.3.9', '::1', '::ffff:127.0.0.1'])(
    'from loopback %s: served',
    async (address) => {
      expect((await listKiosks(build(), address)).status).toBe(200);
    },
  );

  test('from the network: the 404 of an absent API, logged with the address but never the token', async () => {
    const app = build();
    const refused = await listKiosks(app, '192.168.10.20');
    expect(refused.status).toBe(404);
    expect(errorBodySchema.parse(await refused.json()).error.code).toBe('not-found');
    // Exactly what a server without ADMIN_TOKEN answers: nothing tells a scanner the API is there.
    const absent = await createApp({ store, logger: createLogger('silent') }).request(
      ADMIN_KIOSKS_PATH,
      { headers: asAdmin },
      fromAddress('192.168.10.20'),
    );
    expect(absent.status).toBe(404);
    expect(await absent.json()).toEqual(await (await listKiosks(app, '192.168.10.20')).json());
    expect(absent.headers.get('www-authenticate')).toBeNull();

    const logged = logLines.filter((line) => line.includes('admin request from the network refused'));
    expect(logged).toHaveLength(2);
    expect(logged[0]).toContain('192.168.10.20');
    expect(logged[0]).toContain('/api/v1/admin/kiosks');
    expect(logLines.join('\n')).not.toContain(TEST_ADMIN_TOKEN);
  });

  test('a refused address learns nothing about the token: a wrong one gets the same 404', async () => {
    const wrong = await listKiosks(build(), '192.168.10.20', { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(404);
  });

  test('a request a local proxy forwarded is not local (unless TRUST_PROXY names the proxy)', async () => {
    const forwarded = { ...asAdmin, 'x-forwarded-for': '127.0.0.1' };
    expect((await listKiosks(build(), '127.0.0.1', forwarded)).status).toBe(404);
    expect((await listKiosks(build(), '127.0.0.1', { ...asAdmin, forwarded: 'for=1.2.3.4' })).status).toBe(
      404,
    );
    // Declared, the proxy's X-Forwarded-For is believed: a remote client is still refused...
    const behindProxy = build({ trustedProxies: 1 });
    const remote = { ...asAdmin, 'x-forwarded-for': '198.51.100.4' };
    expect((await listKiosks(behindProxy, '127.0.0.1', remote)).status).toBe(404);
    // ...and the operator on the proxy's own machine is served.
    expect((await listKiosks(behindProxy, '127.0.0.1', forwarded)).status).toBe(200);
  });

  test('ADMIN_ALLOW_REMOTE=1: from anywhere, still only with the token', async () => {
    const app = build({ adminRemote: 'any' });
    expect((await listKiosks(app, '192.168.10.20')).status).toBe(200);
    expect((await listKiosks(app, '192.168.10.20', { authorization: 'Bearer nope' })).status).toBe(401);
  });

  test('ADMIN_ALLOW_REMOTE with networks: those and loopback are served, others get 404', async () => {
    const app = build({ adminRemote: ['10.1.2.0/24', '2001:db8::/32'] });
    expect((await listKiosks(app, '10.1.2.77')).status).toBe(200);
    expect((await listKiosks(app, '::ffff:10.1.2.77')).status).toBe(200);
    expect((await listKiosks(app, '2001:db8::5')).status).toBe(200);
    expect((await listKiosks(app, '127.0.0.1')).status).toBe(200);
    expect((await listKiosks(app, '10.1.3.1')).status).toBe(404);
    expect((await listKiosks(app, '2001:db9::5')).status).toBe(404);
  });
});

describe('the admin token and the kiosk credential are not interchangeable', () => {
  test('the admin token opens no kiosk route', async () => {
    const app = build();
    const response = await app.request(
      SYNC_STATUSES_PATH,
      {
        method: 'POST',
        headers: { ...asAdmin, 'content-type': 'application/json' },
        body: JSON.stringify({ kioskId: kiosk.kioskId, ids: [randomUUID()] }),
      },
      fromAddress('127.0.0.1'),
    );
    expect(response.status).toBe(401);
    expect(errorBodySchema.parse(await response.json()).error.code).toBe('unsigned-request');
  });

  test("a kiosk's valid signature opens no admin route", async () => {
    const app = build();
    const init = await signedInit(kiosk, '', { method: 'GET', path: ADMIN_KIOSKS_PATH });
    const headers = new Headers(init.headers);
    expect(headers.get(SIGNATURE_HEADERS.signature)).not.toBeNull();
    const response = await app.request(ADMIN_KIOSKS_PATH, { headers }, fromAddress('127.0.0.1'));
    expect(response.status).toBe(401);
  });

  test('tokens differing in length, case or by a prefix are all refused', async () => {
    const app = build();
    for (const token of [
      TEST_ADMIN_TOKEN.slice(0, -1),
      `${TEST_ADMIN_TOKEN}x`,
      TEST_ADMIN_TOKEN.toUpperCase(),
      TEST_ADMIN_TOKEN.slice(0, 8),
    ]) {
      expect((await listKiosks(app, '127.0.0.1', { authorization: `Bearer ${token}` })).status).toBe(401);
    }
  });
});
