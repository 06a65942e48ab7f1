/**
 * Signed statements of RA officers (decisions, releases): `payload` is the exact JSON text the
 * officer's key signed (ECDSA P-256, SHA-256, IEEE P1363 r‖s, base64url). A verifier checks the
 * signature over the UTF-8 bytes of that text first and only then parses it, so the statement
 * itself needs no canonical JSON.
 */
import { z } from 'zod';
import { base64url, fromBase64url } from '../core/lib/pem';

// Defined here, not in kiosk-auth.ts (which imports sync.ts, which imports this module): kiosk
// device keys and officer keys are the same kind of key, and kiosk-auth.ts re-exports both.
/** ECDSA over SHA-256: device-signed requests and officers' statements alike. */
export const SIGNATURE_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;
/** The kiosk's device key and every officer's key: ECDSA on P-256. */
export const P256_KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/** A decision with 20 reasons and a 500-character note is ~3 KB of payload. */
export const MAX_STATEMENT_PAYLOAD_CHARS = 8192;

export const signedStatementSchema = z.object({
  payload: z.string().min(2).max(MAX_STATEMENT_PAYLOAD_CHARS),
  /** 64 bytes of r‖s in base64url. */
  signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/, 'not an ECDSA P-256 signature'),
});
export type SignedStatement = z.infer<typeof signedStatementSchema>;

const utf8 = new TextEncoder();

/** Signs `payload` (the statement's JSON text) with an officer's key. */
export async function signStatement(privateKey: CryptoKey, payload: string): Promise<SignedStatement> {
  const signature = await crypto.subtle.sign(SIGNATURE_ALGORITHM, privateKey, utf8.encode(payload));
  return { payload, signature: base64url(new Uint8Array(signature)) };
}

/** True only for a signature by this key over exactly the payload's text. */
export async function verifyStatement(publicKey: CryptoKey, statement: SignedStatement): Promise<boolean> {
  const raw = fromBase64url(statement.signature);
  if (raw?.length !== 64) return false;
  try {
    return await crypto.subtle.verify(SIGNATURE_ALGORITHM, publicKey, raw, utf8.encode(statement.payload));
  } catch {
    return false;
  }
}
