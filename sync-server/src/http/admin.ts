/** The admin API: enrollment codes and kiosk revocation, behind a bearer token. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Hono } from 'hono';
import {
  ADMIN_ENROLLMENT_CODES_PATH,
  ADMIN_KIOSKS_PATH,
  ADMIN_REVOKE_KIOSK_PATH,
  createEnrollmentCodeSchema,
  UUID_PATTERN,
} from '../../../src/protocol/kiosk-auth';
import {
  ADMIN_APPLICATION_OUTCOME_PATH,
  API_PREFIX,
  LIMITS,
  recordOutcomeSchema,
} from '../../../src/protocol/sync';
import { issueEnrollmentCode } from '../domain/enrollment';
import { describeOutcomeProblem, recordCaOutcome } from '../domain/outcome';
import type { Logger } from '../logger';
import type { Store } from '../store/store';
import { jsonBodyLimit } from './body-limit';
import { ApiError } from './errors';
import { readJson, schemaError } from './json';

const MAX_ADMIN_BODY_BYTES = 4 * 1024;

export interface AdminDeps {
  store: Store;
  logger: Logger;
  now: () => Date;
  /** Undefined: the admin API answers 404 as if it did not exist. */
  adminToken: string | undefined;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

export function registerAdminRoutes(app: Hono, { store, logger, now, adminToken }: AdminDeps): void {
  // Digests have equal length whatever was sent, so the comparison takes the same time.
  const expected = adminToken === undefined ? null : sha256(adminToken);

  app.use(`${API_PREFIX}/admin/*`, async (c, next) => {
    if (expected === null) throw new ApiError(404, 'not-found', 'No such API endpoint');
    const given = /^Bearer +(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (given === undefined || !timingSafeEqual(sha256(given), expected)) {
      logger.warn({ path: c.req.path }, 'admin request refused');
      return c.json(
        new ApiError(401, 'unauthorized', 'A valid admin bearer token is required').toBody(),
        401,
        {
          'WWW-Authenticate': 'Bearer realm="sertel-admin"',
        },
      );
    }
    return next();
  });

  const limit = jsonBodyLimit(MAX_ADMIN_BODY_BYTES);

  app.post(ADMIN_ENROLLMENT_CODES_PATH, limit, async (c) => {
    const parsed = createEnrollmentCodeSchema.safeParse(await readJson(c.req.raw));
    if (!parsed.success) {
      throw schemaError(parsed.error, 'invalid-request', 'The request does not match the schema');
    }
    const { name, validHours } = parsed.data;
    const issued = await issueEnrollmentCode(store, {
      name,
      now: now(),
      ...(validHours === undefined ? {} : { validMs: validHours * 3_600_000 }),
    });
    // Never the code itself: whoever reads the log could enroll a kiosk with it.
    logger.info({ kioskName: name, expiresAt: issued.expiresAt }, 'enrollment code created');
    return c.json(issued, 201);
  });

  app.get(ADMIN_KIOSKS_PATH, async (c) => c.json({ kiosks: await store.listKiosks() }));

  app.post(ADMIN_REVOKE_KIOSK_PATH, limit, async (c) => {
    const id = c.req.param('id') ?? '';
    const outcome = UUID_PATTERN.test(id) ? await store.revokeKiosk(id, now().toISOString()) : null;
    if (outcome === null || outcome.status === 'unknown') {
      throw new ApiError(404, 'unknown-kiosk', 'No kiosk has this id');
    }
    logger.info({ kioskId: id }, 'kiosk revoked');
    return c.json({ kiosk: outcome.kiosk });
  });

  const outcomeLimit = jsonBodyLimit(LIMITS.maxCertificatePemChars + 1024, 'The request body is too large');

  // The CA's answer obtained by hand (the BSrE portal) until the forwarding job brings it itself.
  app.post(ADMIN_APPLICATION_OUTCOME_PATH, outcomeLimit, async (c) => {
    const id = c.req.param('id') ?? '';
    if (!UUID_PATTERN.test(id)) throw new ApiError(404, 'unknown-application', 'No application has this id');
    const parsed = recordOutcomeSchema.safeParse(await readJson(c.req.raw));
    if (!parsed.success) {
      throw schemaError(parsed.error, 'invalid-request', 'The request does not match the schema');
    }
    const result = await recordCaOutcome(store, id, parsed.data, { now: now(), actor: 'admin' });
    if (!result.ok) {
      const status = {
        'unknown-application': 404,
        'certificate-mismatch': 422,
        'illegal-transition': 409,
      } as const;
      throw new ApiError(status[result.problem], result.problem, describeOutcomeProblem(result));
    }
    logger.info({ applicationId: id, state: result.state, status: result.status }, 'application outcome');
    return c.json({ id, state: result.state, status: result.status });
  });
}
