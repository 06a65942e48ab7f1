import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync } from 'node:fs';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import {
  BATCH_FRAME_MEDIA_TYPE,
  decodeBatchFrame,
  splitAttachments,
} from '../../../src/protocol/batch-frame';
import { EMAIL_CONFIRM_PATH } from '../../../src/protocol/email';
import { ENROLL_PATH } from '../../../src/protocol/kiosk-auth';
import { KIOSK_POLICY_PATH } from '../../../src/protocol/kiosk-policy';
import { CA_CRL_PATH } from '../../../src/protocol/lifecycle';
import {
  API_PREFIX,
  LIMITS,
  recordFileLengths,
  type StatusResponse,
  SYNC_BATCHES_PATH,
  SYNC_STATUSES_PATH,
  type SyncBatchResponse,
  statusRequestSchema,
  syncBatchRequestSchema,
} from '../../../src/protocol/sync';
import type { ArchiveKeys } from '../archive/archive-keys';
import type { ServerAuditLog } from '../audit/server-chain';
import type { CaConnector } from '../ca/connector';
import type { Forwarder } from '../ca/forwarding';
import type { EmailConfirmations } from '../domain/email-confirmation';
import { ingestBatch, ingestFramedBatch } from '../domain/ingest';
import type { Logger } from '../logger';
import type { Store } from '../store/store';
import { registerAdminRoutes } from './admin';
import { type AdminRemoteAccess, adminNetworkGuard } from './admin-network';
import { registerArchiveKeyRoute } from './archive';
import { registerAuditRoutes } from './audit';
import { jsonBodyLimit } from './body-limit';
import { clientAddress, IN_PROCESS } from './client-address';
import { registerEmailRoutes } from './email';
import { ApiError } from './errors';
import { parseJsonBytes, schemaError } from './json';
import { createKioskAuth, registerEnrollRoute } from './kiosk-auth';
import { registerKioskPolicyRoute } from './kiosk-policy';
import { registerLifecycleAdminRoutes, registerLifecycleRoutes } from './lifecycle';
import { registerOfficerRoutes } from './officers';
import { createRateLimiter, RateLimitedError, rateLimit, rateLimitedKioskAuth } from './rate-limit';
import { securityHeaders } from './security-headers';

/** Routes anyone may call without a kiosk signature or the admin token: limited per address. */
const PUBLIC_PATHS = [ENROLL_PATH, KIOSK_POLICY_PATH, EMAIL_CONFIRM_PATH, CA_CRL_PATH] as const;
/** The largest body any route takes (a sync batch): the ceiling for a route that forgot its own. */
const MAX_ANY_BODY_BYTES = LIMITS.maxBatchBytes;

const FRAME_PROBLEMS = {
  'not-a-frame': `The body is not a ${BATCH_FRAME_MEDIA_TYPE} frame`,
  'manifest-too-large': `The batch manifest exceeds ${LIMITS.maxManifestBytes} bytes`,
  'manifest-not-json': 'The batch manifest is not valid UTF-8 JSON',
} as const;

export interface AppDeps {
  store: Store;
  logger: Logger;
  /** Folder of the built kiosk; when absent only the API is served. */
  staticDir?: string | undefined;
  /** The server clock: request freshness, code expiry and receipt times all read it. */
  now?: () => Date;
  /** Bearer token of the admin API; when absent the admin API answers 404. */
  adminToken?: string | undefined;
  /** Refuse a release by the officer who decided the application (default: on). */
  twoPersonRule?: boolean;
  /** The forwarding job, for the admin API's "run now"; null or absent: no CA configured. */
  forwarder?: Forwarder | null;
  /**
   * The e-mail confirmation (Pasal 10) and the nudge for its sweep after new applications were
   * stored; null or absent: its routes do not exist.
   */
  email?: { confirmations: EmailConfirmations; afterIngest?: () => void } | null;
  /** The CA whose CRL `GET /api/v1/ca/crl` serves; null or absent: no CA configured. */
  ca?: CaConnector | null;
  /** `RENEWAL_WINDOW_DAYS`: the expiring list's default window (30 days when absent). */
  renewalWindowDays?: number;
  /** Served over HTTPS: responses carry HSTS. */
  https?: boolean;
  /**
   * Requests per minute (`RATE_LIMIT_ADDRESS_PER_MINUTE`, `RATE_LIMIT_KIOSK_PER_MINUTE`); 0 or
   * absent: no limit. `clock` is for tests (milliseconds, Date.now by default).
   */
  rateLimits?: { addressPerMinute: number; kioskPerMinute: number; clock?: () => number };
  /** `TRUST_PROXY`: reverse proxies in front whose X-Forwarded-For is believed (0 when absent). */
  trustedProxies?: number;
  /** `ADMIN_ALLOW_REMOTE`: who besides loopback may reach the admin API ('none' when absent). */
  adminRemote?: AdminRemoteAccess;
  /** `MIN_KIOSK_VERSION`: older kiosks stop taking new applications; null or absent: no minimum. */
  minimumKioskVersion?: string | null;
  /** The RA archive's keys (sealed records): handed to kiosks at enrollment; null or absent: none. */
  archiveKeys?: ArchiveKeys | null;
  /** The server's audit chain (issue 8); null or absent: server events are not recorded. */
  audit?: ServerAuditLog | null;
}

