import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { archivePassphraseResolver, createArchiveSealer } from '../archive/archive-sealer';
import { openMigratedStore, type StoreDatabase } from './kysely-store';
import type { Store } from './store';

/**
 * Opens a pooled PostgreSQL store and brings its schema up to date. The archive passphrase:
 * `archivePassphrase`, else ARCHIVE_PASSPHRASE; without either, sealing to an existing key works
 * and the first read of personal data fails with a clear error (nothing is written to local disk).
 */
export async function openPostgresStore(
  connectionString: string,
  options: { archivePassphrase?: string | undefined } = {},
): Promise<Store> {
  const pool = new pg.Pool({ connectionString, max: 10 });
  // An idle connection dropped by the server must not crash the process: the pool discards it and
  // the next query reports any lasting outage. The message carries no application data.
  pool.on('error', (error) => {
    console.error(`PostgreSQL idle connection error: ${error.message}`);
  });
  const passphrase = archivePassphraseResolver({ configured: options.archivePassphrase });
  return openMigratedStore(
    new Kysely<StoreDatabase>({ dialect: new PostgresDialect({ pool }) }),
    'postgres',
    (store) => createArchiveSealer({ store, passphrase }),
  );
}
