import type { Hono } from 'hono';
import { compareVersions, VERSION_PATTERN } from '../../../src/core/outbox/guardrails';
import {
  KIOSK_POLICY_PATH,
  KIOSK_VERSION_HEADER,
  type KioskPolicy,
} from '../../../src/protocol/kiosk-policy';
import type { Logger } from '../logger';

/**
 * `GET /api/v1/kiosk-policy`: what the server asks of every kiosk (issue 8 guardrails). Public on
 * purpose: a kiosk must learn it is too old before it is enrolled, and the answer holds no secret.
 */
export function registerKioskPolicyRoute(
  app: Hono,
  deps: { logger: Logger; minimumKioskVersion: string | null },
): void {
  const policy: KioskPolicy = { minimumKioskVersion: deps.minimumKioskVersion };
  app.get(KIOSK_POLICY_PATH, (c) => {
    const minimum = policy.minimumKioskVersion;
    // Only a well-formed version reaches the log: the header is the client's to fill.
    const header = c.req.header(KIOSK_VERSION_HEADER)?.trim() ?? '';
    const kioskVersion = VERSION_PATTERN.test(header) ? header : null;
    const order = minimum === null || kioskVersion === null ? null : compareVersions(kioskVersion, minimum);
    if (order !== null && order < 0) {
      deps.logger.warn(
        { kioskVersion, minimumKioskVersion: minimum },
        'kiosk older than the minimum version',
      );
    }
    c.header('Cache-Control', 'no-store');
    return c.json(policy);
  });
}
