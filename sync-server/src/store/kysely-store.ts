import { type Generated, type Insertable, type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import {
  isServerState,
  type ServerState,
  serverPredecessors,
} from '../../../src/core/application/server-state';
import { CERTIFICATE_TYPES, type CertificateType } from '../../../src/core/certificate/types';
import { migrateToLatest, type StoreKind } from './migrations';
import type {
  ApplicationEvent,
  EnrollOutcome,
  EventMeta,
  InsertOutcome,
  Kiosk,
  NewApplication,
  RecordOutcomeResult,
  Store,
  StoredApplication,
} from './store';

export interface ApplicationsTable {
  id: string;
  kiosk_id: string;
  created_at: string;
  received_at: string;
  certificate_type: string;
  nama: string;
  nik: string;
  nip: string | null;
  email: string;
  perangkat_daerah: string;
  jabatan: string | null;
  host: string | null;
  ocr_text: string;
  ektp_json: string | null;
  csr_pem: string;
  encrypted_private_key_pem: string;
  content_hash: string;
  /** Where the application is in its handling; `received` when stored. */
  state: Generated<string>;
  state_changed_at: string | null;
  certificate_pem: string | null;
  state_reason: string | null;
}

export interface ApplicationAttachmentsTable {
  application_id: string;
  /** `ektp` for the e-KTP picture. */
  kind: string;
  media_type: string;
  data: Uint8Array;
}

export interface ApplicationEventsTable {
  id: Generated<number | string>;
  application_id: string;
  at: string;
  event: string;
  actor: string;
  detail: string | null;
}

export interface KiosksTable {
  id: string;
  name: string;
  public_key_spki: string;
  enrolled_at: string;
  revoked_at: string | null;
}

export interface EnrollmentCodesTable {
  code_hash: string;
  name: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  kiosk_id: string | null;
}

export interface RequestNoncesTable {
  kiosk_id: string;
  nonce: string;
  seen_at: string;
}

export interface StoreDatabase {
  applications: ApplicationsTable;
  kiosks: KiosksTable;
  enrollment_codes: EnrollmentCodesTable;
  request_nonces: RequestNoncesTable;
  application_events: ApplicationEventsTable;
  application_attachments: ApplicationAttachmentsTable;
}

/**
 * Rows per INSERT statement: 16 bind parameters a row stays far below SQLite's 32,766 and
 * PostgreSQL's 65,535 limits, while still sparing most round trips.
 */
export const INSERT_CHUNK_ROWS = 500;
const SELECT_CHUNK_IDS = 1000;
/** Pictures per INSERT: a statement of 50 holds some 8 MB of bound bytes, not the whole batch. */
const ATTACHMENT_CHUNK_ROWS = 50;

/**
 * PostgreSQL errors after which re-running the whole batch is correct: serialization failure,
 * deadlock, and a unique violation from a concurrent insert of the same id.
 */
const RETRYABLE_PG_CODES = new Set(['40001', '40P01', '23505']);
const MAX_ATTEMPTS = 5;

/** Builds the store and brings its schema up to date; a failed migration closes it again. */
export async function openMigratedStore(db: Kysely<StoreDatabase>, kind: StoreKind): Promise<Store> {
  const store = createKyselyStore(db, kind);
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

export function createKyselyStore(db: Kysely<StoreDatabase>, kind: StoreKind): Store {
  let closing: Promise<void> | undefined;

  const runBatch = (records: NewApplication[], receivedAt: string) =>
    db.transaction().execute((trx) => insertBatch(trx, records, receivedAt));

  return {
    kind,
    migrate: () => migrateToLatest(db, kind),

    async insertApplications(records, receivedAt) {
      if (records.length === 0) return [];
      for (let attempt = 1; ; attempt++) {
        try {
          return await runBatch(records, receivedAt);
        } catch (error) {
          if (kind !== 'postgres' || attempt >= MAX_ATTEMPTS || !isRetryablePgError(error)) throw error;
          // Jittered backoff so two racing processes do not collide again in lockstep.
          await delay(attempt * 10 + Math.random() * 20);
        }
      }
    },

    async getApplication(id) {
      const row = await db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst();
      if (row === undefined) return null;
      const picture = await db
        .selectFrom('application_attachments')
        .select(['media_type', 'data'])
        .where('application_id', '=', id)
        .where('kind', '=', 'ektp')
        .executeTakeFirst();
      return fromRow(row, picture);
    },

    async countApplications() {
      const row = await db
        .selectFrom('applications')
        .select((eb) => eb.fn.countAll<number | string | bigint>().as('count'))
        .executeTakeFirstOrThrow();
      // PostgreSQL returns count(*) as a bigint string.
      return Number(row.count);
    },

    recordOutcome(id, change, meta) {
      return db.transaction().execute(async (trx): Promise<RecordOutcomeResult> => {
        // One conditional UPDATE: of two processes reporting the same change, one moves the row and
        // the other finds it already moved (PostgreSQL re-checks the condition after the row lock).
        const moved = await trx
          .updateTable('applications')
          .set({
            state: change.state,
            state_changed_at: meta.at,
            ...(change.state === 'issued' ? { certificate_pem: change.certificatePem } : {}),
            ...(change.state === 'ca-rejected' ? { state_reason: change.reason } : {}),
          })
          .where('id', '=', id)
          .where('state', 'in', serverPredecessors(change.state))
          .returning('id')
          .executeTakeFirst();
        if (moved === undefined) {
          const row = await trx
            .selectFrom('applications')
            .select(['state', 'certificate_pem', 'state_reason'])
            .where('id', '=', id)
            .executeTakeFirst();
          if (row === undefined) return { status: 'unknown' };
          const from = toServerState(row.state);
          const same =
            from === change.state &&
            (change.state !== 'issued' || row.certificate_pem === change.certificatePem) &&
            (change.state !== 'ca-rejected' || row.state_reason === change.reason);
          return same ? { status: 'unchanged' } : { status: 'illegal', from };
        }
        await trx
          .insertInto('application_events')
          .values(eventRow(id, change.state, meta))
          .execute();
        return { status: 'recorded' };
      });
    },

    async applicationStatuses(kioskId, ids) {
      const statuses = [];
      for (const chunk of chunks([...new Set(ids)], SELECT_CHUNK_IDS)) {
        const rows = await db
          .selectFrom('applications')
          .select(['id', 'state', 'state_changed_at', 'received_at', 'certificate_pem', 'state_reason'])
          .where('kiosk_id', '=', kioskId)
          .where('id', 'in', chunk)
          .execute();
        for (const row of rows) {
          statuses.push({
            id: row.id,
            state: toServerState(row.state),
            changedAt: row.state_changed_at ?? row.received_at,
            certificatePem: row.certificate_pem ?? null,
            reason: row.state_reason ?? null,
          });
        }
      }
      return statuses;
    },

    async listApplicationEvents(id) {
      const rows = await db
        .selectFrom('application_events')
        .selectAll()
        .where('application_id', '=', id)
        .orderBy('id')
        .execute();
      return rows.map(
        (row): ApplicationEvent => ({
          // PostgreSQL returns bigserial as a string.
          seq: Number(row.id),
          applicationId: row.application_id,
          at: row.at,
          event: row.event,
          actor: row.actor,
          detail: row.detail === null ? null : (JSON.parse(row.detail) as Record<string, string>),
        }),
      );
    },

    async countApplicationsByState() {
      const rows = await db
        .selectFrom('applications')
        .select(['state', (eb) => eb.fn.countAll<number | string | bigint>().as('count')])
        .groupBy('state')
        .orderBy('state')
        .execute();
      return Object.fromEntries(rows.map((row) => [row.state, Number(row.count)]));
    },

    async createEnrollmentCode(code) {
      await db
        .insertInto('enrollment_codes')
        .values({
          code_hash: code.codeHash,
          name: code.name,
          created_at: code.createdAt,
          expires_at: code.expiresAt,
          used_at: null,
          kiosk_id: null,
        })
        .execute();
    },

    enrollKiosk(enrollment) {
      return db.transaction().execute(async (trx): Promise<EnrollOutcome> => {
        // One conditional UPDATE claims the code: on PostgreSQL a concurrent claimant waits for the
        // row lock and then finds used_at set; on SQLite the write lock serialises the two.
        const claimed = await trx
          .updateTable('enrollment_codes')
          .set({ used_at: enrollment.at, kiosk_id: enrollment.kioskId })
          .where('code_hash', '=', enrollment.codeHash)
          .where('used_at', 'is', null)
          .where('expires_at', '>', enrollment.at)
          .returning('name')
          .executeTakeFirst();
        if (claimed === undefined) {
          const code = await trx
            .selectFrom('enrollment_codes')
            .select(['used_at'])
            .where('code_hash', '=', enrollment.codeHash)
            .executeTakeFirst();
          if (code === undefined) return { status: 'unknown' };
          return { status: code.used_at === null ? 'expired' : 'used' };
        }
        const kiosk: Kiosk = {
          id: enrollment.kioskId,
          name: claimed.name,
          enrolledAt: enrollment.at,
          revokedAt: null,
        };
        await trx
          .insertInto('kiosks')
          .values({
            id: kiosk.id,
            name: kiosk.name,
            public_key_spki: enrollment.publicKeySpki,
            enrolled_at: kiosk.enrolledAt,
            revoked_at: null,
          })
          .execute();
        return { status: 'enrolled', kiosk };
      });
    },

    async getKiosk(id) {
      const row = await db.selectFrom('kiosks').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? null : { ...kioskFromRow(row), publicKeySpki: row.public_key_spki };
    },

    async revokeKiosk(id, at) {
      // Only the first revocation sets the time; a second one is harmless.
      await db
        .updateTable('kiosks')
        .set({ revoked_at: at })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .execute();
      const row = await db.selectFrom('kiosks').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? { status: 'unknown' } : { status: 'revoked', kiosk: kioskFromRow(row) };
    },

    async listKiosks() {
      const rows = await db.selectFrom('kiosks').selectAll().orderBy('enrolled_at').orderBy('id').execute();
      return rows.map(kioskFromRow);
    },

    async recordNonce(kioskId, nonce, seenAt) {
      // The primary key (kiosk_id, nonce) decides: of two concurrent requests only one inserts.
      const inserted = await db
        .insertInto('request_nonces')
        .values({ kiosk_id: kioskId, nonce, seen_at: seenAt })
        .onConflict((oc) => oc.columns(['kiosk_id', 'nonce']).doNothing())
        .returning('nonce')
        .executeTakeFirst();
      return inserted === undefined ? 'replayed' : 'new';
    },

    async pruneNonces(before) {
      const result = await db.deleteFrom('request_nonces').where('seen_at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async ping() {
      await sql`select 1`.execute(db);
    },

    close() {
      // Idempotent: ending a pg pool twice throws.
      closing ??= db.destroy();
      return closing;
    },
  };
}

async function insertBatch(
  trx: Transaction<StoreDatabase>,
  records: NewApplication[],
  receivedAt: string,
): Promise<InsertOutcome[]> {
  // Only the first record of each id is offered for insertion; later ones in the batch are judged
  // against whatever ends up holding the id.
  const firstIndexById = new Map<string, number>();
  const candidates: NewApplication[] = [];
  records.forEach((record, index) => {
    if (!firstIndexById.has(record.id)) {
      firstIndexById.set(record.id, index);
      candidates.push(record);
    }
  });
  // A fixed lock order keeps two concurrent batches over the same ids from deadlocking.
  candidates.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const insertedIds = new Set<string>();
  for (const chunk of chunks(candidates, INSERT_CHUNK_ROWS)) {
    const rows = await trx
      .insertInto('applications')
      .values(chunk.map((record) => toRow(record, receivedAt)))
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .execute();
    for (const row of rows) insertedIds.add(row.id);
  }
  const received = candidates.filter((record) => insertedIds.has(record.id));
  for (const chunk of chunks(received, ATTACHMENT_CHUNK_ROWS)) {
    await trx.insertInto('application_attachments').values(chunk.map(pictureRow)).execute();
  }
  for (const chunk of chunks(received, INSERT_CHUNK_ROWS)) {
    await trx
      .insertInto('application_events')
      .values(
        chunk.map((record) =>
          eventRow(record.id, 'received', {
            at: receivedAt,
            actor: `kiosk:${record.kioskId}`,
            detail: { certificateType: record.certificateType, contentHash: record.contentHash },
          }),
        ),
      )
      .execute();
  }

  const heldHashById = new Map<string, string>();
  for (const record of candidates) {
    if (insertedIds.has(record.id)) heldHashById.set(record.id, record.contentHash);
  }
  const takenIds = candidates.filter((record) => !insertedIds.has(record.id)).map((record) => record.id);
  for (const chunk of chunks(takenIds, SELECT_CHUNK_IDS)) {
    const rows = await trx
      .selectFrom('applications')
      .select(['id', 'content_hash'])
      .where('id', 'in', chunk)
      .execute();
    for (const row of rows) heldHashById.set(row.id, row.content_hash);
  }

  return records.map((record, index) => {
    if (index === firstIndexById.get(record.id) && insertedIds.has(record.id)) return 'stored';
    const heldHash = heldHashById.get(record.id);
    // Rows are never deleted, so an id that refused the insert must be readable.
    if (heldHash === undefined) throw new Error(`application ${record.id} neither inserted nor found`);
    const sameContent =
      heldHash.startsWith('v2:') || record.legacyContentHash === undefined
        ? heldHash === record.contentHash
        : heldHash === record.legacyContentHash();
    return sameContent ? 'duplicate' : 'conflict';
  });
}

function toRow(record: NewApplication, receivedAt: string): Insertable<ApplicationsTable> {
  return {
    id: record.id,
    kiosk_id: record.kioskId,
    created_at: record.createdAt,
    received_at: receivedAt,
    certificate_type: record.certificateType,
    nama: record.nama,
    nik: record.nik,
    nip: record.nip ?? null,
    email: record.email,
    perangkat_daerah: record.perangkatDaerah,
    jabatan: record.jabatan,
    host: record.host,
    ocr_text: record.ocrText,
    ektp_json: record.ektpJson,
    csr_pem: record.csrPem,
    encrypted_private_key_pem: record.encryptedPrivateKeyPem,
    content_hash: record.contentHash,
    state_changed_at: receivedAt,
  };
}

function pictureRow(record: NewApplication): Insertable<ApplicationAttachmentsTable> {
  const image = record.ektpImage;
  return {
    application_id: record.id,
    kind: 'ektp',
    media_type: record.ektpMediaType,
    // Both drivers bind a Buffer as binary; wrapping shares the bytes instead of copying them.
    data: Buffer.from(image.buffer, image.byteOffset, image.byteLength),
  };
}

function eventRow(applicationId: string, event: string, meta: EventMeta): Insertable<ApplicationEventsTable> {
  return {
    application_id: applicationId,
    at: meta.at,
    event,
    actor: meta.actor,
    detail: meta.detail ? JSON.stringify(meta.detail) : null,
  };
}

function fromRow(
  row: Selectable<ApplicationsTable>,
  picture: Pick<Selectable<ApplicationAttachmentsTable>, 'media_type' | 'data'> | undefined,
): StoredApplication {
  return {
    id: row.id,
    kioskId: row.kiosk_id,
    createdAt: row.created_at,
    receivedAt: row.received_at,
    state: toServerState(row.state),
    stateChangedAt: row.state_changed_at ?? row.received_at,
    certificatePem: row.certificate_pem ?? null,
    stateReason: row.state_reason ?? null,
    certificateType: toCertificateType(row.certificate_type),
    nama: row.nama,
    nik: row.nik,
    nip: row.nip ?? null,
    email: row.email,
    perangkatDaerah: row.perangkat_daerah,
    jabatan: row.jabatan ?? null,
    host: row.host ?? null,
    ektpMediaType: picture?.media_type ?? '',
    // A plain copy: drivers may hand out a Buffer that views a larger shared pool.
    ektpImage: new Uint8Array(picture?.data ?? new Uint8Array()),
    ocrText: row.ocr_text,
    ektpJson: row.ektp_json ?? null,
    csrPem: row.csr_pem,
    encryptedPrivateKeyPem: row.encrypted_private_key_pem,
    contentHash: row.content_hash,
  };
}

function kioskFromRow(row: Selectable<KiosksTable>): Kiosk {
  return { id: row.id, name: row.name, enrolledAt: row.enrolled_at, revokedAt: row.revoked_at ?? null };
}

function toCertificateType(value: string): CertificateType {
  const known = CERTIFICATE_TYPES.find((type) => type === value);
  if (known === undefined) throw new Error(`stored application has an unknown certificate type: ${value}`);
  return known;
}

function toServerState(value: string): ServerState {
  if (!isServerState(value)) throw new Error(`stored application has an unknown state: ${value}`);
  return value;
}

function isRetryablePgError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  return typeof error.code === 'string' && RETRYABLE_PG_CODES.has(error.code);
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
