import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorBody } from '../../../src/protocol/sync';

/** An expected failure with a status, a stable code and an English message safe to show. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: { path: string; message: string }[],
    /** Set on `stale-request`: the server's clock, so a kiosk can correct its own. */
    readonly serverTime?: string,
  ) {
    super(message);
  }

  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details ? { details: this.details } : {}),
        ...(this.serverTime ? { serverTime: this.serverTime } : {}),
      },
    };
  }
}
