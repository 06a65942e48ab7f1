/**
 * RA officers through the API (docs/officers.md): accounts by the admin, enrollment and PIN locks
 * reported by kiosks, decisions travelling inside records, releases by a second officer and the
 * duplicate-NIK check. Keys are real ECDSA P-256 keys made by WebCrypto, statements are signed
 * with the shared protocol's `signStatement`, and every refused request must leave the store
 * exactly as it was.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { BATCH_FRAME_MEDIA_TYPE, encodeBatchFrame } from '../../../src/protocol/batch-frame';
import {
  ADMIN_OFFICER_CODES_PATH,
  ADMIN_OFFICER_LOCK_PATH,
  ADMIN_OFFICER_UNLOCK_PATH,
  ADMIN_OFFICERS_PATH,
  importNikHashKey,
  NIK_CHECK_PATH,
  nikCheckResponseSchema,
  nikHash,
  OFFICER_ENROLL_PATH,
  OFFICER_LIMITS,
  OFFICER_LOCK_PATH,
  officerCodeResponseSchema,
  officerEnrollResponseSchema,
  type ReleaseResponse,
  releaseResponseSchema,
  SYNC_RELEASES_PATH,
} from '../../../src/protocol/officer';
import {
  type ApplicationRecord,
  errorBodySchema,
  type RecordResult,
  SYNC_BATCHES_PATH,
  syncBatchResponseSchema,
} from '../../../src/protocol/sync';
import {
  createTestOfficerInStore,
  createTestOfficerViaAdmin,
  decidedRecord,
  decisionPayload,
  enrollOfficerWithCode,
  enrollTestOfficer,
  generateOfficerKey,
  releasePayload,
  signAsOfficer,
  signDecision,
  signRelease,
  type TestOfficer,
  toFramedRecord,
} from '../../../tests/support/officer-fixtures';
import { makeOpensslCa, type OpensslCa } from '../../../tests/support/openssl-ca';
import {
  appFetcher,
  enrollTestKiosk,
  type Fetcher,
  postSignedJson,
  signedInit,
  TEST_ADMIN_TOKEN,
  type TestKiosk,
} from '../../../tests/support/signed-kiosk';
import { makeWireRecord } from '../../../tests/support/wire-records';
import { recordCaOutcome } from '../domain/outcome';
import { createLogger } from '../logger';
import { openStore } from '../store/open';
import type { Store } from '../store/store';
import { createApp } from './app';

const NIK = '3577014501900003';
const OTHER_NIK = '3577011203850002';
const NIP = '199001052015032001';
const NAMA = 'SITI RAHAYU';
const DAY = 86_400_000;

/** Made once: each record costs a key pair, a CSR and an encrypted key. */
let pool: ApplicationRecord[];
let ca: OpensslCa;
beforeAll(async () => {
  pool = await Promise.all(Array.from({ length: 12 }, () => makeWireRecord()));
  ca = makeOpensslCa();
});
afterAll(() => ca.remove());

function recordOf(n: number): ApplicationRecord {
  const record = pool[n];
  if (record === undefined) throw new Error(`no record ${n}`);
  return record;
}

async function errorOf(response: Response) {
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return errorBodySchema.parse(await response.json()).error;
}

let dataDir: string;
let store: Store;
let logLines: string[];
let nowMs: number;
let app: Hono;
let fetcher: Fetcher;
let kioskA: TestKiosk;
let kioskB: TestKiosk;

function build(options: { twoPersonRule?: boolean; adminToken?: string | null } = {}): Hono {
  return createApp({
    store,
    logger: createLogger('info', { write: (line: string) => void logLines.push(line) }),
    now: () => new Date(nowMs),
    adminToken: options.adminToken === null ? undefined : (options.adminToken ?? TEST_ADMIN_TOKEN),
    ...(options.twoPersonRule === undefined ? {} : { twoPersonRule: options.twoPersonRule }),
  });
}

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sertel-officers-'));
  store = await openStore({ dataDir });
  logLines = [];
  nowMs = Date.now();
  app = build();
  fetcher = appFetcher(app);
  kioskA = await enrollTestKiosk(fetcher, store, { name: 'Loket 1', now: new Date(nowMs) });
  kioskB = await enrollTestKiosk(fetcher, store, { name: 'Loket 2', now: new Date(nowMs) });
});

