export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 5 * 60_000 };

/**
 * Exponential back-off with full jitter (AWS architecture blog): kiosks that lost the link
 * together do not all come back in the same second. `random` is injected for tests.
 */
export function backoffDelay(attempt: number, random: () => number, policy = DEFAULT_BACKOFF): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(policy.baseMs / 2 + random() * (ceiling - policy.baseMs / 2));
}

/** What to do with a whole-batch HTTP answer. */
export type BatchVerdict = 'accepted' | 'retry' | 'refused';

export function classifyStatus(status: number): BatchVerdict {
  if (status >= 200 && status < 300) return 'accepted';
  // Timeouts, throttling and server faults pass; the same request may succeed later.
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  return 'refused';
}
