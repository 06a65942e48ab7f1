/**
 * The certificate's life after issuance over HTTP (docs/api.md, "Renewal, revocation, incidents"):
 * kiosk-signed requests carrying an officer's statement, the CA's CRL served publicly, and the
 * incident register and revocation requests for the administrator.
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import {
  ADMIN_INCIDENTS_PATH,
  ADMIN_REVOCATIONS_PATH,
  CA_CRL_PATH,
  CERTIFICATES_EXPIRING_PATH,
  CERTIFICATES_LOOKUP_PATH,
  type CertificateQueryPayload,
  CORRECTIONS_PATH,
  type CorrectionResponse,
  CRL_MEDIA_TYPE,
  certificateQueryRequestSchema,
  correctionRequestSchema,
  INCIDENTS_LIST_PATH,
  INCIDENTS_PATH,
  type IncidentListResponse,
  incidentRequestSchema,
  LIFECYCLE_LIMITS,
  type LookupResponse,
  REVOCATIONS_PATH,
  revocationRequestSchema,
} from '../../../src/protocol/lifecycle';
import type { ServerAuditLog } from '../audit/server-chain';
import { type CaConnector, CaError } from '../ca/connector';
import { incidentsCsv } from '../domain/incidents-csv';
import {
  type Checked,
  certificateRecord,
  checkCertificateQuery,
  expiringCertificates,
  incidentView,
  recordOfficerCorrection,
  recordOfficerIncident,
  requestRevocation,
  revocationView,
} from '../domain/lifecycle';
import type { Logger } from '../logger';
import type { Store } from '../store/store';
import { jsonBodyLimit } from './body-limit';
import { ApiError } from './errors';
import { parseJsonBytes, schemaError } from './json';
import type { KioskAuth, SignedKioskRequest } from './kiosk-auth';

/** How long a CRL is served from memory (and kept by clients) before the CA is asked again. */
export const CRL_CACHE_SECONDS = 60;

export interface LifecycleRouteDeps {
  store: Store;
  logger: Logger;
  now: () => Date;
  kioskAuth: KioskAuth;
  /** `RENEWAL_WINDOW_DAYS`: how far ahead the expiring list looks unless the officer asks otherwise. */
  renewalWindowDays: number;
  /** The CA whose CRL is served; null: no CA (`CA_CONNECTOR=none`). */
  ca: CaConnector | null;
  /** Records each opening of the sealed archive (`archive-opened`); null: not recorded. */
  audit?: ServerAuditLog | null;
}

/** Ids in an audit event's subject: bounded, the count beside it says how many there were. */
const MAX_SUBJECT_IDS = 200;

function unwrap<T>(checked: Checked<T>): T {
  if (!checked.ok) {
    const { status, code, message } = checked.refusal;
    throw new ApiError(status, code, message);
  }
  return checked.value;
}

