/**
 * Enrollment, the admin API and signed sync requests, on SQLite and on PostgreSQL: every refused
 * request must leave the applications exactly as they were.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterEach, beforeAll, beforeEach, describe, expect, inject, test } from 'vitest';
import {
  ADMIN_ENROLLMENT_CODES_PATH,
  ADMIN_KIOSKS_PATH,
  ADMIN_REVOKE_KIOSK_PATH,
  ENROLL_PATH,
  MAX_CLOCK_SKEW_MS,
  SIGNATURE_HEADERS,
} from '../../../src/protocol/kiosk-auth';
import { type ApplicationRecord, errorBodySchema, SYNC_BATCHES_PATH } from '../../../src/protocol/sync';
import { createScratchDatabase } from '../../../tests/support/postgres';
import {
  appFetcher,
  createEnrollmentCodeViaAdmin,
  createTestEnrollmentCode,
  enrollTestKiosk,
  enrollWithCode,
  type Fetcher,
  signedInit,
  TEST_ADMIN_TOKEN,
  type TestKiosk,
} from '../../../tests/support/signed-kiosk';
import { batch, makeWireRecord } from '../../../tests/support/wire-records';
import { createLogger } from '../logger';
import { openStore } from '../store/open';
import type { Store } from '../store/store';
import { createApp } from './app';

interface Target {
  /** A store over the same database: another server process. */
  open(): Promise<Store>;
  dispose(): Promise<void>;
}

interface StoreCase {
  kind: Store['kind'];
  createTarget(): Promise<Target>;
}

