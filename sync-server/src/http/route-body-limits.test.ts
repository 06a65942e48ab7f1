/**
 * Every route that takes a body has its own limit, and an oversized body is refused with 413 before
 * a byte of it is read: whether the length is declared (refused on the declaration) or streamed
 * (refused once the count passes the limit). The table is checked against the app's own routes, so
 * a new route without an entry here fails this test.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AUDIT_LIMITS, SYNC_AUDIT_PATH } from '../../../src/protocol/audit';
import { EMAIL_CODES_PATH, EMAIL_LIMITS, EMAIL_VERIFY_PATH } from '../../../src/protocol/email';
import {
  ADMIN_ENROLLMENT_CODES_PATH,
  ADMIN_REVOKE_KIOSK_PATH,
  ENROLL_PATH,
} from '../../../src/protocol/kiosk-auth';
import {
  CERTIFICATES_EXPIRING_PATH,
  CERTIFICATES_LOOKUP_PATH,
  CORRECTIONS_PATH,
  INCIDENTS_LIST_PATH,
  INCIDENTS_PATH,
  LIFECYCLE_LIMITS,
  REVOCATIONS_PATH,
} from '../../../src/protocol/lifecycle';
import {
  ADMIN_OFFICER_CODES_PATH,
  ADMIN_OFFICER_LOCK_PATH,
  ADMIN_OFFICER_UNLOCK_PATH,
  ADMIN_OFFICERS_PATH,
  NIK_CHECK_PATH,
  OFFICER_ENROLL_PATH,
  OFFICER_LIMITS,
  OFFICER_LOCK_PATH,
  SYNC_RELEASES_PATH,
} from '../../../src/protocol/officer';
import {
  ADMIN_APPLICATION_OUTCOME_PATH,
  ADMIN_FORWARD_PATH,
  API_PREFIX,
  errorBodySchema,
  LIMITS,
  SYNC_BATCHES_PATH,
  SYNC_STATUSES_PATH,
} from '../../../src/protocol/sync';
import { TEST_ADMIN_TOKEN } from '../../../tests/support/signed-kiosk';
import type { EmailConfirmations } from '../domain/email-confirmation';
import { createLogger } from '../logger';
import { openSqliteStore } from '../store/sqlite';
import type { Store } from '../store/store';
import { createApp } from './app';

const KIB = 1024;
const ADMIN_BODY = 4 * KIB;

/** Every POST route and the most it takes. */
const LIMIT_OF: Record<string, number> = {
  [ENROLL_PATH]: 4 * KIB,
  [SYNC_BATCHES_PATH]: LIMITS.maxBatchBytes,
  [SYNC_STATUSES_PATH]: LIMITS.maxStatusRequestBytes,
  [SYNC_AUDIT_PATH]: AUDIT_LIMITS.maxRequestBytes,
  [OFFICER_ENROLL_PATH]: 4 * KIB,
  [OFFICER_LOCK_PATH]: OFFICER_LIMITS.maxRequestBytes,
  [SYNC_RELEASES_PATH]: OFFICER_LIMITS.maxRequestBytes,
  [NIK_CHECK_PATH]: OFFICER_LIMITS.maxRequestBytes,
  [CERTIFICATES_EXPIRING_PATH]: LIFECYCLE_LIMITS.maxRequestBytes,
  [CERTIFICATES_LOOKUP_PATH]: LIFECYCLE_LIMITS.maxRequestBytes,
  [INCIDENTS_LIST_PATH]: LIFECYCLE_LIMITS.maxRequestBytes,
  [INCIDENTS_PATH]: LIFECYCLE_LIMITS.maxRequestBytes,
  [REVOCATIONS_PATH]: LIFECYCLE_LIMITS.maxRevocationBytes,
  [CORRECTIONS_PATH]: LIFECYCLE_LIMITS.maxRequestBytes,
  [EMAIL_CODES_PATH]: EMAIL_LIMITS.maxRequestBytes,
  [EMAIL_VERIFY_PATH]: EMAIL_LIMITS.maxRequestBytes,
  [ADMIN_ENROLLMENT_CODES_PATH]: ADMIN_BODY,
  [ADMIN_REVOKE_KIOSK_PATH]: ADMIN_BODY,
  [ADMIN_APPLICATION_OUTCOME_PATH]: LIMITS.maxCertificatePemChars + KIB,
  [ADMIN_FORWARD_PATH]: ADMIN_BODY,
  [ADMIN_OFFICERS_PATH]: ADMIN_BODY,
  [ADMIN_OFFICER_CODES_PATH]: ADMIN_BODY,
  [ADMIN_OFFICER_LOCK_PATH]: ADMIN_BODY,
  [ADMIN_OFFICER_UNLOCK_PATH]: ADMIN_BODY,
};
const TABLE = Object.entries(LIMIT_OF);