export function registerLifecycleRoutes(app: Hono, deps: LifecycleRouteDeps): void {
  const { store, logger, now, kioskAuth } = deps;
  const limit = jsonBodyLimit(LIFECYCLE_LIMITS.maxRequestBytes);

  /** The signed request's officer query, of the one kind this path answers. */
  async function officerQuery<K extends CertificateQueryPayload['query']['kind']>(
    signed: SignedKioskRequest,
    contentType: string | undefined,
    kind: K,
  ): Promise<{ officerId: string; query: Extract<CertificateQueryPayload['query'], { kind: K }> }> {
    const parsed = certificateQueryRequestSchema.safeParse(parseJsonBytes(contentType, signed.body));
    if (!parsed.success)
      throw schemaError(parsed.error, 'invalid-request', 'The request does not match the schema');
    kioskAuth.requireSigner(signed, parsed.data.kioskId);
    const payload = unwrap(
      await checkCertificateQuery(store, parsed.data.query, { kioskId: signed.kioskId, now: now() }),
    );
    const query = payload.query;
    if (query.kind !== kind) throw new ApiError(400, 'invalid-query', `This path answers ${kind} queries`);
    return {
      officerId: payload.officerId,
      query: query as Extract<CertificateQueryPayload['query'], { kind: K }>,
    };
  }

  /** Personal data left the archive for an officer: who, which applications, why (issue 8). */
  const recordOpening = (officerId: string, ids: readonly string[], purpose: string) =>
    deps.audit?.record(
      'archive-opened',
      `officer:${officerId}`,
      ids.slice(0, MAX_SUBJECT_IDS).join(',') || null,
      {
        purpose,
        applications: String(ids.length),
      },
    );

  app.post(CERTIFICATES_EXPIRING_PATH, limit, async (c) => {
    const signed = await kioskAuth.authenticate(c.req.raw);
    const { officerId, query } = await officerQuery(signed, c.req.header('content-type'), 'expiring');
    const response = await expiringCertificates(store, {
      now: now(),
      windowDays: query.withinDays ?? deps.renewalWindowDays,
    });
    const count = response.groups.reduce((n, g) => n + g.certificates.length, 0);
    await recordOpening(
      officerId,
      response.groups.flatMap((g) => g.certificates.map((r) => r.applicationId)),
      'expiring-list',
    );
    logger.info({ kioskId: signed.kioskId, certificates: count }, 'expiring certificates');
    return c.json(response);
  });

  app.post(CERTIFICATES_LOOKUP_PATH, limit, async (c) => {
    const signed = await kioskAuth.authenticate(c.req.raw);
    const { officerId, query } = await officerQuery(signed, c.req.header('content-type'), 'lookup');
    const lookup =
      'nikHash' in query ? { nikHash: query.nikHash } : { serialNumberHex: query.serialNumberHex };
    const found = await store.findIssuedCertificates(lookup, LIFECYCLE_LIMITS.maxCertificates);
    const response: LookupResponse = { certificates: found.map(certificateRecord) };
    await recordOpening(
      officerId,
      found.map((f) => f.applicationId),
      'nikHash' in query ? 'lookup-by-nik' : 'lookup-by-serial',
    );
    // How it was asked and how many: never the hash or the serial.
    logger.info(
      { kioskId: signed.kioskId, by: 'nikHash' in query ? 'nik' : 'serial', certificates: found.length },
      'certificate lookup',
    );
    return c.json(response);
  });

  app.post(INCIDENTS_LIST_PATH, limit, async (c) => {
    const signed = await kioskAuth.authenticate(c.req.raw);
    const { query } = await officerQuery(signed, c.req.header('content-type'), 'incidents');
    const incidents = await store.listIncidents({
      from: query.from,
      to: query.to,
      limit: LIFECYCLE_LIMITS.maxIncidents + 1,
    });
    const response: IncidentListResponse = {
      incidents: incidents.slice(0, LIFECYCLE_LIMITS.maxIncidents).map(incidentView),
      truncated: incidents.length > LIFECYCLE_LIMITS.maxIncidents,
    };
    return c.json(response);
  });

  app.post(REVOCATIONS_PATH, jsonBodyLimit(LIFECYCLE_LIMITS.maxRevocationBytes), async (c) => {
    const signed = await kioskAuth.authenticate(c.req.raw);
    const parsed = revocationRequestSchema.safeParse(
      parseJsonBytes(c.req.header('content-type'), signed.body),
    );
    if (!parsed.success) {
      throw schemaError(parsed.error, 'invalid-request', 'The revocation request does not match the schema');
    }
    kioskAuth.requireSigner(signed, parsed.data.kioskId);
    const response = unwrap(
      await requestRevocation(store, parsed.data, { kioskId: signed.kioskId, now: now() }),
    );
    logger.info(
      {
        kioskId: signed.kioskId,
        requestId: response.revocation.requestId,
        applicationId: response.revocation.applicationId,
        reason: response.revocation.reason,
        lostKey: response.revocation.lostKey,
        status: response.status,
      },
      'revocation request',
    );
    return c.json(response, response.status === 'requested' ? 201 : 200);
  });

  app.post(INCIDENTS_PATH, limit, async (c) => {
    const signed = await kioskAuth.authenticate(c.req.raw);
    const parsed = incidentRequestSchema.safeParse(parseJsonBytes(c.req.header('content-type'), signed.body));
    if (!parsed.success) {
      throw schemaError(parsed.error, 'invalid-request', 'The incident does not match the schema');
    }
    kioskAuth.requireSigner(signed, parsed.data.kioskId);
    const response = unwrap(
      await recordOfficerIncident(store, parsed.data.incident, { kioskId: signed.kioskId, now: now() }),
    );
    // The id and the type only: the description is free text.
    logger.info(
      { kioskId: signed.kioskId, incidentId: response.incident.id, type: response.incident.type },
      'incident',
    );
    return c.json(response, response.status === 'recorded' ? 201 : 200);
  });

  app.post(CORRECTIONS_PATH, limit, async (c) => {
    const signed = await kioskAuth.authenticate(c.req.raw);
    const parsed = correctionRequestSchema.safeParse(
      parseJsonBytes(c.req.header('content-type'), signed.body),
    );
    if (!parsed.success) {
      throw schemaError(parsed.error, 'invalid-request', 'The correction does not match the schema');
    }
    kioskAuth.requireSigner(signed, parsed.data.kioskId);
    const { applicationId, officerId, ...response } = unwrap(
      await recordOfficerCorrection(store, parsed.data.correction, { kioskId: signed.kioskId, now: now() }),
    );
    // Ids only: the corrected values are personal data.
    logger.info({ kioskId: signed.kioskId, applicationId, officerId, status: response.status }, 'correction');
    const body: CorrectionResponse = response;
    return c.json(body, response.status === 'recorded' ? 201 : 200);
  });

  registerCrlRoute(app, deps);
}

