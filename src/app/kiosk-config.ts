import { z } from 'zod';
import raw from '../../config/kiosk.json' with { type: 'json' };
import type { CompletenessRules } from '../core/application/completeness';
import type { DecisionRules } from '../core/officer/decision';
import type { PinPolicy } from '../core/officer/pin';
import { REASON_CODE_PATTERN } from '../protocol/officer';
import { ATTACHMENT_MEDIA_TYPES, IMAGE_MEDIA_TYPES } from '../protocol/sync';

const unique = (values: readonly string[]): boolean => new Set(values).size === values.length;

const rejectionReasonSchema = z.object({
  /** Signed into decisions and shown on receipts later: never reuse a code for another meaning. */
  code: z.string().regex(REASON_CODE_PATTERN, '2-40 characters: lower-case letters, digits, -'),
  id: z.string().trim().min(1).max(200),
  en: z.string().trim().min(1).max(200),
  /** "Lainnya" says nothing alone: the officer must write the note. */
  needsNote: z.boolean().optional(),
});

/** `config/kiosk.json`, checked at start so a typo fails loudly instead of producing bad CSRs. */
export const kioskConfigSchema = z.object({
  emailDomains: z.array(z.string().min(3)),
  passphrase: z.object({
    minLength: z.number().int().min(8),
    maxLength: z.number().int().max(1024),
    minScore: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).default(3),
    /** Shorter words would match inside ordinary words; the check ignores them, so refuse them here. */
    blocklist: z.array(z.string().min(4)).default([]),
  }),
  /** Wrong passphrases at handover before an officer must unlock it. */
  handover: z.object({ maxWrongPassphrase: z.number().int().min(1).max(20) }),
  ektpImage: z.object({ maxBytes: z.number().int().positive() }),
  /** Free space below either limit (share of the quota, or MB = 1024 × 1024 bytes) warns, then alarms. */
  storage: z
    .object({
      warnBelowPercent: z.number().min(0).max(100),
      warnBelowMb: z.number().min(0),
      criticalBelowPercent: z.number().min(0).max(100),
      criticalBelowMb: z.number().min(0),
    })
    .refine((s) => s.criticalBelowPercent <= s.warnBelowPercent && s.criticalBelowMb <= s.warnBelowMb, {
      message: 'the critical limits must not be above the warning limits',
    }),
  perangkatDaerah: z.array(z.string().min(1)).min(1),
  /** RA officers at the kiosk (Pasal 20; docs/officers.md). */
  officer: z
    .object({
      // The PIN guards a signing key; shorter than 6 digits is too few guesses even with the lockout.
      pinMinLength: z.number().int().min(6),
      pinMaxLength: z.number().int().max(64),
      maxWrongPins: z.number().int().min(1).max(20),
      idleLockSeconds: z.number().int().min(30).max(3600),
    })
    .refine((o) => o.pinMinLength <= o.pinMaxLength, {
      message: 'pinMinLength must not be above pinMaxLength',
    }),
  /** Applicant mode goes back to the start after this long without a touch, clearing the screen. */
  applicantIdleResetSeconds: z.number().int().min(30).max(3600),
  /** A second officer releases approved applications to the CA. */
  twoPersonRule: z.boolean(),
  rejectionReasons: z
    .array(rejectionReasonSchema)
    .min(1)
    .refine((reasons) => unique(reasons.map((r) => r.code)), {
      message: 'rejection reason codes must be unique',
    }),
  attachments: z.object({
    maxBytes: z.number().int().positive(),
    mediaTypes: z
      .array(z.enum(ATTACHMENT_MEDIA_TYPES))
      .min(1)
      .refine(unique, { message: 'media types repeat' }),
  }),
  /** The subscriber agreement's current version (Pasal 13 ayat 5): a new one must be accepted again. */
  agreement: z.object({ version: z.string().trim().min(1).max(40) }),
  /**
   * Guardrails in the field (issue 8): new applications stop at this many unsynced ones, or when the
   * oldest has waited longer than this many days. Queued ones still sync.
   */
  guardrails: z
    .object({
      maxUnsynced: z.number().int().min(1).max(100_000),
      maxUnsyncedAgeDays: z.number().int().min(1).max(365),
    })
    .default({ maxUnsynced: 300, maxUnsyncedAgeDays: 14 }),
  /**
   * Retention on the kiosk (issue 8): hours after the server's acknowledgement (and, for an issued
   * certificate, after the handover) before an application's sealed blob and encrypted private key
   * are deleted from the kiosk. At least an hour (a receipt may be reprinted at the counter), at most
   * 30 days (the kiosk is not the archive).
   */
  retention: z.object({ graceHours: z.number().int().min(1).max(720) }).default({ graceHours: 24 }),
});
export type KioskConfig = z.infer<typeof kioskConfigSchema>;

export const kioskConfig: KioskConfig = kioskConfigSchema.parse(raw);

export function pinPolicy(config: KioskConfig): PinPolicy {
  const { pinMinLength, pinMaxLength, maxWrongPins } = config.officer;
  return { minLength: pinMinLength, maxLength: pinMaxLength, maxWrongPins };
}

export function decisionRules(config: KioskConfig): DecisionRules {
  return { rejectionReasons: config.rejectionReasons };
}

/** The e-KTP scan is a picture (OCR, the officer's photo check) within `ektpImage.maxBytes`. */
export function completenessRules(config: KioskConfig): CompletenessRules {
  return {
    emailDomains: config.emailDomains,
    perangkatDaerah: config.perangkatDaerah,
    attachments: config.attachments,
    ektpScan: { maxBytes: config.ektpImage.maxBytes, mediaTypes: IMAGE_MEDIA_TYPES },
    agreementVersion: config.agreement.version,
  };
}
