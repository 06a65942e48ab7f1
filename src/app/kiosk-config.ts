import { z } from 'zod';
import raw from '../../config/kiosk.json' with { type: 'json' };

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
});
export type KioskConfig = z.infer<typeof kioskConfigSchema>;

export const kioskConfig: KioskConfig = kioskConfigSchema.parse(raw);
