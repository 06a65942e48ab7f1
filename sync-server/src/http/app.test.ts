import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { generateApplicantKeyPair } from '../../../src/core/certificate/keys';
import { toPem } from '../../../src/core/lib/pem';
import {
  API_PREFIX,
  type ApplicationRecord,
  type ErrorBody,
  errorBodySchema,
  LIMITS,
  type RecordResult,
  SYNC_BATCHES_PATH,
  syncBatchResponseSchema,
} from '../../../src/protocol/sync';
import { enrollTestKioskInStore, signedInit, type TestKiosk } from '../../../tests/support/signed-kiosk';
import { batch, makeWireRecord } from '../../../tests/support/wire-records';
import { createLogger } from '../logger';
import { openSqliteStore } from '../store/sqlite';
import type { Store } from '../store/store';
import { createApp } from './app';

const NIK = '3577014501900003';
const NAMA = 'Siti Rahayu';
const EMAIL = 'siti.rahayu@madiunkota.go.id';
/** Day 72 − 40 = 32: sixteen digits, but no real birth date. */
const INVALID_NIK = '3577017201900007';

let dir: string;
let store: Store;
let logLines: string[];
let app: Hono;
/** Enrolled in the store under the wire records' KIOSK_ID; every batch is signed by it. */
let kiosk: TestKiosk;
/** The stepping clock's last reading: requests are signed at the server's own time. */
let clockAt: number;

/** A clock that moves on every call, so a row rewritten by a resend would show a new receivedAt. */
function steppingClock(): () => Date {
  clockAt = Date.parse('2025-11-21T08:00:00.000Z');
  return () => {
    clockAt += 60_000;
    return new Date(clockAt);
  };
}

