/**
 * The kiosk-signed officer routes (docs/officers.md, docs/api.md): officer enrollment on a kiosk,
 * the kiosk's report of a PIN lock, the second officer's releases and the duplicate-NIK check.
 * Every one is signed with the kiosk's device key, as a sync batch is.
 */
import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import {
  NIK_CHECK_PATH,
  type NikCheckResponse,
  nikCheckRequestSchema,
  OFFICER_ENROLL_PATH,
  OFFICER_LIMITS,
  OFFICER_LOCK_PATH,
  type OfficerEnrollResponse,
  officerEnrollRequestSchema,
  officerLockRequestSchema,
  type ReleaseResponse,
  releaseRequestSchema,
  SYNC_RELEASES_PATH,
} from '../../../src/protocol/officer';
import { hashEnrollmentCode } from '../domain/enrollment';
import { checkRelease, createOfficerLookup, importOfficerPublicKey } from '../domain/officer-statements';
import { lockOfficerAccount, officerView } from '../domain/officers';
import type { Logger } from '../logger';
import type { ReleaseOutcome, Store } from '../store/store';
import { jsonBodyLimit } from './body-limit';
import { ApiError } from './errors';
import { parseJsonBytes, schemaError } from './json';
import { forgiveEnrollmentCode, type KioskAuth } from './kiosk-auth';

/** Username, code and a 124-character SPKI: far below this. */
const MAX_OFFICER_ENROLL_BODY_BYTES = 4 * 1024;

const RELEASE_REFUSALS: Record<Extract<ReleaseOutcome, { status: 'refused' }>['code'], string> = {
  'unknown-application': 'No application has this id',
  'not-approved': 'The application has no officer approval',
  'self-release': 'The officer who decided the application cannot release it (two-person rule)',
};

export interface OfficerRouteDeps {
  store: Store;
  logger: Logger;
  now: () => Date;
  kioskAuth: KioskAuth;
  /** Refuse a release by the officer who decided (`TWO_PERSON_RULE`, on unless switched off). */
  twoPersonRule: boolean;
}

