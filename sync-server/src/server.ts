import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { kioskConfig } from '../../src/app/kiosk-config';
import { createArchiveKeys } from './archive/archive-keys';
import { resolveArchivePassphrase } from './archive/open-archive-keys';
import { purgeExpired, schedulePurge } from './archive/retention';
import { loadAuditKey } from './audit/key';
import { createServerAuditLog } from './audit/server-chain';
import type { CaConnector } from './ca/connector';
import { crlDistributionUrl } from './ca/crl-url';
import { createForwarder, type Forwarder, scheduleForwarding } from './ca/forwarding';
import { openCaConnector } from './ca/open-connector';
import type { ServerConfig } from './config';
import { createEmailConfirmations, scheduleEmailSweep } from './domain/email-confirmation';
import { createApp } from './http/app';
import { loadTls } from './http/tls';
import type { Logger } from './logger';
import { createMailer } from './mail/mailer';
import { openStore } from './store/open';
import type { Store } from './store/store';

/** How often the e-mail sweep looks for arrived, unconfirmed applications besides after each ingest. */
const EMAIL_SWEEP_INTERVAL_MS = 60_000;

export interface RunningServer {
  url: string;
  store: Store;
  /** Null with `CA_CONNECTOR=none`. */
  forwarder: Forwarder | null;
  /** Stops taking connections, lets requests in flight finish, then closes the store. */
  close(): Promise<void>;
}

export async function startServer(config: ServerConfig, logger: Logger): Promise<RunningServer> {
  // One passphrase for the archive keys and the store's sealed archive.
  const archivePassphrase = resolveArchivePassphrase(config, logger);
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    archivePassphrase,
  });
  // The server's audit chain (issue 8): its MAC key lives beside, not inside, the database.
  const audit = createServerAuditLog({
    store,
    key: loadAuditKey(config.dataDir, config.auditKey, logger),
    logger,
  });
  const tls = await loadTls(config);
  let connector: CaConnector | null;
  try {
    connector = await openCaConnector(config.ca, logger, { crlUrl: crlDistributionUrl(config) });
  } catch (error) {
    await store.close();
    throw error;
  }
  const forwarder =
    connector === null
      ? null
      : createForwarder({ store, connector, logger, batchSize: config.forwarding.batchSize, audit });
  // Pasal 10: the official e-mail is proven before anything goes to the CA.
  const mailer = createMailer({ ...config.mail, logger });
  let listeningUrl = '';
  const confirmations = createEmailConfirmations({
    store,
    mailer,
    logger,
    publicUrl: () => config.mail.publicUrl ?? listeningUrl,
    codeTtlMs: config.mail.codeTtlMs,
    linkTtlMs: config.mail.linkTtlMs,
    emailDomains: kioskConfig.emailDomains,
  });
  let emailSweep: ReturnType<typeof scheduleEmailSweep> | null = null;
  const archiveKeys = createArchiveKeys({ store, passphrase: archivePassphrase });
  const app = createApp({
    archiveKeys,
    audit,
    forwarder,
    store,
    logger,
    staticDir: config.staticDir,
    adminToken: config.adminToken,
    twoPersonRule: config.twoPersonRule,
    email: { confirmations, afterIngest: () => emailSweep?.soon() },
    ca: connector,
    renewalWindowDays: config.renewalWindowDays,
    minimumKioskVersion: config.minimumKioskVersion,
    https: tls !== null,
    rateLimits: config.rateLimits,
    trustedProxies: config.trustedProxies,
    adminRemote: config.adminRemote,
  });

  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve(
      {
        fetch: app.fetch,
        port: config.port,
        hostname: config.host,
        ...(tls ? { createServer: createHttpsServer, serverOptions: { cert: tls.cert, key: tls.key } } : {}),
      },
      () => resolve(s),
    );
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `${tls ? 'https' : 'http'}://${shownHost}:${port}`;
  logger.info(
    { url, store: store.kind, tls: tls?.source ?? 'off', ca: connector?.name ?? 'none' },
    'sync server listening',
  );
  if (config.adminToken !== undefined && config.adminRemote !== 'none' && !tls) {
    // The bearer token would cross the network in clear text.
    logger.warn(
      { adminAllowRemote: config.adminRemote },
      'admin API reachable from the network over plain http',
    );
  }
  const schedule =
    forwarder !== null && config.forwarding.intervalMs > 0
      ? scheduleForwarding(forwarder, config.forwarding.intervalMs, logger)
      : null;
  listeningUrl = url;
  if (mailer.kind === 'smtp' && config.mail.publicUrl === undefined) {
    // Real mails whose links name this machine as the server sees itself (often `localhost`).
    logger.warn({ url }, 'PUBLIC_URL is not set: confirmation links point at the listening address');
  }
  emailSweep = scheduleEmailSweep(confirmations, { intervalMs: EMAIL_SWEEP_INTERVAL_MS, logger });
  // Retention of the sealed archive (issue 8): daily, the same as `npm run server -- archive-purge`.
  const purge = schedulePurge(
    () =>
      purgeExpired({
        store,
        audit,
        actor: 'server',
        retentionYears: config.archive.retentionYears,
        now: new Date(),
      }),
    logger,
  );

  let closing: Promise<void> | null = null;
  return {
    url,
    store,
    forwarder,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        // A run in progress finishes first: its claims are settled, not left to lapse.
        await schedule?.stop();
        await emailSweep?.stop();
        await purge.stop();
        mailer.close();
        await connector?.close();
        await store.close();
        logger.info('sync server stopped');
      })();
      return closing;
    },
  };
}
