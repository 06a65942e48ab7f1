import type { TransportResult } from './ports';

/** What an error answer from the server says about itself; every field optional (a proxy's page says nothing). */
export interface ServerError {
  code?: string;
  message?: string;
  /** The server's clock, sent with `stale-request`. */
  serverTime?: string;
  /** ` (code)` to append to a sentence, or empty. */
  suffix: string;
}

/**
 * Reads `{ error: { code, message, serverTime } }` loosely: a field that is missing or not a string
 * is left out, and anything else is no error body at all.
 */
export function readServerError(body: unknown): ServerError {
  const error =
    typeof body === 'object' && body !== null && 'error' in body ? (body as { error?: unknown }).error : null;
  if (typeof error !== 'object' || error === null) return { suffix: '' };
  const { code, message, serverTime } = error as { code?: unknown; message?: unknown; serverTime?: unknown };
  return {
    ...(typeof code === 'string' ? { code, suffix: ` (${code})` } : { suffix: '' }),
    ...(typeof message === 'string' ? { message } : {}),
    ...(typeof serverTime === 'string' ? { serverTime } : {}),
  };
}

/**
 * A 401 or 403 is the kiosk's own problem, not its records': the server's code for it (or
 * `http-N`). Null for any other answer.
 */
export function credentialProblem(answer: TransportResult): string | null {
  if (answer.kind !== 'response' || (answer.status !== 401 && answer.status !== 403)) return null;
  return readServerError(answer.body).code ?? `http-${answer.status}`;
}
