import { type Migration, sql } from 'kysely';
import { GENESIS_HASH } from '../../../src/core/audit/chain';
import type { StoreKind } from './migrations';

/**
 * `0014-audit-chains` (issue 8): each kiosk's audit chain as received with its signed checkpoints,
 * the server's own chain (each event MACed with a key kept outside the database) with its head row,
 * and the breaks found in either.
 */
export function auditChainsMigration(_kind: StoreKind): Migration {
  return {
    up: async (db) => {
      await db.schema
        .createTable('kiosk_audit_events')
        .addColumn('kiosk_id', 'text', (col) => col.notNull())
        .addColumn('seq', 'integer', (col) => col.notNull())
        .addColumn('at', 'text', (col) => col.notNull())
        .addColumn('type', 'text', (col) => col.notNull())
        // An id (application, officer, kiosk), never personal data.
        .addColumn('subject', 'text')
        // Canonical JSON (src/core/audit/chain.ts), as hashed.
        .addColumn('detail', 'text')
        .addColumn('prev_hash', 'text', (col) => col.notNull())
        .addColumn('hash', 'text', (col) => col.notNull())
        .addColumn('received_at', 'text', (col) => col.notNull())
        .addPrimaryKeyConstraint('kiosk_audit_events_pk', ['kiosk_id', 'seq'])
        .execute();
      await db.schema
        .createTable('kiosk_audit_checkpoints')
        .addColumn('kiosk_id', 'text', (col) => col.notNull())
        .addColumn('seq', 'integer', (col) => col.notNull())
        .addColumn('hash', 'text', (col) => col.notNull())
        .addColumn('at', 'text', (col) => col.notNull())
        .addColumn('key_fingerprint', 'text', (col) => col.notNull())
        .addColumn('public_key_spki', 'text', (col) => col.notNull())
        .addColumn('signature', 'text', (col) => col.notNull())
        .addColumn('received_at', 'text', (col) => col.notNull())
        .addPrimaryKeyConstraint('kiosk_audit_checkpoints_pk', ['kiosk_id', 'seq'])
        .execute();
      await db.schema
        .createTable('server_audit_events')
        .addColumn('seq', 'integer', (col) => col.primaryKey())
        .addColumn('at', 'text', (col) => col.notNull())
        .addColumn('type', 'text', (col) => col.notNull())
        // `admin`, `cli`, `server`, `kiosk:<id>`, `ca`: who caused it.
        .addColumn('actor', 'text', (col) => col.notNull())
        .addColumn('subject', 'text')
        .addColumn('detail', 'text')
        .addColumn('prev_hash', 'text', (col) => col.notNull())
        .addColumn('hash', 'text', (col) => col.notNull())
        // Which AUDIT_KEY made the MAC, and HMAC-SHA-256(key, seq and hash).
        .addColumn('key_id', 'text', (col) => col.notNull())
        .addColumn('mac', 'text', (col) => col.notNull())
        .execute();
      // One row: appends lock it, so two server processes never make two events with one seq.
      await db.schema
        .createTable('server_audit_head')
        .addColumn('id', 'integer', (col) => col.primaryKey())
        .addColumn('seq', 'integer', (col) => col.notNull())
        .addColumn('hash', 'text', (col) => col.notNull())
        .execute();
      await sql`insert into server_audit_head (id, seq, hash) values (1, 0, ${GENESIS_HASH})`.execute(db);
      await db.schema
        .createTable('audit_breaks')
        // The incident's id: derived from the chain and the break, so one break is one incident.
        .addColumn('id', 'text', (col) => col.primaryKey())
        // `server` or `kiosk:<id>`.
        .addColumn('chain', 'text', (col) => col.notNull())
        .addColumn('seq', 'integer', (col) => col.notNull())
        .addColumn('problem', 'text', (col) => col.notNull())
        .addColumn('description', 'text', (col) => col.notNull())
        .addColumn('detected_at', 'text', (col) => col.notNull())
        // upload | verify
        .addColumn('source', 'text', (col) => col.notNull())
        // The refused upload as received (ids and hashes only), for the investigation.
        .addColumn('evidence', 'text')
        .execute();
    },
    down: async (db) => {
      await db.schema.dropTable('audit_breaks').execute();
      await db.schema.dropTable('server_audit_head').execute();
      await db.schema.dropTable('server_audit_events').execute();
      await db.schema.dropTable('kiosk_audit_checkpoints').execute();
      await db.schema.dropTable('kiosk_audit_events').execute();
    },
  };
}
