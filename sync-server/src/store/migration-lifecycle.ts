import { type Migration, sql } from 'kysely';
import type { StoreKind } from './migrations';

/**
 * `0013-revocations-incidents`: revocation requests (Pasal 15) with the forwarding job's claim on
 * each and their papers, and the incident register (Pasal 22, 24).
 */
export function revocationsIncidentsMigration(kind: StoreKind): Migration {
  const binary = kind === 'postgres' ? 'bytea' : 'blob';
  return {
    up: async (db) => {
      await db.schema
        .createTable('revocations')
        // The kiosk's request id: the idempotency key here and at the CA.
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('application_id', 'text', (col) => col.notNull())
        // Upper-case hex; one request per certificate.
        .addColumn('serial', 'text', (col) => col.notNull().unique())
        // RFC 5280 reason name: keyCompromise | affiliationChanged | superseded | cessationOfOperation
        .addColumn('reason', 'text', (col) => col.notNull())
        // lost | damaged | inaccessible (Pasal 15 ayat 2), or null
        .addColumn('lost_key', 'text')
        .addColumn('note', 'text', (col) => col.notNull())
        .addColumn('officer_id', 'text', (col) => col.notNull())
        .addColumn('key_id', 'text', (col) => col.notNull())
        .addColumn('kiosk_id', 'text', (col) => col.notNull())
        // The signed statement exactly as received, and its signature: the evidence.
        .addColumn('payload', 'text', (col) => col.notNull())
        .addColumn('signature', 'text', (col) => col.notNull())
        .addColumn('requested_at', 'text', (col) => col.notNull())
        .addColumn('received_at', 'text', (col) => col.notNull())
        // pending | claimed | retry | done | attention
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('claim_token', 'text')
        .addColumn('claim_expires_at', 'text')
        .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text')
        // The last failure, in English, without personal data.
        .addColumn('last_error', 'text')
        // revoked | already-revoked | unknown-certificate
        .addColumn('outcome', 'text')
        .addColumn('revoked_at', 'text')
        .addColumn('incident_id', 'text')
        .addColumn('updated_at', 'text', (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex('revocations_status_idx')
        .on('revocations')
        .columns(['status', 'next_attempt_at'])
        .execute();
      await db.schema
        .createIndex('revocations_application_idx')
        .on('revocations')
        .column('application_id')
        .execute();
      await db.schema
        .createIndex('revocations_received_idx')
        .on('revocations')
        .column('received_at')
        .execute();
      await db.schema
        .createTable('revocation_attachments')
        .addColumn('revocation_id', 'text', (col) => col.notNull())
        // police-report | owner-statement
        .addColumn('kind', 'text', (col) => col.notNull())
        .addColumn('media_type', 'text', (col) => col.notNull())
        .addColumn('data', binary, (col) => col.notNull())
        .addPrimaryKeyConstraint('revocation_attachments_pk', ['revocation_id', 'kind'])
        .execute();
      if (kind === 'postgres') {
        // Scans and PDFs are compressed already, as the application's papers.
        await sql`alter table revocation_attachments alter column data set storage external`.execute(db);
      }
      await db.schema
        .createTable('incidents')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('type', 'text', (col) => col.notNull())
        // UTC ISO 8601, so that text order is time order.
        .addColumn('occurred_at', 'text', (col) => col.notNull())
        .addColumn('recorded_at', 'text', (col) => col.notNull())
        .addColumn('certificate_serial', 'text')
        .addColumn('application_id', 'text')
        .addColumn('description', 'text', (col) => col.notNull())
        .addColumn('actions_taken', 'text', (col) => col.notNull())
        .addColumn('reported_to', 'text', (col) => col.notNull())
        // officer:<id> | server
        .addColumn('recorded_by', 'text', (col) => col.notNull())
        .addColumn('officer_id', 'text')
        .addColumn('kiosk_id', 'text')
        .addColumn('revocation_id', 'text')
        .addColumn('payload', 'text')
        .addColumn('signature', 'text')
        .execute();
      await db.schema
        .createIndex('incidents_occurred_idx')
        .on('incidents')
        .columns(['occurred_at', 'id'])
        .execute();
    },
    down: async (db) => {
      await db.schema.dropTable('incidents').execute();
      await db.schema.dropTable('revocation_attachments').execute();
      await db.schema.dropTable('revocations').execute();
    },
  };
}
