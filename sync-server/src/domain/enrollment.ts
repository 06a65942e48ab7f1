import { createHash, randomInt } from 'node:crypto';
import {
  DEVICE_KEY_ALGORITHM,
  ENROLLMENT_CODE_ALPHABET,
  normaliseEnrollmentCode,
} from '../../../src/protocol/kiosk-auth';
import type { Store } from '../store/store';

const DEFAULT_CODE_VALIDITY_MS = 24 * 60 * 60_000;

/**
 * A fresh `XXXX-XXXX-XXXX-XXXX` code: 16 symbols of 31, about 79 bits, from the CSPRNG. Kiosk and
 * officer enrollment codes alike.
 */
function generateEnrollmentCode(): string {
  const symbols = Array.from(
    { length: 16 },
    () => ENROLLMENT_CODE_ALPHABET[randomInt(ENROLLMENT_CODE_ALPHABET.length)] ?? '',
  );
  return normaliseEnrollmentCode(symbols.join(''));
}

/** What the store keeps instead of the code. */
export function hashEnrollmentCode(code: string): string {
  return createHash('sha256').update(normaliseEnrollmentCode(code), 'utf8').digest('hex');
}

export interface NewEnrollmentCodeValues {
  code: string;
  codeHash: string;
  createdAt: string;
  expiresAt: string;
}

/**
 * A fresh code made at `now`, its hash for the store and its expiry (`validMs`, one day by
 * default). Kiosk and officer enrollment codes alike; only the code's issuer hands `code` on.
 */
export function newEnrollmentCode(now: Date, validMs?: number): NewEnrollmentCodeValues {
  const code = generateEnrollmentCode();
  return {
    code,
    codeHash: hashEnrollmentCode(code),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + (validMs ?? DEFAULT_CODE_VALIDITY_MS)).toISOString(),
  };
}

export interface IssuedEnrollmentCode {
  code: string;
  name: string;
  expiresAt: string;
}

/** Creates a one-time code for a kiosk to be called `name`; only the caller ever sees the code. */
export async function issueEnrollmentCode(
  store: Store,
  options: { name: string; validMs?: number; now: Date },
): Promise<IssuedEnrollmentCode> {
  const { code, codeHash, createdAt, expiresAt } = newEnrollmentCode(options.now, options.validMs);
  await store.createEnrollmentCode({ codeHash, name: options.name, createdAt, expiresAt });
  return { code, name: options.name, expiresAt };
}

/** The device's public key, or null when the SPKI is not an ECDSA P-256 public key. */
export async function importDevicePublicKey(spkiBase64: string): Promise<CryptoKey | null> {
  try {
    const der = Buffer.from(spkiBase64, 'base64');
    const key = await crypto.subtle.importKey('spki', new Uint8Array(der), DEVICE_KEY_ALGORITHM, false, [
      'verify',
    ]);
    const algorithm = key.algorithm as EcKeyAlgorithm;
    return algorithm.name === 'ECDSA' && algorithm.namedCurve === 'P-256' ? key : null;
  } catch {
    return null;
  }
}