export function createApp({
  store,
  logger,
  staticDir,
  now = () => new Date(),
  adminToken,
  twoPersonRule = true,
  forwarder = null,
  email = null,
  ca = null,
  renewalWindowDays = 30,
  https = false,
  rateLimits,
  trustedProxies = 0,
  adminRemote = 'none',
  minimumKioskVersion = null,
  archiveKeys = null,
  audit = null,
}: AppDeps): Hono {
  const app = new Hono();
  // The client's address, worked out once per request for the rate limits and the admin rule
  // (kept beside the request: a body limit may swap `c.req.raw` for a counting copy).
  const requestAddress = new AsyncLocalStorage<string>();
  const addressOf = () => requestAddress.getStore() ?? IN_PROCESS;
  const clock = rateLimits?.clock ? { now: rateLimits.clock } : {};
  const byAddress = createRateLimiter({ perMinute: rateLimits?.addressPerMinute ?? 0, ...clock });
  const byKiosk = createRateLimiter({ perMinute: rateLimits?.kioskPerMinute ?? 0, ...clock });
  // Signed routes are limited per kiosk once the signature verified; failed signatures count
  // against the sender's address.
  const kioskAuth = rateLimitedKioskAuth(createKioskAuth({ store, logger, now }), {
    perKiosk: byKiosk,
    failures: byAddress,
    addressOf,
  });

  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    logger.info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  });
  app.use('*', securityHeaders({ https }));
  app.use('*', (c, next) => requestAddress.run(clientAddress(c, { trustedProxies }), next));
  // Every route that reads a body names its own, smaller limit; this catches one that forgot.
  app.use(`${API_PREFIX}/*`, jsonBodyLimit(MAX_ANY_BODY_BYTES));
  // Unauthenticated routes: limited per client address (static files and health checks are not).
  const perAddress = rateLimit(byAddress, addressOf);
  for (const path of PUBLIC_PATHS) app.use(path, perAddress);
  if (adminToken !== undefined) {
    app.use(
      `${API_PREFIX}/admin/*`,
      adminNetworkGuard({ access: adminRemote, addressOf, trustedProxies, logger }),
      perAddress,
    );
  }

  app.get(`${API_PREFIX}/health`, (c) => c.json({ status: 'ok' }));
  app.get(`${API_PREFIX}/ready`, async (c) => {
    try {
      await store.ping();
      return c.json({ status: 'ready', store: store.kind });
    } catch (err) {
      logger.error({ err }, 'store not ready');
      return c.json({ error: { code: 'not-ready', message: 'The database is not reachable' } }, 503);
    }
  });

  // The kiosk's audit upload, and the server events around enrollment and the admin API (issue 8).
  registerAuditRoutes(app, { store, logger, now, kioskAuth, audit });
  registerEnrollRoute(app, { store, logger, now, archiveKeys });
  if (archiveKeys !== null) registerArchiveKeyRoute(app, archiveKeys);
  registerAdminRoutes(app, { store, logger, now, adminToken, forwarder });
  registerOfficerRoutes(app, { store, logger, now, kioskAuth, twoPersonRule });
  // Renewal, revocation, incidents and the CRL (Pasal 14, 15, 22, 24); the admin part after the admin guard.
  registerLifecycleRoutes(app, { store, logger, now, kioskAuth, renewalWindowDays, ca, audit });
  registerLifecycleAdminRoutes(app, { store });
  registerKioskPolicyRoute(app, { logger, minimumKioskVersion });
  if (email !== null) registerEmailRoutes(app, { kioskAuth, confirmations: email.confirmations });

  app.post(SYNC_BATCHES_PATH, jsonBodyLimit(LIMITS.maxBatchBytes), async (c) => {
    // Nothing below runs, and nothing is stored, unless an enrolled kiosk signed this very request.
    const signed = await kioskAuth.authenticate(c.req.raw);
    const contentType = c.req.header('content-type');
    const framed = contentType?.toLowerCase().startsWith(BATCH_FRAME_MEDIA_TYPE) === true;
    let pictureRegion: Uint8Array | null = null;
    let body: unknown;
    if (framed) {
      const frame = decodeBatchFrame(signed.body, LIMITS.maxManifestBytes);
      if (!frame.ok) throw new ApiError(400, 'invalid-batch', FRAME_PROBLEMS[frame.problem]);
      body = frame.value.manifest;
      pictureRegion = frame.value.attachments;
    } else {
      body = parseJsonBytes(contentType, signed.body);
    }
    if (
      typeof body === 'object' &&
      body !== null &&
      'kioskId' in body &&
      typeof body.kioskId === 'string' &&
      body.kioskId !== signed.kioskId
    ) {
      throw kioskAuth.refuse(
        signed.kioskId,
        new ApiError(403, 'kiosk-mismatch', 'The batch names another kiosk than the one that signed it'),
      );
    }
    const batch = syncBatchRequestSchema.safeParse(body);
    if (!batch.success) {
      throw schemaError(batch.error, 'invalid-batch', 'The batch does not match the sync schema');
    }
    const receivedAt = now().toISOString();
    let response: SyncBatchResponse;
    if (pictureRegion === null) {
      response = await ingestBatch(store, batch.data, receivedAt, { archiveKeys });
    } else {
      const lengths = batch.data.records.map(recordFileLengths);
      const parts = splitAttachments(pictureRegion, lengths.flat());
      if (parts === null) {
        throw new ApiError(
          400,
          'invalid-batch',
          'The files do not add up: each record must declare ektpImage.byteLength and the byteLength of each attachment, and together they must be exactly the bytes after the manifest',
        );
      }
      let next = 0;
      const files = lengths.map((l) => {
        const start = next;
        next += l.length;
        return parts.slice(start, next);
      });
      response = await ingestFramedBatch(store, { ...batch.data, files }, receivedAt, { archiveKeys });
    }
    const counts = { stored: 0, duplicate: 0, rejected: 0 };
    for (const r of response.results) counts[r.status]++;
    logger.info({ records: response.results.length, ...counts }, 'sync batch');
    // The confirmation mails go out after the commit, from the sweep, never from the ingest itself.
    if (counts.stored > 0) email?.afterIngest?.();
    return c.json(response);
  });

  app.post(SYNC_STATUSES_PATH, jsonBodyLimit(LIMITS.maxStatusRequestBytes), async (c) => {
    const signed = await kioskAuth.authenticate(c.req.raw);
    const request = statusRequestSchema.safeParse(parseJsonBytes(c.req.header('content-type'), signed.body));
    if (!request.success) {
      throw schemaError(request.error, 'invalid-request', 'The status request does not match the schema');
    }
    kioskAuth.requireSigner(signed, request.data.kioskId);
    // Only the signer's own applications: another kiosk's ids read as unknown, whether or not
    // they exist.
    const statuses = await store.applicationStatuses(signed.kioskId, request.data.ids);
    const found = new Set(statuses.map((s) => s.id));
    const response: StatusResponse = {
      statuses,
      unknown: [...new Set(request.data.ids)].filter((id) => !found.has(id)),
    };
    return c.json(response);
  });

  app.all(SYNC_BATCHES_PATH, () => {
    throw new ApiError(405, 'method-not-allowed', 'Use POST to send a batch');
  });

  app.all(`${API_PREFIX}/*`, () => {
    throw new ApiError(404, 'not-found', 'No such API endpoint');
  });

  if (staticDir && existsSync(staticDir)) {
    const root = staticDir;
    app.use(
      '*',
      serveStatic({
        root,
        onFound: (path, c) => {
          // The service worker and the page must be revalidated, or kiosks never see updates.
          if (path.endsWith('sw.js') || path.endsWith('.html') || path.endsWith('.webmanifest')) {
            c.header('Cache-Control', 'no-cache');
          } else if (path.includes('/assets/')) {
            c.header('Cache-Control', 'public, max-age=31536000, immutable');
          }
        },
      }),
    );
    // Client-side routes fall back to the app shell.
    app.get('*', serveStatic({ root, path: 'index.html' }));
  }

  app.notFound((c) => c.json(new ApiError(404, 'not-found', 'Not found').toBody(), 404));

  app.onError((err, c) => {
    if (err instanceof RateLimitedError) {
      return c.json(err.toBody(), 429, { 'Retry-After': String(err.retryAfterSeconds) });
    }
    if (err instanceof ApiError) return c.json(err.toBody(), err.status);
    logger.error({ err, method: c.req.method, path: c.req.path }, 'unhandled error');
    return c.json({ error: { code: 'internal', message: 'Internal server error' } }, 500);
  });

  return app;
}
