import type { ServerConfig } from '../config';
import type { Logger } from '../logger';
import { secretFromEnvOrFile } from '../secret-file';

/**
 * The archive passphrase as the server uses it: `ARCHIVE_PASSPHRASE`, or the one made into
 * DATA_DIR/archive/passphrase. Resolved once and handed to both the archive keys and the store, so
 * the two can never disagree.
 */
export function resolveArchivePassphrase(
  config: Pick<ServerConfig, 'archive' | 'databaseUrl'>,
  logger: Logger,
): string {
  if (config.archive.passphrase === undefined && config.databaseUrl !== undefined) {
    // A second server with its own generated passphrase could seal to the keys but never open them.
    logger.warn(
      'ARCHIVE_PASSPHRASE is unset with PostgreSQL: give every server sharing the database the same one',
    );
  }
  return secretFromEnvOrFile(
    config.archive.passphraseFile,
    config.archive.passphrase,
    logger,
    'ARCHIVE_PASSPHRASE',
  );
}