export function registerOfficerRoutes(
  app: Hono,
  { store, logger, now, kioskAuth, twoPersonRule }: OfficerRouteDeps,
): void {
  const limit = jsonBodyLimit(OFFICER_LIMITS.maxRequestBytes);

  app.post(OFFICER_ENROLL_PATH, jsonBodyLimit(MAX_OFFICER_ENROLL_BODY_BYTES), async (c) => {
    const signed = await kioskAuth.authenticate(c.req.raw);
    const body = parseJsonBytes(c.req.header('content-type'), signed.body);
    const parsed = officerEnrollRequestSchema.safeParse(forgiveEnrollmentCode(body));
    if (!parsed.success) {
      throw schemaError(parsed.error, 'invalid-request', 'The officer enrollment does not match the schema');
    }
    const { username, code, publicKeySpki } = parsed.data;
    if (importOfficerPublicKey(publicKeySpki) === null) {
      throw new ApiError(
        400,
        'invalid-public-key',
        'The public key is not an ECDSA P-256 SubjectPublicKeyInfo',
      );
    }
    const outcome = await store.enrollOfficer({
      username,
      codeHash: hashEnrollmentCode(code),
      keyId: randomUUID(),
      kioskId: signed.kioskId,
      publicKeySpki,
      at: now().toISOString(),
    });
    const refused = (error: ApiError) => {
      // Never the username or the code: only the outcome and the kiosk.
      logger.warn({ refusal: error.code, kioskId: signed.kioskId }, 'officer enrollment refused');
      return error;
    };
    switch (outcome.status) {
      case 'enrolled': {
        logger.info(
          { officerId: outcome.officer.id, keyId: outcome.keyId, kioskId: signed.kioskId },
          'officer enrolled',
        );
        const response: OfficerEnrollResponse = {
          officer: officerView(outcome.officer),
          keyId: outcome.keyId,
          nikHashKey: Buffer.from(await store.nikHashKey()).toString('base64'),
        };
        return c.json(response, 201);
      }
      case 'unknown':
        // One answer for an unknown username and a wrong code: no way to probe for usernames.
        throw refused(
          new ApiError(400, 'invalid-code', 'This enrollment code is not known for this officer'),
        );
      case 'used':
        throw refused(new ApiError(409, 'code-used', 'This enrollment code has already been used'));
      case 'expired':
        throw refused(new ApiError(410, 'code-expired', 'This enrollment code has expired'));
      case 'not-active':
        throw refused(
          new ApiError(403, 'officer-locked', 'This officer is locked; an administrator must unlock'),
        );
    }
  });

  app.post(OFFICER_LOCK_PATH, limit, async (c) => {
    const signed = await kioskAuth.authenticate(c.req.raw);
    const parsed = officerLockRequestSchema.safeParse(
      parseJsonBytes(c.req.header('content-type'), signed.body),
    );
    if (!parsed.success) {
      throw schemaError(parsed.error, 'invalid-request', 'The lock report does not match the schema');
    }
    const report = parsed.data;
    kioskAuth.requireSigner(signed, report.kioskId);
    // A kiosk reports only a lock of a key it holds: it cannot lock officers it never saw.
    const key = await store.getOfficerKey(report.keyId);
    if (key === null || key.officerId !== report.officerId || key.kioskId !== signed.kioskId) {
      throw kioskAuth.refuse(
        signed.kioskId,
        new ApiError(404, 'unknown-officer', 'This officer has no such key on this kiosk'),
      );
    }
    if (key.revokedAt !== null) {
      // The key went with an earlier lock: a late report of that lock must not undo an unlock.
      logger.info(
        { officerId: key.officerId, kioskId: signed.kioskId },
        'officer lock report for a revoked key',
      );
      return c.json({ officerId: key.officerId, status: 'already-locked' });
    }
    const result = await lockOfficerAccount(store, key.officerId, {
      now: now(),
      reason: 'too many wrong PINs at a kiosk',
      actor: `kiosk:${signed.kioskId}`,
      logger,
    });
    if (!result.ok) throw new ApiError(404, 'unknown-officer', 'No officer has this id');
    return c.json({
      officerId: key.officerId,
      status: result.status === 'locked' ? 'locked' : 'already-locked',
    });
  });

  app.post(SYNC_RELEASES_PATH, limit, async (c) => {
    const signed = await kioskAuth.authenticate(c.req.raw);
    const parsed = releaseRequestSchema.safeParse(parseJsonBytes(c.req.header('content-type'), signed.body));
    if (!parsed.success) {
      throw schemaError(parsed.error, 'invalid-request', 'The release request does not match the schema');
    }
    kioskAuth.requireSigner(signed, parsed.data.kioskId);
    const lookup = createOfficerLookup(store);
    const response: ReleaseResponse = { results: [], refused: [] };
    // One after the other: a later release naming the same application finds it released.
    for (const [index, statement] of parsed.data.releases.entries()) {
      const checked = await checkRelease(lookup, statement, signed.kioskId);
      if (!checked.ok) {
        response.refused.push({ index, code: checked.code, message: checked.message });
        continue;
      }
      const { payload } = checked;
      const outcomes = await store.recordRelease({
        applicationIds: payload.applicationIds,
        officerId: payload.officerId,
        keyId: payload.keyId,
        releasedAt: payload.releasedAt,
        payload: statement.payload,
        signature: statement.signature,
        receivedAt: now().toISOString(),
        twoPersonRule,
      });
      for (const outcome of outcomes) {
        response.results.push(
          outcome.status === 'refused'
            ? { ...outcome, message: RELEASE_REFUSALS[outcome.code] }
            : { applicationId: outcome.applicationId, status: outcome.status },
        );
      }
    }
    const counts = { released: 0, 'already-released': 0, refused: 0 };
    for (const r of response.results) counts[r.status]++;
    logger.info(
      { kioskId: signed.kioskId, ...counts, refusedStatements: response.refused.map((r) => r.code) },
      'releases',
    );
    return c.json(response);
  });

  app.post(NIK_CHECK_PATH, limit, async (c) => {
    const signed = await kioskAuth.authenticate(c.req.raw);
    const parsed = nikCheckRequestSchema.safeParse(parseJsonBytes(c.req.header('content-type'), signed.body));
    if (!parsed.success) {
      throw schemaError(parsed.error, 'invalid-request', 'The NIK check does not match the schema');
    }
    kioskAuth.requireSigner(signed, parsed.data.kioskId);
    const response: NikCheckResponse = {
      results: await store.countByNikHash(parsed.data.hashes, now().toISOString()),
    };
    // The number of hashes only: a NIK hash still points at a person.
    logger.info({ kioskId: signed.kioskId, hashes: parsed.data.hashes.length }, 'nik check');
    return c.json(response);
  });
}
