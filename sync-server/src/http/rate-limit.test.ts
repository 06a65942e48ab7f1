import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ENROLL_PATH, SIGNATURE_HEADERS } from '../../../src/protocol/kiosk-auth';
import { CA_CRL_PATH } from '../../../src/protocol/lifecycle';
import { API_PREFIX, errorBodySchema, SYNC_STATUSES_PATH } from '../../../src/protocol/sync';
import { fromAddress } from '../../../tests/support/from-address';
import {
  enrollTestKioskInStore,
  type Fetcher,
  postSignedJson,
  type TestKiosk,
} from '../../../tests/support/signed-kiosk';
import { createLogger } from '../logger';
import { openSqliteStore } from '../store/sqlite';
import type { Store } from '../store/store';
import { createApp } from './app';
import { createRateLimiter } from './rate-limit';

describe('createRateLimiter', () => {
  test('a burst of perMinute passes, the next waits for its share of the minute, then passes', () => {
    let at = 0;
    const limiter = createRateLimiter({ perMinute: 3, now: () => at });
    expect([1, 2, 3].map(() => limiter.take('a').limited)).toEqual([false, false, false]);
    // One request every 20 s: the fourth must wait the whole 20 s.
    expect(limiter.take('a')).toEqual({ limited: true, retryAfterSeconds: 20 });
    expect(limiter.take('b').limited).toBe(false);
    at += 19_000;
    expect(limiter.take('a')).toEqual({ limited: true, retryAfterSeconds: 1 });
    at += 1_000;
    expect(limiter.take('a').limited).toBe(false);
    expect(limiter.take('a').limited).toBe(true);
  });

  test('peek never spends', () => {
    const limiter = createRateLimiter({ perMinute: 1, now: () => 0 });
    for (let i = 0; i < 5; i++) expect(limiter.peek('a').limited).toBe(false);
    expect(limiter.take('a').limited).toBe(false);
    expect(limiter.peek('a').limited).toBe(true);
  });

  test('0 per minute is no limit', () => {
    const limiter = createRateLimiter({ perMinute: 0, now: () => 0 });
    for (let i = 0; i < 1000; i++) expect(limiter.take('a').limited).toBe(false);
  });

  test('a flood of fresh keys stays within maxKeys and keeps the busiest recent key throttled', () => {
    const limiter = createRateLimiter({ perMinute: 2, now: () => 0, maxKeys: 100 });
    limiter.take('busy');
    limiter.take('busy');
    for (let i = 0; i < 1000; i++) {
      limiter.take(`stranger-${i}`);
      // Touched again and again, the busy key is never the least recently used one.
      if (i % 50 === 0) expect(limiter.take('busy').limited).toBe(true);
    }
    expect(limiter.take('busy').limited).toBe(true);
  });
});

