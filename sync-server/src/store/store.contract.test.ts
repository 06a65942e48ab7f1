import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, inject, test } from 'vitest';
import { importNikHashKey, nikHash } from '../../../src/protocol/officer';
import { makeApplication } from '../../../tests/support/applications';
import { makeOpensslCa, openssl } from '../../../tests/support/openssl-ca';
import { createScratchDatabase } from '../../../tests/support/postgres';
import { raceInProcesses } from '../../../tests/support/store-race';
import type { RaceCall } from '../../../tests/support/store-race-worker';
import { BACKFILL_CHUNK_ROWS, CERTIFICATE_BACKFILL_CHUNK_ROWS, INSERT_CHUNK_ROWS } from './kysely-store';
import { storeMigrations } from './migrations';
import { openStore, SQLITE_FILE_NAME } from './open';
import type {
  InsertOutcome,
  NewApplication,
  NewDecision,
  NewOfficerCode,
  NewRelease,
  OfficerEnrollment,
  Store,
  StoredApplication,
  StoredOfficer,
} from './store';

/** One database for one test. */
interface Target {
  /** Opens a store over the same database: a restart, or a second server process. */
  open(): Promise<Store>;
  dispose(): Promise<void>;
  sqliteFile?: string;
  /** SQLite's DATA_DIR, for stores opened by other processes. */
  dataDir?: string;
  databaseUrl?: string;
}

interface StoreCase {
  kind: Store['kind'];
  createTarget(): Promise<Target>;
}

const sqliteCase: StoreCase = {
  kind: 'sqlite',
  async createTarget() {
    const root = mkdtempSync(join(tmpdir(), 'sertel-store-'));
    // Not there yet: opening must create it.
    const dataDir = join(root, 'nested', 'data');
    return {
      open: () => openStore({ dataDir }),
      dispose: async () => rmSync(root, { recursive: true, force: true }),
      sqliteFile: join(dataDir, SQLITE_FILE_NAME),
      dataDir,
    };
  },
};

function postgresCase(adminUrl: string): StoreCase {
  return {
    kind: 'postgres',
    async createTarget() {
      const database = await createScratchDatabase(adminUrl, 'test');
      const dataDir = join(tmpdir(), `sertel-unused-${database.url.split('/').pop() ?? ''}`);
      return {
        open: async () => {
          const store = await openStore({ databaseUrl: database.url, dataDir });
          // With a database URL nothing may land on local disk.
          expect(existsSync(dataDir)).toBe(false);
          return store;
        },
        dispose: database.drop,
        databaseUrl: database.url,
      };
    },
  };
}

const databaseUrl = inject('databaseUrl');
const cases: StoreCase[] = databaseUrl === null ? [sqliteCase] : [sqliteCase, postgresCase(databaseUrl)];

if (databaseUrl === null) {
  test('PostgreSQL store suite: SKIPPED, no PostgreSQL binaries (set REQUIRE_POSTGRES=1 to fail instead)', () => {
    console.warn('!!! PostgreSQL store contract suite SKIPPED: no PostgreSQL binaries found !!!');
  });
}

const RECEIVED_FIRST = '2025-11-21T08:00:00.000Z';
const RECEIVED_LATER = '2025-11-21T09:30:00.000Z';

const stored = (record: NewApplication, receivedAt: string): StoredApplication => ({
  ...record,
  // Read back by kind; the bytes as plain copies.
  attachments: [...(record.attachments ?? [])]
    .sort((a, b) => a.kind.localeCompare(b.kind))
    .map((a) => ({ ...a, data: new Uint8Array(a.data) })),
  receivedAt,
  state: 'received',
  stateChangedAt: receivedAt,
  certificatePem: null,
  certificateSerialHex: null,
  stateReason: null,
});

const CODE_MADE = '2026-11-26T01:00:00.000Z';
const CODE_EXPIRES = '2026-11-27T01:00:00.000Z';
const ENROLLED_AT = '2026-11-26T02:00:00.000Z';
/** A public key is only stored here; its format is the routes' business. */
const SPKI = `MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE${'A'.repeat(88)}`;

function newOfficer(overrides: Partial<StoredOfficer> = {}): StoredOfficer {
  return {
    id: randomUUID(),
    username: `siti.${randomBytes(4).toString('hex')}`,
    nama: 'SITI RAHAYU',
    nip: '199001052015032001',
    status: 'active',
    createdAt: CODE_MADE,
    lockedAt: null,
    lockReason: null,
    ...overrides,
  };
}

function newCode(overrides: Partial<NewOfficerCode> = {}): NewOfficerCode {
  return {
    codeHash: createHash('sha256').update(randomUUID()).digest('hex'),
    createdAt: CODE_MADE,
    expiresAt: CODE_EXPIRES,
    ...overrides,
  };
}

function enrollmentOf(
  officer: StoredOfficer,
  code: NewOfficerCode,
  overrides: Partial<OfficerEnrollment> = {},
): OfficerEnrollment {
  return {
    username: officer.username,
    codeHash: code.codeHash,
    keyId: randomUUID(),
    kioskId: 'kiosk-a',
    publicKeySpki: SPKI,
    at: ENROLLED_AT,
    ...overrides,
  };
}

function decisionBy(officerId: string, overrides: Partial<NewDecision> = {}): NewDecision {
  return {
    decision: 'approved',
    reasons: [],
    officerId,
    keyId: randomUUID(),
    decidedAt: '2026-11-26T09:30:00.000+07:00',
    payload: '{"v":1,"type":"decision"}',
    signature: 'S'.repeat(86),
    ...overrides,
  };
}

function releaseBy(
  officerId: string,
  applicationIds: string[],
  overrides: Partial<NewRelease> = {},
): NewRelease {
  return {
    applicationIds,
    officerId,
    keyId: randomUUID(),
    releasedAt: '2026-11-26T16:00:00.000+07:00',
    payload: '{"v":1,"type":"release"}',
    signature: 'R'.repeat(86),
    receivedAt: RECEIVED_LATER,
    twoPersonRule: true,
    ...overrides,
  };
}

/**
 * The target's database brought only up to `migration` and written raw by `write`, as a server of
 * that time left it; closed again before the test opens a store over it.
 */