afterEach(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const admin = (method: string, path: string, body?: unknown) =>
  fetcher(path, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const signedPost = (kiosk: TestKiosk, path: string, body: unknown) =>
  postSignedJson(fetcher, kiosk, path, body, { at: nowMs });
const officerIn = (kiosk: TestKiosk, options: { nama?: string } = {}) =>
  enrollTestOfficer(fetcher, store, kiosk, { ...options, now: new Date(nowMs), at: nowMs });

async function sendBatch(kiosk: TestKiosk, records: unknown[]): Promise<RecordResult[]> {
  const response = await signedPost(kiosk, SYNC_BATCHES_PATH, { kioskId: kiosk.kioskId, records });
  expect(response.status).toBe(200);
  return syncBatchResponseSchema.parse(await response.json()).results;
}

async function sendReleases(kiosk: TestKiosk, releases: unknown[]): Promise<ReleaseResponse> {
  const response = await signedPost(kiosk, SYNC_RELEASES_PATH, { kioskId: kiosk.kioskId, releases });
  expect(response.status).toBe(200);
  return releaseResponseSchema.parse(await response.json());
}

/** What a refused request must not change: applications, decisions, releases, trails, accounts. */
async function snapshot(ids: string[]) {
  return {
    applications: await store.countApplications(),
    byId: await Promise.all(
      ids.map(async (id) => ({
        application: (await store.getApplication(id))?.contentHash ?? null,
        decision: await store.getDecision(id),
        release: await store.getRelease(id),
        events: await store.listApplicationEvents(id),
      })),
    ),
    officers: await store.listOfficers(),
  };
}

const logText = () => logLines.join('');

describe('admin: officer accounts', () => {
  test('an account is made with a one-time code; the username is taken once; the list shows it', async () => {
    const created = await admin('POST', ADMIN_OFFICERS_PATH, {
      username: 'siti',
      nama: NAMA,
      nip: NIP,
      validHours: 48,
    });
    expect(created.status).toBe(201);
    const issued = officerCodeResponseSchema.parse(await created.json());
    expect(issued.officer).toEqual({
      id: issued.officer.id,
      username: 'siti',
      nama: NAMA,
      nip: NIP,
      status: 'active',
    });
    expect(issued.expiresAt).toBe(new Date(nowMs + 48 * 3_600_000).toISOString());

    const taken = await admin('POST', ADMIN_OFFICERS_PATH, { username: 'siti', nama: 'SITI LAIN' });
    expect(taken.status).toBe(409);
    expect((await errorOf(taken)).code).toBe('username-taken');

    const listed = await admin('GET', ADMIN_OFFICERS_PATH);
    expect(listed.status).toBe(200);
    const body = await listed.json();
    expect(body).toEqual({
      officers: [
        {
          ...issued.officer,
          createdAt: new Date(nowMs).toISOString(),
          lockedAt: null,
          lockReason: null,
          activeKeys: 0,
        },
      ],
    });
    expect(JSON.stringify(body)).not.toContain(issued.code);

    const { officer } = await enrollOfficerWithCode(fetcher, kioskA, {
      username: 'siti',
      code: issued.code,
      at: nowMs,
    });
    expect(officer?.officerId).toBe(issued.officer.id);
  });

  test.each([
    { name: 'a username with capitals', body: { username: 'Siti', nama: NAMA }, path: 'username' },
    { name: 'a username too short', body: { username: 'si', nama: NAMA }, path: 'username' },
    { name: 'no name', body: { username: 'siti', nama: '  ' }, path: 'nama' },
    {
      name: 'a NIP that is no NIP',
      body: { username: 'siti', nama: NAMA, nip: '123456789012345678' },
      path: 'nip',
    },
    {
      name: 'a code valid too long',
      body: { username: 'siti', nama: NAMA, validHours: 721 },
      path: 'validHours',
    },
  ])('$name → 400 invalid-request naming $path, and no account', async ({ body, path }) => {
    const response = await admin('POST', ADMIN_OFFICERS_PATH, body);
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid-request');
    expect(error.details?.map((d) => d.path)).toContain(path);
    expect(await store.listOfficers()).toEqual([]);
  });

  test('another code for an active officer; 404 for an unknown id; 409 while locked; lock and unlock', async () => {
    const issued = await createTestOfficerViaAdmin(fetcher, { username: 'budi' });
    const id = issued.officer.id;
    const codes = ADMIN_OFFICER_CODES_PATH.replace(':id', id);

    const second = await fetcher(codes, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    expect(second.status).toBe(201);
    const secondCode = officerCodeResponseSchema.parse(await second.json());
    expect(secondCode.code).not.toBe(issued.code);
    expect(secondCode.expiresAt).toBe(new Date(nowMs + DAY).toISOString());
    const enrolled = await enrollOfficerWithCode(fetcher, kioskB, {
      username: 'budi',
      code: secondCode.code,
      at: nowMs,
    });
    expect(enrolled.response.status).toBe(201);

    for (const unknown of [randomUUID(), 'not-a-uuid']) {
      for (const path of [ADMIN_OFFICER_CODES_PATH, ADMIN_OFFICER_LOCK_PATH, ADMIN_OFFICER_UNLOCK_PATH]) {
        const response = await admin('POST', path.replace(':id', unknown), {});
        expect(response.status).toBe(404);
        expect((await errorOf(response)).code).toBe('unknown-officer');
      }
    }

    const lock = await admin('POST', ADMIN_OFFICER_LOCK_PATH.replace(':id', id), { reason: 'cuti panjang' });
    expect(lock.status).toBe(200);
    expect(await lock.json()).toMatchObject({
      status: 'locked',
      revokedKeys: 1,
      officer: { id, status: 'locked', lockedAt: new Date(nowMs).toISOString(), lockReason: 'cuti panjang' },
    });
    // The code from before the lock is gone, and no new one is made while locked.
    const stale = await enrollOfficerWithCode(fetcher, kioskA, {
      username: 'budi',
      code: issued.code,
      at: nowMs,
    });
    expect((await errorOf(stale.response)).code).toBe('invalid-code');
    const refused = await admin('POST', codes, {});
    expect(refused.status).toBe(409);
    expect((await errorOf(refused)).code).toBe('officer-locked');
    const again = await admin('POST', ADMIN_OFFICER_LOCK_PATH.replace(':id', id));
    expect(await again.json()).toMatchObject({
      status: 'already-locked',
      officer: { lockReason: 'cuti panjang' },
    });

    const unlock = await admin('POST', ADMIN_OFFICER_UNLOCK_PATH.replace(':id', id));
    expect(await unlock.json()).toMatchObject({
      status: 'unlocked',
      officer: { status: 'active', lockedAt: null },
    });
    const twice = await admin('POST', ADMIN_OFFICER_UNLOCK_PATH.replace(':id', id));
    expect(await twice.json()).toMatchObject({ status: 'not-locked' });
    // Unlocked, but the old key stays revoked: the officer enrolls again.
    expect((await store.getOfficerKey(enrolled.officer?.keyId ?? ''))?.revokedAt).toBe(
      new Date(nowMs).toISOString(),
    );
    expect((await store.listOfficers())[0]?.activeKeys).toBe(0);
    expect((await admin('POST', codes, { validHours: 2 })).status).toBe(201);
  });

  test.each([
    { method: 'POST', path: ADMIN_OFFICERS_PATH, body: { username: 'siti', nama: NAMA } },
    { method: 'GET', path: ADMIN_OFFICERS_PATH },
    { method: 'POST', path: ADMIN_OFFICER_CODES_PATH.replace(':id', randomUUID()) },
    { method: 'POST', path: ADMIN_OFFICER_LOCK_PATH.replace(':id', randomUUID()) },
    { method: 'POST', path: ADMIN_OFFICER_UNLOCK_PATH.replace(':id', randomUUID()) },
  ])('$method $path: 401 without the token, 404 without ADMIN_TOKEN', async ({ method, path, body }) => {
    const init = { method, ...(body ? { body: JSON.stringify(body) } : {}) };
    const anonymous = await fetcher(path, { ...init, headers: { 'content-type': 'application/json' } });
    expect(anonymous.status).toBe(401);
    const disabled = build({ adminToken: null });
    const absent = await disabled.request(path, {
      ...init,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    expect(absent.status).toBe(404);
    expect(await store.listOfficers()).toEqual([]);
  });

  test('the log names officers by id only: never the name, NIP, username, code or lock reason', async () => {
    const issued = await createTestOfficerViaAdmin(fetcher, {
      username: 'dewi.lestari',
      nama: 'DEWI LESTARI',
      nip: NIP,
    });
    await enrollOfficerWithCode(fetcher, kioskA, { username: 'dewi.lestari', code: issued.code, at: nowMs });
    await enrollOfficerWithCode(fetcher, kioskA, { username: 'dewi.lestari', code: issued.code, at: nowMs });
    await admin('POST', ADMIN_OFFICER_LOCK_PATH.replace(':id', issued.officer.id), {
      reason: 'laptop hilang',
    });
    const log = logText();
    expect(log).toContain('"msg":"officer created"');
    expect(log).toContain('"msg":"officer enrolled"');
    expect(log).toContain('"msg":"officer locked"');
    expect(log).toContain(issued.officer.id);
    for (const secret of [
      'DEWI',
      'dewi.lestari',
      NIP,
      issued.code,
      issued.code.replace(/-/g, ''),
      'laptop hilang',
    ]) {
      expect(log).not.toContain(secret);
    }
  });
});

describe('officer enrollment on a kiosk', () => {
  test('201 with the account, a key id and the RA NIK key; the key is bound to this officer and kiosk', async () => {
    const issued = await createTestOfficerInStore(store, {
      username: 'siti',
      nama: NAMA,
      nip: NIP,
      now: new Date(nowMs),
    });
    const keys = await generateOfficerKey();
    // Typed loosely, as a person types it.
    const typed = ` ${issued.code.toLowerCase().replace(/-/g, ' ')} `;
    const { response, officer } = await enrollOfficerWithCode(fetcher, kioskA, {
      username: 'siti',
      code: typed,
      keys,
      at: nowMs,
    });
    expect(response.status).toBe(201);
    const answer = officerEnrollResponseSchema.parse(await response.json());
    expect(answer.officer).toEqual(issued.officer);
    expect(Buffer.from(answer.nikHashKey, 'base64')).toEqual(Buffer.from(await store.nikHashKey()));
    expect(await store.getOfficerKey(answer.keyId)).toEqual({
      keyId: answer.keyId,
      officerId: issued.officer.id,
      kioskId: kioskA.kioskId,
      publicKeySpki: officer?.publicKeySpki,
      createdAt: new Date(nowMs).toISOString(),
      revokedAt: null,
    });

    const reused = await enrollOfficerWithCode(fetcher, kioskB, {
      username: 'siti',
      code: issued.code,
      at: nowMs,
    });
    expect(reused.response.status).toBe(409);
    expect((await errorOf(reused.response)).code).toBe('code-used');
    expect((await store.listOfficers())[0]?.activeKeys).toBe(1);
  });

  test('refusals leave the code usable: unknown username, another officer’s code, bad key, unsigned', async () => {
    const siti = await createTestOfficerInStore(store, { username: 'siti', now: new Date(nowMs) });
    const budi = await createTestOfficerInStore(store, { username: 'budi', now: new Date(nowMs) });
    const expect400 = async (response: Response, code: string) => {
      expect(response.status).toBe(400);
      expect((await errorOf(response)).code).toBe(code);
    };
    await expect400(
      (await enrollOfficerWithCode(fetcher, kioskA, { username: 'nobody', code: siti.code, at: nowMs }))
        .response,
      'invalid-code',
    );
    await expect400(
      (await enrollOfficerWithCode(fetcher, kioskA, { username: 'siti', code: budi.code, at: nowMs }))
        .response,
      'invalid-code',
    );
    await expect400(
      (
        await enrollOfficerWithCode(fetcher, kioskA, {
          username: 'siti',
          code: 'ABCD-EFGH-JKMN-PQRS',
          at: nowMs,
        })
      ).response,
      'invalid-code',
    );
    const p384 = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, [
      'sign',
      'verify',
    ]);
    await expect400(
      (
        await enrollOfficerWithCode(fetcher, kioskA, {
          username: 'siti',
          code: siti.code,
          keys: p384,
          at: nowMs,
        })
      ).response,
      'invalid-public-key',
    );
    await expect400(
      await signedPost(kioskA, OFFICER_ENROLL_PATH, { username: 'siti', code: siti.code }),
      'invalid-request',
    );
    const unsigned = await fetcher(OFFICER_ENROLL_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'siti', code: siti.code, publicKeySpki: kioskA.publicKeySpki }),
    });
    expect(unsigned.status).toBe(401);
    expect((await errorOf(unsigned)).code).toBe('unsigned-request');
    const tooLarge = await signedPost(kioskA, OFFICER_ENROLL_PATH, { pad: 'x'.repeat(5000) });
    expect(tooLarge.status).toBe(413);
    expect((await store.listOfficers()).map((o) => o.activeKeys)).toEqual([0, 0]);

    expect(
      (await enrollOfficerWithCode(fetcher, kioskA, { username: 'siti', code: siti.code, at: nowMs }))
        .response.status,
    ).toBe(201);
  });

  test('an expired code → 410 code-expired; a disabled account → 403 officer-locked', async () => {
    const issued = await createTestOfficerInStore(store, {
      username: 'siti',
      validHours: 1,
      now: new Date(nowMs),
    });
    nowMs += 3_600_000;
    const expired = await enrollOfficerWithCode(fetcher, kioskA, {
      username: 'siti',
      code: issued.code,
      at: nowMs,
    });
    expect(expired.response.status).toBe(410);
    expect((await errorOf(expired.response)).code).toBe('code-expired');

    const disabled = {
      id: randomUUID(),
      username: 'tono',
      nama: 'TONO',
      nip: null,
      status: 'disabled',
      createdAt: new Date(nowMs).toISOString(),
      lockedAt: null,
      lockReason: null,
    } as const;
    const { hashEnrollmentCode } = await import('../domain/enrollment');
    const code = 'K7QM-3XRP-W9ZD-H2TB';
    await store.createOfficer(disabled, {
      codeHash: hashEnrollmentCode(code),
      createdAt: new Date(nowMs).toISOString(),
      expiresAt: new Date(nowMs + DAY).toISOString(),
    });
    const refused = await enrollOfficerWithCode(fetcher, kioskA, { username: 'tono', code, at: nowMs });
    expect(refused.response.status).toBe(403);
    expect((await errorOf(refused.response)).code).toBe('officer-locked');
    expect((await store.listOfficers()).map((o) => o.activeKeys)).toEqual([0, 0]);
  });
});

describe('a kiosk reports a PIN lock', () => {
  test('the account is locked everywhere and every key revoked; a repeat answers already-locked', async () => {
    const onA = await officerIn(kioskA);
    const code = await store.createOfficerCode(onA.officerId, {
      codeHash: (await import('../domain/enrollment')).hashEnrollmentCode('K7QM-3XRP-W9ZD-H2TB'),
      createdAt: new Date(nowMs).toISOString(),
      expiresAt: new Date(nowMs + DAY).toISOString(),
    });
    expect(code.status).toBe('created');
    const onB = await enrollOfficerWithCode(fetcher, kioskB, {
      username: onA.username,
      code: 'K7QM-3XRP-W9ZD-H2TB',
      at: nowMs,
    });
    const report = {
      kioskId: kioskA.kioskId,
      officerId: onA.officerId,
      keyId: onA.keyId,
      lockedAt: new Date(nowMs).toISOString(),
    };

    const locked = await signedPost(kioskA, OFFICER_LOCK_PATH, report);
    expect(locked.status).toBe(200);
    expect(await locked.json()).toEqual({ officerId: onA.officerId, status: 'locked' });
    expect(await store.getOfficer(onA.officerId)).toMatchObject({
      status: 'locked',
      lockedAt: new Date(nowMs).toISOString(),
    });
    expect((await store.getOfficerKey(onB.officer?.keyId ?? ''))?.revokedAt).not.toBeNull();

    const repeat = await signedPost(kioskA, OFFICER_LOCK_PATH, report);
    expect(await repeat.json()).toEqual({ officerId: onA.officerId, status: 'already-locked' });
  });

  test('a late report with a key an earlier lock revoked does not undo an unlock', async () => {
    const officer = await officerIn(kioskA);
    const report = {
      kioskId: kioskA.kioskId,
      officerId: officer.officerId,
      keyId: officer.keyId,
      lockedAt: new Date(nowMs).toISOString(),
    };
    expect((await signedPost(kioskA, OFFICER_LOCK_PATH, report)).status).toBe(200);
    await admin('POST', ADMIN_OFFICER_UNLOCK_PATH.replace(':id', officer.officerId));
    const late = await signedPost(kioskA, OFFICER_LOCK_PATH, report);
    expect(await late.json()).toEqual({ officerId: officer.officerId, status: 'already-locked' });
    expect((await store.getOfficer(officer.officerId))?.status).toBe('active');
  });

  test('a key of another kiosk or officer → 404 unknown-officer; another kiosk named → 403; nothing changes', async () => {
    const onA = await officerIn(kioskA);
    const other = await officerIn(kioskA);
    const before = await snapshot([]);
    const report = {
      kioskId: kioskB.kioskId,
      officerId: onA.officerId,
      keyId: onA.keyId,
      lockedAt: new Date(nowMs).toISOString(),
    };
    const fromB = await signedPost(kioskB, OFFICER_LOCK_PATH, report);
    expect(fromB.status).toBe(404);
    expect((await errorOf(fromB)).code).toBe('unknown-officer');
    const wrongOfficer = await signedPost(kioskA, OFFICER_LOCK_PATH, {
      ...report,
      kioskId: kioskA.kioskId,
      officerId: other.officerId,
    });
    expect((await errorOf(wrongOfficer)).code).toBe('unknown-officer');
    const unknownKey = await signedPost(kioskA, OFFICER_LOCK_PATH, {
      ...report,
      kioskId: kioskA.kioskId,
      keyId: randomUUID(),
    });
    expect((await errorOf(unknownKey)).code).toBe('unknown-officer');
    const mismatch = await signedPost(kioskA, OFFICER_LOCK_PATH, report);
    expect(mismatch.status).toBe(403);
    expect((await errorOf(mismatch)).code).toBe('kiosk-mismatch');
    const malformed = await signedPost(kioskA, OFFICER_LOCK_PATH, { ...report, lockedAt: 'yesterday' });
    expect((await errorOf(malformed)).code).toBe('invalid-request');
    expect(await snapshot([])).toEqual(before);
  });
});

describe('decisions inside records', () => {
  let officer: TestOfficer;
  beforeEach(async () => {
    officer = await officerIn(kioskA);
  });

  test('a decided record is stored with its decision and an officer event, as JSON and as a binary batch', async () => {
    const approved = await decidedRecord(officer, recordOf(0));
    const rejected = await decidedRecord(officer, recordOf(1), {
      decision: 'rejected',
      reasons: ['foto-tidak-jelas'],
      note: 'Foto buram',
    });
    const undecided = recordOf(2);
    expect((await sendBatch(kioskA, [approved, rejected, undecided])).map((r) => r.status)).toEqual([
      'stored',
      'stored',
      'stored',
    ]);

    expect(await store.getDecision(approved.id)).toEqual({
      applicationId: approved.id,
      decision: 'approved',
      reasons: [],
      officerId: officer.officerId,
      keyId: officer.keyId,
      decidedAt: '2026-11-26T09:30:00.000+07:00',
      payload: approved.decision?.payload,
      signature: approved.decision?.signature,
    });
    expect(await store.getDecision(rejected.id)).toMatchObject({
      decision: 'rejected',
      reasons: ['foto-tidak-jelas'],
    });
    expect(await store.getDecision(undecided.id)).toBeNull();
    expect((await store.listApplicationEvents(approved.id)).map((e) => [e.event, e.actor])).toEqual([
      ['received', `kiosk:${kioskA.kioskId}`],
      ['decision-recorded', `officer:${officer.officerId}`],
    ]);

    // The binary form: the same hash, since both sides hash the framed record.
    const raw = recordOf(3);
    const framed = toFramedRecord(await decidedRecord(officer, raw));
    const body = encodeBatchFrame({ kioskId: kioskA.kioskId, records: [framed] }, [
      Buffer.from(raw.ektpImage.dataBase64, 'base64'),
    ]);
    const response = await fetcher(
      SYNC_BATCHES_PATH,
      await signedInit(kioskA, body, { contentType: BATCH_FRAME_MEDIA_TYPE, at: nowMs }),
    );
    expect(syncBatchResponseSchema.parse(await response.json()).results).toEqual([
      { index: 0, id: raw.id, status: 'stored' },
    ]);
    expect((await store.getDecision(raw.id))?.decision).toBe('approved');
  });

  /** Each case makes the decided record that must be refused, with the code it must get. */
  const refusals: {
    name: string;
    code: string;
    make: (ctx: {
      officer: TestOfficer;
      record: ApplicationRecord;
    }) => Promise<{ sender?: TestKiosk; record: ApplicationRecord }>;
  }[] = [
    {
      name: 'an unknown key',
      code: 'unknown-officer',
      make: async ({ officer, record }) => ({
        record: await decidedRecord(officer, record, { keyId: randomUUID() }),
      }),
    },
    {
      name: 'a locked officer',
      code: 'officer-locked',
      make: async ({ officer, record }) => {
        const decided = await decidedRecord(officer, record);
        await store.lockOfficer(officer.officerId, { at: new Date(nowMs).toISOString(), reason: 'test' });
        return { record: decided };
      },
    },
    {
      name: 'a key enrolled on another kiosk',
      code: 'unknown-officer',
      make: async ({ record }) => {
        const onB = await officerIn(kioskB);
        // Signed as if made on kiosk A, and sent by kiosk A: the key is B's.
        return { record: await decidedRecord(onB, record, { kioskId: kioskA.kioskId }) };
      },
    },
    {
      name: 'a key of another officer',
      code: 'unknown-officer',
      make: async ({ officer, record }) => {
        const colleague = await officerIn(kioskA);
        return { record: await decidedRecord(officer, record, { officerId: colleague.officerId }) };
      },
    },
    {
      name: 'a bad signature (another payload’s)',
      code: 'invalid-decision',
      make: async ({ officer, record }) => {
        const decided = await decidedRecord(officer, record);
        const other = await signDecision(officer, record, { note: 'lain' });
        return {
          record: {
            ...decided,
            decision: { payload: decided.decision?.payload ?? '', signature: other.signature },
          },
        };
      },
    },
    {
      name: 'a payload changed after signing',
      code: 'invalid-decision',
      make: async ({ officer, record }) => {
        const decided = await decidedRecord(officer, record, {
          decision: 'rejected',
          reasons: ['foto-tidak-jelas'],
        });
        const payload = (decided.decision?.payload ?? '')
          .replace('"rejected"', '"approved"')
          .replace('["foto-tidak-jelas"]', '[]');
        expect(payload).toContain('"approved"');
        return {
          record: { ...decided, decision: { payload, signature: decided.decision?.signature ?? '' } },
        };
      },
    },
    {
      name: 'a signed payload that is not a decision (an approval with reasons)',
      code: 'invalid-decision',
      make: async ({ officer, record }) => {
        const payload = { ...(await decisionPayload(officer, record)), reasons: ['foto-tidak-jelas'] };
        return { record: { ...record, decision: await signAsOfficer(officer, payload) } };
      },
    },
    {
      name: 'a signed payload that is not JSON',
      code: 'invalid-decision',
      make: async ({ officer, record }) => ({
        record: { ...record, decision: await signAsOfficer(officer, 'not json') },
      }),
    },
    {
      name: 'a record changed after the officer signed it',
      code: 'decision-mismatch',
      make: async ({ officer, record }) => {
        const decided = await decidedRecord(officer, record);
        // Not the applicant's data (the CSR would no longer match): the OCR text, which it does not cover.
        return { record: { ...decided, ocrText: `${decided.ocrText}\nDIUBAH` } };
      },
    },
    {
      name: 'a decision about another application',
      code: 'decision-mismatch',
      make: async ({ officer, record }) => ({
        record: { ...record, decision: await signDecision(officer, recordOf(9)) },
      }),
    },
    {
      name: 'a decision naming another kiosk',
      code: 'decision-mismatch',
      make: async ({ officer, record }) => ({
        record: await decidedRecord(officer, record, { kioskId: kioskB.kioskId }),
      }),
    },
  ];

  test.each(refusals)(
    '$name → $code for that record only; the others are stored; nothing of it is kept',
    async ({ code, make }) => {
      const target = recordOf(4);
      const { record } = await make({ officer, record: target });
      const plain = recordOf(5);
      const decided = await decidedRecord(officer, recordOf(6));
      const before = await snapshot([target.id]);
      const results = await sendBatch(kioskA, [plain, record, decided]);
      expect(results[1]).toMatchObject({ index: 1, id: target.id, status: 'rejected', code });
      expect(results[1]?.message).toEqual(expect.any(String));
      // The decided record of the same batch stands or falls with its own officer only.
      const officerUsable = code !== 'officer-locked';
      expect([results[0]?.status, results[2]?.status]).toEqual([
        'stored',
        officerUsable ? 'stored' : 'rejected',
      ]);
      const after = await snapshot([target.id]);
      expect(after.byId).toEqual(before.byId);
      expect(await store.getApplication(target.id)).toBeNull();
      expect(logText()).not.toContain(NIK);
    },
  );

  test('a resend of a decided record is a duplicate, even after its officer was locked', async () => {
    const decided = await decidedRecord(officer, recordOf(7));
    expect((await sendBatch(kioskA, [decided]))[0]?.status).toBe('stored');
    await store.lockOfficer(officer.officerId, { at: new Date(nowMs).toISOString(), reason: 'test' });
    expect((await sendBatch(kioskA, [decided]))[0]?.status).toBe('duplicate');
    // A decision signed anew makes another record, so it is checked again: its officer is locked now.
    const resigned = { ...decided, decision: await signDecision(officer, recordOf(7)) };
    expect((await sendBatch(kioskA, [resigned]))[0]).toMatchObject({
      status: 'rejected',
      code: 'officer-locked',
    });
    expect(
      (await store.listApplicationEvents(decided.id)).filter((e) => e.event === 'decision-recorded'),
    ).toHaveLength(1);
  });
});

describe('releases by a second officer', () => {
  let decider: TestOfficer;
  let releaser: TestOfficer;
  let approved: ApplicationRecord[];
  let rejected: ApplicationRecord;
  let undecided: ApplicationRecord;

  beforeEach(async () => {
    decider = await officerIn(kioskA);
    releaser = await officerIn(kioskA);
    approved = await Promise.all([0, 1, 2].map((n) => decidedRecord(decider, recordOf(n))));
    rejected = await decidedRecord(decider, recordOf(3), {
      decision: 'rejected',
      reasons: ['foto-tidak-jelas'],
    });
    undecided = recordOf(4);
    const results = await sendBatch(kioskA, [...approved, rejected, undecided]);
    expect(results.every((r) => r.status === 'stored')).toBe(true);
  });

  const ids = () => approved.map((r) => r.id);

  test('approved applications are released once; a repeat answers already-released', async () => {
    const [a, b, c] = ids();
    const first = await sendReleases(kioskA, [await signRelease(releaser, [a ?? '', b ?? ''])]);
    expect(first).toEqual({
      results: [
        { applicationId: a, status: 'released' },
        { applicationId: b, status: 'released' },
      ],
      refused: [],
    });
    const release = await store.getRelease(a ?? '');
    expect(release).toMatchObject({
      officerId: releaser.officerId,
      keyId: releaser.keyId,
      releasedAt: '2026-11-26T16:00:00.000+07:00',
    });
    expect((await store.listApplicationEvents(a ?? '')).at(-1)).toMatchObject({
      event: 'released',
      actor: `officer:${releaser.officerId}`,
    });

    const repeat = await sendReleases(kioskA, [await signRelease(releaser, [b ?? '', c ?? ''])]);
    expect(repeat.results).toEqual([
      { applicationId: b, status: 'already-released' },
      { applicationId: c, status: 'released' },
    ]);
    expect((await store.listApplicationEvents(b ?? '')).filter((e) => e.event === 'released')).toHaveLength(
      1,
    );
  });

  test('per application: self-release, not approved, unknown and already released are refused alone', async () => {
    const [a, b] = ids();
    await sendReleases(kioskA, [await signRelease(releaser, [b ?? ''])]);
    const unknown = randomUUID();
    const before = await snapshot([a ?? '', b ?? '', rejected.id, undecided.id]);
    const byDecider = await sendReleases(kioskA, [
      await signRelease(decider, [a ?? '', rejected.id, undecided.id, unknown, b ?? '']),
    ]);
    expect(byDecider.refused).toEqual([]);
    expect(byDecider.results).toEqual([
      { applicationId: a, status: 'refused', code: 'self-release', message: expect.any(String) },
      { applicationId: rejected.id, status: 'refused', code: 'not-approved', message: expect.any(String) },
      { applicationId: undecided.id, status: 'refused', code: 'not-approved', message: expect.any(String) },
      { applicationId: unknown, status: 'refused', code: 'unknown-application', message: expect.any(String) },
      { applicationId: b, status: 'refused', code: 'self-release', message: expect.any(String) },
    ]);
    expect(await snapshot([a ?? '', b ?? '', rejected.id, undecided.id])).toEqual(before);
    const again = await sendReleases(kioskA, [await signRelease(releaser, [b ?? ''])]);
    expect(again.results).toEqual([{ applicationId: b, status: 'already-released' }]);
  });

  test('with TWO_PERSON_RULE off the deciding officer may release', async () => {
    app = build({ twoPersonRule: false });
    fetcher = appFetcher(app);
    const [a] = ids();
    const response = await sendReleases(kioskA, [await signRelease(decider, [a ?? ''])]);
    expect(response.results).toEqual([{ applicationId: a, status: 'released' }]);
  });

  /** A release refused as a whole; `make` returns the statement (and may change the accounts). */
  const wholeRefusals: {
    name: string;
    code: string;
    make: (ctx: { releaser: TestOfficer; ids: string[] }) => Promise<unknown>;
  }[] = [
    {
      name: 'an unknown key',
      code: 'unknown-officer',
      make: ({ releaser, ids }) => signRelease(releaser, ids, { keyId: randomUUID() }),
    },
    {
      name: 'a locked officer',
      code: 'officer-locked',
      make: async ({ releaser, ids }) => {
        await store.lockOfficer(releaser.officerId, { at: new Date(nowMs).toISOString(), reason: 'test' });
        return signRelease(releaser, ids);
      },
    },
    {
      name: 'a key enrolled on another kiosk',
      code: 'unknown-officer',
      make: async ({ ids }) => signRelease(await officerIn(kioskB), ids, { kioskId: kioskA.kioskId }),
    },
    {
      name: 'a key of another officer',
      code: 'unknown-officer',
      make: async ({ releaser, ids }) => signRelease(releaser, ids, { officerId: randomUUID() }),
    },
    {
      name: 'a bad signature',
      code: 'invalid-release',
      make: async ({ releaser, ids }) => {
        const good = await signRelease(releaser, ids);
        const other = await signRelease(releaser, ids, { releasedAt: '2026-11-26T17:00:00.000+07:00' });
        return { payload: good.payload, signature: other.signature };
      },
    },
    {
      name: 'a payload changed after signing',
      code: 'invalid-release',
      make: async ({ releaser, ids }) => {
        const signed = await signRelease(releaser, ids.slice(0, 1));
        const payload = JSON.stringify({ ...releasePayload(releaser, ids.slice(0, 1)), applicationIds: ids });
        expect(JSON.parse(signed.payload)).not.toEqual(JSON.parse(payload));
        return { payload, signature: signed.signature };
      },
    },
    {
      name: 'a signed payload that is not a release',
      code: 'invalid-release',
      make: async ({ releaser, ids }) =>
        signAsOfficer(releaser, { ...releasePayload(releaser, ids), type: 'decision' }),
    },
    {
      name: 'a release naming another kiosk',
      code: 'release-mismatch',
      make: async ({ releaser, ids }) => signRelease(releaser, ids, { kioskId: kioskB.kioskId }),
    },
  ];

  test.each(wholeRefusals)(
    '$name → refused as a whole ($code); the next release of the request still counts; nothing changes',
    async ({ code, make }) => {
      const [a, b, c] = ids();
      const statement = await make({ releaser, ids: [a ?? '', b ?? ''] });
      const stranger = await officerIn(kioskA);
      const before = await snapshot([a ?? '', b ?? '', c ?? '']);
      const response = await sendReleases(kioskA, [statement, await signRelease(stranger, [c ?? ''])]);
      expect(response.refused).toEqual([{ index: 0, code, message: expect.any(String) }]);
      expect(response.results).toEqual([{ applicationId: c, status: 'released' }]);
      const after = await snapshot([a ?? '', b ?? '']);
      expect(after.byId).toEqual(before.byId.slice(0, 2));
    },
  );

  test('the request itself: another kiosk named → 403; malformed → 400; too many ids → 400; too large → 413', async () => {
    const [a] = ids();
    const before = await snapshot(ids());
    const statement = await signRelease(releaser, [a ?? '']);
    const mismatch = await signedPost(kioskA, SYNC_RELEASES_PATH, {
      kioskId: kioskB.kioskId,
      releases: [statement],
    });
    expect(mismatch.status).toBe(403);
    expect((await errorOf(mismatch)).code).toBe('kiosk-mismatch');
    const empty = await signedPost(kioskA, SYNC_RELEASES_PATH, { kioskId: kioskA.kioskId, releases: [] });
    expect((await errorOf(empty)).code).toBe('invalid-request');
    const badSignature = await signedPost(kioskA, SYNC_RELEASES_PATH, {
      kioskId: kioskA.kioskId,
      releases: [{ ...statement, signature: 'short' }],
    });
    expect((await errorOf(badSignature)).code).toBe('invalid-request');
    // 201 ids: the payload schema refuses it, after the signature verified.
    const many = Array.from({ length: OFFICER_LIMITS.maxReleaseIds + 1 }, () => randomUUID());
    const tooMany = await sendReleases(kioskA, [await signRelease(releaser, many)]);
    expect(tooMany.refused).toEqual([
      { index: 0, code: 'invalid-release', message: expect.stringContaining('applicationIds') },
    ]);
    const huge = await signedPost(kioskA, SYNC_RELEASES_PATH, {
      pad: 'x'.repeat(OFFICER_LIMITS.maxRequestBytes),
    });
    expect(huge.status).toBe(413);
    const unsigned = await fetcher(SYNC_RELEASES_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kioskId: kioskA.kioskId, releases: [statement] }),
    });
    expect(unsigned.status).toBe(401);
    expect(await snapshot(ids())).toEqual(before);
  });
});

