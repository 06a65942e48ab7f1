/**
 * Request rate limits: a token bucket per key (a client address, or an authenticated kiosk id),
 * kept in this process's memory. Written here rather than taken from a package: the one that fits
 * (`hono-rate-limiter`) is not installed, and a bucket is twenty lines.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { SIGNATURE_HEADERS } from '../../../src/protocol/kiosk-auth';
import { ApiError } from './errors';
import type { KioskAuth, SignedKioskRequest } from './kiosk-auth';

/** Keys kept at most; a flood of fresh addresses cannot grow the map without bound. */
const DEFAULT_MAX_KEYS = 50_000;

export type RateVerdict = { limited: false } | { limited: true; retryAfterSeconds: number };

export interface RateLimiter {
  /** Spends one request of `key`'s allowance, or says how long to wait when none is left. */
  take(key: string): RateVerdict;
  /** Whether `key` would be refused now, without spending anything. */
  peek(key: string): RateVerdict;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A limiter allowing `perMinute` requests per key: a burst of up to `perMinute`, refilled evenly
 * over the minute. `perMinute` 0 disables it (every request passes).
 */
export function createRateLimiter({
  perMinute,
  now = () => Date.now(),
  maxKeys = DEFAULT_MAX_KEYS,
}: {
  perMinute: number;
  now?: () => number;
  maxKeys?: number;
}): RateLimiter {
  const buckets = new Map<string, Bucket>();
  const perMs = perMinute / 60_000;

  const refilled = (key: string, at: number): Bucket => {
    const bucket = buckets.get(key);
    if (bucket === undefined) return { tokens: perMinute, at };
    return { tokens: Math.min(perMinute, bucket.tokens + (at - bucket.at) * perMs), at };
  };
  const refusal = (bucket: Bucket): RateVerdict => ({
    limited: true,
    retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)),
  });
  const makeRoom = (at: number) => {
    // Full buckets carry no information: forget them first.
    for (const key of buckets.keys()) if (refilled(key, at).tokens >= perMinute) buckets.delete(key);
    // Still full (a flood of fresh keys): the least recently used tenth goes, so the sweep is rare.
    const keep = Math.floor(maxKeys * 0.9);
    for (const key of buckets.keys()) {
      if (buckets.size <= keep) break;
      buckets.delete(key);
    }
  };

  return {
    take(key) {
      if (perMinute === 0) return { limited: false };
      const at = now();
      const bucket = refilled(key, at);
      const limited = bucket.tokens < 1;
      if (!limited) bucket.tokens -= 1;
      if (!buckets.has(key) && buckets.size >= maxKeys) makeRoom(at);
      // Re-inserted: the map's order is then least recently used first.
      buckets.delete(key);
      buckets.set(key, bucket);
      return limited ? refusal(bucket) : { limited: false };
    },
    peek(key) {
      if (perMinute === 0) return { limited: false };
      const bucket = refilled(key, now());
      return bucket.tokens < 1 ? refusal(bucket) : { limited: false };
    },
  };
}

/** 429 `rate-limited`, answered with `Retry-After` by the app's error handler. */
export class RateLimitedError extends ApiError {
  override name = 'RateLimitedError';
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'rate-limited', `Too many requests; try again in ${retryAfterSeconds} seconds`);
  }
}

/** Throws `RateLimitedError` when the verdict refuses. */
export function enforce(verdict: RateVerdict): void {
  if (verdict.limited) throw new RateLimitedError(verdict.retryAfterSeconds);
}

/** A middleware spending one request of the key `keyOf` picks (e.g. the client address). */
export function rateLimit(limiter: RateLimiter, keyOf: (c: Context) => string): MiddlewareHandler {
  return async (c, next) => {
    enforce(limiter.take(keyOf(c)));
    await next();
  };
}

/**
 * The kiosk check with limits around it. Only a request whose signature verified spends its
 * kiosk's allowance, so nobody can use up another kiosk's by writing its id in a header; a kiosk
 * already over its allowance is turned away before its body is read. A request refused as
 * unauthenticated (401) spends its sender address's allowance instead.
 */
export function rateLimitedKioskAuth(
  inner: KioskAuth,
  {
    perKiosk,
    failures,
    addressOf,
  }: { perKiosk: RateLimiter; failures: RateLimiter; addressOf: () => string },
): KioskAuth {
  return {
    refuse: (kioskId, error) => inner.refuse(kioskId, error),
    requireSigner: (signed, kioskId) => inner.requireSigner(signed, kioskId),
    async authenticate(request) {
      const failureKey = `auth-failure ${addressOf()}`;
      enforce(failures.peek(failureKey));
      enforce(perKiosk.peek(request.headers.get(SIGNATURE_HEADERS.kiosk) ?? ''));
      let signed: SignedKioskRequest;
      try {
        signed = await inner.authenticate(request);
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) failures.take(failureKey);
        throw error;
      }
      enforce(perKiosk.take(signed.kioskId));
      return signed;
    },
  };
}