/** An issued application as stores before 0016/0017 kept it: personal data and certificate in clear. */
function insertIssuedInClear(
  db: Kysely<Record<string, never>>,
  record: NewApplication,
  certificatePem: string,
): Promise<unknown> {
  return sql`insert into applications (id, kiosk_id, created_at, received_at, certificate_type, nama, nik, nip,
    email, perangkat_daerah, ocr_text, csr_pem, encrypted_private_key_pem, content_hash, state_changed_at,
    state, certificate_pem)
    values (${record.id}, ${record.kioskId}, ${record.createdAt}, ${RECEIVED_FIRST}, ${record.certificateType},
    ${record.nama}, ${record.nik}, ${record.nip}, ${record.email}, ${record.perangkatDaerah},
    ${record.ocrText}, ${record.csrPem}, ${record.encryptedPrivateKeyPem}, ${record.contentHash},
    ${RECEIVED_FIRST}, 'issued', ${certificatePem})`.execute(db);
}

async function atMigration(
  target: Target,
  kind: Store['kind'],
  migration: string,
  write: (db: Kysely<Record<string, never>>) => Promise<void>,
): Promise<void> {
  const { sqliteFile } = target;
  if (sqliteFile) mkdirSync(dirname(sqliteFile), { recursive: true });
  const dialect = sqliteFile
    ? new SqliteDialect({ database: new Database(sqliteFile) })
    : new PostgresDialect({ pool: new pg.Pool({ connectionString: target.databaseUrl, max: 1 }) });
  const db = new Kysely<Record<string, never>>({ dialect });
  try {
    const migrator = new Migrator({ db, provider: { getMigrations: async () => storeMigrations(kind) } });
    expect((await migrator.migrateTo(migration)).error).toBeUndefined();
    await write(db);
  } finally {
    await db.destroy();
  }
}

/** Reads the database past the store (its schema as it is, migrating nothing). */
async function rawDb<T>(target: Target, read: (db: Kysely<Record<string, never>>) => Promise<T>): Promise<T> {
  const dialect = target.sqliteFile
    ? new SqliteDialect({ database: new Database(target.sqliteFile) })
    : new PostgresDialect({ pool: new pg.Pool({ connectionString: target.databaseUrl, max: 1 }) });
  const db = new Kysely<Record<string, never>>({ dialect });
  try {
    return await read(db);
  } finally {
    await db.destroy();
  }
}

interface RawCertificateRow {
  id: string;
  certificate_pem: string | null;
  certificate_sealed: Uint8Array | null;
  certificate_sha256: string | null;
  certificate_serial: string | null;
}

const rawCertificates = (target: Target) =>
  rawDb(
    target,
    async (db) =>
      (
        await sql<RawCertificateRow>`select id, certificate_pem, certificate_sealed, certificate_sha256,
          certificate_serial from applications order by id`.execute(db)
      ).rows,
  );

const sha256Fingerprint = (pem: string) =>
  (openssl(['x509', '-noout', '-fingerprint', '-sha256'], pem).out.trim().split('=')[1] ?? '').replaceAll(
    ':',
    '',
  );

/** Field-for-field, the image as a plain Uint8Array; bytes compared in bulk (element-wise is slow). */
function expectStoredImage(got: StoredApplication | null, record: NewApplication): void {
  expect(got).not.toBeNull();
  const image = got?.ektpImage ?? new Uint8Array();
  expect(Object.getPrototypeOf(image)).toBe(Uint8Array.prototype);
  expect(Buffer.compare(image, record.ektpImage)).toBe(0);
}