/**
 * `GET /api/v1/ca/crl`: the CA's CRL, DER, public (the distribution point the certificates name).
 * Kept in memory for `CRL_CACHE_SECONDS`, and fetched again at once after the CA revoked anything.
 */
function registerCrlRoute(app: Hono, { store, logger, now, ca }: LifecycleRouteDeps): void {
  interface CachedCrl {
    der: Uint8Array;
    thisUpdate: string;
    fetchedAt: number;
    /** `latestRevocationAt()` when it was fetched: a newer revocation makes it stale. */
    mark: string | null;
  }
  let cached: CachedCrl | null = null;
  let fetching: Promise<CachedCrl> | null = null;

  const fetchCrl = async (mark: string | null): Promise<CachedCrl> => {
    if (ca === null) throw new ApiError(404, 'no-ca', 'No CA is configured (CA_CONNECTOR=none)');
    try {
      const crl = await ca.fetchCrl();
      return { der: crl.der, thisUpdate: crl.thisUpdate, fetchedAt: now().getTime(), mark };
    } catch (error) {
      if (!(error instanceof CaError)) throw error;
      logger.warn({ connector: ca.name, reason: `${error.kind}: ${error.message}` }, 'CRL fetch failed');
      throw new ApiError(503, 'ca-unavailable', 'The CA does not answer; try again later');
    }
  };

  app.get(CA_CRL_PATH, async (c: Context) => {
    const mark = await store.latestRevocationAt();
    const fresh =
      cached !== null &&
      cached.mark === mark &&
      now().getTime() - cached.fetchedAt < CRL_CACHE_SECONDS * 1000;
    let crl: CachedCrl;
    if (fresh && cached !== null) crl = cached;
    else {
      // Concurrent requests share one fetch.
      fetching ??= fetchCrl(mark).finally(() => {
        fetching = null;
      });
      crl = await fetching;
      cached = crl;
    }
    return c.body(crl.der.slice().buffer, 200, {
      'Content-Type': CRL_MEDIA_TYPE,
      'Cache-Control': `public, max-age=${CRL_CACHE_SECONDS}`,
      'Last-Modified': new Date(crl.thisUpdate).toUTCString(),
    });
  });
}

const rangeQuerySchema = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  format: z.enum(['json', 'csv']).optional(),
});

/** Everything, when no bound is given. */
const EARLIEST = '1970-01-01T00:00:00.000Z';
const LATEST = '9999-12-31T23:59:59.999Z';

function rangeOf(c: Context): { from: string; to: string; format: 'json' | 'csv' } {
  const parsed = rangeQuerySchema.safeParse(c.req.query());
  if (!parsed.success) {
    throw schemaError(
      parsed.error,
      'invalid-request',
      'from and to must be ISO 8601 times; format json or csv',
    );
  }
  const { from = EARLIEST, to = LATEST, format = 'json' } = parsed.data;
  if (!(Date.parse(from) < Date.parse(to)))
    throw new ApiError(400, 'invalid-request', 'from must be before to');
  return { from, to, format };
}

/**
 * The administrator's view (behind the admin API's bearer token, registered after its guard): the
 * incident register as JSON or CSV, and the revocation requests with the forwarding job's state.
 */
export function registerLifecycleAdminRoutes(app: Hono, { store }: { store: Store }): void {
  app.get(ADMIN_INCIDENTS_PATH, async (c) => {
    const range = rangeOf(c);
    const incidents = (await store.listIncidents(range)).map(incidentView);
    if (range.format === 'json') return c.json({ incidents });
    return c.body(incidentsCsv(incidents), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="insiden.csv"',
    });
  });

  app.get(ADMIN_REVOCATIONS_PATH, async (c) => {
    const range = rangeOf(c);
    const revocations = (await store.listRevocations(range)).map((r) => ({
      ...revocationView(r),
      officerId: r.officerId,
      kioskId: r.kioskId,
      attempts: r.attempts,
      lastError: r.lastError,
      incidentId: r.incidentId,
    }));
    return c.json({ revocations });
  });
}
