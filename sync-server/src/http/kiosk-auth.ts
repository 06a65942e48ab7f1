/**
 * Kiosk identity on the server: enrollment with a one-time code, and the check of every signed
 * sync request (who, still trusted, fresh, signed, not replayed).
 */
import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import {
  ENROLL_PATH,
  type EnrollResponse,
  enrollRequestSchema,
  MAX_CLOCK_SKEW_MS,
  NONCE_PATTERN,
  normaliseEnrollmentCode,
  SIGNATURE_HEADERS,
  UUID_PATTERN,
  verifyRequestSignature,
} from '../../../src/protocol/kiosk-auth';
import type { ArchiveKeys } from '../archive/archive-keys';
import { hashEnrollmentCode, importDevicePublicKey } from '../domain/enrollment';
import type { Logger } from '../logger';
import type { Store } from '../store/store';
import { publicArchiveKey } from './archive';
import { jsonBodyLimit } from './body-limit';
import { ApiError } from './errors';
import { readJson, schemaError } from './json';

const MAX_ENROLL_BODY_BYTES = 4 * 1024;
/** Imported device keys kept per process; revocation is still read from the store every time. */
const KEY_CACHE_SIZE = 256;
/** How often one process deletes nonces too old to matter. */
const NONCE_PRUNE_INTERVAL_MS = 60_000;

const TIMESTAMP_PATTERN = /^\d{1,15}$/;
/** A P1363 P-256 signature is 64 bytes: 86 base64url characters; leave room, refuse junk early. */
const SIGNATURE_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

export interface KioskAuthDeps {
  store: Store;
  logger: Logger;
  now: () => Date;
}

export interface SignedKioskRequest {
  kioskId: string;
  /** The body exactly as signed. */
  body: Uint8Array;
}

export interface KioskAuth {
  /** Reads the body once and returns it when the request is a valid signed one; throws ApiError otherwise. */
  authenticate(request: Request): Promise<SignedKioskRequest>;
  /** Logs a refusal found after authentication (e.g. a body naming another kiosk) and returns it. */
  refuse(kioskId: string, error: ApiError): ApiError;
  /** Throws (and logs) 403 `kiosk-mismatch` unless the body's `kioskId` is the kiosk that signed. */
  requireSigner(signed: SignedKioskRequest, kioskId: string): void;
}

export function createKioskAuth({ store, logger, now }: KioskAuthDeps): KioskAuth {
  const keys = new Map<string, CryptoKey>();
  let lastPruneAt = Number.NEGATIVE_INFINITY;

  const refuse = (kioskId: string | null, error: ApiError): ApiError => {
    // The code and the kiosk id only: never the signature, the nonce or the body.
    logger.warn({ refusal: error.code, kioskId }, 'signed request refused');
    return error;
  };

  async function publicKeyOf(kioskId: string, spki: string): Promise<CryptoKey | null> {
    const cached = keys.get(kioskId);
    if (cached) return cached;
    const key = await importDevicePublicKey(spki);
    if (key === null) return null;
    if (keys.size >= KEY_CACHE_SIZE) {
      const oldest = keys.keys().next();
      if (!oldest.done) keys.delete(oldest.value);
    }
    keys.set(kioskId, key);
    return key;
  }

  async function pruneNoncesNowAndThen(at: number): Promise<void> {
    if (at - lastPruneAt < NONCE_PRUNE_INTERVAL_MS) return;
    lastPruneAt = at;
    try {
      // A nonce only has to outlive the window in which its timestamp is accepted.
      await store.pruneNonces(new Date(at - 2 * MAX_CLOCK_SKEW_MS).toISOString());
    } catch (err) {
      logger.warn({ err }, 'pruning request nonces failed');
    }
  }

  return {
    refuse,
    requireSigner(signed, kioskId) {
      if (kioskId !== signed.kioskId) {
        throw refuse(
          signed.kioskId,
          new ApiError(403, 'kiosk-mismatch', 'The request names another kiosk than the one that signed it'),
        );
      }
    },
    async authenticate(request) {
      const header = (name: string) => request.headers.get(name) ?? '';
      const kioskId = header(SIGNATURE_HEADERS.kiosk);
      const timestamp = header(SIGNATURE_HEADERS.timestamp);
      const nonce = header(SIGNATURE_HEADERS.nonce);
      const signature = header(SIGNATURE_HEADERS.signature);

      // Everything that needs no body is checked before reading up to 24 MiB of it.
      if (
        !UUID_PATTERN.test(kioskId) ||
        !TIMESTAMP_PATTERN.test(timestamp) ||
        !NONCE_PATTERN.test(nonce) ||
        !SIGNATURE_PATTERN.test(signature)
      ) {
        throw refuse(
          UUID_PATTERN.test(kioskId) ? kioskId : null,
          new ApiError(401, 'unsigned-request', 'The request is not signed by an enrolled kiosk'),
        );
      }
      const kiosk = await store.getKiosk(kioskId);
      if (kiosk === null) {
        throw refuse(
          kioskId,
          new ApiError(401, 'unknown-kiosk', 'This kiosk is not enrolled on this server'),
        );
      }
      if (kiosk.revokedAt !== null) {
        throw refuse(kioskId, new ApiError(403, 'kiosk-revoked', 'This kiosk has been revoked'));
      }
      const serverNow = now();
      if (Math.abs(serverNow.getTime() - Number(timestamp)) > MAX_CLOCK_SKEW_MS) {
        throw refuse(
          kioskId,
          new ApiError(
            401,
            'stale-request',
            `The request time differs from the server clock by more than ${MAX_CLOCK_SKEW_MS / 60_000} minutes`,
            undefined,
            serverNow.toISOString(),
          ),
        );
      }

      const body = new Uint8Array(await request.arrayBuffer());
      const url = new URL(request.url);
      const publicKey = await publicKeyOf(kiosk.id, kiosk.publicKeySpki);
      const valid =
        publicKey !== null &&
        (await verifyRequestSignature(
          publicKey,
          { kioskId, method: request.method, path: url.pathname + url.search, timestamp, nonce, body },
          signature,
        ));
      if (!valid) {
        throw refuse(kioskId, new ApiError(401, 'bad-signature', 'The request signature does not verify'));
      }

      // Only a verified request may use up a nonce: otherwise anyone could burn a kiosk's nonces.
      if ((await store.recordNonce(kioskId, nonce, serverNow.toISOString())) === 'replayed') {
        throw refuse(kioskId, new ApiError(401, 'replayed-request', 'This request was already received'));
      }
      await pruneNoncesNowAndThen(serverNow.getTime());
      return { kioskId, body };
    },
  };
}

