/**
 * Kiosk enrollment and signed requests: the wire format both sides share. A kiosk proves on every
 * sync request that it holds the non-extractable device key it registered at enrollment.
 */
import { z } from 'zod';
import { base64url, bytesToBase64, fromBase64url } from '../core/lib/pem';
import { archiveKeySchema } from './archive';
import { P256_KEY_ALGORITHM, SIGNATURE_ALGORITHM } from './statement';
import { API_PREFIX } from './sync';

export const ENROLL_PATH = `${API_PREFIX}/kiosks/enroll`;
export const ADMIN_ENROLLMENT_CODES_PATH = `${API_PREFIX}/admin/enrollment-codes`;
/** `POST` with `:id` replaced: revokes a kiosk. */
export const ADMIN_REVOKE_KIOSK_PATH = `${API_PREFIX}/admin/kiosks/:id/revoke`;
export const ADMIN_KIOSKS_PATH = `${API_PREFIX}/admin/kiosks`;

export const SIGNATURE_HEADERS = {
  kiosk: 'x-sertel-kiosk',
  timestamp: 'x-sertel-timestamp',
  nonce: 'x-sertel-nonce',
  signature: 'x-sertel-signature',
} as const;

/** A request older or newer than this (by the server's clock) is refused as stale. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** 16 to 48 random bytes, base64url. */
export const NONCE_PATTERN = /^[A-Za-z0-9_-]{22,64}$/;
/** A UUID in its usual text form, either case: kiosk and application ids. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Four groups of four from an alphabet without look-alikes (no 0/O, 1/I/L): typed by a person. */
export const ENROLLMENT_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const ENROLLMENT_CODE_PATTERN = /^[2-9A-HJKMNP-Z]{4}(-[2-9A-HJKMNP-Z]{4}){3}$/;
export { SIGNATURE_ALGORITHM };
export const DEVICE_KEY_ALGORITHM = P256_KEY_ALGORITHM;

/** A new device key: non-extractable (it signs but can never be read out), the public half as SPKI base64. */
export async function generateDeviceKey(): Promise<{ privateKey: CryptoKey; publicKeySpki: string }> {
  const pair = (await crypto.subtle.generateKey(DEVICE_KEY_ALGORITHM, false, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  return { privateKey: pair.privateKey, publicKeySpki: bytesToBase64(spki) };
}

/** What a person types: upper case, spaces and missing dashes forgiven. */
export function normaliseEnrollmentCode(text: string): string {
  const compact = text.toUpperCase().replace(/[^0-9A-Z]/g, '');
  return compact.match(/.{1,4}/g)?.join('-') ?? '';
}

export const enrollRequestSchema = z.object({
  code: z.string().regex(ENROLLMENT_CODE_PATTERN, 'not an enrollment code'),
  /** SubjectPublicKeyInfo DER of the device's ECDSA P-256 key, base64 (91 bytes → 124 chars). */
  publicKeySpki: z
    .string()
    .min(100)
    .max(200)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'not base64'),
});
export type EnrollRequest = z.infer<typeof enrollRequestSchema>;

export const enrollResponseSchema = z.object({
  kioskId: z.uuid(),
  name: z.string(),
  /** The RA archive key the kiosk seals records to (issue 8); absent from servers before it. */
  archiveKey: archiveKeySchema.optional(),
});
export type EnrollResponse = z.infer<typeof enrollResponseSchema>;

export const createEnrollmentCodeSchema = z.object({
  name: z.string().trim().min(1).max(100),
  /** How long the code stays valid; the server's default (24 h) when absent. */
  validHours: z.number().int().min(1).max(720).optional(),
});

export const createEnrollmentCodeResponseSchema = z.object({
  code: z.string().regex(ENROLLMENT_CODE_PATTERN),
  name: z.string(),
  expiresAt: z.iso.datetime(),
});

export interface SignedParts {
  kioskId: string;
  method: string;
  /** The path with its query string, exactly as sent. */
  path: string;
  /** Milliseconds since the epoch, as a decimal string. */
  timestamp: string;
  nonce: string;
  body: Uint8Array;
}

const utf8 = new TextEncoder();

/**
 * The exact bytes that are signed. Every part is on its own line and none may contain a newline,
 * so two different requests can never share a canonical form.
 */
async function canonicalRequest(parts: SignedParts, subtle: SubtleCrypto = crypto.subtle): Promise<string> {
  // The promise above is only kept if it is enforced: a part with a line break could shift fields.
  for (const text of [parts.kioskId, parts.method, parts.path, parts.timestamp, parts.nonce]) {
    if (/[\r\n]/.test(text)) throw new Error('a signed request part contains a line break');
  }
  // A view over an ArrayBuffer is hashed in place (digest reads only the view's bytes); a view over
  // a SharedArrayBuffer is copied first. The body can be megabytes: copy only when needed.
  const body =
    parts.body.buffer instanceof ArrayBuffer
      ? (parts.body as Uint8Array<ArrayBuffer>)
      : (parts.body.slice() as Uint8Array<ArrayBuffer>);
  const digest = new Uint8Array(await subtle.digest('SHA-256', body));
  return [
    'SERTEL-KIOSK-V1',
    parts.kioskId,
    parts.method.toUpperCase(),
    parts.path,
    parts.timestamp,
    parts.nonce,
    base64url(digest),
  ].join('\n');
}

export function newNonce(random: Crypto = crypto): string {
  return base64url(random.getRandomValues(new Uint8Array(18)));
}

/** The headers of a signed request (IEEE P1363 r‖s signature, base64url). */
export async function signRequest(
  privateKey: CryptoKey,
  parts: SignedParts,
  subtle: SubtleCrypto = crypto.subtle,
): Promise<Record<string, string>> {
  const message = utf8.encode(await canonicalRequest(parts, subtle));
  const signature = new Uint8Array(await subtle.sign(SIGNATURE_ALGORITHM, privateKey, message));
  return {
    [SIGNATURE_HEADERS.kiosk]: parts.kioskId,
    [SIGNATURE_HEADERS.timestamp]: parts.timestamp,
    [SIGNATURE_HEADERS.nonce]: parts.nonce,
    [SIGNATURE_HEADERS.signature]: base64url(signature),
  };
}

/** True only for a well-formed signature by this public key over exactly these parts. */
export async function verifyRequestSignature(
  publicKey: CryptoKey,
  parts: SignedParts,
  signature: string,
  subtle: SubtleCrypto = crypto.subtle,
): Promise<boolean> {
  const raw = fromBase64url(signature);
  if (raw?.length !== 64) return false;
  try {
    const message = utf8.encode(await canonicalRequest(parts, subtle));
    return await subtle.verify(SIGNATURE_ALGORITHM, publicKey, raw, message);
  } catch {
    return false;
  }
}
