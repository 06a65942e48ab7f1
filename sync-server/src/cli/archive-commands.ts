/** `archive-keys` and `rotate-archive-key`: the RA archive's keys (sealed records, issue 8). */
import { parseArgs } from 'node:util';
import { type ArchiveKeyInfo, type ArchiveKeys, createArchiveKeys } from '../archive/archive-keys';
import { resolveArchivePassphrase } from '../archive/open-archive-keys';
import type { ServerConfig } from '../config';
import type { Logger } from '../logger';
import { withStore } from './with-store';

export const ARCHIVE_USAGE = `  archive-keys [--json]                             the RA archive keys kiosks seal records to (the first is
                                                    made on first use); the newest is current
  rotate-archive-key [--json]                       a new current archive key; older ones still open what
                                                    was sealed to them`;

function keyLine(key: ArchiveKeyInfo): string {
  return `${key.keyId}  created ${key.createdAt}  ${key.retiredAt === null ? 'current' : `retired ${key.retiredAt}`}`;
}

async function withArchive<T>(
  config: ServerConfig,
  logger: Logger,
  act: (keys: ArchiveKeys) => Promise<T>,
): Promise<T> {
  // One passphrase for the store's sealed archive and the archive keys, as in server.ts.
  const archivePassphrase = resolveArchivePassphrase(config, logger);
  return withStore(
    config,
    (store) => act(createArchiveKeys({ store, passphrase: archivePassphrase })),
    archivePassphrase,
  );
}

export async function archiveKeysCommand(
  config: ServerConfig,
  args: string[],
  logger: Logger,
): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } }, strict: true });
  const keys = await withArchive(config, logger, async (archive) => {
    await archive.current();
    return archive.list();
  });
  if (values.json === true) console.log(JSON.stringify({ keys }));
  else for (const key of keys) console.log(keyLine(key));
  return 0;
}

export async function rotateArchiveKeyCommand(
  config: ServerConfig,
  args: string[],
  logger: Logger,
): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } }, strict: true });
  const key = await withArchive(config, logger, (archive) => archive.rotate());
  if (values.json === true) console.log(JSON.stringify({ key }));
  else console.log(`New current archive key ${key.keyId}; kiosks pick it up on their next contact.`);
  return 0;
}
