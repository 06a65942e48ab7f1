import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, inject, test } from 'vitest';
import { makeApplication } from '../../../tests/support/applications';
import { createScratchDatabase } from '../../../tests/support/postgres';
import { INSERT_CHUNK_ROWS } from './kysely-store';
import { storeMigrations } from './migrations';
import { openStore, SQLITE_FILE_NAME } from './open';
import type { InsertOutcome, NewApplication, Store, StoredApplication } from './store';

/** One database for one test. */
interface Target {
  /** Opens a store over the same database: a restart, or a second server process. */
  open(): Promise<Store>;
  dispose(): Promise<void>;
  sqliteFile?: string;
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
  receivedAt,
  state: 'received',
  stateChangedAt: receivedAt,
  certificatePem: null,
  stateReason: null,
});

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
      // A view into a larger buffer: only the viewed bytes are the image.
      makeApplication({ ektpImage: new Uint8Array(new Uint8Array([9, 9, 1, 2, 3, 9]).buffer, 2, 3) }),
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
      nama: null as unknown as string,
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

    const statuses = await store.applicationStatuses('kiosk-a', [
      mine.id,
      refused.id,
      waiting.id,
      theirs.id,
      mine.id,
    ]);
    expect(statuses.sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      [
        { id: mine.id, state: 'issued', changedAt: RECEIVED_LATER, certificatePem: 'PEM', reason: null },
        {
          id: refused.id,
          state: 'ca-rejected',
          changedAt: RECEIVED_LATER,
          certificatePem: null,
          reason: 'NIP tidak terdaftar',
        },
        { id: waiting.id, state: 'received', changedAt: RECEIVED_FIRST, certificatePem: null, reason: null },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
  });

  test('a database from before the attachments table keeps its pictures through the upgrade', async () => {
    const old = await createTarget();
    try {
      const dialect = old.sqliteFile
        ? (() => {
            mkdirSync(dirname(old.sqliteFile), { recursive: true });
            return new SqliteDialect({ database: new Database(old.sqliteFile) });
          })()
        : new PostgresDialect({ pool: new pg.Pool({ connectionString: old.databaseUrl, max: 1 }) });
      const db = new Kysely<Record<string, never>>({ dialect });
      const record = makeApplication({ ektpImage: new Uint8Array(randomBytes(200 * 1024)) });
      try {
        const migrator = new Migrator({ db, provider: { getMigrations: async () => storeMigrations(kind) } });
        expect((await migrator.migrateTo('0006-pictures-uncompressed')).error).toBeUndefined();
        // The row as the server stored it then: the picture in the application row.
        await sql`insert into applications (id, kiosk_id, created_at, received_at, certificate_type, nama, nik, nip,
          email, perangkat_daerah, ektp_media_type, ektp_image, ocr_text, csr_pem, encrypted_private_key_pem,
          content_hash, state_changed_at)
          values (${record.id}, ${record.kioskId}, ${record.createdAt}, ${RECEIVED_FIRST}, ${record.certificateType},
          ${record.nama}, ${record.nik}, ${record.nip}, ${record.email}, ${record.perangkatDaerah},
          ${record.ektpMediaType}, ${Buffer.from(record.ektpImage)}, ${record.ocrText}, ${record.csrPem},
          ${record.encryptedPrivateKeyPem}, ${record.contentHash}, ${RECEIVED_FIRST})`.execute(db);
      } finally {
        await db.destroy();
      }
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
          "select attstorage from pg_attribute where attrelid = 'application_attachments'::regclass and attname = 'data'",
        );
        expect(rows).toEqual([{ attstorage: 'e' }]);
      } finally {
        await client.end();
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