const sqliteCase: StoreCase = {
  kind: 'sqlite',
  async createTarget() {
    const dataDir = mkdtempSync(join(tmpdir(), 'sertel-auth-'));
    return {
      open: () => openStore({ dataDir }),
      dispose: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  },
};

function postgresCase(adminUrl: string): StoreCase {
  return {
    kind: 'postgres',
    async createTarget() {
      const database = await createScratchDatabase(adminUrl, 'auth');
      return {
        open: () => openStore({ databaseUrl: database.url, dataDir: join(tmpdir(), 'sertel-unused') }),
        dispose: database.drop,
      };
    },
  };
}

const databaseUrl = inject('databaseUrl');
const cases: StoreCase[] = databaseUrl === null ? [sqliteCase] : [sqliteCase, postgresCase(databaseUrl)];

if (databaseUrl === null) {
  test('kiosk auth over PostgreSQL: SKIPPED, no PostgreSQL binaries (set REQUIRE_POSTGRES=1 to fail instead)', () => {
    console.warn('!!! Kiosk auth suite over PostgreSQL SKIPPED: no PostgreSQL binaries found !!!');
  });
}

const START = Date.parse('2026-03-02T02:00:00.000Z');
const HOUR = 3_600_000;

async function errorOf(response: Response) {
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return errorBodySchema.parse(await response.json()).error;
}

let record: ApplicationRecord;
beforeAll(async () => {
  record = await makeWireRecord();
});

describe.each(cases)('kiosk auth over $kind', ({ createTarget }) => {
  let target: Target;
  let store: Store;
  let opened: Store[];
  let nowMs: number;
  let logLines: string[];
  let app: Hono;
  let fetcher: Fetcher;

  const open = async () => {
    const next = await target.open();
    opened.push(next);
    return next;
  };
  /** `null`: the admin API switched off (no ADMIN_TOKEN). */
  const build = (withStore: Store, adminToken: string | null = TEST_ADMIN_TOKEN) =>
    createApp({
      store: withStore,
      logger: createLogger('info', { write: (line: string) => void logLines.push(line) }),
      now: () => new Date(nowMs),
      adminToken: adminToken ?? undefined,
    });

  beforeEach(async () => {
    opened = [];
    logLines = [];
    nowMs = START;
    target = await createTarget();
    store = await open();
    app = build(store);
    fetcher = appFetcher(app);
  });

  afterEach(async () => {
    for (const each of opened) await each.close();
    await target.dispose();
  });

  const enrollBody = (code: string, publicKeySpki: string) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, publicKeySpki }),
  });
  const someSpki = async () => {
    const { generateDeviceKey, exportSpkiBase64 } = await import('../../../tests/support/signed-kiosk');
    return exportSpkiBase64((await generateDeviceKey()).publicKey);
  };

  describe('enrollment', () => {
    test('a code from the admin API enrolls a kiosk once: 201 with its id and name', async () => {
      const issued = await createEnrollmentCodeViaAdmin(fetcher, 'Loket-1');
      expect(issued.name).toBe('Loket-1');
      expect(issued.expiresAt).toBe(new Date(START + 24 * HOUR).toISOString());

      const { response, kiosk } = await enrollWithCode(fetcher, issued.code);
      expect(response.status).toBe(201);
      expect(kiosk?.name).toBe('Loket-1');
      const stored = await store.getKiosk(kiosk?.kioskId ?? '');
      expect(stored).toMatchObject({
        name: 'Loket-1',
        revokedAt: null,
        enrolledAt: new Date(START).toISOString(),
      });
      expect(stored?.publicKeySpki).toBe(kiosk?.publicKeySpki);

      const again = await enrollWithCode(fetcher, issued.code);
      expect(again.response.status).toBe(409);
      expect((await errorOf(again.response)).code).toBe('code-used');
      expect(await store.listKiosks()).toHaveLength(1);
    });

    test('a code typed loosely (lower case, spaces, no dashes) is still the code', async () => {
      const { code } = await createTestEnrollmentCode(store, { now: new Date(nowMs) });
      const typed = ` ${code.toLowerCase().replace(/-/g, ' ')} `;
      const { response } = await enrollWithCode(fetcher, typed);
      expect(response.status).toBe(201);
    });

    test('an unknown code → 400 invalid-code; an expired one → 410 code-expired', async () => {
      const unknown = await enrollWithCode(fetcher, 'ABCD-EFGH-JKMN-PQRS');
      expect(unknown.response.status).toBe(400);
      expect((await errorOf(unknown.response)).code).toBe('invalid-code');

      const { code } = await createTestEnrollmentCode(store, { now: new Date(nowMs), validMs: HOUR });
      nowMs += HOUR; // expiry is exclusive: at the expiry instant the code is no longer valid
      const expired = await enrollWithCode(fetcher, code);
      expect(expired.response.status).toBe(410);
      expect((await errorOf(expired.response)).code).toBe('code-expired');
      expect(await store.listKiosks()).toEqual([]);
    });

    test.each([
      { name: 'not JSON', body: '{"code":', status: 400, code: 'invalid-json' },
      { name: 'no key', body: '{"code":"ABCD-EFGH-JKMN-PQRS"}', status: 400, code: 'invalid-request' },
      {
        name: 'not a code',
        body: '{"code":"hello","publicKeySpki":"x"}',
        status: 400,
        code: 'invalid-request',
      },
      { name: 'over 4 KiB', body: `{"pad":"${'x'.repeat(5000)}"}`, status: 413, code: 'body-too-large' },
    ])('a malformed enrollment ($name) → $status $code', async ({ body, status, code }) => {
      const response = await fetcher(ENROLL_PATH, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(response.status).toBe(status);
      expect((await errorOf(response)).code).toBe(code);
    });

    test('a P-384 key, or bytes that are no key, → 400 invalid-public-key, and the code stays usable', async () => {
      const { code } = await createTestEnrollmentCode(store, { now: new Date(nowMs) });
      const p384 = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, ['sign']);
      const p384Spki = Buffer.from(await crypto.subtle.exportKey('spki', p384.publicKey)).toString('base64');
      const junk = Buffer.alloc(91, 0x30).toString('base64');
      for (const spki of [p384Spki, junk]) {
        const response = await fetcher(ENROLL_PATH, enrollBody(code, spki));
        expect(response.status).toBe(400);
        expect((await errorOf(response)).code).toBe('invalid-public-key');
      }
      expect(await store.listKiosks()).toEqual([]);
      expect((await fetcher(ENROLL_PATH, enrollBody(code, await someSpki()))).status).toBe(201);
    });

    test('two server processes racing for one code: exactly one enrolls', async () => {
      const other = build(await open());
      for (let round = 0; round < 5; round++) {
        const { code } = await createTestEnrollmentCode(store, { now: new Date(nowMs) });
        const [a, b] = await Promise.all([
          app.request(ENROLL_PATH, enrollBody(code, await someSpki())),
          other.request(ENROLL_PATH, enrollBody(code, await someSpki())),
        ]);
        expect([a.status, b.status].sort()).toEqual([201, 409]);
      }
      expect(await store.listKiosks()).toHaveLength(5);
    });
  });

  describe('admin API', () => {
    const adminPaths = [
      { method: 'POST', path: ADMIN_ENROLLMENT_CODES_PATH, body: '{"name":"Loket-9"}' },
      { method: 'GET', path: ADMIN_KIOSKS_PATH },
      { method: 'POST', path: ADMIN_REVOKE_KIOSK_PATH.replace(':id', randomUUID()) },
    ];

    test.each(adminPaths)(
      '$method $path: no token or a wrong one → 401 unauthorized',
      async ({ method, path, body }) => {
        for (const authorization of [
          undefined,
          'Bearer wrong-token-wrong-token-wrong',
          `Basic ${TEST_ADMIN_TOKEN}`,
          `Bearer ${TEST_ADMIN_TOKEN}x`,
        ]) {
          const response = await app.request(path, {
            method,
            headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
            ...(body ? { body } : {}),
          });
          expect(response.status).toBe(401);
          expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
          expect((await errorOf(response)).code).toBe('unauthorized');
        }
      },
    );

    test.each(adminPaths)(
      '$method $path without ADMIN_TOKEN → 404 not-found, even with a token',
      async ({ method, path, body }) => {
        const disabled = build(store, null);
        const response = await disabled.request(path, {
          method,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
          ...(body ? { body } : {}),
        });
        expect(response.status).toBe(404);
        expect((await errorOf(response)).code).toBe('not-found');
      },
    );

    test('lists kiosks without their keys; revokes one (twice is harmless); an unknown id → 404', async () => {
      const kiosk = await enrollTestKiosk(fetcher, store, { name: 'Loket-2', now: new Date(nowMs) });
      const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
      const list = await app.request(ADMIN_KIOSKS_PATH, { headers: admin });
      expect(list.status).toBe(200);
      const listed = await list.json();
      expect(listed).toEqual({
        kiosks: [
          { id: kiosk.kioskId, name: 'Loket-2', enrolledAt: new Date(START).toISOString(), revokedAt: null },
        ],
      });
      expect(JSON.stringify(listed)).not.toContain(kiosk.publicKeySpki.slice(0, 40));

      const revokeAt = new Date(nowMs + 1000).toISOString();
      nowMs += 1000;
      const revokePath = ADMIN_REVOKE_KIOSK_PATH.replace(':id', kiosk.kioskId);
      const revoked = await app.request(revokePath, { method: 'POST', headers: admin });
      expect(revoked.status).toBe(200);
      expect(await revoked.json()).toMatchObject({ kiosk: { id: kiosk.kioskId, revokedAt: revokeAt } });
      nowMs += 1000;
      const twice = await app.request(revokePath, { method: 'POST', headers: admin });
      expect(await twice.json()).toMatchObject({ kiosk: { revokedAt: revokeAt } });

      for (const id of [randomUUID(), 'not-a-uuid']) {
        const response = await app.request(ADMIN_REVOKE_KIOSK_PATH.replace(':id', id), {
          method: 'POST',
          headers: admin,
        });
        expect(response.status).toBe(404);
        expect((await errorOf(response)).code).toBe('unknown-kiosk');
      }
    });

    test('a code request without a name → 400 invalid-request; the log never holds a code', async () => {
      const response = await app.request(ADMIN_ENROLLMENT_CODES_PATH, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
        body: '{"name":"  "}',
      });
      expect(response.status).toBe(400);
      expect((await errorOf(response)).code).toBe('invalid-request');
      const { code } = await createEnrollmentCodeViaAdmin(fetcher, 'Loket-3');
      await enrollWithCode(fetcher, code);
      const log = logLines.join('');
      expect(log).toContain('enrollment code created');
      expect(log).not.toContain(code);
      expect(log).not.toContain(code.replace(/-/g, ''));
      expect(log).not.toContain(TEST_ADMIN_TOKEN);
    });
  });

  describe('signed sync requests', () => {
    let kiosk: TestKiosk;
    let body: string;

    beforeEach(async () => {
      kiosk = await enrollTestKiosk(fetcher, store, { now: new Date(nowMs) });
      body = JSON.stringify(batch([record], kiosk.kioskId));
    });

    const send = async (init: Promise<RequestInit> | RequestInit, path = SYNC_BATCHES_PATH) =>
      app.request(path, await init);

    async function expectRefused(response: Response, status: number, code: string) {
      expect(response.status).toBe(status);
      const error = await errorOf(response);
      expect(error.code).toBe(code);
      expect(await store.countApplications()).toBe(0);
      return error;
    }

    test('a batch signed by an enrolled kiosk is stored', async () => {
      const response = await send(signedInit(kiosk, body, { at: nowMs }));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ results: [{ index: 0, id: record.id, status: 'stored' }] });
      expect(await store.getApplication(record.id)).toMatchObject({ kioskId: kiosk.kioskId });
      expect(await store.countApplicationsByState()).toEqual({ received: 1 });
    });

    test('timestamps exactly 5 minutes off either way are still accepted', async () => {
      const early = await send(signedInit(kiosk, body, { at: nowMs - MAX_CLOCK_SKEW_MS }));
      expect(early.status).toBe(200);
      const late = await send(signedInit(kiosk, body, { at: nowMs + MAX_CLOCK_SKEW_MS }));
      expect(late.status).toBe(200);
    });

    test('unsigned → 401 unsigned-request', async () => {
      await expectRefused(
        await app.request(SYNC_BATCHES_PATH, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        }),
        401,
        'unsigned-request',
      );
    });

    test.each([
      ['kiosk', 'not-a-uuid'],
      ['timestamp', '2026-03-02T02:00:00Z'],
      ['nonce', 'short'],
      ['signature', 'has spaces in it, not base64url at all'],
    ])('an ill-formed %s header → 401 unsigned-request', async (part, value) => {
      const init = await signedInit(kiosk, body, { at: nowMs });
      const headers = new Headers(init.headers);
      headers.set(SIGNATURE_HEADERS[part as keyof typeof SIGNATURE_HEADERS], value);
      await expectRefused(await send({ ...init, headers }), 401, 'unsigned-request');
    });

    test('an unknown kiosk → 401 unknown-kiosk', async () => {
      const stranger = { ...kiosk, kioskId: randomUUID() };
      await expectRefused(
        await send(signedInit(stranger, JSON.stringify(batch([record], stranger.kioskId)), { at: nowMs })),
        401,
        'unknown-kiosk',
      );
    });

    test('a revoked kiosk: accepted before, 403 kiosk-revoked on the very next request', async () => {
      const before = await send(signedInit(kiosk, JSON.stringify(batch([], kiosk.kioskId)), { at: nowMs }));
      expect(before.status).toBe(400); // authenticated; an empty batch is merely invalid
      await store.revokeKiosk(kiosk.kioskId, new Date(nowMs).toISOString());
      await expectRefused(await send(signedInit(kiosk, body, { at: nowMs })), 403, 'kiosk-revoked');
    });

    test('a revocation by another server process is seen at once (keys are cached, revocation is not)', async () => {
      expect((await send(signedInit(kiosk, '{}', { at: nowMs }))).status).toBe(400);
      const otherProcess = await open();
      await otherProcess.revokeKiosk(kiosk.kioskId, new Date(nowMs).toISOString());
      await expectRefused(await send(signedInit(kiosk, body, { at: nowMs })), 403, 'kiosk-revoked');
    });

    test.each([
      { name: '6 minutes behind', offset: -6 * 60_000 },
      { name: '6 minutes ahead', offset: 6 * 60_000 },
    ])('a request signed $name → 401 stale-request with the server time', async ({ offset }) => {
      const error = await expectRefused(
        await send(signedInit(kiosk, body, { at: nowMs + offset })),
        401,
        'stale-request',
      );
      expect(error.serverTime).toBe(new Date(nowMs).toISOString());
    });

    test('a tampered body → 401 bad-signature', async () => {
      const init = await signedInit(kiosk, body, { at: nowMs });
      const tampered = body.replace(record.applicant.nama, 'Budi Santoso');
      expect(tampered).not.toBe(body);
      await expectRefused(await send({ ...init, body: tampered }), 401, 'bad-signature');
    });

    test('signed for another path, or with a query the request lacks → 401 bad-signature', async () => {
      for (const path of ['/api/v1/sync/other', `${SYNC_BATCHES_PATH}?x=1`]) {
        await expectRefused(await send(signedInit(kiosk, body, { at: nowMs, path })), 401, 'bad-signature');
      }
      // And the other way round: signed without the query, sent with one.
      await expectRefused(
        await send(signedInit(kiosk, body, { at: nowMs }), `${SYNC_BATCHES_PATH}?x=1`),
        401,
        'bad-signature',
      );
    });

    test('signed for another method → 401 bad-signature', async () => {
      const init = await signedInit(kiosk, body, { at: nowMs, method: 'PUT' });
      await expectRefused(await send({ ...init, method: 'POST' }), 401, 'bad-signature');
    });

    test('another kiosk signing in the name of this one → 401 bad-signature', async () => {
      const impostor = await enrollTestKiosk(fetcher, store, { now: new Date(nowMs) });
      await expectRefused(
        await send(signedInit(impostor, body, { at: nowMs, kioskId: kiosk.kioskId })),
        401,
        'bad-signature',
      );
    });

    test('the same signed request twice: stored once, the replay → 401 replayed-request', async () => {
      const init = await signedInit(kiosk, body, { at: nowMs });
      expect((await send(init)).status).toBe(200);
      nowMs += 60_000;
      const replay = await send(init);
      expect(replay.status).toBe(401);
      expect((await errorOf(replay)).code).toBe('replayed-request');
      expect(await store.countApplications()).toBe(1);
    });

    test('one signed request sent to two server processes at once is accepted by exactly one', async () => {
      const other = build(await open());
      const init = await signedInit(kiosk, JSON.stringify(batch([], kiosk.kioskId)), { at: nowMs });
      const [a, b] = await Promise.all([
        app.request(SYNC_BATCHES_PATH, init),
        other.request(SYNC_BATCHES_PATH, init),
      ]);
      // Authenticated → 400 (an empty batch); the loser is the replay.
      expect([a.status, b.status].sort()).toEqual([400, 401]);
      const loser = a.status === 401 ? a : b;
      expect((await errorOf(loser)).code).toBe('replayed-request');
    });

    test('a forged signature (bad-signature) does not use up the nonce', async () => {
      const init = await signedInit(kiosk, body, { at: nowMs });
      const headers = new Headers(init.headers);
      const good = headers.get(SIGNATURE_HEADERS.signature) ?? '';
      headers.set(SIGNATURE_HEADERS.signature, `${good.slice(0, -2)}${good.endsWith('AA') ? 'BA' : 'AA'}`);
      await expectRefused(await send({ ...init, headers }), 401, 'bad-signature');
      expect((await send(init)).status).toBe(200);
    });

    test('a batch naming another kiosk than the signer → 403 kiosk-mismatch', async () => {
      const other = JSON.stringify(batch([record], randomUUID()));
      await expectRefused(await send(signedInit(kiosk, other, { at: nowMs })), 403, 'kiosk-mismatch');
    });

    test('refusals are logged with their code and the kiosk id, never the signature or nonce', async () => {
      const init = await signedInit(kiosk, body, { at: nowMs + 10 * 60_000 });
      await send(init);
      const headers = new Headers(init.headers);
      const log = logLines.join('');
      expect(log).toContain('"refusal":"stale-request"');
      expect(log).toContain(kiosk.kioskId);
      expect(log).not.toContain(headers.get(SIGNATURE_HEADERS.signature) ?? 'unset');
      expect(log).not.toContain(headers.get(SIGNATURE_HEADERS.nonce) ?? 'unset');
      expect(log).not.toContain(record.applicant.nik);
    });

    test('nonces are remembered per kiosk and forgotten only after twice the allowed skew', async () => {
      const seenAt = new Date(nowMs).toISOString();
      expect(await store.recordNonce(kiosk.kioskId, 'nonce-aaaaaaaaaaaaaaaaaaaaaa', seenAt)).toBe('new');
      expect(await store.recordNonce(kiosk.kioskId, 'nonce-aaaaaaaaaaaaaaaaaaaaaa', seenAt)).toBe('replayed');
      expect(await store.recordNonce(randomUUID(), 'nonce-aaaaaaaaaaaaaaaaaaaaaa', seenAt)).toBe('new');
      expect(await store.pruneNonces(new Date(nowMs).toISOString())).toBe(0);
      expect(await store.pruneNonces(new Date(nowMs + 1).toISOString())).toBe(2);
      expect(await store.recordNonce(kiosk.kioskId, 'nonce-aaaaaaaaaaaaaaaaaaaaaa', seenAt)).toBe('new');

      // Through the app: a request's nonce is pruned once it could no longer pass the time check.
      const init = await signedInit(kiosk, '{}', { at: nowMs });
      const oldNonce = new Headers(init.headers).get(SIGNATURE_HEADERS.nonce) ?? '';
      await send(init);
      const sentAt = new Date(nowMs).toISOString();
      expect(await store.recordNonce(kiosk.kioskId, oldNonce, sentAt)).toBe('replayed');
      nowMs += 2 * MAX_CLOCK_SKEW_MS + 61_000;
      await send(signedInit(kiosk, '{}', { at: nowMs }));
      const replay = await send(init);
      expect((await errorOf(replay)).code).toBe('stale-request');
      // The later request pruned the old nonce: the store has forgotten it.
      expect(await store.recordNonce(kiosk.kioskId, oldNonce, sentAt)).toBe('new');
    });
  });
});
