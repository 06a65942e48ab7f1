import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { openMigratedStore, type StoreDatabase } from './kysely-store';
import type { Store } from './store';

/** Opens a pooled PostgreSQL store and brings its schema up to date. */
export async function openPostgresStore(connectionString: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString, max: 10 });
  // An idle connection dropped by the server must not crash the process: the pool discards it and
  // the next query reports any lasting outage. The message carries no application data.
  pool.on('error', (error) => {
    console.error(`PostgreSQL idle connection error: ${error.message}`);
  });
  return openMigratedStore(new Kysely<StoreDatabase>({ dialect: new PostgresDialect({ pool }) }), 'postgres');
}
