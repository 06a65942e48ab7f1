import { z } from 'zod';
import { VERSION_PATTERN } from '../core/outbox/guardrails';
import { API_PREFIX } from './sync';

/**
 * What the server asks of every kiosk (issue 8 guardrails), unauthenticated: a kiosk must learn it
 * is too old even before it is enrolled. The kiosk remembers the answer, so the block holds offline.
 */
export const KIOSK_POLICY_PATH = `${API_PREFIX}/kiosk-policy`;

/** The kiosk's software version on its requests, for the server's logs. */
export const KIOSK_VERSION_HEADER = 'x-kiosk-version';

export const kioskPolicySchema = z.object({
  /** The oldest kiosk version the server still accepts new applications from; null: any. */
  minimumKioskVersion: z.string().regex(VERSION_PATTERN).nullable(),
});
export type KioskPolicy = z.infer<typeof kioskPolicySchema>;