describe('duplicate-NIK check', () => {
  test('counts open applications (any kiosk) and unexpired certificates per hash, in request order', async () => {
    const officer = await officerIn(kioskA);
    const onB = await officerIn(kioskB);
    const mine = await makeWireRecord({ applicant: { nik: NIK } });
    const fromB = await decidedRecord(onB, await makeWireRecord({ applicant: { nik: NIK } }));
    const rejected = await decidedRecord(officer, await makeWireRecord({ applicant: { nik: NIK } }), {
      decision: 'rejected',
      reasons: ['foto-tidak-jelas'],
    });
    const issued = await makeWireRecord({ applicant: { nik: OTHER_NIK } });
    await sendBatch(kioskA, [mine, rejected, issued]);
    await sendBatch(kioskB, [fromB]);
    const outcome = await recordCaOutcome(
      store,
      issued.id,
      { outcome: 'issued', certificatePem: ca.sign(issued.csrPem, { days: 30 }) },
      // Checked at the real time: OpenSSL dates the certificate from the moment it signs, which on
      // a loaded machine may come seconds after the test's clock was read.
      { now: new Date(), actor: 'admin' },
    );
    expect(outcome.ok).toBe(true);

    // The kiosk's side: the key from its officer's enrollment, the protocol's nikHash.
    const key = await importNikHashKey(officer.nikHashKey);
    const [hash, otherHash, nobody] = await Promise.all([
      nikHash(key, NIK),
      nikHash(key, OTHER_NIK),
      nikHash(key, '3577015203850001'),
    ]);
    const ask = async () => {
      const response = await signedPost(kioskA, NIK_CHECK_PATH, {
        kioskId: kioskA.kioskId,
        hashes: [hash, otherHash, nobody],
      });
      expect(response.status).toBe(200);
      return nikCheckResponseSchema.parse(await response.json()).results;
    };
    expect(await ask()).toEqual([
      { hash, openApplications: 2, validCertificates: 0 },
      { hash: otherHash, openApplications: 0, validCertificates: 1 },
      { hash: nobody, openApplications: 0, validCertificates: 0 },
    ]);
    // Past the certificate's end it no longer counts.
    nowMs += 31 * DAY;
    expect((await ask())[1]).toEqual({ hash: otherHash, openApplications: 0, validCertificates: 0 });
    expect(logText()).toContain('"msg":"nik check"');
    for (const secret of [NIK, OTHER_NIK, hash, otherHash]) expect(logText()).not.toContain(secret);
  });

  test('a malformed check → 400; more than 100 hashes → 400; another kiosk named → 403', async () => {
    const hash = 'a'.repeat(64);
    for (const body of [
      { kioskId: kioskA.kioskId, hashes: [] },
      { kioskId: kioskA.kioskId, hashes: ['A'.repeat(64)] },
      { kioskId: kioskA.kioskId, hashes: [NIK] },
      {
        kioskId: kioskA.kioskId,
        hashes: Array.from({ length: OFFICER_LIMITS.maxNikHashes + 1 }, () => hash),
      },
    ]) {
      const response = await signedPost(kioskA, NIK_CHECK_PATH, body);
      expect(response.status).toBe(400);
      expect((await errorOf(response)).code).toBe('invalid-request');
    }
    const mismatch = await signedPost(kioskA, NIK_CHECK_PATH, { kioskId: kioskB.kioskId, hashes: [hash] });
    expect(mismatch.status).toBe(403);
  });
});