let dir: string;
let store: Store;
let app: Hono;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sertel-route-limits-'));
  store = await openSqliteStore(join(dir, 'sertel.sqlite'));
  // Every optional part switched on, so that every route exists.
  app = createApp({
    store,
    logger: createLogger('silent'),
    adminToken: TEST_ADMIN_TOKEN,
    email: { confirmations: {} as EmailConfirmations },
  });
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const urlOf = (path: string) => `http://localhost${path.replace(/:id\b/, randomUUID())}`;
const headersFor = (path: string, extra: Record<string, string> = {}) => ({
  'content-type': 'application/json',
  // Past the admin guard: the limit is what is under test.
  ...(path.startsWith(`${API_PREFIX}/admin/`) ? { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } : {}),
  ...extra,
});

/** A request declaring `length` bytes whose body must never be opened (reading it throws). */
function untouchable(path: string, length: number) {
  const request = new Request(urlOf(path), {
    method: 'POST',
    headers: headersFor(path, { 'content-length': String(length) }),
    body: 'x',
  });
  let reads = 0;
  Object.defineProperty(request, 'body', {
    get() {
      reads++;
      throw new Error('the body was read');
    },
  });
  Object.defineProperty(request, 'arrayBuffer', {
    value: () => {
      reads++;
      throw new Error('the body was read');
    },
  });
  return { request, reads: () => reads };
}

/** A chunked body of `length` bytes: no declared length, so the limit must count it. */
function streamed(path: string, length: number): Request {
  const chunk = new Uint8Array(64 * KIB).fill(0x20);
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= length) return controller.close();
      const part = chunk.subarray(0, Math.min(chunk.length, length - sent));
      sent += part.length;
      controller.enqueue(part);
    },
  });
  return new Request(urlOf(path), {
    method: 'POST',
    headers: headersFor(path),
    body,
    duplex: 'half',
  } as RequestInit);
}

async function expectTooLarge(response: Response) {
  expect(response.status).toBe(413);
  expect(errorBodySchema.parse(await response.json()).error.code).toBe('body-too-large');
}

describe('body limits on every route', () => {
  test('the table names every route that takes a body, and nothing else', () => {
    const withBody = app.routes
      .filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method))
      .map((r) => r.path);
    expect(new Set(withBody)).toEqual(new Set(Object.keys(LIMIT_OF)));
  });

  test.each(TABLE)(
    '%s: a declared length one byte over %i is refused before the body is read',
    async (path, limit) => {
      const over = untouchable(path, limit + 1);
      await expectTooLarge(await app.request(over.request));
      expect(over.reads()).toBe(0);
    },
  );

  test.each(TABLE)('%s: a streamed body one byte over %i is counted and refused', async (path, limit) => {
    await expectTooLarge(await app.request(streamed(path, limit + 1)));
  });

  test.each(TABLE)(
    '%s: a body of exactly %i passes the limit (and fails later, for other reasons)',
    async (path, limit) => {
      const response = await app.request(urlOf(path), {
        method: 'POST',
        headers: headersFor(path, { 'content-length': String(limit) }),
        body: ' '.repeat(limit),
      });
      expect(response.status).not.toBe(413);
    },
  );
});
