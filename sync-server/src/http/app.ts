import { existsSync } from 'node:fs';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import {
  BATCH_FRAME_MEDIA_TYPE,
  decodeBatchFrame,
  splitAttachments,
} from '../../../src/protocol/batch-frame';
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
import type { CaConnector } from '../ca/connector';
import type { Forwarder } from '../ca/forwarding';
import type { EmailConfirmations } from '../domain/email-confirmation';
import { ingestBatch, ingestFramedBatch } from '../domain/ingest';
import type { Logger } from '../logger';
import type { Store } from '../store/store';
import { registerAdminRoutes } from './admin';
import { jsonBodyLimit } from './body-limit';
import { registerEmailRoutes } from './email';
import { ApiError } from './errors';
import { parseJsonBytes, schemaError } from './json';
import { createKioskAuth, registerEnrollRoute } from './kiosk-auth';
import { registerLifecycleAdminRoutes, registerLifecycleRoutes } from './lifecycle';
import { registerOfficerRoutes } from './officers';

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
}: AppDeps): Hono {
  const app = new Hono();
  const kioskAuth = createKioskAuth({ store, logger, now });

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

  registerEnrollRoute(app, { store, logger, now });
  registerAdminRoutes(app, { store, logger, now, adminToken, forwarder });
  registerOfficerRoutes(app, { store, logger, now, kioskAuth, twoPersonRule });
  // Renewal, revocation, incidents and the CRL (Pasal 14, 15, 22, 24); the admin part after the admin guard.
  registerLifecycleRoutes(app, { store, logger, now, kioskAuth, renewalWindowDays, ca });
  registerLifecycleAdminRoutes(app, { store });
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
      response = await ingestBatch(store, batch.data, receivedAt);
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
      response = await ingestFramedBatch(store, { ...batch.data, files }, receivedAt);
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
    if (err instanceof ApiError) return c.json(err.toBody(), err.status);
    logger.error({ err, method: c.req.method, path: c.req.path }, 'unhandled error');
    return c.json({ error: { code: 'internal', message: 'Internal server error' } }, 500);
  });

  return app;
}