/**
 * Forgives what a person types in a body's `code` (case, spaces, missing dashes) before the strict
 * schema; any other body is returned as it is.
 */
export function forgiveEnrollmentCode(body: unknown): unknown {
  return typeof body === 'object' && body !== null && 'code' in body && typeof body.code === 'string'
    ? { ...body, code: normaliseEnrollmentCode(body.code.slice(0, 64)) }
    : body;
}

/** `POST ENROLL_PATH`: public, guarded by the one-time code. */
export function registerEnrollRoute(
  app: Hono,
  { store, logger, now, archiveKeys = null }: KioskAuthDeps & { archiveKeys?: ArchiveKeys | null },
): void {
  app.post(ENROLL_PATH, jsonBodyLimit(MAX_ENROLL_BODY_BYTES), async (c) => {
    const body = await readJson(c.req.raw);
    const parsed = enrollRequestSchema.safeParse(forgiveEnrollmentCode(body));
    if (!parsed.success) {
      throw schemaError(parsed.error, 'invalid-request', 'The enrollment request does not match the schema');
    }
    if ((await importDevicePublicKey(parsed.data.publicKeySpki)) === null) {
      throw new ApiError(
        400,
        'invalid-public-key',
        'The public key is not an ECDSA P-256 SubjectPublicKeyInfo',
      );
    }
    const outcome = await store.enrollKiosk({
      codeHash: hashEnrollmentCode(parsed.data.code),
      kioskId: randomUUID(),
      publicKeySpki: parsed.data.publicKeySpki,
      at: now().toISOString(),
    });
    switch (outcome.status) {
      case 'enrolled': {
        logger.info({ kioskId: outcome.kiosk.id, kioskName: outcome.kiosk.name }, 'kiosk enrolled');
        const response: EnrollResponse = {
          kioskId: outcome.kiosk.id,
          name: outcome.kiosk.name,
          ...(archiveKeys === null ? {} : { archiveKey: publicArchiveKey(await archiveKeys.current()) }),
        };
        return c.json(response, 201);
      }
      case 'unknown':
        throw new ApiError(400, 'invalid-code', 'This enrollment code is not known');
      case 'used':
        throw new ApiError(409, 'code-used', 'This enrollment code has already been used');
      case 'expired':
        throw new ApiError(410, 'code-expired', 'This enrollment code has expired');
    }
  });
}
