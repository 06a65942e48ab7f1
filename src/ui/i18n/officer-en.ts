import type { officerId } from './officer-id';

/** Officer mode's messages in English, mirroring `officer-id.ts`. */
export const officerEn: typeof officerId = {};
