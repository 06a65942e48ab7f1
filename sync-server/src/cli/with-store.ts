import type { ServerConfig } from '../config';
import { openStore } from '../store/open';
import type { Store } from '../store/store';

/**
 * The configured store for one command, closed afterwards. `archivePassphrase`: one already
 * resolved (the archive commands share it with the archive keys); the configured one by default.
 */
export async function withStore<T>(
  config: Pick<ServerConfig, 'databaseUrl' | 'dataDir' | 'archive'>,
  act: (store: Store) => Promise<T>,
  archivePassphrase: string | undefined = config.archive.passphrase,
): Promise<T> {
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    archivePassphrase,
  });
  try {
    return await act(store);
  } finally {
    await store.close();
  }
}
