/**
 * The audit chains over HTTP (issue 8): the kiosk's signed upload of its chain, and the server
 * events recorded around the admin API and kiosk enrollment.
 */
import type { Hono } from 'hono';
import { describeAuditProblem } from '../../../src/core/audit/chain';
import {
  AUDIT_CHAIN_BREAK,
  AUDIT_LIMITS,
  type AuditUploadResponse,
  auditUploadSchema,
  SYNC_AUDIT_PATH,
} from '../../../src/protocol/audit';
import { ENROLL_PATH, UUID_PATTERN } from '../../../src/protocol/kiosk-auth';
import { API_PREFIX } from '../../../src/protocol/sync';
import { ingestKioskAudit } from '../audit/kiosk-chain';
import type { ServerAuditLog } from '../audit/server-chain';
import type { Logger } from '../logger';
import type { Store } from '../store/store';
import { jsonBodyLimit } from './body-limit';
import { ApiError } from './errors';
import { parseJsonBytes, schemaError } from './json';
import type { KioskAuth } from './kiosk-auth';

export interface AuditRouteDeps {
  store: Store;
  logger: Logger;
  now: () => Date;
  kioskAuth: KioskAuth;
  /** The server chain; null: server events are not recorded (the kiosk upload still works). */
  audit: ServerAuditLog | null;
}

/** The path with each UUID replaced by `:id`, and the first UUID: what an admin event records. */
function routeOf(path: string): { route: string; id: string | null } {
  let id: string | null = null;
  const route = path
    .split('/')
    .map((part) => {
      if (!UUID_PATTERN.test(part)) return part;
      id ??= part.toLowerCase();
      return ':id';
    })
    .join('/');
  return { route, id };
}

/** Register before the enrollment and admin routes: the recorders wrap them. */
export function registerAuditRoutes(
  app: Hono,
  { store, logger, now, kioskAuth, audit }: AuditRouteDeps,
): void {
  if (audit !== null) {
    // One event per successful admin request: the method and route, never the body.
    app.use(`${API_PREFIX}/admin/*`, async (c, next) => {
      await next();
      if (c.res.status >= 400) return;
      const { route, id } = routeOf(c.req.path);
      await audit.record('admin-action', 'admin', id, { method: c.req.method, route, status: c.res.status });
    });
    app.use(ENROLL_PATH, async (c, next) => {
      await next();
      if (c.req.method !== 'POST' || c.res.status !== 201) return;
      const body = (await c.res.clone().json()) as { kioskId?: unknown };
      if (typeof body.kioskId === 'string') {
        await audit.record('kiosk-enrolled', `kiosk:${body.kioskId}`, body.kioskId);
      }
    });
  }

  app.post(SYNC_AUDIT_PATH, jsonBodyLimit(AUDIT_LIMITS.maxRequestBytes), async (c) => {
    const signed = await kioskAuth.authenticate(c.req.raw);
    const parsed = auditUploadSchema.safeParse(parseJsonBytes(c.req.header('content-type'), signed.body));
    if (!parsed.success) {
      throw schemaError(parsed.error, 'invalid-request', 'The audit upload does not match the schema');
    }
    kioskAuth.requireSigner(signed, parsed.data.kioskId);
    const outcome = await ingestKioskAudit(store, parsed.data, {
      receivedAt: now().toISOString(),
      ...(audit === null ? {} : { audit }),
    });
    switch (outcome.status) {
      case 'acknowledged': {
        const response: AuditUploadResponse = { acknowledgedSeq: outcome.acknowledgedSeq };
        return c.json(response);
      }
      case 'head-moved':
        throw new ApiError(409, 'audit-head-moved', 'Another upload extended this chain first; send again');
      case 'break':
        logger.error(
          {
            kioskId: signed.kioskId,
            seq: outcome.problem.seq,
            problem: outcome.problem.kind,
            incidentId: outcome.incidentId,
          },
          'kiosk audit chain break',
        );
        throw new ApiError(
          409,
          AUDIT_CHAIN_BREAK,
          `The audit chain does not continue the one the server holds: ${describeAuditProblem(outcome.problem)}; incident ${outcome.incidentId} was raised`,
        );
    }
  });
}
