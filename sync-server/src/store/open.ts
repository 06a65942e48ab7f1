import { join } from 'node:path';
import { openPostgresStore } from './postgres';
import { openSqliteStore } from './sqlite';
import type { Store } from './store';

export interface StoreConfig {
  /** A postgres:// or postgresql:// URL; when absent the server keeps a SQLite file. */
  databaseUrl?: string | undefined;
  dataDir: string;
  /**
   * Opens the sealed archive (`ARCHIVE_PASSPHRASE`); absent: the environment's, else (SQLite only)
   * DATA_DIR/archive/passphrase. PostgreSQL without one can store but not read personal data.
   */
  archivePassphrase?: string | undefined;
}

export const SQLITE_FILE_NAME = 'sertel.sqlite';

/** Opens and migrates the configured store. */
export function openStore(config: StoreConfig): Promise<Store> {
  const url = config.databaseUrl?.trim();
  const options = { archivePassphrase: config.archivePassphrase };
  if (url === undefined || url === '')
    return openSqliteStore(join(config.dataDir, SQLITE_FILE_NAME), options);
  if (/^postgres(ql)?:\/\//i.test(url)) return openPostgresStore(url, options);
  // Name only the scheme: the URL may carry a password.
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1] ?? '(none)';
  return Promise.reject(
    new Error(`unsupported database URL scheme "${scheme}": use postgres:// or postgresql://`),
  );
}
