import { type Migration, sql } from 'kysely';
import type { StoreKind } from './migrations';

/**
 * The sealed archive (issue 8, Pasal 11 ayat 4): one sealed blob per application holding its
 * personal data and files (`sealed-personal.ts`), and the officers' corrections, each sealed too.
 * `purged_at` marks an application whose personal data was deleted after retention.
 */
export function sealedArchiveMigration(kind: StoreKind): Migration {
  const binary = kind === 'postgres' ? 'bytea' : 'blob';
  return {
    up: async (db) => {
      await db.schema
        .createTable('application_archive')
        .addColumn('application_id', 'text', (col) => col.primaryKey())
        .addColumn('key_id', 'text', (col) => col.notNull())
        .addColumn('sealed', binary, (col) => col.notNull())
        .addColumn('sealed_at', 'text', (col) => col.notNull())
        .execute();
      if (kind === 'postgres') {
        // Ciphertext does not compress: TOAST compression would only burn CPU.
        await sql`alter table application_archive alter column sealed set storage external`.execute(db);
      }
      await db.schema
        .createTable('application_corrections')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('application_id', 'text', (col) => col.notNull())
        .addColumn('officer_id', 'text', (col) => col.notNull())
        .addColumn('corrected_at', 'text', (col) => col.notNull())
        .addColumn('key_id', 'text', (col) => col.notNull())
        /** The signed statement with the new values, sealed: it names the person. */
        .addColumn('sealed', binary, (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex('application_corrections_app_idx')
        .on('application_corrections')
        .columns(['application_id', 'corrected_at'])
        .execute();
      await db.schema.alterTable('applications').addColumn('purged_at', 'text').execute();
    },
    down: async (db) => {
      await db.schema.alterTable('applications').dropColumn('purged_at').execute();
      await db.schema.dropTable('application_corrections').execute();
      await db.schema.dropTable('application_archive').execute();
    },
  };
}
