import { join } from 'node:path';
import { openPostgresStore } from './postgres';
import { openSqliteStore } from './sqlite';
import type { Store } from './store';

export interface StoreConfig {
  /** A postgres:// or postgresql:// URL; when absent the server keeps a SQLite file. */
  databaseUrl?: string | undefined;
  dataDir: string;
}

export const SQLITE_FILE_NAME = 'sertel.sqlite';

/** Opens and migrates the configured store. */
export function openStore(config: StoreConfig): Promise<Store> {
  const url = config.databaseUrl?.trim();
  if (url === undefined || url === '') return openSqliteStore(join(config.dataDir, SQLITE_FILE_NAME));
  if (/^postgres(ql)?:\/\//i.test(url)) return openPostgresStore(url);
  // Name only the scheme: the URL may carry a password.
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1] ?? '(none)';
  return Promise.reject(
    new Error(`unsupported database URL scheme "${scheme}": use postgres:// or postgresql://`),
  );
}
