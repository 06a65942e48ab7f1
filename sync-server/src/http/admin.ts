/** The admin API: enrollment codes, kiosk revocation and officer accounts, behind a bearer token. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Hono } from 'hono';
import { z } from 'zod';
import {
  ADMIN_ENROLLMENT_CODES_PATH,
  ADMIN_KIOSKS_PATH,
  ADMIN_REVOKE_KIOSK_PATH,
  createEnrollmentCodeSchema,
  UUID_PATTERN,
} from '../../../src/protocol/kiosk-auth';
import {
  ADMIN_OFFICER_CODES_PATH,
  ADMIN_OFFICER_LOCK_PATH,
  ADMIN_OFFICER_UNLOCK_PATH,
  ADMIN_OFFICERS_PATH,
  createOfficerCodeSchema,
  createOfficerSchema,
  lockOfficerSchema,
} from '../../../src/protocol/officer';
import {
  ADMIN_APPLICATION_OUTCOME_PATH,
  ADMIN_FORWARD_PATH,
  ADMIN_YEARLY_REPORT_PATH,
  API_PREFIX,
  LIMITS,
  recordOutcomeSchema,
} from '../../../src/protocol/sync';
import type { Forwarder } from '../ca/forwarding';
import { issueEnrollmentCode } from '../domain/enrollment';
import {
  createOfficerAccount,
  issueOfficerCode,
  lockOfficerAccount,
  officerAdminView,
  officerListView,
  unlockOfficerAccount,
} from '../domain/officers';
import { describeOutcomeProblem, recordCaOutcome } from '../domain/outcome';
import type { Logger } from '../logger';
import { formatReport, yearlyReport } from '../report/yearly';
import type { Store } from '../store/store';
import { jsonBodyLimit } from './body-limit';
import { ApiError } from './errors';
import { parseJsonBytes, readJson, schemaError } from './json';

const MAX_ADMIN_BODY_BYTES = 4 * 1024;

/** The body as the schema reads it, or the 400 that names the failing fields. */
function parseRequest<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw schemaError(parsed.error, 'invalid-request', 'The request does not match the schema');
  }
  return parsed.data;
}

/** A body that may be left out: none at all reads as `{}`. */
async function readOptionalJson(request: Request): Promise<unknown> {
  const bytes = new Uint8Array(await request.arrayBuffer());
  return bytes.length === 0 ? {} : parseJsonBytes(request.headers.get('content-type') ?? undefined, bytes);
}

export interface AdminDeps {
  store: Store;
  logger: Logger;
  now: () => Date;
  /** Undefined: the admin API answers 404 as if it did not exist. */
  adminToken: string | undefined;
  /** Null: no CA configured (`CA_CONNECTOR=none`). */
  forwarder: Forwarder | null;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

export function registerAdminRoutes(
  app: Hono,
  { store, logger, now, adminToken, forwarder }: AdminDeps,
): void {
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
    const { name, validHours } = parseRequest(createEnrollmentCodeSchema, await readJson(c.req.raw));
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
    const request = parseRequest(recordOutcomeSchema, await readJson(c.req.raw));
    const result = await recordCaOutcome(store, id, request, { now: now(), actor: 'admin' });
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

  app.post(ADMIN_FORWARD_PATH, limit, async (c) => {
    if (forwarder === null) {
      throw new ApiError(409, 'no-ca', 'No CA is configured (CA_CONNECTOR=none): nothing is forwarded');
    }
    return c.json({ report: await forwarder.runOnce() });
  });

  app.get(ADMIN_YEARLY_REPORT_PATH, async (c) => {
    const query = parseRequest(yearlyReportQuerySchema, c.req.query());
    const made = await yearlyReport(store, query.year);
    const { body, mediaType } = formatReport(made, query.format, { language: query.lang, madeAt: now() });
    const headers: Record<string, string> = { 'content-type': mediaType, 'cache-control': 'no-store' };
    if (query.format === 'csv')
      headers['content-disposition'] = `attachment; filename="laporan-sertel-${query.year}.csv"`;
    return c.body(body, 200, headers);
  });

  registerOfficerAdminRoutes(app, { store, logger, now, limit });
}

const yearlyReportQuerySchema = z.object({
  year: z
    .string()
    .regex(/^\d{4}$/, 'year must be four digits')
    .transform(Number)
    .pipe(z.number().int().min(2019).max(2100)),
  format: z.enum(['html', 'csv', 'json']).default('html'),
  lang: z.enum(['id', 'en']).default('id'),
});

/** Officer accounts (docs/officers.md); the CLI's add-officer, officer-code, lock- and unlock-officer. */
function registerOfficerAdminRoutes(
  app: Hono,
  {
    store,
    logger,
    now,
    limit,
  }: Pick<AdminDeps, 'store' | 'logger' | 'now'> & { limit: ReturnType<typeof jsonBodyLimit> },
): void {
  const unknownOfficer = () => new ApiError(404, 'unknown-officer', 'No officer has this id');
  const officerIdOf = (param: string | undefined): string => {
    const id = param ?? '';
    if (!UUID_PATTERN.test(id)) throw unknownOfficer();
    return id;
  };

  app.post(ADMIN_OFFICERS_PATH, limit, async (c) => {
    const request = parseRequest(createOfficerSchema, await readJson(c.req.raw));
    const result = await createOfficerAccount(store, request, { now: now(), actor: 'admin', logger });
    if (!result.ok) throw new ApiError(409, 'username-taken', 'An officer already has this username');
    return c.json(result.issued, 201);
  });

  app.get(ADMIN_OFFICERS_PATH, async (c) =>
    c.json({ officers: (await store.listOfficers()).map(officerListView) }),
  );

  app.post(ADMIN_OFFICER_CODES_PATH, limit, async (c) => {
    const id = officerIdOf(c.req.param('id'));
    const request = parseRequest(createOfficerCodeSchema, await readOptionalJson(c.req.raw));
    const result = await issueOfficerCode(store, id, {
      now: now(),
      validHours: request.validHours,
      actor: 'admin',
      logger,
    });
    if (!result.ok) {
      throw result.problem === 'unknown-officer'
        ? unknownOfficer()
        : new ApiError(409, 'officer-locked', 'The officer is locked: unlock first, then make a code');
    }
    return c.json(result.issued, 201);
  });

  app.post(ADMIN_OFFICER_LOCK_PATH, limit, async (c) => {
    const id = officerIdOf(c.req.param('id'));
    const request = parseRequest(lockOfficerSchema, await readOptionalJson(c.req.raw));
    const result = await lockOfficerAccount(store, id, {
      now: now(),
      reason: request.reason,
      actor: 'admin',
      logger,
    });
    if (!result.ok) throw unknownOfficer();
    return c.json({
      officer: officerAdminView(result.officer),
      status: result.status === 'locked' ? 'locked' : 'already-locked',
      revokedKeys: result.revokedKeys,
    });
  });

  app.post(ADMIN_OFFICER_UNLOCK_PATH, limit, async (c) => {
    const id = officerIdOf(c.req.param('id'));
    const result = await unlockOfficerAccount(store, id, { actor: 'admin', logger });
    if (!result.ok) throw unknownOfficer();
    return c.json({
      officer: officerAdminView(result.officer),
      status: result.status === 'unlocked' ? 'unlocked' : 'not-locked',
    });
  });
}
