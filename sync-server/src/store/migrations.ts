import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { archiveKeysMigration } from './kysely-archive-keys';
import { auditChainsMigration } from './migration-audit';
import { revocationsIncidentsMigration } from './migration-lifecycle';
import { sealedArchiveMigration } from './migration-sealed-archive';
import { sealedCertificateMigration } from './migration-sealed-certificate';

export type StoreKind = 'sqlite' | 'postgres';

/**
 * The schema history, kept in code (not read from disk) so it survives bundling. Migrations are
 * append-only: never edit one that has shipped, add a new one.
 */
export function storeMigrations(kind: StoreKind): Record<string, Migration> {
  // The one column type the two dialects spell differently.
  const binary = kind === 'postgres' ? 'bytea' : 'blob';
  return {
    '0001-applications': {
      up: async (db) => {
        await db.schema
          .createTable('applications')
          .addColumn('id', 'text', (col) => col.primaryKey())
          .addColumn('kiosk_id', 'text', (col) => col.notNull())
          // Timestamps are ISO-8601 text in both dialects so they read back byte-identical.
          .addColumn('created_at', 'text', (col) => col.notNull())
          .addColumn('received_at', 'text', (col) => col.notNull())
          .addColumn('certificate_type', 'text', (col) => col.notNull())
          .addColumn('nama', 'text', (col) => col.notNull())
          .addColumn('nik', 'text', (col) => col.notNull())
          .addColumn('nip', 'text')
          .addColumn('email', 'text', (col) => col.notNull())
          .addColumn('perangkat_daerah', 'text', (col) => col.notNull())
          .addColumn('ektp_media_type', 'text', (col) => col.notNull())
          .addColumn('ektp_image', binary, (col) => col.notNull())
          .addColumn('ocr_text', 'text', (col) => col.notNull())
          .addColumn('csr_pem', 'text', (col) => col.notNull())
          .addColumn('encrypted_private_key_pem', 'text', (col) => col.notNull())
          .addColumn('content_hash', 'text', (col) => col.notNull())
          .execute();
        await db.schema
          .createIndex('applications_kiosk_id_idx')
          .on('applications')
          .column('kiosk_id')
          .execute();
      },
      down: async (db) => {
        await db.schema.dropTable('applications').execute();
      },
    },
    '0002-ektp-fields': {
      up: async (db) => {
        await db.schema.alterTable('applications').addColumn('ektp_json', 'text').execute();
      },
      down: async (db) => {
        await db.schema.alterTable('applications').dropColumn('ektp_json').execute();
      },
    },
    '0003-profile-fields': {
      up: async (db) => {
        await db.schema.alterTable('applications').addColumn('jabatan', 'text').execute();
        await db.schema.alterTable('applications').addColumn('host', 'text').execute();
      },
      down: async (db) => {
        await db.schema.alterTable('applications').dropColumn('host').execute();
        await db.schema.alterTable('applications').dropColumn('jabatan').execute();
      },
    },
    '0004-kiosks': {
      up: async (db) => {
        await db.schema
          .createTable('kiosks')
          .addColumn('id', 'text', (col) => col.primaryKey())
          .addColumn('name', 'text', (col) => col.notNull())
          .addColumn('public_key_spki', 'text', (col) => col.notNull())
          .addColumn('enrolled_at', 'text', (col) => col.notNull())
          .addColumn('revoked_at', 'text')
          .execute();
        await db.schema
          .createTable('enrollment_codes')
          // SHA-256 of the normalised code: a database dump does not give away usable codes.
          .addColumn('code_hash', 'text', (col) => col.primaryKey())
          .addColumn('name', 'text', (col) => col.notNull())
          .addColumn('created_at', 'text', (col) => col.notNull())
          .addColumn('expires_at', 'text', (col) => col.notNull())
          .addColumn('used_at', 'text')
          .addColumn('kiosk_id', 'text')
          .execute();
        await db.schema
          .createTable('request_nonces')
          .addColumn('kiosk_id', 'text', (col) => col.notNull())
          .addColumn('nonce', 'text', (col) => col.notNull())
          .addColumn('seen_at', 'text', (col) => col.notNull())
          .addPrimaryKeyConstraint('request_nonces_pk', ['kiosk_id', 'nonce'])
          .execute();
        await db.schema
          .createIndex('request_nonces_seen_at_idx')
          .on('request_nonces')
          .column('seen_at')
          .execute();
        await db.schema
          .alterTable('applications')
          .addColumn('state', 'text', (col) => col.notNull().defaultTo('received'))
          .execute();
      },
      down: async (db) => {
        await db.schema.alterTable('applications').dropColumn('state').execute();
        await db.schema.dropTable('request_nonces').execute();
        await db.schema.dropTable('enrollment_codes').execute();
        await db.schema.dropTable('kiosks').execute();
      },
    },
    '0005-application-events': {
      up: async (db) => {
        await db.schema.alterTable('applications').addColumn('state_changed_at', 'text').execute();
        await db.schema.alterTable('applications').addColumn('certificate_pem', 'text').execute();
        await db.schema.alterTable('applications').addColumn('state_reason', 'text').execute();
        await db.schema
          .createTable('application_events')
          // SQLite's INTEGER PRIMARY KEY is the rowid: both dialects number events as they commit.
          .addColumn('id', kind === 'postgres' ? 'bigserial' : 'integer', (col) => col.primaryKey())
          .addColumn('application_id', 'text', (col) => col.notNull())
          .addColumn('at', 'text', (col) => col.notNull())
          .addColumn('event', 'text', (col) => col.notNull())
          // Who caused it: `kiosk:<id>`, `admin`, `ca`; never a person's data.
          .addColumn('actor', 'text', (col) => col.notNull())
          .addColumn('detail', 'text')
          .execute();
        await db.schema
          .createIndex('application_events_application_idx')
          .on('application_events')
          .columns(['application_id', 'id'])
          .execute();
      },
      down: async (db) => {
        await db.schema.dropTable('application_events').execute();
        await db.schema.alterTable('applications').dropColumn('state_reason').execute();
        await db.schema.alterTable('applications').dropColumn('certificate_pem').execute();
        await db.schema.alterTable('applications').dropColumn('state_changed_at').execute();
      },
    },
    '0006-pictures-uncompressed': {
      // JPEG and PNG are compressed already: PostgreSQL's TOAST compression only burns CPU on them.
      // SQLite never compresses, so there is nothing to do there.
      up: async (db) => {
        if (kind === 'postgres') {
          await sql`alter table applications alter column ektp_image set storage external`.execute(db);
        }
      },
      down: async (db) => {
        if (kind === 'postgres') {
          await sql`alter table applications alter column ektp_image set storage extended`.execute(db);
        }
      },
    },
    '0007-attachments-table': {
      // Pictures (and, later, the other papers of an application) in their own table: an
      // application row stays small, so reading its state or counting states never walks through
      // 150 KB of picture stored in the same row.
      up: async (db) => {
        await db.schema
          .createTable('application_attachments')
          .addColumn('application_id', 'text', (col) => col.notNull())
          .addColumn('kind', 'text', (col) => col.notNull())
          .addColumn('media_type', 'text', (col) => col.notNull())
          .addColumn('data', binary, (col) => col.notNull())
          .addPrimaryKeyConstraint('application_attachments_pk', ['application_id', 'kind'])
          .execute();
        if (kind === 'postgres') {
          // Compressed images already: TOAST compression would only burn CPU.
          await sql`alter table application_attachments alter column data set storage external`.execute(db);
        }
        await sql`insert into application_attachments (application_id, kind, media_type, data)
          select id, 'ektp', ektp_media_type, ektp_image from applications`.execute(db);
        await db.schema.alterTable('applications').dropColumn('ektp_image').execute();
        await db.schema.alterTable('applications').dropColumn('ektp_media_type').execute();
      },
      down: async (db) => {
        await db.schema
          .alterTable('applications')
          .addColumn('ektp_media_type', 'text', (col) => col.notNull().defaultTo(''))
          .execute();
        await db.schema.alterTable('applications').addColumn('ektp_image', binary).execute();
        await sql`update applications set
          ektp_media_type = (select media_type from application_attachments a where a.application_id = applications.id and a.kind = 'ektp'),
          ektp_image = (select data from application_attachments a where a.application_id = applications.id and a.kind = 'ektp')`.execute(
          db,
        );
        await db.schema.dropTable('application_attachments').execute();
      },
    },
    '0008-officers': {
      // RA officers (docs/officers.md): accounts, one-time codes, keys bound to one kiosk, the
      // signed decisions and releases, and the keyed NIK hash for the duplicate-NIK check.
      up: async (db) => {
        await db.schema
          .createTable('officers')
          .addColumn('id', 'text', (col) => col.primaryKey())
          .addColumn('username', 'text', (col) => col.notNull().unique())
          .addColumn('nama', 'text', (col) => col.notNull())
          .addColumn('nip', 'text')
          // active | locked | disabled
          .addColumn('status', 'text', (col) => col.notNull().defaultTo('active'))
          .addColumn('created_at', 'text', (col) => col.notNull())
          .addColumn('locked_at', 'text')
          .addColumn('lock_reason', 'text')
          .execute();
        await db.schema
          .createTable('officer_enrollment_codes')
          // SHA-256 of the normalised code, as for kiosk codes.
          .addColumn('code_hash', 'text', (col) => col.primaryKey())
          .addColumn('officer_id', 'text', (col) => col.notNull())
          .addColumn('created_at', 'text', (col) => col.notNull())
          .addColumn('expires_at', 'text', (col) => col.notNull())
          .addColumn('used_at', 'text')
          .addColumn('key_id', 'text')
          .execute();
        await db.schema
          .createIndex('officer_enrollment_codes_officer_idx')
          .on('officer_enrollment_codes')
          .column('officer_id')
          .execute();
        await db.schema
          .createTable('officer_keys')
          .addColumn('key_id', 'text', (col) => col.primaryKey())
          .addColumn('officer_id', 'text', (col) => col.notNull())
          .addColumn('kiosk_id', 'text', (col) => col.notNull())
          .addColumn('public_key_spki', 'text', (col) => col.notNull())
          .addColumn('created_at', 'text', (col) => col.notNull())
          .addColumn('revoked_at', 'text')
          .execute();
        await db.schema
          .createIndex('officer_keys_officer_idx')
          .on('officer_keys')
          .column('officer_id')
          .execute();
        await db.schema
          .createTable('application_decisions')
          .addColumn('application_id', 'text', (col) => col.primaryKey())
          // approved | rejected
          .addColumn('decision', 'text', (col) => col.notNull())
          // JSON array of reason codes.
          .addColumn('reasons', 'text', (col) => col.notNull())
          .addColumn('officer_id', 'text', (col) => col.notNull())
          .addColumn('key_id', 'text', (col) => col.notNull())
          .addColumn('decided_at', 'text', (col) => col.notNull())
          // The signed text exactly as received, and its signature: the evidence.
          .addColumn('payload', 'text', (col) => col.notNull())
          .addColumn('signature', 'text', (col) => col.notNull())
          .execute();
        await db.schema
          .createTable('application_releases')
          .addColumn('application_id', 'text', (col) => col.primaryKey())
          .addColumn('officer_id', 'text', (col) => col.notNull())
          .addColumn('key_id', 'text', (col) => col.notNull())
          .addColumn('released_at', 'text', (col) => col.notNull())
          .addColumn('payload', 'text', (col) => col.notNull())
          .addColumn('signature', 'text', (col) => col.notNull())
          .execute();
        // HMAC-SHA-256 of the NIK under the RA's key (hex); filled at ingest, and for older rows by
        // the store right after migrating (SQL cannot compute it).
        await db.schema.alterTable('applications').addColumn('nik_hash', 'text').execute();
        await db.schema
          .createIndex('applications_nik_hash_idx')
          .on('applications')
          .column('nik_hash')
          .execute();
        // ISO time an issued certificate stops being valid.
        await db.schema.alterTable('applications').addColumn('certificate_not_after', 'text').execute();
        await db.schema
          .createTable('server_secrets')
          .addColumn('name', 'text', (col) => col.primaryKey())
          .addColumn('value', 'text', (col) => col.notNull())
          .addColumn('created_at', 'text', (col) => col.notNull())
          .execute();
      },
      down: async (db) => {
        await db.schema.dropTable('server_secrets').execute();
        await db.schema.alterTable('applications').dropColumn('certificate_not_after').execute();
        await db.schema.dropIndex('applications_nik_hash_idx').execute();
        await db.schema.alterTable('applications').dropColumn('nik_hash').execute();
        await db.schema.dropTable('application_releases').execute();
        await db.schema.dropTable('application_decisions').execute();
        await db.schema.dropTable('officer_keys').execute();
        await db.schema.dropTable('officer_enrollment_codes').execute();
        await db.schema.dropTable('officers').execute();
      },
    },
    // What the applicant gives at the counter since officer mode (all optional: older kiosks send none).
    '0009-applicant-details': {
      up: async (db) => {
        for (const column of [
          'category',
          'mobile',
          'agreement_version',
          'agreement_accepted_at',
          'obligations_accepted_at',
        ]) {
          await db.schema.alterTable('applications').addColumn(column, 'text').execute();
        }
      },
      down: async (db) => {
        for (const column of [
          'obligations_accepted_at',
          'agreement_accepted_at',
          'agreement_version',
          'mobile',
          'category',
        ]) {
          await db.schema.alterTable('applications').dropColumn(column).execute();
        }
      },
    },
    '0010-ca-forwarding': {
      // The forwarding job's own bookkeeping per application (sync-server/src/ca/forwarding.ts):
      // who holds it now, the CA's reference, and when to try or ask again.
      up: async (db) => {
        await db.schema
          .createTable('ca_forwarding')
          .addColumn('application_id', 'text', (col) => col.primaryKey())
          // claimed | retry | submitted | done | attention
          .addColumn('status', 'text', (col) => col.notNull())
          .addColumn('claim_token', 'text')
          .addColumn('claim_expires_at', 'text')
          .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
          .addColumn('next_attempt_at', 'text')
          .addColumn('ca_reference', 'text')
          .addColumn('submitted_at', 'text')
          .addColumn('poll_attempts', 'integer', (col) => col.notNull().defaultTo(0))
          .addColumn('next_poll_at', 'text')
          // The last failure, in English, without personal data.
          .addColumn('last_error', 'text')
          .addColumn('updated_at', 'text', (col) => col.notNull())
          .execute();
        await db.schema
          .createIndex('ca_forwarding_status_idx')
          .on('ca_forwarding')
          .columns(['status', 'next_poll_at'])
          .execute();
        await db.schema.createIndex('applications_state_idx').on('applications').column('state').execute();
      },
      down: async (db) => {
        await db.schema.dropIndex('applications_state_idx').execute();
        await db.schema.dropTable('ca_forwarding').execute();
      },
    },
    '0011-email-confirmations': {
      // Proof of the official e-mail (Pasal 10): each application's latest confirmation mail
      // (hashes of its code and link token, never the code or the token) and the addresses proven,
      // by application id and address, also for applications not arrived yet.
      up: async (db) => {
        await db.schema
          .createTable('email_challenges')
          .addColumn('application_id', 'text', (col) => col.primaryKey())
          // Lower case.
          .addColumn('email', 'text', (col) => col.notNull())
          // HMAC-SHA-256 of the code under the RA's e-mail key; null for a link-only mail.
          .addColumn('code_hash', 'text')
          // SHA-256 of the link's token.
          .addColumn('token_hash', 'text')
          .addColumn('sent_at', 'text')
          .addColumn('expires_at', 'text')
          .addColumn('wrong_attempts', 'integer', (col) => col.notNull().defaultTo(0))
          .addColumn('code_mails', 'integer', (col) => col.notNull().defaultTo(0))
          .addColumn('link_mails', 'integer', (col) => col.notNull().defaultTo(0))
          // When the server's sweep may mail a link for this application.
          .addColumn('next_mail_at', 'text')
          // `kiosk:<id>` or `server`.
          .addColumn('requested_by', 'text')
          .addColumn('used_at', 'text')
          .execute();
        await db.schema
          .createIndex('email_challenges_token_idx')
          .unique()
          .on('email_challenges')
          .column('token_hash')
          .execute();
        await db.schema
          .createTable('email_confirmations')
          .addColumn('application_id', 'text', (col) => col.notNull())
          // Lower case.
          .addColumn('email', 'text', (col) => col.notNull())
          .addColumn('confirmed_at', 'text', (col) => col.notNull())
          // code | link
          .addColumn('via', 'text', (col) => col.notNull())
          .addPrimaryKeyConstraint('email_confirmations_pk', ['application_id', 'email'])
          .execute();
      },
      down: async (db) => {
        await db.schema.dropTable('email_confirmations').execute();
        await db.schema.dropTable('email_challenges').execute();
      },
    },
    '0012-application-links': {
      // A renewal (Pasal 14) or a replacement after a lost key (Pasal 15) names the certificate it
      // follows; the issued certificate's serial is kept in a column to find certificates by it.
      up: async (db) => {
        for (const column of [
          'previous_application_id',
          'previous_serial',
          'previous_relation',
          'certificate_serial',
        ]) {
          await db.schema.alterTable('applications').addColumn(column, 'text').execute();
        }
        // Partial: most applications follow nothing and have no certificate yet, so ingest does not
        // pay for index entries that would never be looked up.
        await db.schema
          .createIndex('applications_previous_idx')
          .on('applications')
          .column('previous_application_id')
          .where(sql.ref('previous_application_id'), 'is not', null)
          .execute();
        await db.schema
          .createIndex('applications_certificate_serial_idx')
          .on('applications')
          .column('certificate_serial')
          .where(sql.ref('certificate_serial'), 'is not', null)
          .execute();
      },
      down: async (db) => {
        await db.schema.dropIndex('applications_certificate_serial_idx').execute();
        await db.schema.dropIndex('applications_previous_idx').execute();
        for (const column of [
          'certificate_serial',
          'previous_relation',
          'previous_serial',
          'previous_application_id',
        ]) {
          await db.schema.alterTable('applications').dropColumn(column).execute();
        }
      },
    },
    // Revocation requests (Pasal 15) with the forwarding job's claims, and the incident register (Pasal 22, 24).
    '0013-revocations-incidents': revocationsIncidentsMigration(kind),
    // Kiosk and server audit chains, and the breaks found in them (issue 8).
    '0014-audit-chains': auditChainsMigration(kind),
    // The RA archive's key pairs, the private halves encrypted (issue 8, sealed records).
    '0015-archive-keys': archiveKeysMigration,
    // Personal data sealed at rest, one blob per application; the plaintext columns are blanked
    // by the backfill in `migrate()` (issue 8).
    '0016-sealed-archive': sealedArchiveMigration(kind),
    // The issued certificate sealed too (its subject names the person); `certificate_pem` is
    // blanked by the backfill in `migrate()`.
    '0017-sealed-certificate': sealedCertificateMigration(kind),
  };
}

/**
 * Brings the schema up to date. On PostgreSQL Kysely holds an advisory lock while migrating, so
 * several server processes may start at once.
 */
export async function migrateToLatest<DB>(db: Kysely<DB>, kind: StoreKind): Promise<void> {
  const migrations = storeMigrations(kind);
  const provider: MigrationProvider = { getMigrations: async () => migrations };
  const { error } = await new Migrator({ db, provider }).migrateToLatest();
  if (error !== undefined) {
    throw error instanceof Error ? error : new Error(`store migration failed: ${String(error)}`);
  }
}
