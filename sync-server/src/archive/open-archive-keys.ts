import type { ServerConfig } from '../config';
import type { Logger } from '../logger';
import { secretFromEnvOrFile } from '../secret-file';
import type { ArchiveKeyStore } from '../store/kysely-archive-keys';
import { type ArchiveKeys, createArchiveKeys } from './archive-keys';

/** The archive keys under the configured passphrase (or the one made into DATA_DIR/archive/passphrase). */
export function openArchiveKeys(
  config: Pick<ServerConfig, 'archive' | 'databaseUrl'>,
  store: ArchiveKeyStore,
  logger: Logger,
): ArchiveKeys {
  if (config.archive.passphrase === undefined && config.databaseUrl !== undefined) {
    // A second server with its own generated passphrase could seal to the keys but never open them.
    logger.warn(
      'ARCHIVE_PASSPHRASE is unset with PostgreSQL: give every server sharing the database the same one',
    );
  }
  const passphrase = secretFromEnvOrFile(
    config.archive.passphraseFile,
    config.archive.passphrase,
    logger,
    'ARCHIVE_PASSPHRASE',
  );
  return createArchiveKeys({ store, passphrase });
}