function build(withStore: Store): Hono {
  const logger = createLogger('info', {
    write(line: string) {
      logLines.push(line);
    },
  });
  return createApp({ store: withStore, logger, now: steppingClock() });
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sertel-app-'));
  store = await openSqliteStore(join(dir, 'sertel.sqlite'));
  logLines = [];
  app = build(store);
  kiosk = await enrollTestKioskInStore(store, { now: new Date(clockAt) });
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = async (body: string, contentType = 'application/json') =>
  app.request(SYNC_BATCHES_PATH, await signedInit(kiosk, body, { contentType, at: clockAt }));
const postJson = (value: unknown) => post(JSON.stringify(value));

async function resultsOf(response: Response): Promise<RecordResult[]> {
  expect(response.status).toBe(200);
  return syncBatchResponseSchema.parse(await response.json()).results;
}

async function errorOf(response: Response): Promise<ErrorBody['error']> {
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return errorBodySchema.parse(await response.json()).error;
}

const logText = () => logLines.join('');
const logRecords = () => logLines.map((line) => JSON.parse(line) as Record<string, unknown>);

describe('health and readiness', () => {
  test('health answers 200', async () => {
    const response = await app.request(`${API_PREFIX}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  test('ready names the store kind', async () => {
    const response = await app.request(`${API_PREFIX}/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', store: 'sqlite' });
  });

  test('ready answers 503 when the database does not answer', async () => {
    app = build({ ...delegate(store), ping: () => Promise.reject(new Error('connection refused')) });
    const response = await app.request(`${API_PREFIX}/ready`);
    expect(response.status).toBe(503);
    expect((await errorOf(response)).code).toBe('not-ready');
  });

  test('the batches path answers other methods with a JSON 405', async () => {
    const response = await app.request(SYNC_BATCHES_PATH);
    expect(response.status).toBe(405);
    expect(await errorOf(response)).toMatchObject({ code: 'method-not-allowed' });
  });

  test('an unknown API path is a JSON 404', async () => {
    const response = await app.request(`${API_PREFIX}/nope`);
    expect(response.status).toBe(404);
    expect(await errorOf(response)).toMatchObject({ code: 'not-found' });
  });
});

describe('POST sync/batches: requests that never reach the records', () => {
  test.each([
    { name: 'an empty body', body: '', type: 'application/json', status: 400, code: 'empty-body' },
    { name: 'whitespace only', body: ' \n\t ', type: 'application/json', status: 400, code: 'empty-body' },
    {
      name: 'invalid JSON',
      body: '{"kioskId": ',
      type: 'application/json',
      status: 400,
      code: 'invalid-json',
    },
    {
      name: 'a wrong content type',
      body: '{}',
      type: 'text/plain',
      status: 415,
      code: 'unsupported-media-type',
    },
  ])('$name → $status $code', async ({ body, type, status, code }) => {
    const response = await post(body, type);
    expect(response.status).toBe(status);
    expect((await errorOf(response)).code).toBe(code);
    expect(await store.countApplications()).toBe(0);
  });

  test('{} is an invalid batch, with details naming the missing fields', async () => {
    const response = await postJson({});
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid-batch');
    expect(error.details?.map((d) => d.path).sort()).toEqual(['kioskId', 'records']);
  });

  test(`more than ${LIMITS.maxRecordsPerBatch} records is an invalid batch`, async () => {
    const record = await makeWireRecord();
    const records = Array.from({ length: LIMITS.maxRecordsPerBatch + 1 }, () => record);
    const response = await postJson(batch(records));
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid-batch');
    expect(error.details?.map((d) => d.path)).toEqual(['records']);
    expect(await store.countApplications()).toBe(0);
  });

  test('a body one byte over the limit is 413 body-too-large; one at the limit is read', async () => {
    const over = await post('x'.repeat(LIMITS.maxBatchBytes + 1));
    expect(over.status).toBe(413);
    expect((await errorOf(over)).code).toBe('body-too-large');

    // JSON padded with whitespace to exactly the limit must still be accepted.
    const json = JSON.stringify(batch([await makeWireRecord()]));
    const atLimit = await post(json + ' '.repeat(LIMITS.maxBatchBytes - json.length));
    expect((await resultsOf(atLimit)).map((r) => r.status)).toEqual(['stored']);
  });
});

describe('POST sync/batches: records', () => {
  test('a valid batch is stored; the same batch again is a duplicate and changes nothing', async () => {
    const records = [await makeWireRecord(), await makeWireRecord({ applicant: { nip: null } })];
    const body = batch(records);

    const first = await resultsOf(await postJson(body));
    expect(first).toEqual([
      { index: 0, id: records[0]?.id, status: 'stored' },
      { index: 1, id: records[1]?.id, status: 'stored' },
    ]);
    expect(await store.countApplications()).toBe(2);
    const before = await Promise.all(records.map((r) => store.getApplication(r.id)));
    expect(before[0]).toMatchObject({ nik: NIK, nama: NAMA, email: EMAIL, kioskId: body.kioskId });
    expect(before[1]?.nip).toBeNull();

    const again = await resultsOf(await postJson(body));
    expect(again.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect(await store.countApplications()).toBe(2);
    const after = await Promise.all(records.map((r) => store.getApplication(r.id)));
    expect(after).toStrictEqual(before);
  });

  test('the same id with different content is rejected as id-conflict and the original stays', async () => {
    const original = await makeWireRecord();
    await resultsOf(await postJson(batch([original])));
    const before = await store.getApplication(original.id);

    const impostor = await makeWireRecord({ id: original.id, applicant: { nama: 'Budi Santoso' } });
    const [result] = await resultsOf(await postJson(batch([impostor])));

    expect(result).toMatchObject({ index: 0, id: original.id, status: 'rejected', code: 'id-conflict' });
    expect(await store.getApplication(original.id)).toStrictEqual(before);
    expect(await store.countApplications()).toBe(1);
  });

  /** The DER inside a PEM block, with one byte changed. */
  function flipLastByte(pem: string): string {
    const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    const der = Buffer.from(body, 'base64');
    const last = der.length - 1;
    der[last] = (der[last] ?? 0) ^ 0x01;
    return toPem('CERTIFICATE REQUEST', der);
  }

  const poisoned: {
    name: string;
    code: string;
    message: RegExp;
    make: () => Promise<unknown>;
  }[] = [
    {
      name: 'garbage inside CSR armour',
      code: 'invalid-csr',
      message: /well-formed/,
      make: () =>
        makeWireRecord({
          csrPem: toPem('CERTIFICATE REQUEST', Buffer.from('this is not a PKCS#10 request at all!')),
        }),
    },
    {
      name: 'a CSR whose signature byte is flipped',
      code: 'invalid-csr',
      message: /signature/,
      make: async () => {
        const record = await makeWireRecord();
        return { ...record, csrPem: flipLastByte(record.csrPem) };
      },
    },
    {
      name: "a CSR for another person's name",
      code: 'csr-mismatch',
      message: /does not match the application: subject$/,
      make: async () => {
        const other = await makeWireRecord({ applicant: { nama: 'Budi Santoso' } });
        return makeWireRecord({ csrPem: other.csrPem });
      },
    },
    {
      name: 'a CSR for another e-mail address',
      code: 'csr-mismatch',
      message: /does not match the application: emails$/,
      make: async () => {
        const other = await makeWireRecord({ applicant: { email: 'orang.lain@madiunkota.go.id' } });
        return makeWireRecord({ csrPem: other.csrPem });
      },
    },
    {
      name: 'an individu CSR sent as a jabatan application (no title in the subject)',
      code: 'csr-mismatch',
      message: /does not match the application: subject$/,
      make: async () => {
        const individu = await makeWireRecord();
        return makeWireRecord({ certificateType: 'jabatan', csrPem: individu.csrPem });
      },
    },
    {
      name: 'a sistem elektronik CSR for another host',
      code: 'csr-mismatch',
      message: /does not match the application: subject, dnsNames$/,
      make: async () => {
        const other = await makeWireRecord({
          certificateType: 'sistem-elektronik',
          applicant: { host: 'lain.go.id' },
        });
        return makeWireRecord({ certificateType: 'sistem-elektronik', csrPem: other.csrPem });
      },
    },
    {
      name: 'a jabatan application without its position',
      code: 'csr-mismatch',
      message: /lacks jabatan/,
      make: async () => {
        const record = await makeWireRecord({ certificateType: 'jabatan' });
        return { ...record, applicant: { ...record.applicant, jabatan: null } };
      },
    },
    {
      name: 'a host that is a URL',
      code: 'invalid-record',
      message: /applicant\.host/,
      make: () =>
        makeWireRecord({ certificateType: 'sistem-elektronik', applicant: { host: 'https://sipd.go.id' } }),
    },
    {
      name: 'an unencrypted private key',
      code: 'invalid-record',
      message: /encryptedPrivateKeyPem/,
      make: async () => {
        const keys = await generateApplicantKeyPair('ECDSA-P256');
        const pkcs8 = await crypto.subtle.exportKey('pkcs8', keys.privateKey);
        return makeWireRecord({ encryptedPrivateKeyPem: toPem('PRIVATE KEY', pkcs8) });
      },
    },
    {
      name: 'JPEG bytes labelled image/png',
      code: 'invalid-image',
      message: /image\/png/,
      make: () =>
        makeWireRecord({
          ektpImage: {
            mediaType: 'image/png',
            dataBase64: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]).toString('base64'),
          },
        }),
    },
    {
      name: 'an invalid NIK',
      code: 'invalid-record',
      message: /applicant\.nik/,
      make: () => makeWireRecord({ applicant: { nik: INVALID_NIK } }),
    },
    {
      name: 'a record that is not an object',
      code: 'invalid-record',
      message: /\(record\)/,
      make: async () => 'not a record',
    },
  ];

  test.each(poisoned)(
    '$name is rejected ($code) and does not block the valid records around it',
    async ({ code, message, make }) => {
      const good1 = await makeWireRecord();
      const bad = await make();
      const good2 = await makeWireRecord();

      const results = await resultsOf(await postJson(batch([good1, bad, good2])));

      expect(results.map((r) => r.status)).toEqual(['stored', 'rejected', 'stored']);
      expect(results[1]).toMatchObject({ index: 1, status: 'rejected', code });
      expect(results[1]?.message).toMatch(message);
      expect(await store.countApplications()).toBe(2);
      expect(await store.getApplication(good1.id)).not.toBeNull();
      expect(await store.getApplication(good2.id)).not.toBeNull();
    },
  );

  test('a rejection names the field but never echoes its value', async () => {
    const record = await makeWireRecord({ applicant: { nik: INVALID_NIK, email: 'not-an-email' } });
    const response = await postJson(batch([record]));
    const text = await response.clone().text();
    const [result] = await resultsOf(response);

    expect(result?.message).toContain('applicant.nik');
    expect(result?.message).toContain('applicant.email');
    expect(text).not.toContain(INVALID_NIK);
    expect(text).not.toContain('not-an-email');
  });

  test('results carry the input index and the id, null when there is no readable id', async () => {
    const invalid = await makeWireRecord({ applicant: { nik: INVALID_NIK } });
    const valid1 = await makeWireRecord();
    const valid2 = await makeWireRecord();
    const { id: _dropped, ...withoutId } = await makeWireRecord();

    const results = await resultsOf(await postJson(batch<unknown>([invalid, valid1, withoutId, valid2, 7])));

    expect(results.map(({ index, id, status }) => ({ index, id, status }))).toEqual([
      { index: 0, id: invalid.id, status: 'rejected' },
      { index: 1, id: valid1.id, status: 'stored' },
      { index: 2, id: null, status: 'rejected' },
      { index: 3, id: valid2.id, status: 'stored' },
      { index: 4, id: null, status: 'rejected' },
    ]);
  });
});

describe('logging', () => {
  test('a batch with personal data leaves none of it in the log', async () => {
    const valid: ApplicationRecord = await makeWireRecord();
    const invalid = await makeWireRecord({ applicant: { nik: INVALID_NIK } });
    await resultsOf(await postJson(batch([valid, invalid])));

    const text = logText();
    // The request was logged at all, so an empty log cannot pass for a clean one.
    expect(text).toContain('sync batch');
    for (const secret of [
      NIK,
      INVALID_NIK,
      NAMA,
      NAMA.toUpperCase(),
      EMAIL,
      valid.ektpImage.dataBase64,
      valid.ektpImage.dataBase64.slice(0, 16),
      'PRIVATE KEY',
      'CERTIFICATE REQUEST',
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  test('a store failure is a generic 500 and the logged error has the NIK masked', async () => {
    app = build({
      ...delegate(store),
      insertApplications: () => Promise.reject(new Error(`disk on fire ${NIK}`)),
    });

    const response = await postJson(batch([await makeWireRecord()]));

    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toStrictEqual({ error: { code: 'internal', message: 'Internal server error' } });
    expect(text).not.toContain('disk on fire');

    const errorLine = logRecords().find((r) => r.msg === 'unhandled error');
    expect(errorLine?.err).toMatchObject({ type: 'Error', message: 'disk on fire ************0003' });
    expect(logText()).not.toContain(NIK);
  });
});

/** Every method forwarded, so a test can replace one without depending on how the store is built. */
function delegate(inner: Store): Store {
  return {
    kind: inner.kind,
    migrate: () => inner.migrate(),
    listArchiveKeys: () => inner.listArchiveKeys(),
    addArchiveKey: (key, options) => inner.addArchiveKey(key, options),
    recordCorrection: (correction) => inner.recordCorrection(correction),
    listCorrections: (id) => inner.listCorrections(id),
    applicationIdsByNikHash: (hash) => inner.applicationIdsByNikHash(hash),
    listPurgeable: (cutoff, limit) => inner.listPurgeable(cutoff, limit),
    purgePersonalData: (ids, at) => inner.purgePersonalData(ids, at),
    insertApplications: (records, receivedAt) => inner.insertApplications(records, receivedAt),
    getApplication: (id) => inner.getApplication(id),
    countApplications: () => inner.countApplications(),
    countApplicationsByState: () => inner.countApplicationsByState(),
    recordOutcome: (id, change, meta) => inner.recordOutcome(id, change, meta),
    applicationStatuses: (kioskId, ids) => inner.applicationStatuses(kioskId, ids),
    listApplicationEvents: (id) => inner.listApplicationEvents(id),
    createEnrollmentCode: (code) => inner.createEnrollmentCode(code),
    enrollKiosk: (enrollment) => inner.enrollKiosk(enrollment),
    getKiosk: (id) => inner.getKiosk(id),
    revokeKiosk: (id, at) => inner.revokeKiosk(id, at),
    listKiosks: () => inner.listKiosks(),
    recordNonce: (kioskId, nonce, seenAt) => inner.recordNonce(kioskId, nonce, seenAt),
    pruneNonces: (before) => inner.pruneNonces(before),
    heldContentHashes: (ids) => inner.heldContentHashes(ids),
    getDecision: (applicationId) => inner.getDecision(applicationId),
    nikHashKey: () => inner.nikHashKey(),
    countByNikHash: (hashes, now) => inner.countByNikHash(hashes, now),
    createOfficer: (officer, code) => inner.createOfficer(officer, code),
    createOfficerCode: (officerId, code) => inner.createOfficerCode(officerId, code),
    getOfficer: (id) => inner.getOfficer(id),
    getOfficerByUsername: (username) => inner.getOfficerByUsername(username),
    listOfficers: () => inner.listOfficers(),
    enrollOfficer: (enrollment) => inner.enrollOfficer(enrollment),
    getOfficerKey: (keyId) => inner.getOfficerKey(keyId),
    lockOfficer: (id, lock) => inner.lockOfficer(id, lock),
    unlockOfficer: (id) => inner.unlockOfficer(id),
    recordRelease: (release) => inner.recordRelease(release),
    getRelease: (applicationId) => inner.getRelease(applicationId),
    claimForSubmission: (claim) => inner.claimForSubmission(claim),
    settleSubmissions: (token, settlements, at) => inner.settleSubmissions(token, settlements, at),
    claimForPolling: (claim) => inner.claimForPolling(claim),
    settlePolls: (token, settlements, at) => inner.settlePolls(token, settlements, at),
    getForwarding: (applicationId) => inner.getForwarding(applicationId),
    countForwardingByStatus: () => inner.countForwardingByStatus(),
    listReportApplications: () => inner.listReportApplications(),
    emailCodeKey: () => inner.emailCodeKey(),
    reserveEmailMail: (reservation) => inner.reserveEmailMail(reservation),
    cancelEmailMail: (cancellation) => inner.cancelEmailMail(cancellation),
    verifyEmailCode: (attempt) => inner.verifyEmailCode(attempt),
    confirmEmailLink: (tokenHash, at) => inner.confirmEmailLink(tokenHash, at),
    recordEmailConfirmation: (confirmation) => inner.recordEmailConfirmation(confirmation),
    getEmailConfirmation: (applicationId, email) => inner.getEmailConfirmation(applicationId, email),
    emailsAwaitingMail: (query) => inner.emailsAwaitingMail(query),
    listExpiringCertificates: (query) => inner.listExpiringCertificates(query),
    findIssuedCertificates: (lookup, limit) => inner.findIssuedCertificates(lookup, limit),
    recordRevocation: (revocation) => inner.recordRevocation(revocation),
    getRevocation: (requestId) => inner.getRevocation(requestId),
    getRevocationAttachments: (requestId) => inner.getRevocationAttachments(requestId),
    listRevocations: (range) => inner.listRevocations(range),
    latestRevocationAt: () => inner.latestRevocationAt(),
    claimForRevocation: (claim) => inner.claimForRevocation(claim),
    settleRevocations: (token, settlements, at) => inner.settleRevocations(token, settlements, at),
    recordIncident: (incident) => inner.recordIncident(incident),
    listIncidents: (range) => inner.listIncidents(range),
    kioskAuditHead: (kioskId) => inner.kioskAuditHead(kioskId),
    kioskAuditHashes: (kioskId, from, to) => inner.kioskAuditHashes(kioskId, from, to),
    appendKioskAudit: (kioskId, expected, events, checkpoints, receivedAt) =>
      inner.appendKioskAudit(kioskId, expected, events, checkpoints, receivedAt),
    kioskAuditEvents: (kioskId, afterSeq, limit) => inner.kioskAuditEvents(kioskId, afterSeq, limit),
    kioskAuditCheckpoints: (kioskId) => inner.kioskAuditCheckpoints(kioskId),
    auditedKiosks: () => inner.auditedKiosks(),
    knownDeviceKeys: (spkis) => inner.knownDeviceKeys(spkis),
    appendServerAudit: (seal) => inner.appendServerAudit(seal),
    serverAuditEvents: (afterSeq, limit) => inner.serverAuditEvents(afterSeq, limit),
    recordAuditBreak: (entry) => inner.recordAuditBreak(entry),
    listAuditBreaks: () => inner.listAuditBreaks(),
    ping: () => inner.ping(),
    close: () => inner.close(),
  };
}
