import { type Generated, type Insertable, type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import {
  CA_OUTCOMES,
  isServerState,
  SERVER_STATES,
  type ServerState,
  serverPredecessors,
} from '../../../src/core/application/server-state';
import { CERTIFICATE_TYPES, type CertificateType } from '../../../src/core/certificate/types';
import {
  DECISIONS,
  type DecisionKind,
  OFFICER_STATUSES,
  type OfficerStatus,
} from '../../../src/protocol/officer';
import { APPLICATION_RELATIONS, type ApplicationRelation } from '../../../src/protocol/sync';
import type { ArchiveSealer } from '../archive/archive-sealer';
import { applyCorrections, createArchiveMethods } from './kysely-archive';
import { type ArchiveKeyStore, type ArchiveKeysTable, createArchiveKeyMethods } from './kysely-archive-keys';
import {
  type AuditBreaksTable,
  createAuditMethods,
  type KioskAuditCheckpointsTable,
  type KioskAuditEventsTable,
  type ServerAuditEventsTable,
  type ServerAuditHeadTable,
} from './kysely-audit';
import { createEmailMethods, type EmailChallengesTable, type EmailConfirmationsTable } from './kysely-email';
import { createForwardingMethods } from './kysely-forwarding';
import {
  createLifecycleMethods,
  type IncidentsTable,
  type RevocationAttachmentsTable,
  type RevocationsTable,
} from './kysely-lifecycle';
import { createReportMethods } from './kysely-report';
import { migrateToLatest, type StoreKind } from './migrations';
import { nikHashHex } from './nik-hash';
import {
  BLANK_PERSONAL_COLUMNS,
  certificateFacts,
  openCertificate,
  type PersonalData,
  PURGED_PERSONAL,
  personalOf,
  readPersonal,
  type SealedCertificate,
  type SealedOutcomeChange,
  type SealedPersonal,
  sealCertificate,
  sealOutcome,
  sealPersonal,
} from './sealed-personal';
import { serverSecret } from './server-secrets';
import type {
  ApplicationEvent,
  EnrollOutcome,
  EventMeta,
  InsertOutcome,
  Kiosk,
  LockOfficerOutcome,
  NewApplication,
  NikCount,
  OfficerEnrollOutcome,
  RecordOutcomeResult,
  ReleaseOutcome,
  Store,
  StoredApplication,
  StoredOfficer,
  UnlockOfficerOutcome,
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
  /** Only in rows from before 0017 the backfill has not sealed yet; null otherwise. */
  certificate_pem: string | null;
  /** The issued certificate as received, sealed to the archive key (`<id>/certificate`). */
  certificate_sealed: Uint8Array | null;
  /** Upper-case hex SHA-256 of the issued leaf's DER: a fingerprint, not personal. */
  certificate_sha256: string | null;
  state_reason: string | null;
  /** HMAC-SHA-256 (hex) of the NIK under the RA's key; null only until the backfill after 0008. */
  nik_hash: string | null;
  /** ISO end of validity of the issued certificate. */
  certificate_not_after: string | null;
  /** pns | pppk | pejabat; null from kiosks before officer mode (as the four below). */
  category: string | null;
  /** E.164 `+628…`. */
  mobile: string | null;
  agreement_version: string | null;
  agreement_accepted_at: string | null;
  obligations_accepted_at: string | null;
  /** The application whose certificate this one renews or replaces (with its serial and why). */
  previous_application_id: string | null;
  previous_serial: string | null;
  previous_relation: string | null;
  /** The issued certificate's serial, upper-case hex. */
  certificate_serial: string | null;
  /** Set when the personal data was deleted after retention (`archive-purge`). */
  purged_at: string | null;
}

/** One sealed blob per application: its personal data and files (`sealed-personal.ts`). */
export interface ApplicationArchiveTable {
  application_id: string;
  key_id: string;
  sealed: Uint8Array;
  sealed_at: string;
}

/** An officer's signed correction, sealed (it names the person); never an edit of the record. */
export interface ApplicationCorrectionsTable {
  id: string;
  application_id: string;
  officer_id: string;
  corrected_at: string;
  key_id: string;
  sealed: Uint8Array;
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

export interface OfficersTable {
  id: string;
  username: string;
  nama: string;
  nip: string | null;
  status: string;
  created_at: string;
  locked_at: string | null;
  lock_reason: string | null;
}

export interface OfficerEnrollmentCodesTable {
  code_hash: string;
  officer_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  key_id: string | null;
}

export interface OfficerKeysTable {
  key_id: string;
  officer_id: string;
  kiosk_id: string;
  public_key_spki: string;
  created_at: string;
  revoked_at: string | null;
}

export interface ApplicationDecisionsTable {
  application_id: string;
  decision: string;
  /** JSON array of reason codes. */
  reasons: string;
  officer_id: string;
  key_id: string;
  decided_at: string;
  payload: string;
  signature: string;
}

export interface ApplicationReleasesTable {
  application_id: string;
  officer_id: string;
  key_id: string;
  released_at: string;
  payload: string;
  signature: string;
}

export interface ServerSecretsTable {
  name: string;
  value: string;
  created_at: string;
}

export interface CaForwardingTable {
  application_id: string;
  status: string;
  claim_token: string | null;
  claim_expires_at: string | null;
  attempts: Generated<number>;
  next_attempt_at: string | null;
  ca_reference: string | null;
  submitted_at: string | null;
  poll_attempts: Generated<number>;
  next_poll_at: string | null;
  last_error: string | null;
  updated_at: string;
}

export interface StoreDatabase {
  applications: ApplicationsTable;
  kiosks: KiosksTable;
  enrollment_codes: EnrollmentCodesTable;
  request_nonces: RequestNoncesTable;
  application_events: ApplicationEventsTable;
  application_attachments: ApplicationAttachmentsTable;
  officers: OfficersTable;
  officer_enrollment_codes: OfficerEnrollmentCodesTable;
  officer_keys: OfficerKeysTable;
  application_decisions: ApplicationDecisionsTable;
  application_releases: ApplicationReleasesTable;
  server_secrets: ServerSecretsTable;
  ca_forwarding: CaForwardingTable;
  email_challenges: EmailChallengesTable;
  email_confirmations: EmailConfirmationsTable;
  revocations: RevocationsTable;
  revocation_attachments: RevocationAttachmentsTable;
  incidents: IncidentsTable;
  kiosk_audit_events: KioskAuditEventsTable;
  kiosk_audit_checkpoints: KioskAuditCheckpointsTable;
  server_audit_events: ServerAuditEventsTable;
  server_audit_head: ServerAuditHeadTable;
  audit_breaks: AuditBreaksTable;
  archive_keys: ArchiveKeysTable;
  application_archive: ApplicationArchiveTable;
  application_corrections: ApplicationCorrectionsTable;
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

const NIK_HASH_KEY_NAME = 'nik-hash-key';
/** Rows whose NIK hash one backfill transaction fills. */
export const BACKFILL_CHUNK_ROWS = 500;
/** Applications one sealing backfill transaction seals (each holds its pictures in memory). */
export const SEAL_BACKFILL_CHUNK_ROWS = 50;
/** Certificates one sealing backfill transaction seals. */
export const CERTIFICATE_BACKFILL_CHUNK_ROWS = 200;
/** States an application leaves only by the CA's answer: still open for the duplicate-NIK check. */
const OPEN_STATES = SERVER_STATES.filter((state) => !(CA_OUTCOMES as readonly string[]).includes(state));

/** Builds the store and brings its schema up to date; a failed migration closes it again. */
export async function openMigratedStore(
  db: Kysely<StoreDatabase>,
  kind: StoreKind,
  sealer: SealerFactory,
): Promise<Store> {
  const store = createKyselyStore(db, kind, sealer);
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/** Makes the store's archive sealer over its own archive keys (`open.ts` resolves the passphrase). */
export type SealerFactory = (keys: ArchiveKeyStore) => ArchiveSealer;

export function createKyselyStore(
  db: Kysely<StoreDatabase>,
  kind: StoreKind,
  makeSealer: SealerFactory,
): Store {
  let closing: Promise<void> | undefined;
  const archiveKeyMethods = createArchiveKeyMethods(db);
  const sealer = makeSealer(archiveKeyMethods);
  /** Personal data of these applications, opened from the sealed archive. */
  const personal = (ids: readonly string[]) => readPersonal(db, sealer, ids);
  const archiveMethods = createArchiveMethods(db, sealer);
  /** The issued certificate text: opened, or from a row the backfill has not sealed yet. */
  const certificateOf = async (row: {
    id: string;
    certificate_pem: string | null;
    certificate_sealed: Uint8Array | null;
  }): Promise<string | null> =>
    row.certificate_sealed === null
      ? row.certificate_pem
      : openCertificate(sealer, row.id, new Uint8Array(row.certificate_sealed));

  const nikHashKey = serverSecret(db, NIK_HASH_KEY_NAME);

  /** Rows stored before the NIK hash existed get theirs: idempotent, so racing processes agree. */
  async function backfillNikHashes(): Promise<void> {
    const missing = await db
      .selectFrom('applications')
      .select('id')
      .where('nik_hash', 'is', null)
      .limit(1)
      .executeTakeFirst();
    // A new database makes its key when it first needs it, not on every open.
    if (missing === undefined) return;
    const key = await nikHashKey();
    for (;;) {
      const rows = await db
        .selectFrom('applications')
        .select(['id', 'nik'])
        .where('nik_hash', 'is', null)
        .orderBy('id')
        .limit(BACKFILL_CHUNK_ROWS)
        .execute();
      // Writes only inside the transaction (SQLite takes its write lock at the first one); a row
      // another process filled meanwhile got the same value.
      await db.transaction().execute(async (trx) => {
        for (const row of rows) {
          await trx
            .updateTable('applications')
            .set({ nik_hash: nikHashHex(key, row.nik) })
            .where('id', '=', row.id)
            .where('nik_hash', 'is', null)
            .execute();
        }
      });
      if (rows.length < BACKFILL_CHUNK_ROWS) return;
    }
  }

  const runBatch = async (
    records: NewApplication[],
    receivedAt: string,
    sealed: ReadonlyMap<string, SealedPersonal>,
  ) => {
    const key = await nikHashKey();
    return db.transaction().execute((trx) => insertBatch(trx, records, receivedAt, key, sealed));
  };

  /**
   * Rows stored before the sealed archive get sealed and their plaintext columns blanked, in
   * chunks, each in its own transaction: an interrupted run resumes where it stopped, and a row
   * another process sealed meanwhile is left alone (the insert does nothing, the blanking is the
   * same). Needs only the archive's public key.
   */
  async function backfillSealedArchive(): Promise<void> {
    for (;;) {
      const rows = await db
        .selectFrom('applications as a')
        .select(['a.id', 'a.received_at'])
        .where('a.purged_at', 'is', null)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('application_archive as s')
                .select('s.application_id')
                .whereRef('s.application_id', '=', 'a.id'),
            ),
          ),
        )
        .orderBy('a.id')
        .limit(SEAL_BACKFILL_CHUNK_ROWS)
        .execute();
      if (rows.length === 0) return;
      const plain = await readPersonal(
        db,
        sealer,
        rows.map((r) => r.id),
      );
      const sealed = new Map<string, SealedPersonal>();
      for (const row of rows) {
        const data = plain.get(row.id);
        if (data !== undefined) sealed.set(row.id, await sealPersonal(sealer, row.id, data));
      }
      await db.transaction().execute(async (trx) => {
        for (const row of rows) {
          const entry = sealed.get(row.id);
          if (entry === undefined) continue;
          await trx
            .insertInto('application_archive')
            .values(archiveRow(row.id, entry, row.received_at))
            .onConflict((oc) => oc.column('application_id').doNothing())
            .execute();
          await trx
            .updateTable('applications')
            .set(BLANK_PERSONAL_COLUMNS)
            .where('id', '=', row.id)
            .execute();
          await trx.deleteFrom('application_attachments').where('application_id', '=', row.id).execute();
        }
      });
      if (rows.length < SEAL_BACKFILL_CHUNK_ROWS) return;
    }
  }

  const officerById = async (executor: Kysely<StoreDatabase> | Transaction<StoreDatabase>, id: string) => {
    const row = await executor.selectFrom('officers').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : officerFromRow(row);
  };

  async function readApplication(id: string, corrected: boolean): Promise<StoredApplication | null> {
    const row = await db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) return null;
    const opened = row.purged_at === null ? (await personal([id])).get(id) : undefined;
    const application = fromRow(row, opened ?? PURGED_PERSONAL, await certificateOf(row));
    if (!corrected || opened === undefined) return application;
    // Corrections are statements beside the record, applied in order on every read.
    return applyCorrections(application, await archiveMethods.listCorrections(id));
  }

  const getApplication = (id: string) => readApplication(id, true);

  /**
   * Certificates issued before the serial had its column get it from their PEM (idempotent). Only
   * clear ones: a sealed certificate got its serial when it was sealed, and opening here would keep
   * a server without the archive passphrase from starting.
   */
  async function backfillCertificateSerials(): Promise<void> {
    const rows = await db
      .selectFrom('applications')
      .select(['id', 'certificate_pem'])
      .where('state', '=', 'issued')
      .where('certificate_serial', 'is', null)
      .where('certificate_pem', 'is not', null)
      .execute();
    for (const row of rows) {
      const { serialHex } = certificateFacts(row.certificate_pem ?? '');
      if (serialHex === null) continue;
      await db
        .updateTable('applications')
        .set({ certificate_serial: serialHex })
        .where('id', '=', row.id)
        .where('certificate_serial', 'is', null)
        .execute();
    }
  }

  /**
   * Certificates kept in clear by an older server get sealed and their text cleared, in chunks,
   * each in its own transaction: an interrupted run resumes, and a row another process sealed
   * meanwhile is left alone (the guard on `certificate_pem`). A purged application's certificate
   * is cleared without sealing: retention deletes it, as `purgePersonalData` now does.
   */
  async function backfillSealedCertificates(): Promise<void> {
    for (;;) {
      const rows = await db
        .selectFrom('applications')
        .select(['id', 'certificate_pem', 'certificate_serial', 'purged_at'])
        .where('certificate_pem', 'is not', null)
        .orderBy('id')
        .limit(CERTIFICATE_BACKFILL_CHUNK_ROWS)
        .execute();
      if (rows.length === 0) return;
      const sealed = new Map<string, SealedCertificate>();
      for (const row of rows) {
        if (row.purged_at === null && row.certificate_pem !== null) {
          sealed.set(row.id, await sealCertificate(sealer, row.id, row.certificate_pem));
        }
      }
      await db.transaction().execute(async (trx) => {
        for (const row of rows) {
          const entry = sealed.get(row.id);
          const facts = entry ?? certificateFacts(row.certificate_pem ?? '');
          await trx
            .updateTable('applications')
            .set({
              certificate_pem: null,
              certificate_sealed: entry === undefined ? null : binary(entry.sealed),
              certificate_sha256: facts.sha256,
              certificate_serial: row.certificate_serial ?? facts.serialHex,
            })
            .where('id', '=', row.id)
            .where('certificate_pem', 'is not', null)
            .execute();
        }
      });
      if (rows.length < CERTIFICATE_BACKFILL_CHUNK_ROWS) return;
    }
  }

  return {
    kind,
    // The CA gets the application as the applicant signed its request: a corrected name would no
    // longer match the CSR's subject.
    ...createForwardingMethods(db, kind, {
      getApplication: (id) => readApplication(id, false),
      applyOutcome,
      personal,
      sealCertificate: (id, text) => sealCertificate(sealer, id, text),
    }),
    ...createReportMethods(db),
    ...createEmailMethods(db),
    ...archiveKeyMethods,
    ...archiveMethods,
    ...createLifecycleMethods(db, kind, personal, sealer),
    ...createAuditMethods(db),
    async migrate() {
      await migrateToLatest(db, kind);
      await backfillNikHashes();
      await backfillCertificateSerials();
      await backfillSealedArchive();
      await backfillSealedCertificates();
    },

    async insertApplications(records, receivedAt) {
      if (records.length === 0) return [];
      // Sealed once, before the transaction (and outside its retries): one blob per application,
      // of the first record with each id (the one insertBatch offers; later ones only compare).
      const firsts = new Map<string, NewApplication>();
      for (const record of records) if (!firsts.has(record.id)) firsts.set(record.id, record);
      const sealed = new Map<string, SealedPersonal>();
      await Promise.all(
        [...firsts.values()].map(async (record) => {
          sealed.set(record.id, await sealPersonal(sealer, record.id, personalOf(record)));
        }),
      );
      for (let attempt = 1; ; attempt++) {
        try {
          return await runBatch(records, receivedAt, sealed);
        } catch (error) {
          if (kind !== 'postgres' || attempt >= MAX_ATTEMPTS || !isRetryablePgError(error)) throw error;
          // Jittered backoff so two racing processes do not collide again in lockstep.
          await delay(attempt * 10 + Math.random() * 20);
        }
      }
    },

    getApplication,

    async countApplications() {
      const row = await db
        .selectFrom('applications')
        .select((eb) => eb.fn.countAll<number | string | bigint>().as('count'))
        .executeTakeFirstOrThrow();
      // PostgreSQL returns count(*) as a bigint string.
      return Number(row.count);
    },

    async recordOutcome(id, change, meta) {
      const sealed = await sealOutcome(sealer, id, change);
      return db.transaction().execute((trx) => applyOutcome(trx, id, sealed, meta));
    },

    async applicationStatuses(kioskId, ids) {
      const statuses = [];
      for (const chunk of chunks([...new Set(ids)], SELECT_CHUNK_IDS)) {
        const rows = await db
          .selectFrom('applications')
          .select([
            'id',
            'state',
            'state_changed_at',
            'received_at',
            'certificate_pem',
            'certificate_sealed',
            'state_reason',
          ])
          // Pasal 10: whether the application's e-mail is proven (the forwarding job waits for it).
          .select((eb) =>
            eb
              .exists(
                eb
                  .selectFrom('email_confirmations as c')
                  .select('c.application_id')
                  .whereRef('c.application_id', '=', 'applications.id')
                  .where(sql<boolean>`c.email = lower(applications.email)`),
              )
              .as('email_confirmed'),
          )
          .where('kiosk_id', '=', kioskId)
          .where('id', 'in', chunk)
          .execute();
        for (const row of rows) {
          statuses.push({
            id: row.id,
            state: toServerState(row.state),
            changedAt: row.state_changed_at ?? row.received_at,
            // The kiosk hands the certificate over: opened here, in clear on the (signed) wire.
            certificatePem: await certificateOf(row),
            reason: row.state_reason ?? null,
            // SQLite answers 0/1, PostgreSQL a boolean.
            emailConfirmed: Boolean(row.email_confirmed),
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

    heldContentHashes(ids) {
      return readContentHashes(db, [...new Set(ids)], new Map());
    },

    async getDecision(applicationId) {
      const row = await db
        .selectFrom('application_decisions')
        .selectAll()
        .where('application_id', '=', applicationId)
        .executeTakeFirst();
      if (row === undefined) return null;
      return {
        ...statementFromRow(row),
        decision: toDecisionKind(row.decision),
        reasons: JSON.parse(row.reasons) as string[],
        decidedAt: row.decided_at,
      };
    },

    nikHashKey,

    async countByNikHash(hashes, now) {
      const unique = [...new Set(hashes)];
      const counts = new Map<string, NikCount>();
      for (const chunk of chunks(unique, SELECT_CHUNK_IDS)) {
        const rows = await db
          .selectFrom('applications as a')
          .leftJoin('application_decisions as d', 'd.application_id', 'a.id')
          .select([
            'a.nik_hash',
            // Open: the CA has not answered, and the officer did not reject it.
            sql<number | string | bigint>`sum(case when a.state in (${sql.join(OPEN_STATES)})
              and (d.decision is null or d.decision <> 'rejected') then 1 else 0 end)`.as('open'),
            // An issued certificate of unknown end (issued before the end was recorded) counts as
            // valid: better a question to the officer than a second certificate unnoticed.
            sql<number | string | bigint>`sum(case when a.state = 'issued'
              and (a.certificate_not_after is null or a.certificate_not_after > ${isoTime(now)})
              then 1 else 0 end)`.as('valid'),
          ])
          .where('a.nik_hash', 'in', chunk)
          .groupBy('a.nik_hash')
          .execute();
        for (const row of rows) {
          if (row.nik_hash === null) continue;
          counts.set(row.nik_hash, {
            hash: row.nik_hash,
            openApplications: Number(row.open),
            validCertificates: Number(row.valid),
          });
        }
      }
      return hashes.map((hash) => counts.get(hash) ?? { hash, openApplications: 0, validCertificates: 0 });
    },

    createOfficer(officer, code) {
      return db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('officers')
          .values({
            id: officer.id,
            username: officer.username,
            nama: officer.nama,
            nip: officer.nip,
            status: officer.status,
            created_at: officer.createdAt,
            locked_at: officer.lockedAt,
            lock_reason: officer.lockReason,
          })
          .onConflict((oc) => oc.column('username').doNothing())
          .returning('id')
          .executeTakeFirst();
        if (inserted === undefined) return { status: 'username-taken' } as const;
        await trx.insertInto('officer_enrollment_codes').values(officerCodeRow(officer.id, code)).execute();
        return { status: 'created', officer } as const;
      });
    },

    async createOfficerCode(officerId, code) {
      const officer = await officerById(db, officerId);
      if (officer === null) return { status: 'unknown' };
      if (officer.status !== 'active') return { status: 'not-active', officer };
      await db.insertInto('officer_enrollment_codes').values(officerCodeRow(officerId, code)).execute();
      return { status: 'created', officer };
    },

    getOfficer: (id) => officerById(db, id),

    async getOfficerByUsername(username) {
      const row = await db
        .selectFrom('officers')
        .selectAll()
        .where('username', '=', username)
        .executeTakeFirst();
      return row === undefined ? null : officerFromRow(row);
    },

    async listOfficers() {
      const rows = await db.selectFrom('officers').selectAll().orderBy('username').execute();
      const counts = await db
        .selectFrom('officer_keys')
        .select(['officer_id', (eb) => eb.fn.countAll<number | string | bigint>().as('count')])
        .where('revoked_at', 'is', null)
        .groupBy('officer_id')
        .execute();
      const active = new Map(counts.map((row) => [row.officer_id, Number(row.count)]));
      return rows.map((row) => ({ ...officerFromRow(row), activeKeys: active.get(row.id) ?? 0 }));
    },

    enrollOfficer(enrollment) {
      return db.transaction().execute(async (trx): Promise<OfficerEnrollOutcome> => {
        // A write first: it takes the officer's row lock (PostgreSQL) or the database's write lock
        // (SQLite), so a rival claim of the same code, or a lock of the account, waits for this
        // transaction and then sees what it did.
        const row = await trx
          .updateTable('officers')
          .set((eb) => ({ status: eb.ref('status') }))
          .where('username', '=', enrollment.username)
          .returningAll()
          .executeTakeFirst();
        if (row === undefined) return { status: 'unknown' };
        const officer = officerFromRow(row);
        const code = await trx
          .selectFrom('officer_enrollment_codes')
          .select(['officer_id', 'used_at', 'expires_at'])
          .where('code_hash', '=', enrollment.codeHash)
          .executeTakeFirst();
        // Another officer's code is no code for this one.
        if (code === undefined || code.officer_id !== officer.id) return { status: 'unknown' };
        if (code.used_at !== null) return { status: 'used' };
        if (code.expires_at <= enrollment.at) return { status: 'expired' };
        if (officer.status !== 'active') return { status: 'not-active', officer };
        const claimed = await trx
          .updateTable('officer_enrollment_codes')
          .set({ used_at: enrollment.at, key_id: enrollment.keyId })
          .where('code_hash', '=', enrollment.codeHash)
          .where('used_at', 'is', null)
          .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) !== 1) return { status: 'used' };
        await trx
          .insertInto('officer_keys')
          .values({
            key_id: enrollment.keyId,
            officer_id: officer.id,
            kiosk_id: enrollment.kioskId,
            public_key_spki: enrollment.publicKeySpki,
            created_at: enrollment.at,
            revoked_at: null,
          })
          .execute();
        return { status: 'enrolled', officer, keyId: enrollment.keyId };
      });
    },

    async getOfficerKey(keyId) {
      const row = await db
        .selectFrom('officer_keys')
        .selectAll()
        .where('key_id', '=', keyId)
        .executeTakeFirst();
      if (row === undefined) return null;
      return {
        keyId: row.key_id,
        officerId: row.officer_id,
        kioskId: row.kiosk_id,
        publicKeySpki: row.public_key_spki,
        createdAt: row.created_at,
        revokedAt: row.revoked_at ?? null,
      };
    },

    lockOfficer(id, lock) {
      return db.transaction().execute(async (trx): Promise<LockOfficerOutcome> => {
        const moved = await trx
          .updateTable('officers')
          .set({ status: 'locked', locked_at: lock.at, lock_reason: lock.reason })
          .where('id', '=', id)
          .where('status', '=', 'active')
          .returningAll()
          .executeTakeFirst();
        const officer = moved === undefined ? await officerById(trx, id) : officerFromRow(moved);
        if (officer === null) return { status: 'unknown' };
        // Whatever the account's state was: after a lock no key of the officer signs anything, and
        // no code handed out before it enrolls a new one.
        const revoked = await trx
          .updateTable('officer_keys')
          .set({ revoked_at: lock.at })
          .where('officer_id', '=', id)
          .where('revoked_at', 'is', null)
          .executeTakeFirst();
        await trx
          .deleteFrom('officer_enrollment_codes')
          .where('officer_id', '=', id)
          .where('used_at', 'is', null)
          .execute();
        return {
          status: moved === undefined ? 'unchanged' : 'locked',
          officer,
          revokedKeys: Number(revoked.numUpdatedRows),
        };
      });
    },

    async unlockOfficer(id): Promise<UnlockOfficerOutcome> {
      const moved = await db
        .updateTable('officers')
        .set({ status: 'active', locked_at: null, lock_reason: null })
        .where('id', '=', id)
        .where('status', '=', 'locked')
        .returningAll()
        .executeTakeFirst();
      if (moved !== undefined) return { status: 'unlocked', officer: officerFromRow(moved) };
      const officer = await officerById(db, id);
      return officer === null ? { status: 'unknown' } : { status: 'unchanged', officer };
    },

    recordRelease(release) {
      return db.transaction().execute((trx) => insertRelease(trx, release));
    },

    async getRelease(applicationId) {
      const row = await db
        .selectFrom('application_releases')
        .selectAll()
        .where('application_id', '=', applicationId)
        .executeTakeFirst();
      if (row === undefined) return null;
      return { ...statementFromRow(row), releasedAt: row.released_at };
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

/**
 * Moves an application to a later state and appends its event, inside the caller's transaction.
 * One conditional UPDATE: of two processes reporting the same change, one moves the row and the
 * other finds it already moved (PostgreSQL re-checks the condition after the row lock).
 */
export async function applyOutcome(
  trx: Transaction<StoreDatabase>,
  id: string,
  change: SealedOutcomeChange,
  meta: EventMeta,
): Promise<RecordOutcomeResult> {
  const moved = await trx
    .updateTable('applications')
    .set({
      state: change.state,
      state_changed_at: meta.at,
      ...(change.state === 'issued'
        ? {
            certificate_pem: null,
            certificate_sealed: binary(change.certificate.sealed),
            certificate_sha256: change.certificate.sha256,
            certificate_not_after: change.notAfter === undefined ? null : isoTime(change.notAfter),
            certificate_serial: change.serialNumberHex?.toUpperCase() ?? change.certificate.serialHex,
          }
        : {}),
      ...(change.state === 'ca-rejected' ? { state_reason: change.reason } : {}),
    })
    .where('id', '=', id)
    .where('state', 'in', serverPredecessors(change.state))
    .returning('id')
    .executeTakeFirst();
  if (moved === undefined) {
    const row = await trx
      .selectFrom('applications')
      .select(['state', 'certificate_pem', 'certificate_sha256', 'state_reason'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (row === undefined) return { status: 'unknown' };
    const from = toServerState(row.state);
    // The same certificate again by its fingerprint: the sealed text is not opened for this.
    const heldSha256 =
      row.certificate_sha256 ??
      (row.certificate_pem === null ? null : certificateFacts(row.certificate_pem).sha256);
    const same =
      from === change.state &&
      (change.state !== 'issued' || heldSha256 === change.certificate.sha256) &&
      (change.state !== 'ca-rejected' || row.state_reason === change.reason);
    return same ? { status: 'unchanged' } : { status: 'illegal', from };
  }
  await trx
    .insertInto('application_events')
    .values(eventRow(id, change.state, meta))
    .execute();
  return { status: 'recorded' };
}

/** Adds the content hash of each stored application among `ids` to `held`, read in chunks. */
async function readContentHashes(
  db: Kysely<StoreDatabase>,
  ids: readonly string[],
  held: Map<string, string>,
): Promise<Map<string, string>> {
  for (const chunk of chunks(ids, SELECT_CHUNK_IDS)) {
    const rows = await db
      .selectFrom('applications')
      .select(['id', 'content_hash'])
      .where('id', 'in', chunk)
      .execute();
    for (const row of rows) held.set(row.id, row.content_hash);
  }
  return held;
}

async function insertBatch(
  trx: Transaction<StoreDatabase>,
  records: NewApplication[],
  receivedAt: string,
  nikKey: Uint8Array,
  sealed: ReadonlyMap<string, SealedPersonal>,
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
      .values(chunk.map((record) => toRow(record, receivedAt, nikKey)))
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .execute();
    for (const row of rows) insertedIds.add(row.id);
  }
  const received = candidates.filter((record) => insertedIds.has(record.id));
  const archived = received.map((record) => {
    const entry = sealed.get(record.id);
    if (entry === undefined) throw new Error(`application ${record.id} was not sealed`);
    return archiveRow(record.id, entry, receivedAt);
  });
  for (const chunk of chunks(archived, ATTACHMENT_CHUNK_ROWS)) {
    await trx.insertInto('application_archive').values(chunk).execute();
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
  // The officer's decision, with its application or not at all.
  const decided = received.flatMap((record) =>
    record.decision ? [{ id: record.id, ...record.decision }] : [],
  );
  for (const chunk of chunks(decided, INSERT_CHUNK_ROWS)) {
    await trx
      .insertInto('application_decisions')
      .values(
        chunk.map((d) => ({
          application_id: d.id,
          decision: d.decision,
          reasons: JSON.stringify(d.reasons),
          officer_id: d.officerId,
          key_id: d.keyId,
          decided_at: d.decidedAt,
          payload: d.payload,
          signature: d.signature,
        })),
      )
      .execute();
    await trx
      .insertInto('application_events')
      .values(
        chunk.map((d) =>
          eventRow(d.id, 'decision-recorded', {
            at: receivedAt,
            actor: `officer:${d.officerId}`,
            detail: {
              decision: d.decision,
              keyId: d.keyId,
              decidedAt: d.decidedAt,
              reasons: d.reasons.join(','),
            },
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
  await readContentHashes(trx, takenIds, heldHashById);

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

/**
 * One release statement's applications: each is checked against its decision and released at most
 * once. The first statement is the write, an INSERT … SELECT of the releasable ids: on SQLite it
 * takes the write lock at once (a transaction that read first could not upgrade while another
 * process writes), on PostgreSQL the primary key decides between racing processes.
 */
async function insertRelease(
  trx: Transaction<StoreDatabase>,
  release: Parameters<Store['recordRelease']>[0],
): Promise<ReleaseOutcome[]> {
  const ids = [...new Set(release.applicationIds)].sort();
  const released = new Set<string>();
  for (const chunk of chunks(ids, SELECT_CHUNK_IDS)) {
    const rows = await trx
      .insertInto('application_releases')
      .columns(['application_id', 'officer_id', 'key_id', 'released_at', 'payload', 'signature'])
      .expression((eb) =>
        eb
          .selectFrom('application_decisions as d')
          .select([
            'd.application_id',
            sql<string>`${release.officerId}`.as('officer_id'),
            sql<string>`${release.keyId}`.as('key_id'),
            sql<string>`${release.releasedAt}`.as('released_at'),
            sql<string>`${release.payload}`.as('payload'),
            sql<string>`${release.signature}`.as('signature'),
          ])
          .where('d.application_id', 'in', chunk)
          .where('d.decision', '=', 'approved')
          .$if(release.twoPersonRule, (qb) => qb.where('d.officer_id', '<>', release.officerId))
          // One lock order for concurrent releases over the same ids.
          .orderBy('d.application_id'),
      )
      .onConflict((oc) => oc.column('application_id').doNothing())
      .returning('application_id')
      .execute();
    for (const row of rows) released.add(row.application_id);
  }
  const newlyReleased = ids.filter((id) => released.has(id));
  for (const chunk of chunks(newlyReleased, INSERT_CHUNK_ROWS)) {
    await trx
      .insertInto('application_events')
      .values(
        chunk.map((id) =>
          eventRow(id, 'released', {
            at: release.receivedAt,
            actor: `officer:${release.officerId}`,
            detail: { keyId: release.keyId, releasedAt: release.releasedAt },
          }),
        ),
      )
      .execute();
  }
  // Why the others were not released: read under the write lock, so it matches what was done.
  const known = new Map<string, { decision: string | null; officerId: string | null }>();
  const unreleased = ids.filter((id) => !released.has(id));
  for (const chunk of chunks(unreleased, SELECT_CHUNK_IDS)) {
    const rows = await trx
      .selectFrom('applications as a')
      .leftJoin('application_decisions as d', 'd.application_id', 'a.id')
      .select(['a.id', 'd.decision', 'd.officer_id'])
      .where('a.id', 'in', chunk)
      .execute();
    for (const row of rows) known.set(row.id, { decision: row.decision, officerId: row.officer_id });
  }
  type Refusal = Extract<ReleaseOutcome, { status: 'refused' }>['code'];
  const refusalOf = (id: string): Refusal | null => {
    if (released.has(id)) return null;
    const found = known.get(id);
    if (found === undefined) return 'unknown-application';
    if (found.decision !== 'approved') return 'not-approved';
    if (release.twoPersonRule && found.officerId === release.officerId) return 'self-release';
    return null;
  };
  // An id named twice in one statement is released by its first mention.
  const answered = new Set<string>();
  return release.applicationIds.map((applicationId): ReleaseOutcome => {
    const code = refusalOf(applicationId);
    if (code !== null) return { applicationId, status: 'refused', code };
    const first = !answered.has(applicationId);
    answered.add(applicationId);
    return { applicationId, status: first && released.has(applicationId) ? 'released' : 'already-released' };
  });
}

function officerCodeRow(
  officerId: string,
  code: Parameters<Store['createOfficerCode']>[1],
): Insertable<OfficerEnrollmentCodesTable> {
  return {
    code_hash: code.codeHash,
    officer_id: officerId,
    created_at: code.createdAt,
    expires_at: code.expiresAt,
    used_at: null,
    key_id: null,
  };
}

function toRow(
  record: NewApplication,
  receivedAt: string,
  nikKey: Uint8Array,
): Insertable<ApplicationsTable> {
  return {
    id: record.id,
    kiosk_id: record.kioskId,
    created_at: record.createdAt,
    received_at: receivedAt,
    certificate_type: record.certificateType,
    // The personal data is in the sealed archive; the old columns stay, blank.
    ...BLANK_PERSONAL_COLUMNS,
    // In clear on purpose: the confirmation mailer needs it without opening the archive.
    email: record.email,
    perangkat_daerah: record.perangkatDaerah,
    content_hash: record.contentHash,
    state_changed_at: receivedAt,
    nik_hash: nikHashHex(nikKey, record.nik),
    agreement_version: record.agreement?.version ?? null,
    agreement_accepted_at: record.agreement?.acceptedAt ?? null,
    obligations_accepted_at: record.agreement?.obligationsAcceptedAt ?? null,
    previous_application_id: record.previous?.applicationId ?? null,
    previous_serial: record.previous?.serialNumberHex ?? null,
    previous_relation: record.previous?.relation ?? null,
    certificate_serial: null,
  };
}

function archiveRow(
  applicationId: string,
  entry: SealedPersonal,
  at: string,
): Insertable<ApplicationArchiveTable> {
  return {
    application_id: applicationId,
    key_id: entry.keyId,
    sealed: binary(entry.sealed),
    sealed_at: at,
  };
}

/** Both drivers bind a Buffer as binary. */
function binary(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
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
  personal: PersonalData,
  certificatePem: string | null,
): StoredApplication {
  return {
    id: row.id,
    kioskId: row.kiosk_id,
    createdAt: row.created_at,
    receivedAt: row.received_at,
    state: toServerState(row.state),
    stateChangedAt: row.state_changed_at ?? row.received_at,
    certificatePem,
    certificateSerialHex: row.certificate_serial ?? null,
    stateReason: row.state_reason ?? null,
    certificateType: toCertificateType(row.certificate_type),
    nama: personal.nama,
    nik: personal.nik,
    nip: personal.nip,
    email: row.email,
    perangkatDaerah: row.perangkat_daerah,
    jabatan: personal.jabatan,
    host: personal.host,
    ektpMediaType: personal.ektpMediaType,
    ektpImage: personal.ektpImage,
    attachments: personal.attachments,
    ocrText: personal.ocrText,
    ektpJson: personal.ektpJson,
    csrPem: personal.csrPem,
    encryptedPrivateKeyPem: personal.encryptedPrivateKeyPem,
    contentHash: row.content_hash,
    // Absent, not null, where the kiosk sent none: as the application came.
    ...(personal.category ? { category: personal.category } : {}),
    ...(personal.mobile ? { mobile: personal.mobile } : {}),
    ...(row.agreement_version && row.agreement_accepted_at && row.obligations_accepted_at
      ? {
          agreement: {
            version: row.agreement_version,
            acceptedAt: row.agreement_accepted_at,
            obligationsAcceptedAt: row.obligations_accepted_at,
          },
        }
      : {}),
    ...(row.previous_application_id && row.previous_serial && isRelation(row.previous_relation)
      ? {
          previous: {
            applicationId: row.previous_application_id,
            serialNumberHex: row.previous_serial,
            relation: row.previous_relation,
          },
        }
      : {}),
  };
}

function isRelation(value: string | null): value is ApplicationRelation {
  return (APPLICATION_RELATIONS as readonly (string | null)[]).includes(value);
}

function kioskFromRow(row: Selectable<KiosksTable>): Kiosk {
  return { id: row.id, name: row.name, enrolledAt: row.enrolled_at, revokedAt: row.revoked_at ?? null };
}

/** What a stored decision and a stored release share: the signed statement and who signed it. */
function statementFromRow(row: {
  application_id: string;
  officer_id: string;
  key_id: string;
  payload: string;
  signature: string;
}) {
  return {
    applicationId: row.application_id,
    officerId: row.officer_id,
    keyId: row.key_id,
    payload: row.payload,
    signature: row.signature,
  };
}

function officerFromRow(row: Selectable<OfficersTable>): StoredOfficer {
  return {
    id: row.id,
    username: row.username,
    nama: row.nama,
    nip: row.nip ?? null,
    status: toOfficerStatus(row.status),
    createdAt: row.created_at,
    lockedAt: row.locked_at ?? null,
    lockReason: row.lock_reason ?? null,
  };
}

function toOfficerStatus(value: string): OfficerStatus {
  const known = OFFICER_STATUSES.find((status) => status === value);
  if (known === undefined) throw new Error(`stored officer has an unknown status: ${value}`);
  return known;
}

function toDecisionKind(value: string): DecisionKind {
  const known = DECISIONS.find((decision) => decision === value);
  if (known === undefined) throw new Error(`stored decision is neither approved nor rejected: ${value}`);
  return known;
}

/** One text form for times compared as text: `Z`, milliseconds. */
function isoTime(value: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error('not a time');
  return new Date(ms).toISOString();
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