describe('rate limits on the app', () => {
  let dir: string;
  let store: Store;
  let at: number;
  let app: Hono;
  let kioskA: TestKiosk;
  let kioskB: TestKiosk;

  const build = (limits: { addressPerMinute: number; kioskPerMinute: number }, trustedProxies = 0) =>
    createApp({
      store,
      logger: createLogger('silent'),
      rateLimits: { ...limits, clock: () => at },
      trustedProxies,
    });
  const request = (path: string, address: string, init?: RequestInit) =>
    app.request(path, init, fromAddress(address));
  const fetcherFrom =
    (address: string): Fetcher =>
    async (path, init) =>
      request(path, address, init);
  const statusRequest = (kiosk: TestKiosk, address = '10.0.0.1') =>
    postSignedJson(fetcherFrom(address), kiosk, SYNC_STATUSES_PATH, {
      kioskId: kiosk.kioskId,
      ids: [randomUUID()],
    });
  const enrollAttempt = (address: string, headers: Record<string, string> = {}) =>
    request(ENROLL_PATH, address, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ code: 'AAAA-BBBB-CCCC', publicKeySpki: 'x' }),
    });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sertel-rate-'));
    store = await openSqliteStore(join(dir, 'sertel.sqlite'));
    at = 0;
    kioskA = await enrollTestKioskInStore(store, { kioskId: randomUUID(), name: 'Loket A' });
    kioskB = await enrollTestKioskInStore(store, { kioskId: randomUUID(), name: 'Loket B' });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a flood from one address gets 429 with Retry-After and the error JSON; another address is still served', async () => {
    app = build({ addressPerMinute: 5, kioskPerMinute: 0 });
    for (let i = 0; i < 5; i++) expect((await enrollAttempt('203.0.113.7')).status).toBe(400);
    const refused = await enrollAttempt('203.0.113.7');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('12');
    expect(errorBodySchema.parse(await refused.json()).error.code).toBe('rate-limited');
    // Another client is untouched, on this route and on the other public ones.
    expect((await enrollAttempt('198.51.100.20')).status).toBe(400);
    expect((await request(CA_CRL_PATH, '203.0.113.7')).status).toBe(429);
    // The health checks and the kiosk's own files are never limited.
    expect((await request(`${API_PREFIX}/health`, '203.0.113.7')).status).toBe(200);
    // After Retry-After, the address is served again.
    at += 12_000;
    expect((await enrollAttempt('203.0.113.7')).status).toBe(400);
  });

  test('X-Forwarded-For is ignored unless TRUST_PROXY says a proxy stands in front', async () => {
    app = build({ addressPerMinute: 2, kioskPerMinute: 0 });
    // Without TRUST_PROXY a client cannot dodge its limit by making up addresses.
    for (const forged of ['1.1.1.1', '2.2.2.2']) {
      expect((await enrollAttempt('203.0.113.7', { 'x-forwarded-for': forged })).status).toBe(400);
    }
    expect((await enrollAttempt('203.0.113.7', { 'x-forwarded-for': '3.3.3.3' })).status).toBe(429);

    // Behind one proxy (at 10.0.0.2), each client is the address that proxy appended.
    app = build({ addressPerMinute: 2, kioskPerMinute: 0 }, 1);
    const viaProxy = (client: string) =>
      enrollAttempt('10.0.0.2', { 'x-forwarded-for': `9.9.9.9, ${client}` });
    expect((await viaProxy('203.0.113.7')).status).toBe(400);
    expect((await viaProxy('203.0.113.7')).status).toBe(400);
    expect((await viaProxy('203.0.113.7')).status).toBe(429);
    expect((await viaProxy('198.51.100.20')).status).toBe(400);
  });

  test('one kiosk flooding its signed routes does not throttle another kiosk, even from the same address', async () => {
    app = build({ addressPerMinute: 0, kioskPerMinute: 3 });
    for (let i = 0; i < 3; i++) expect((await statusRequest(kioskA)).status).toBe(200);
    const refused = await statusRequest(kioskA);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('20');
    expect(errorBodySchema.parse(await refused.json()).error.code).toBe('rate-limited');
    expect((await statusRequest(kioskB)).status).toBe(200);
    at += 20_000;
    expect((await statusRequest(kioskA)).status).toBe(200);
  });

  test("forged requests naming a kiosk do not spend that kiosk's allowance; they spend the sender's address's", async () => {
    app = build({ addressPerMinute: 4, kioskPerMinute: 3 });
    const forged = () =>
      request(SYNC_STATUSES_PATH, '203.0.113.66', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADERS.kiosk]: kioskA.kioskId,
          [SIGNATURE_HEADERS.timestamp]: String(Date.now()),
          [SIGNATURE_HEADERS.nonce]: 'AAAAAAAAAAAAAAAAAAAAAA',
          [SIGNATURE_HEADERS.signature]: 'A'.repeat(86),
        },
        body: JSON.stringify({ kioskId: kioskA.kioskId, ids: [randomUUID()] }),
      });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await forged()).status);
    expect(statuses.slice(0, 4).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(4)).toEqual([429, 429]);
    // The kiosk itself still has its whole allowance, from anywhere.
    for (let i = 0; i < 3; i++) expect((await statusRequest(kioskA, '10.0.0.1')).status).toBe(200);
  });

  test('limits of 0 throttle nothing', async () => {
    app = build({ addressPerMinute: 0, kioskPerMinute: 0 });
    for (let i = 0; i < 50; i++) expect((await enrollAttempt('203.0.113.7')).status).toBe(400);
    for (let i = 0; i < 50; i++) expect((await statusRequest(kioskA)).status).toBe(200);
  });
});
