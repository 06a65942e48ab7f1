import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from './logger';

/**
 * A secret the server needs but the database must not hold (the dev CA's and the RA archive's key
 * passphrases, the audit MAC key): the configured value, or one made on first start into `file`,
 * readable only by the server's user, beside (not inside) the database. Several servers sharing
 * one PostgreSQL must be given the same value through the environment.
 */
export function secretFromEnvOrFile(
  file: string,
  configured: string | undefined,
  logger: Pick<Logger, 'warn'> | undefined,
  variable: string,
): string {
  if (configured !== undefined) return configured;
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    // `wx`: of two processes starting at once, one writes and the other reads what it wrote.
    try {
      writeFileSync(file, randomBytes(32).toString('base64url'), { flag: 'wx', mode: 0o600 });
      logger?.warn({ file }, `secret generated; set ${variable} to keep it elsewhere`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  chmodSync(file, 0o600);
  return readFileSync(file, 'utf8').trim();
}
