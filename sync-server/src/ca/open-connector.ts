import { join } from 'node:path';
import { certificateProfiles } from '../../../src/app/certificate-profiles';
import type { CaConfig } from '../config';
import type { Logger } from '../logger';
import { secretFromEnvOrFile } from '../secret-file';
import type { CaConnector } from './connector';
import { createDevCa } from './dev-ca/dev-ca';
import { createHttpConnectorFromFile } from './http/http-connector';

const PASSPHRASE_FILE = 'passphrase';

/**
 * Without DEV_CA_PASSPHRASE the dev CA still keeps its keys encrypted, under a passphrase made on
 * first start into a file beside its database. Good enough for a development CA; set the variable
 * where that matters.
 */
const devCaPassphrase = (dir: string, configured: string | undefined, logger: Logger): string =>
  secretFromEnvOrFile(join(dir, PASSPHRASE_FILE), configured, logger, 'DEV_CA_PASSPHRASE');

/**
 * The configured CA, or null when forwarding is off (`CA_CONNECTOR=none`). `crlUrl`: the CRL
 * distribution point the dev CA writes into its certificates (`crlDistributionUrl`).
 */
export async function openCaConnector(
  config: CaConfig,
  logger: Logger,
  options: { crlUrl?: string | undefined } = {},
): Promise<CaConnector | null> {
  switch (config.connector) {
    case 'none':
      return null;
    case 'http':
      return createHttpConnectorFromFile(config.configFile);
    case 'dev-ca': {
      const passphrase = devCaPassphrase(config.dir, config.passphrase, logger);
      return openedWhenNeeded('dev-ca', () =>
        createDevCa({
          dir: config.dir,
          passphrase,
          profiles: certificateProfiles,
          delayMs: config.delayMs,
          failureRate: config.failureRate,
          validityDays: config.validityDays,
          ...(options.crlUrl === undefined ? {} : { crlUrl: options.crlUrl }),
        }),
      );
    }
  }
}

/**
 * A connector opened at its first call, not at start: a server with nothing to forward (most of
 * the time, and all through a busy ingest) does not hold the dev CA's database and keys, some
 * 30 MB at peak. A failed opening is not kept: the next call tries again.
 */
export function openedWhenNeeded(name: string, open: () => Promise<CaConnector>): CaConnector {
  let opened: Promise<CaConnector> | null = null;
  const connector = () => {
    opened ??= open().catch((error: unknown) => {
      opened = null;
      throw error;
    });
    return opened;
  };
  return {
    name,
    submit: async (requests) => (await connector()).submit(requests),
    poll: async (references) => (await connector()).poll(references),
    fetchCertificates: async (references) => (await connector()).fetchCertificates(references),
    revoke: async (request) => (await connector()).revoke(request),
    fetchCrl: async () => (await connector()).fetchCrl(),
    async close() {
      const current = opened;
      opened = null;
      if (current !== null) await (await current.catch(() => null))?.close();
    },
  };
}