describe.each(cases)('$kind store', ({ kind, createTarget }) => {
  let target: Target;
  let store: Store;
  let opened: Store[];

  const open = async (): Promise<Store> => {
    const next = await target.open();
    opened.push(next);
    return next;
  };

  beforeEach(async () => {
    opened = [];
    target = await createTarget();
    store = await open();
  });

  afterEach(async () => {
    for (const each of opened) await each.close();
    await target.dispose();
  });

  /**
   * Call i of every list made at the same instant, each list by its own server. SQLite: real
   * processes (two stores in one process would wait for each other's lock with the event loop
   * blocked). PostgreSQL: another pool in this process is another server as far as it can tell.
   */
  async function race(callsPerServer: RaceCall[][]): Promise<unknown[][]> {
    if (target.dataDir !== undefined) return raceInProcesses({ dataDir: target.dataDir }, callsPerServer);
    const servers = [store, ...(await Promise.all(callsPerServer.slice(1).map(() => open())))];
    const answers = callsPerServer.map((): unknown[] => []);
    const rounds = Math.max(...callsPerServer.map((calls) => calls.length));
    for (let i = 0; i < rounds; i++) {
      await Promise.all(
        callsPerServer.map(async (calls, p) => {
          const call = calls[i];
          const server = servers[p];
          if (call === undefined || server === undefined) return;
          answers[p]?.push(
            call.method === 'enrollOfficer'
              ? await server.enrollOfficer(call.arg)
              : await server.recordRelease(call.arg),
          );
        }),
      );
    }
    return answers;
  }

  test('opens the configured kind and answers ping', async () => {
    expect(store.kind).toBe(kind);
    await expect(store.ping()).resolves.toBeUndefined();
  });

  test('migrating again, and from a second store on the same database, is harmless', async () => {
    const record = makeApplication();
    expect(await store.insertApplications([record], RECEIVED_FIRST)).toEqual(['stored']);
    await store.migrate();
    await store.migrate();
    const second = await open();
    await second.migrate();
    expect(await second.getApplication(record.id)).toStrictEqual(stored(record, RECEIVED_FIRST));
    expect(await store.countApplications()).toBe(1);
  });

  test('stores a batch and reads every field back unchanged', async () => {
    const largeImage = new Uint8Array(randomBytes(300 * 1024));
    const batch = [
      makeApplication(),
      makeApplication({
        certificateType: 'jabatan',
        nip: '198503152010011002',
        nama: 'Bambang Suryo Wibowo',
        ektpMediaType: 'image/png',
        ektpImage: largeImage,
      }),
      // A view into a larger buffer: only the viewed bytes are the image; papers beside it by kind.
      makeApplication({
        ektpImage: new Uint8Array(new Uint8Array([9, 9, 1, 2, 3, 9]).buffer, 2, 3),
        attachments: [
          {
            kind: 'surat-rekomendasi',
            mediaType: 'application/pdf',
            data: new Uint8Array(randomBytes(3000)),
          },
          { kind: 'signature-specimen', mediaType: 'image/png', data: new Uint8Array([0x89, 0x50, 1, 2]) },
        ],
        category: 'pppk',
        mobile: '+6281234567890',
        agreement: {
          version: '2026-01',
          acceptedAt: '2026-11-26T02:10:00.000Z',
          obligationsAcceptedAt: '2026-11-26T02:09:30.000Z',
        },
      }),
    ];

    expect(await store.insertApplications(batch, RECEIVED_FIRST)).toEqual(['stored', 'stored', 'stored']);

    for (const record of batch) {
      const got = await store.getApplication(record.id);
      expectStoredImage(got, record);
      const placeholder = { ektpImage: new Uint8Array() };
      expect({ ...got, ...placeholder }).toStrictEqual({ ...stored(record, RECEIVED_FIRST), ...placeholder });
    }
    expect((await store.getApplication(batch[2]?.id ?? ''))?.ektpImage).toStrictEqual(
      new Uint8Array([1, 2, 3]),
    );
    expect((await store.getApplication(batch[0]?.id ?? ''))?.nip).toBeNull();
    expect(await store.getApplication('00000000-0000-4000-8000-000000000000')).toBeNull();
  });

  test('a resend of the same record is a duplicate and leaves the stored row untouched', async () => {
    const record = makeApplication();
    await store.insertApplications([record], RECEIVED_FIRST);

    expect(await store.insertApplications([{ ...record }], RECEIVED_LATER)).toEqual(['duplicate']);

    expect(await store.getApplication(record.id)).toStrictEqual(stored(record, RECEIVED_FIRST));
    expect(await store.countApplications()).toBe(1);
  });

  test('the same id with different content is a conflict and the original stays', async () => {
    const original = makeApplication();
    await store.insertApplications([original], RECEIVED_FIRST);
    const impostor = makeApplication({ id: original.id, nama: 'Orang Lain', email: 'lain@example.test' });
    expect(impostor.contentHash).not.toBe(original.contentHash);

    expect(await store.insertApplications([impostor], RECEIVED_LATER)).toEqual(['conflict']);

    expect(await store.getApplication(original.id)).toStrictEqual(stored(original, RECEIVED_FIRST));
    expect(await store.countApplications()).toBe(1);
  });

  test('a mixed batch gets one outcome per record, in input order', async () => {
    const existingA = makeApplication();
    const existingB = makeApplication();
    await store.insertApplications([existingA, existingB], RECEIVED_FIRST);
    const fresh1 = makeApplication();
    const fresh2 = makeApplication();
    const clash = makeApplication({ id: existingB.id, ocrText: 'different' });

    const outcomes = await store.insertApplications([fresh1, existingA, clash, fresh2], RECEIVED_LATER);

    expect(outcomes).toEqual<InsertOutcome[]>(['stored', 'duplicate', 'conflict', 'stored']);
    expect(await store.getApplication(fresh1.id)).toStrictEqual(stored(fresh1, RECEIVED_LATER));
    expect(await store.getApplication(fresh2.id)).toStrictEqual(stored(fresh2, RECEIVED_LATER));
    expect(await store.getApplication(existingB.id)).toStrictEqual(stored(existingB, RECEIVED_FIRST));
    expect(await store.countApplications()).toBe(4);
  });

  test('an id repeated within one batch is judged against the row that holds it', async () => {
    const twice = makeApplication();
    const first = makeApplication();
    const rival = makeApplication({ id: first.id, nama: 'Rival' });
    expect(await store.insertApplications([twice, first, { ...twice }, rival], RECEIVED_FIRST)).toEqual([
      'stored',
      'stored',
      'duplicate',
      'conflict',
    ]);
    expect(await store.getApplication(first.id)).toStrictEqual(stored(first, RECEIVED_FIRST));

    // Already stored before the batch: every occurrence compares with the stored row.
    const changed = makeApplication({ id: first.id, nama: 'Changed' });
    expect(await store.insertApplications([changed, first, changed], RECEIVED_LATER)).toEqual([
      'conflict',
      'duplicate',
      'conflict',
    ]);
    expect(await store.getApplication(first.id)).toStrictEqual(stored(first, RECEIVED_FIRST));
    expect(await store.countApplications()).toBe(2);
  });

  test('counts stored applications only', async () => {
    expect(await store.countApplications()).toBe(0);
    const batch = [makeApplication(), makeApplication(), makeApplication()];
    await store.insertApplications(batch, RECEIVED_FIRST);
    expect(await store.countApplications()).toBe(3);
    const conflicting = makeApplication({ id: batch[0]?.id ?? '', nama: 'X' });
    await store.insertApplications([...batch, conflicting], RECEIVED_LATER);
    expect(await store.countApplications()).toBe(3);
    expect(await store.insertApplications([], RECEIVED_LATER)).toEqual([]);
  });

  test('a batch that fails part-way is rolled back entirely and the error surfaces', async () => {
    const before = makeApplication();
    await store.insertApplications([before], RECEIVED_FIRST);
    // More than one INSERT statement's worth, with the bad record last in input and in id order,
    // so a non-transactional store would already have written the first statement's rows.
    const good = Array.from({ length: INSERT_CHUNK_ROWS + 5 }, () => makeApplication());
    const bad = makeApplication({
      id: 'ffffffff-ffff-4fff-bfff-ffffffffffff',
      // A NOT NULL column kept in clear (nama is inside the sealed archive now).
      perangkatDaerah: null as unknown as string,
    });

    await expect(store.insertApplications([before, ...good, bad], RECEIVED_LATER)).rejects.toThrow();

    expect(await store.countApplications()).toBe(1);
    expect(await store.getApplication(good[0]?.id ?? '')).toBeNull();
    expect(await store.getApplication(before.id)).toStrictEqual(stored(before, RECEIVED_FIRST));
    // The store stays usable after the failed transaction.
    expect(await store.insertApplications(good.slice(0, 2), RECEIVED_LATER)).toEqual(['stored', 'stored']);
  });

  test('a stored application starts its audit trail with the receipt, once, whoever resends it', async () => {
    const record = makeApplication();
    await store.insertApplications([record], RECEIVED_FIRST);
    await store.insertApplications([{ ...record }], RECEIVED_LATER);

    expect(await store.listApplicationEvents(record.id)).toMatchObject([
      {
        applicationId: record.id,
        at: RECEIVED_FIRST,
        event: 'received',
        actor: `kiosk:${record.kioskId}`,
        detail: { certificateType: record.certificateType, contentHash: record.contentHash },
      },
    ]);
  });

  test('outcomes move the state forward only, each with its event, and a repeat is unchanged', async () => {
    const record = makeApplication();
    await store.insertApplications([record], RECEIVED_FIRST);
    const meta = (at: string) => ({ at, actor: 'ca', detail: { reference: 'batch-7' } });

    expect(await store.recordOutcome(record.id, { state: 'sent-to-ca' }, meta(RECEIVED_LATER))).toEqual({
      status: 'recorded',
    });
    const issued = { state: 'issued', certificatePem: '-----BEGIN CERTIFICATE-----\nAA==' } as const;
    expect(await store.recordOutcome(record.id, issued, meta('2025-11-22T01:00:00.000Z'))).toEqual({
      status: 'recorded',
    });
    expect(await store.recordOutcome(record.id, issued, meta('2025-11-22T02:00:00.000Z'))).toEqual({
      status: 'unchanged',
    });
    expect(
      await store.recordOutcome(record.id, { ...issued, certificatePem: 'another' }, meta(RECEIVED_LATER)),
    ).toEqual({ status: 'illegal', from: 'issued' });
    expect(
      await store.recordOutcome(record.id, { state: 'ca-rejected', reason: 'x' }, meta(RECEIVED_LATER)),
    ).toEqual({ status: 'illegal', from: 'issued' });
    expect(
      await store.recordOutcome(
        '00000000-0000-4000-8000-000000000000',
        { state: 'sent-to-ca' },
        meta(RECEIVED_LATER),
      ),
    ).toEqual({ status: 'unknown' });

    expect(await store.getApplication(record.id)).toMatchObject({
      state: 'issued',
      stateChangedAt: '2025-11-22T01:00:00.000Z',
      certificatePem: issued.certificatePem,
      stateReason: null,
    });
    const events = await store.listApplicationEvents(record.id);
    expect(events.map((e) => e.event)).toEqual(['received', 'sent-to-ca', 'issued']);
    expect(events[2]).toMatchObject({ actor: 'ca', detail: { reference: 'batch-7' } });
    expect(events.map((e) => e.seq)).toEqual([...events.map((e) => e.seq)].sort((a, b) => a - b));
    expect(await store.countApplicationsByState()).toEqual({ issued: 1 });
  });

  test('statuses answer only for the asking kiosk, with the certificate or the reason', async () => {
    const mine = makeApplication({ kioskId: 'kiosk-a' });
    const refused = makeApplication({ kioskId: 'kiosk-a' });
    const waiting = makeApplication({ kioskId: 'kiosk-a' });
    const theirs = makeApplication({ kioskId: 'kiosk-b' });
    await store.insertApplications([mine, refused, waiting, theirs], RECEIVED_FIRST);
    const meta = { at: RECEIVED_LATER, actor: 'admin' };
    await store.recordOutcome(mine.id, { state: 'issued', certificatePem: 'PEM' }, meta);
    await store.recordOutcome(refused.id, { state: 'ca-rejected', reason: 'NIP tidak terdaftar' }, meta);
    // Pasal 10: the address proven for this application, in whatever case it was typed.
    await store.recordEmailConfirmation({
      applicationId: mine.id,
      email: mine.email.toUpperCase(),
      confirmedAt: RECEIVED_FIRST,
      via: 'code',
      actor: 'kiosk:kiosk-a',
    });

    const statuses = await store.applicationStatuses('kiosk-a', [
      mine.id,
      refused.id,
      waiting.id,
      theirs.id,
      mine.id,
    ]);
    expect(statuses.sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      [
        {
          id: mine.id,
          state: 'issued',
          changedAt: RECEIVED_LATER,
          certificatePem: 'PEM',
          reason: null,
          emailConfirmed: true,
        },
        {
          id: refused.id,
          state: 'ca-rejected',
          changedAt: RECEIVED_LATER,
          certificatePem: null,
          reason: 'NIP tidak terdaftar',
          emailConfirmed: false,
        },
        {
          id: waiting.id,
          state: 'received',
          changedAt: RECEIVED_FIRST,
          certificatePem: null,
          reason: null,
          emailConfirmed: false,
        },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
  });

  test('a database from before the attachments table keeps its pictures through the upgrade', async () => {
    const old = await createTarget();
    try {
      const record = makeApplication({ ektpImage: new Uint8Array(randomBytes(200 * 1024)) });
      await atMigration(old, kind, '0006-pictures-uncompressed', async (db) => {
        // The row as the server stored it then: the picture in the application row.
        await sql`insert into applications (id, kiosk_id, created_at, received_at, certificate_type, nama, nik, nip,
          email, perangkat_daerah, ektp_media_type, ektp_image, ocr_text, csr_pem, encrypted_private_key_pem,
          content_hash, state_changed_at)
          values (${record.id}, ${record.kioskId}, ${record.createdAt}, ${RECEIVED_FIRST}, ${record.certificateType},
          ${record.nama}, ${record.nik}, ${record.nip}, ${record.email}, ${record.perangkatDaerah},
          ${record.ektpMediaType}, ${Buffer.from(record.ektpImage)}, ${record.ocrText}, ${record.csrPem},
          ${record.encryptedPrivateKeyPem}, ${record.contentHash}, ${RECEIVED_FIRST})`.execute(db);
      });
      const upgraded = await old.open();
      try {
        const got = await upgraded.getApplication(record.id);
        expectStoredImage(got, record);
        expect(got?.ektpMediaType).toBe(record.ektpMediaType);
        expect(await upgraded.insertApplications([{ ...record }], RECEIVED_LATER)).toEqual(['duplicate']);
      } finally {
        await upgraded.close();
      }
    } finally {
      await old.dispose();
    }
  });

  test('certificates issued before the serial had a column get their serial on the upgrade', async () => {
    const old = await createTarget();
    const ca = makeOpensslCa('Test CA Serial');
    try {
      const record = makeApplication();
      const certificatePem = ca.issueForOtherKey('/C=ID/O=Pemerintah Kota Madiun/CN=SITI RAHAYU');
      const serial = openssl(['x509', '-noout', '-serial'], certificatePem)
        .out.trim()
        .replace(/^serial=/, '');
      await atMigration(old, kind, '0010-ca-forwarding', async (db) => {
        await insertIssuedInClear(db, record, certificatePem);
      });
      const upgraded = await old.open();
      try {
        const got = await upgraded.getApplication(record.id);
        expect(got?.certificateSerialHex).toBe(serial);
        // Sealed by the upgrade, and still the same certificate to whoever reads it.
        expect(got?.certificatePem).toBe(certificatePem);
        expect(await upgraded.applicationStatuses(record.kioskId, [record.id])).toMatchObject([
          { id: record.id, state: 'issued', certificatePem },
        ]);
        const [raw] = await rawCertificates(old);
        expect(raw).toMatchObject({
          certificate_pem: null,
          certificate_sha256: sha256Fingerprint(certificatePem),
          certificate_serial: serial,
        });
        expect(raw?.certificate_sealed).not.toBeNull();
      } finally {
        await upgraded.close();
      }
    } finally {
      ca.remove();
      await old.dispose();
    }
  });

  test('data survives close and reopen', async () => {
    const batch = [
      makeApplication(),
      makeApplication({ nip: '198503152010011002', certificateType: 'jabatan' }),
    ];
    await store.insertApplications(batch, RECEIVED_FIRST);
    await store.close();
    await store.close();

    const reopened = await open();
    expect(await reopened.countApplications()).toBe(2);
    for (const record of batch) {
      expect(await reopened.getApplication(record.id)).toStrictEqual(stored(record, RECEIVED_FIRST));
    }
    expect(await reopened.insertApplications(batch, RECEIVED_LATER)).toEqual(['duplicate', 'duplicate']);
  });

  describe('officers', () => {
    test('an account is created with its first code; a username is taken once, and its code with it', async () => {
      const officer = newOfficer({ nip: null });
      const code = newCode();
      expect(await store.createOfficer(officer, code)).toEqual({ status: 'created', officer });
      expect(await store.getOfficer(officer.id)).toStrictEqual(officer);
      expect(await store.getOfficerByUsername(officer.username)).toStrictEqual(officer);
      expect(await store.getOfficer(randomUUID())).toBeNull();
      expect(await store.getOfficerByUsername('nobody')).toBeNull();

      const rival = newOfficer({ username: officer.username, nama: 'BUDI' });
      const rivalCode = newCode();
      expect(await store.createOfficer(rival, rivalCode)).toEqual({ status: 'username-taken' });
      expect(await store.getOfficer(rival.id)).toBeNull();
      // The refused account's code went with it.
      expect(await store.enrollOfficer(enrollmentOf(officer, rivalCode))).toEqual({ status: 'unknown' });
      expect(await store.listOfficers()).toEqual([{ ...officer, activeKeys: 0 }]);
    });

    test('a code enrolls one key, for its own officer only, before its expiry', async () => {
      const siti = newOfficer({ username: 'siti' });
      const budi = newOfficer({ username: 'budi' });
      const sitiCode = newCode();
      const budiCode = newCode({ expiresAt: ENROLLED_AT });
      await store.createOfficer(siti, sitiCode);
      await store.createOfficer(budi, budiCode);

      // Another officer's code, an unknown username, an unknown code: all the same answer.
      expect(await store.enrollOfficer(enrollmentOf(siti, budiCode))).toEqual({ status: 'unknown' });
      expect(await store.enrollOfficer(enrollmentOf(siti, newCode()))).toEqual({ status: 'unknown' });
      expect(await store.enrollOfficer(enrollmentOf(newOfficer(), sitiCode))).toEqual({ status: 'unknown' });
      // Expiry is exclusive: at the instant of expiry the code no longer works.
      expect(await store.enrollOfficer(enrollmentOf(budi, budiCode))).toEqual({ status: 'expired' });

      const enrollment = enrollmentOf(siti, sitiCode, { kioskId: 'kiosk-b' });
      expect(await store.enrollOfficer(enrollment)).toEqual({
        status: 'enrolled',
        officer: siti,
        keyId: enrollment.keyId,
      });
      expect(await store.getOfficerKey(enrollment.keyId)).toStrictEqual({
        keyId: enrollment.keyId,
        officerId: siti.id,
        kioskId: 'kiosk-b',
        publicKeySpki: SPKI,
        createdAt: ENROLLED_AT,
        revokedAt: null,
      });
      expect(await store.enrollOfficer(enrollmentOf(siti, sitiCode))).toEqual({ status: 'used' });
      expect(await store.getOfficerKey(randomUUID())).toBeNull();

      // A second code (a second kiosk) enrolls a second key.
      const second = newCode();
      expect(await store.createOfficerCode(siti.id, second)).toEqual({ status: 'created', officer: siti });
      expect((await store.enrollOfficer(enrollmentOf(siti, second))).status).toBe('enrolled');
      expect(await store.createOfficerCode(randomUUID(), newCode())).toEqual({ status: 'unknown' });
      expect((await store.listOfficers()).map((o) => [o.username, o.activeKeys])).toEqual([
        ['budi', 0],
        ['siti', 2],
      ]);
    });

    test('two processes consuming one code at once: exactly one key is enrolled', async () => {
      const officer = newOfficer();
      await store.createOfficer(officer, newCode());
      const codes = Array.from({ length: 5 }, () => newCode());
      for (const code of codes) await store.createOfficerCode(officer.id, code);
      const [a = [], b = []] = await race(
        ['kiosk-a', 'kiosk-b'].map((kioskId) =>
          codes.map(
            (code): RaceCall => ({ method: 'enrollOfficer', arg: enrollmentOf(officer, code, { kioskId }) }),
          ),
        ),
      );
      codes.forEach((_code, i) => {
        const statuses = [a[i], b[i]].map((answer) => (answer as { status: string }).status);
        expect(statuses.sort()).toEqual(['enrolled', 'used']);
      });
      expect((await store.listOfficers())[0]?.activeKeys).toBe(codes.length);
    });

    test('a lock revokes every key and drops unused codes; a repeat keeps the first lock; unlock leaves the keys revoked', async () => {
      const officer = newOfficer();
      const first = newCode();
      const unused = newCode();
      await store.createOfficer(officer, first);
      await store.createOfficerCode(officer.id, unused);
      const enrollment = enrollmentOf(officer, first);
      await store.enrollOfficer(enrollment);
      const bystander = newOfficer();
      const bystanderCode = newCode();
      await store.createOfficer(bystander, bystanderCode);
      const bystanderKey = enrollmentOf(bystander, bystanderCode);
      await store.enrollOfficer(bystanderKey);

      const lockedAt = '2026-11-26T03:00:00.000Z';
      const locked = { ...officer, status: 'locked', lockedAt, lockReason: 'wrong PINs' } as const;
      expect(await store.lockOfficer(officer.id, { at: lockedAt, reason: 'wrong PINs' })).toEqual({
        status: 'locked',
        officer: locked,
        revokedKeys: 1,
      });
      expect((await store.getOfficerKey(enrollment.keyId))?.revokedAt).toBe(lockedAt);
      expect((await store.getOfficerKey(bystanderKey.keyId))?.revokedAt).toBeNull();
      expect(
        await store.lockOfficer(officer.id, { at: '2026-11-26T04:00:00.000Z', reason: 'again' }),
      ).toEqual({ status: 'unchanged', officer: locked, revokedKeys: 0 });
      expect(await store.lockOfficer(randomUUID(), { at: lockedAt, reason: 'x' })).toEqual({
        status: 'unknown',
      });

      // Locked: no code, no enrollment, not even with a code from before the lock.
      expect(await store.createOfficerCode(officer.id, newCode())).toEqual({
        status: 'not-active',
        officer: locked,
      });
      expect(await store.enrollOfficer(enrollmentOf(officer, unused))).toEqual({ status: 'unknown' });

      expect(await store.unlockOfficer(officer.id)).toEqual({ status: 'unlocked', officer });
      expect(await store.unlockOfficer(officer.id)).toEqual({ status: 'unchanged', officer });
      expect(await store.unlockOfficer(randomUUID())).toEqual({ status: 'unknown' });
      expect((await store.getOfficerKey(enrollment.keyId))?.revokedAt).toBe(lockedAt);
      const again = newCode();
      expect((await store.createOfficerCode(officer.id, again)).status).toBe('created');
      expect((await store.enrollOfficer(enrollmentOf(officer, again))).status).toBe('enrolled');
      expect((await store.listOfficers()).find((o) => o.id === officer.id)?.activeKeys).toBe(1);
    });

    test('a disabled account does not enroll, even with its code, and unlock does not enable it', async () => {
      const disabled = newOfficer({ status: 'disabled' });
      const code = newCode();
      await store.createOfficer(disabled, code);
      expect(await store.enrollOfficer(enrollmentOf(disabled, code))).toEqual({
        status: 'not-active',
        officer: disabled,
      });
      expect(await store.unlockOfficer(disabled.id)).toEqual({ status: 'unchanged', officer: disabled });
      expect(await store.enrollOfficer(enrollmentOf(disabled, code))).toEqual({
        status: 'not-active',
        officer: disabled,
      });
      expect(await store.createOfficerCode(disabled.id, newCode())).toEqual({
        status: 'not-active',
        officer: disabled,
      });
    });
  });

  describe('decisions and releases', () => {
    test('a decision is stored with its application and its audit event, once, whoever resends it', async () => {
      const officerId = randomUUID();
      const decision = decisionBy(officerId, { decision: 'rejected', reasons: ['foto-buram', 'nip-salah'] });
      const record = makeApplication({ decision });
      const plain = makeApplication();
      expect(await store.insertApplications([record, plain], RECEIVED_FIRST)).toEqual(['stored', 'stored']);
      expect(await store.insertApplications([{ ...record }], RECEIVED_LATER)).toEqual(['duplicate']);

      expect(await store.getDecision(record.id)).toStrictEqual({ applicationId: record.id, ...decision });
      expect(await store.getDecision(plain.id)).toBeNull();
      const { decision: _decision, ...withoutDecision } = record;
      expect(await store.getApplication(record.id)).toStrictEqual(stored(withoutDecision, RECEIVED_FIRST));
      expect(await store.listApplicationEvents(record.id)).toMatchObject([
        { event: 'received', actor: `kiosk:${record.kioskId}` },
        {
          event: 'decision-recorded',
          at: RECEIVED_FIRST,
          actor: `officer:${officerId}`,
          detail: { decision: 'rejected', keyId: decision.keyId, reasons: 'foto-buram,nip-salah' },
        },
      ]);
      expect(await store.heldContentHashes([record.id, plain.id, randomUUID()])).toEqual(
        new Map([
          [record.id, record.contentHash],
          [plain.id, plain.contentHash],
        ]),
      );
    });

    test('a batch that fails part-way leaves no decision behind', async () => {
      const decided = makeApplication({ decision: decisionBy(randomUUID()) });
      const bad = makeApplication({
        decision: decisionBy(randomUUID(), { payload: null as unknown as string }),
      });
      await expect(store.insertApplications([decided, bad], RECEIVED_FIRST)).rejects.toThrow();
      expect(await store.getDecision(decided.id)).toBeNull();
      expect(await store.getApplication(decided.id)).toBeNull();
      expect(await store.listApplicationEvents(decided.id)).toEqual([]);
    });

    test('a release records each approved application once, and refuses what it may not release', async () => {
      const decider = randomUUID();
      const releaser = randomUUID();
      const approved = makeApplication({ decision: decisionBy(decider) });
      const approved2 = makeApplication({ decision: decisionBy(decider) });
      const mine = makeApplication({ decision: decisionBy(releaser) });
      const rejected = makeApplication({
        decision: decisionBy(decider, { decision: 'rejected', reasons: ['foto-buram'] }),
      });
      const undecided = makeApplication();
      await store.insertApplications([approved, approved2, mine, rejected, undecided], RECEIVED_FIRST);
      const unknown = randomUUID();

      const release = releaseBy(releaser, [
        approved.id,
        mine.id,
        rejected.id,
        undecided.id,
        unknown,
        approved.id,
      ]);
      expect(await store.recordRelease(release)).toEqual([
        { applicationId: approved.id, status: 'released' },
        { applicationId: mine.id, status: 'refused', code: 'self-release' },
        { applicationId: rejected.id, status: 'refused', code: 'not-approved' },
        { applicationId: undecided.id, status: 'refused', code: 'not-approved' },
        { applicationId: unknown, status: 'refused', code: 'unknown-application' },
        { applicationId: approved.id, status: 'already-released' },
      ]);
      expect(await store.getRelease(approved.id)).toStrictEqual({
        applicationId: approved.id,
        officerId: releaser,
        keyId: release.keyId,
        releasedAt: release.releasedAt,
        payload: release.payload,
        signature: release.signature,
      });
      for (const id of [mine.id, rejected.id, undecided.id, unknown])
        expect(await store.getRelease(id)).toBeNull();
      expect((await store.listApplicationEvents(approved.id)).slice(-1)).toMatchObject([
        {
          event: 'released',
          at: RECEIVED_LATER,
          actor: `officer:${releaser}`,
          detail: { keyId: release.keyId },
        },
      ]);
      expect((await store.listApplicationEvents(mine.id)).map((e) => e.event)).toEqual([
        'received',
        'decision-recorded',
      ]);

      // Again, by someone else: already released, and the first release stays.
      const repeat = releaseBy(randomUUID(), [approved.id, approved2.id]);
      expect(await store.recordRelease(repeat)).toEqual([
        { applicationId: approved.id, status: 'already-released' },
        { applicationId: approved2.id, status: 'released' },
      ]);
      expect((await store.getRelease(approved.id))?.officerId).toBe(releaser);
      expect(
        (await store.listApplicationEvents(approved.id)).filter((e) => e.event === 'released'),
      ).toHaveLength(1);

      // Without the two-person rule the deciding officer may release.
      expect(await store.recordRelease(releaseBy(releaser, [mine.id], { twoPersonRule: false }))).toEqual([
        { applicationId: mine.id, status: 'released' },
      ]);
    });

    test('two processes releasing the same applications at once release each once', async () => {
      const decider = randomUUID();
      const records = Array.from({ length: 20 }, () => makeApplication({ decision: decisionBy(decider) }));
      await store.insertApplications(records, RECEIVED_FIRST);
      const ids = records.map((r) => r.id);
      // One releases them all in one statement, the other one by one in reverse order.
      const answers = await race([
        [{ method: 'recordRelease', arg: releaseBy(randomUUID(), ids) }],
        [...ids]
          .reverse()
          .map((id): RaceCall => ({ method: 'recordRelease', arg: releaseBy(randomUUID(), [id]) })),
      ]);
      const statuses = new Map<string, string[]>();
      for (const outcome of answers.flat(2) as { applicationId: string; status: string }[]) {
        statuses.set(outcome.applicationId, [...(statuses.get(outcome.applicationId) ?? []), outcome.status]);
      }
      for (const id of ids) {
        expect(statuses.get(id)?.sort()).toEqual(['already-released', 'released']);
        expect((await store.listApplicationEvents(id)).filter((e) => e.event === 'released')).toHaveLength(1);
      }
    });
  });

  describe('NIK hashes', () => {
    test('the NIK hash key is made once, by whichever process asks first, and shared by all', async () => {
      const other = await open();
      const [mine, theirs] = await Promise.all([store.nikHashKey(), other.nikHashKey()]);
      expect(mine).toHaveLength(32);
      expect(Buffer.from(theirs)).toEqual(Buffer.from(mine));
      expect(Buffer.from(mine).equals(Buffer.alloc(32))).toBe(false);
      const later = await open();
      expect(Buffer.from(await later.nikHashKey())).toEqual(Buffer.from(mine));
    });

    test('an application is found by the NIK hash a kiosk computes with the RA key', async () => {
      const record = makeApplication({ nik: '3577014501900003' });
      await store.insertApplications([record], RECEIVED_FIRST);
      const key = await importNikHashKey(Buffer.from(await store.nikHashKey()).toString('base64'));
      const hash = await nikHash(key, '3577014501900003');
      const otherHash = await nikHash(key, '3577014501900011');
      expect(await store.countByNikHash([otherHash, hash], RECEIVED_LATER)).toEqual([
        { hash: otherHash, openApplications: 0, validCertificates: 0 },
        { hash, openApplications: 1, validCertificates: 0 },
      ]);
    });

    test('counts open applications and unexpired certificates; rejected and refused ones are closed', async () => {
      const nik = '3577014501900003';
      const now = '2026-11-26T00:00:00.000Z';
      const received = makeApplication({ nik });
      const sent = makeApplication({ nik });
      const officerRejected = makeApplication({
        nik,
        decision: decisionBy(randomUUID(), { decision: 'rejected', reasons: ['foto-buram'] }),
      });
      const officerApproved = makeApplication({ nik, decision: decisionBy(randomUUID()) });
      const caRejected = makeApplication({ nik });
      const valid = makeApplication({ nik });
      const expired = makeApplication({ nik });
      const unknownEnd = makeApplication({ nik });
      const someoneElse = makeApplication({ nik: '3577014501900011' });
      await store.insertApplications(
        [
          received,
          sent,
          officerRejected,
          officerApproved,
          caRejected,
          valid,
          expired,
          unknownEnd,
          someoneElse,
        ],
        RECEIVED_FIRST,
      );
      const meta = { at: RECEIVED_LATER, actor: 'admin' };
      await store.recordOutcome(sent.id, { state: 'sent-to-ca' }, meta);
      await store.recordOutcome(caRejected.id, { state: 'ca-rejected', reason: 'NIP tidak aktif' }, meta);
      // Another offset, the same instant: compared as instants, not as text.
      const pem = '-----BEGIN CERTIFICATE-----\nAA==';
      await store.recordOutcome(
        valid.id,
        { state: 'issued', certificatePem: pem, notAfter: '2027-11-26T07:00:00+07:00' },
        meta,
      );
      await store.recordOutcome(expired.id, { state: 'issued', certificatePem: pem, notAfter: now }, meta);
      await store.recordOutcome(unknownEnd.id, { state: 'issued', certificatePem: pem }, meta);

      const key = await importNikHashKey(Buffer.from(await store.nikHashKey()).toString('base64'));
      const hash = await nikHash(key, nik);
      const absent = 'f'.repeat(64);
      expect(await store.countByNikHash([hash, absent, hash], now)).toEqual([
        // received, sent-to-ca, approved (still waiting for the CA)
        { hash, openApplications: 3, validCertificates: 2 },
        { hash: absent, openApplications: 0, validCertificates: 0 },
        { hash, openApplications: 3, validCertificates: 2 },
      ]);
    });

    test('applications stored before NIK hashes existed get theirs when the store opens', async () => {
      const old = await createTarget();
      try {
        // One more than a backfill transaction fills, so the backfill takes a second round.
        const records = Array.from({ length: BACKFILL_CHUNK_ROWS + 1 }, (_, i) =>
          makeApplication({ nik: `35770145019${String(i + 3).padStart(5, '0')}` }),
        );
        await atMigration(old, kind, '0007-attachments-table', async (db) => {
          for (const record of records) {
            await sql`insert into applications (id, kiosk_id, created_at, received_at, certificate_type, nama, nik, nip,
              email, perangkat_daerah, ocr_text, csr_pem, encrypted_private_key_pem, content_hash, state_changed_at)
              values (${record.id}, ${record.kioskId}, ${record.createdAt}, ${RECEIVED_FIRST}, ${record.certificateType},
              ${record.nama}, ${record.nik}, ${record.nip}, ${record.email}, ${record.perangkatDaerah},
              ${record.ocrText}, ${record.csrPem}, ${record.encryptedPrivateKeyPem}, ${record.contentHash},
              ${RECEIVED_FIRST})`.execute(db);
          }
        });
        const upgraded = await old.open();
        try {
          const key = await importNikHashKey(Buffer.from(await upgraded.nikHashKey()).toString('base64'));
          // In the backfill's (id) order: the first row, the last of the first round, the second round's.
          const byId = [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
          const sampled = byId.filter(
            (_, i) => i === 0 || i === BACKFILL_CHUNK_ROWS - 1 || i === BACKFILL_CHUNK_ROWS,
          );
          const hashes = await Promise.all(sampled.map((r) => nikHash(key, r.nik)));
          expect(
            (await upgraded.countByNikHash(hashes, RECEIVED_LATER)).map((c) => c.openApplications),
          ).toEqual([1, 1, 1]);
        } finally {
          await upgraded.close();
        }
      } finally {
        await old.dispose();
      }
    });
  });

  if (kind === 'sqlite') {
    test('the SQLite file is in WAL mode, with pages large enough for pictures', async () => {
      const file = target.sqliteFile ?? '';
      expect(existsSync(file)).toBe(true);
      const inspector = new Database(file, { readonly: true });
      try {
        expect(inspector.pragma('journal_mode', { simple: true })).toBe('wal');
        expect(inspector.pragma('page_size', { simple: true })).toBe(32768);
      } finally {
        inspector.close();
      }
    });
  }

  if (kind === 'postgres') {
    test('pictures are stored without TOAST compression: they are compressed images already', async () => {
      const client = new pg.Client({ connectionString: target.databaseUrl });
      await client.connect();
      try {
        const { rows } = await client.query<{ attstorage: string }>(
          "select attstorage from pg_attribute where (attrelid = 'application_attachments'::regclass and attname = 'data') or (attrelid = 'application_archive'::regclass and attname = 'sealed')",
        );
        // Legacy rows' pictures and the sealed archive's ciphertext alike.
        expect(rows).toEqual([{ attstorage: 'e' }, { attstorage: 'e' }]);
      } finally {
        await client.end();
      }
    });

    test('two servers starting at once on clear certificates leave each sealed, and both serve them', async () => {
      const old = await createTarget();
      const ca = makeOpensslCa('Test CA Backfill');
      const others: Store[] = [];
      try {
        const certificatePem = ca.issueForOtherKey('/C=ID/O=Pemerintah Kota Madiun/CN=SITI RAHAYU');
        // One more than a backfill transaction seals, so the backfill takes a second round.
        const records = Array.from({ length: CERTIFICATE_BACKFILL_CHUNK_ROWS + 1 }, () => makeApplication());
        await atMigration(old, kind, '0016-sealed-archive', async (db) => {
          for (const record of records) {
            await insertIssuedInClear(db, record, certificatePem);
          }
        });
        others.push(...(await Promise.all([old.open(), old.open()])));
        const rows = await rawCertificates(old);
        expect(rows).toHaveLength(records.length);
        const fingerprint = sha256Fingerprint(certificatePem);
        for (const row of rows) {
          expect([row.certificate_pem, row.certificate_sha256]).toEqual([null, fingerprint]);
          expect(row.certificate_sealed).not.toBeNull();
        }
        const sampled = [rows[0], rows.at(-1)].map((row) => row?.id ?? '');
        for (const server of others) {
          for (const id of sampled)
            expect((await server.getApplication(id))?.certificatePem).toBe(certificatePem);
        }
      } finally {
        for (const each of others) await each.close();
        ca.remove();
        await old.dispose();
      }
    });

    test('two processes reporting the same outcome at once record it once', async () => {
      const other = await open();
      const records = Array.from({ length: 20 }, () => makeApplication());
      await store.insertApplications(records, RECEIVED_FIRST);
      const results = await Promise.all(
        records.flatMap((record) =>
          [store, other].map((s) =>
            s.recordOutcome(record.id, { state: 'sent-to-ca' }, { at: RECEIVED_LATER, actor: 'ca' }),
          ),
        ),
      );
      expect(results.filter((r) => r.status === 'recorded')).toHaveLength(records.length);
      expect(results.filter((r) => r.status === 'unchanged')).toHaveLength(records.length);
      for (const record of records) {
        expect((await store.listApplicationEvents(record.id)).map((e) => e.event)).toEqual([
          'received',
          'sent-to-ca',
        ]);
      }
    });

    test('two server processes inserting the same ids concurrently store each exactly once', async () => {
      const other = await open();
      let total = 0;
      for (let round = 0; round < 5; round++) {
        const records = Array.from({ length: 20 }, () => makeApplication());
        // One sends a single batch, the other sends each record on its own, in reverse order.
        const [batchOutcomes, singleOutcomes] = await Promise.all([
          store.insertApplications(records, RECEIVED_FIRST),
          Promise.all(
            [...records].reverse().map(async (record) => {
              const [outcome] = await other.insertApplications([record], RECEIVED_LATER);
              return [record.id, outcome] as const;
            }),
          ),
        ]);
        const singleById = new Map(singleOutcomes);
        records.forEach((record, index) => {
          const pair = [batchOutcomes[index], singleById.get(record.id)].sort();
          expect(pair).toEqual(['duplicate', 'stored']);
        });
        total += records.length;
        expect(await store.countApplications()).toBe(total);
      }
    });
  }
});
