/**
 * The RA archive's public key as kiosks receive it (issue 8, sealed records): at enrollment and from
 * `GET ARCHIVE_KEY_PATH`, so a rotation reaches kiosks on their next contact. Not a secret; its
 * authenticity rests on the TLS connection the kiosk enrolled over.
 */
import { z } from 'zod';
import { API_PREFIX } from './sync';

export const ARCHIVE_KEY_PATH = `${API_PREFIX}/archive/key`;

export const archiveKeySchema = z.object({
  keyId: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9._-]+$/, 'not a key id'),
  /** SPKI DER of an ECDH P-256 key, base64url (91 bytes → 122 characters). */
  publicKeySpki: z
    .string()
    .min(100)
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/, 'not base64url'),
  createdAt: z.iso.datetime({ offset: true }),
});
export type ArchiveKey = z.infer<typeof archiveKeySchema>;

/** The newer of two archive keys by creation time (a rotation's key is newer); the kept one on a tie. */
export function newerArchiveKey(kept: ArchiveKey | null, heard: ArchiveKey): ArchiveKey {
  if (kept === null) return { ...heard };
  return Date.parse(heard.createdAt) > Date.parse(kept.createdAt) ? { ...heard } : kept;
}
