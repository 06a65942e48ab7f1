import type { KeyAlgorithm } from './types';

export function keyGenParams(algorithm: KeyAlgorithm): RsaHashedKeyGenParams | EcKeyGenParams {
  switch (algorithm) {
    case 'RSA-2048':
    case 'RSA-3072':
      return {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: algorithm === 'RSA-2048' ? 2048 : 3072,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      };
    case 'ECDSA-P256':
      return { name: 'ECDSA', namedCurve: 'P-256' };
  }
}

/**
 * The applicant's key must be extractable because it is handed over later; it stays in memory only
 * until `encryptPrivateKey` wraps it.
 */
export function generateApplicantKeyPair(
  algorithm: KeyAlgorithm,
  crypto: Crypto = globalThis.crypto,
): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(keyGenParams(algorithm), true, ['sign', 'verify']);
}
