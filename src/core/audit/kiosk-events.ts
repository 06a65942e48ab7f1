/** What a kiosk records in its audit chain (issue 8). Subjects are ids; details hold no personal data. */
export const KIOSK_AUDIT_TYPES = [
  /** An application was stored in the outbox (subject: application id). */
  'captured',
  /** An officer signed a decision (subject: application id; detail: officerId, decision). */
  'decided',
  /** The server acknowledged a batch (detail: ids). */
  'synced',
  /** Applications removed under the retention rules (detail: ids). */
  'purged',
  /** An officer opened a session with the PIN (subject: officer id). */
  'officer-login',
  /** A wrong PIN (subject: officer id). */
  'pin-failed',
  /** The kiosk was enrolled at the server (subject: kiosk id). */
  'kiosk-enrolled',
  /** An officer enrolled on this kiosk (subject: officer id). */
  'officer-enrolled',
  /** Any other change of the kiosk's settings (detail: what). */
  'settings-changed',
  /** The certificate was handed to the applicant (subject: application id). */
  'handed-over',
  /** A wrong passphrase at the handover (subject: application id). */
  'handover-failed',
  /** An officer released approved applications to the CA (detail: officerId, ids). */
  'released',
] as const;

export type KioskAuditType = (typeof KIOSK_AUDIT_TYPES)[number];

/** Checkpoints at least every this many events, and whenever the kiosk syncs its chain. */
export const KIOSK_CHECKPOINT_EVERY = 20;
