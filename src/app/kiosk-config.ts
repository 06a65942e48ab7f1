import { z } from 'zod';
import raw from '../../config/kiosk.json';
import { KEY_ALGORITHMS } from '../core/certificate/types';

/** `config/kiosk.json`, checked at start so a typo fails loudly instead of producing bad CSRs. */
export const kioskConfigSchema = z.object({
  organisation: z.string().min(1),
  emailDomains: z.array(z.string().min(3)),
  keyAlgorithm: z.enum(KEY_ALGORITHMS),
  passphrase: z.object({ minLength: z.number().int().min(8), maxLength: z.number().int().max(1024) }),
  ektpImage: z.object({ maxBytes: z.number().int().positive() }),
  perangkatDaerah: z.array(z.string().min(1)).min(1),
});
export type KioskConfig = z.infer<typeof kioskConfigSchema>;

export const kioskConfig: KioskConfig = kioskConfigSchema.parse(raw);
