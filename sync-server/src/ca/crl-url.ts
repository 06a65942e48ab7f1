import { CA_CRL_PATH } from '../../../src/protocol/lifecycle';
import type { ServerConfig } from '../config';

/**
 * Where relying parties fetch the CRL (`GET /api/v1/ca/crl` on this server), as the dev CA writes
 * it into every certificate's CRL distribution points: under `PUBLIC_URL` when set, else the
 * address the server listens on. Undefined when neither is known ahead (port 0: tests).
 */
export function crlDistributionUrl(
  config: Pick<ServerConfig, 'host' | 'port' | 'https'> & { mail: Pick<ServerConfig['mail'], 'publicUrl'> },
): string | undefined {
  if (config.mail.publicUrl !== undefined) return `${config.mail.publicUrl}${CA_CRL_PATH}`;
  if (config.port === 0) return undefined;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const scheme = config.https.mode === 'off' ? 'http' : 'https';
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${config.port}${CA_CRL_PATH}`;
}
