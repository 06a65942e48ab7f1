import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { CsrProblem, CsrSummary, ParsedRequest } from './csr-reader';

/*
 * A request's signature: its algorithm resolved and matched to the key, the checks OpenSSL makes
 * that WebCrypto does not, and the verifier port (WebCrypto by default).
 */

export type SignatureHash = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

/** A request's signature algorithm, resolved from its signatureAlgorithm and checked against its key. */
export type CsrSignatureAlgorithm =
  | { name: 'RSASSA-PKCS1-v1_5'; hash: SignatureHash }
  /** MGF1 uses `hash` too, as WebCrypto does. */
  | { name: 'RSA-PSS'; hash: SignatureHash; saltLength: number }
  | { name: 'ECDSA'; hash: SignatureHash; namedCurve: 'P-256' };

/** What a signature verifier checks: everything in it comes from the request as received. */
export interface SignedRequest {
  algorithm: CsrSignatureAlgorithm;
  /** The requested key: its DER SubjectPublicKeyInfo, byte for byte as in the request. */
  spki: Uint8Array;
  /**
   * The same key as pkijs reads it from `spki` (RSA modulus and exponent, or the EC point): the JWK
   * that pkijs's WebCrypto import has always loaded. Importing it skips a second DER parse.
   */
  publicKey: JsonWebKey;
  /** The signed bytes: the DER certificationRequestInfo exactly as received. */
  signed: Uint8Array;
  /** The signature BIT STRING's bytes; for ECDSA a strict-DER Ecdsa-Sig-Value whose r and s fit P-256. */
  signature: Uint8Array;
}

/**
 * Checks a request's self-signature: true or false for a signature that does or does not verify. It
 * may throw on a key it cannot load, which `verifyCsr` refuses as malformed.
 */
export type SignatureVerifier = (request: SignedRequest) => boolean | Promise<boolean>;

const RSA_PKCS1_HASHES: Readonly<Record<string, SignatureHash>> = {
  '1.2.840.113549.1.1.5': 'SHA-1',
  '1.2.840.113549.1.1.11': 'SHA-256',
  '1.2.840.113549.1.1.12': 'SHA-384',
  '1.2.840.113549.1.1.13': 'SHA-512',
};
const ECDSA_HASHES: Readonly<Record<string, SignatureHash>> = {
  '1.2.840.10045.4.1': 'SHA-1',
  '1.2.840.10045.4.3.2': 'SHA-256',
  '1.2.840.10045.4.3.3': 'SHA-384',
  '1.2.840.10045.4.3.4': 'SHA-512',
};
const DIGEST_HASHES: Readonly<Record<string, SignatureHash>> = {
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};
const OID_RSASSA_PSS = '1.2.840.113549.1.1.10';
/** WebCrypto takes the PSS salt length as an unsigned long (and refuses anything else). */
const MAX_SALT_LENGTH = 0xffff_ffff;
export const P256_SIZE = 32;
const HASH_BYTES: Readonly<Record<SignatureHash, number>> = {
  'SHA-1': 20,
  'SHA-256': 32,
  'SHA-384': 48,
  'SHA-512': 64,
};

/**
 * The signature algorithms pkijs verified with before (SHA-1/2 with RSASSA-PKCS1-v1_5, RSASSA-PSS or
 * ECDSA), now also matched against the key as OpenSSL does: an RSA OID on an EC key is refused.
 * Null means refused (malformed).
 */
export function signatureAlgorithmOf(
  algorithm: pkijs.AlgorithmIdentifier,
  keyAlgorithm: CsrSummary['keyAlgorithm'],
): CsrSignatureAlgorithm | null {
  const oid = algorithm.algorithmId;
  const ecdsaHash = ECDSA_HASHES[oid];
  if (ecdsaHash)
    return keyAlgorithm === 'EC' ? { name: 'ECDSA', hash: ecdsaHash, namedCurve: 'P-256' } : null;
  if (keyAlgorithm !== 'RSA') return null;
  const pkcs1Hash = RSA_PKCS1_HASHES[oid];
  if (pkcs1Hash) return { name: 'RSASSA-PKCS1-v1_5', hash: pkcs1Hash };
  if (oid !== OID_RSASSA_PSS) return null;
  // Absent parameters mean the RFC 4055 defaults (SHA-1, salt 20), as pkijs read them.
  const params = new pkijs.RSASSAPSSParams({ schema: algorithm.algorithmParams });
  const hash = DIGEST_HASHES[params.hashAlgorithm.algorithmId];
  const { saltLength } = params;
  if (!hash || !Number.isSafeInteger(saltLength) || saltLength < 0 || saltLength > MAX_SALT_LENGTH)
    return null;
  return { name: 'RSA-PSS', hash, saltLength };
}

/** A DER INTEGER body as OpenSSL demands it: positive, and no superfluous leading byte. */
function isMinimalPositive(bytes: Uint8Array): boolean {
  const [first, second] = [bytes[0], bytes[1]];
  if (first === undefined || first >= 0x80) return false;
  return !(first === 0 && second !== undefined && second < 0x80) && !(first === 0 && second === undefined);
}

/**
 * What WebCrypto glosses over and OpenSSL refuses: unused bits in the signature BIT STRING, and an
 * ECDSA signature whose (r, s) is not strict DER.
 */
export function isStrictSignature({ signatureAlgorithm, signatureValue }: ParsedRequest): boolean {
  if (signatureValue.valueBlock.unusedBits !== 0) return false;
  if (!signatureAlgorithm.algorithmId.startsWith('1.2.840.10045.4.')) return true;
  const sig = new Uint8Array(signatureValue.valueBlock.valueHexView);
  // SEQUENCE { INTEGER r, INTEGER s }, short-form lengths (P-256 signatures are under 128 bytes).
  if (sig[0] !== 0x30 || sig[1] !== sig.length - 2) return false;
  let at = 2;
  for (let n = 0; n < 2; n++) {
    const length = sig[at + 1];
    if (sig[at] !== 0x02 || length === undefined || length === 0 || length > 0x7f) return false;
    if (!isMinimalPositive(sig.subarray(at + 2, at + 2 + length))) return false;
    at += 2 + length;
  }
  return at === sig.length;
}

/**
 * pkijs copied r and s into one 64-byte r || s buffer: an r longer than 32 bytes or an s longer than 64
 * threw (malformed), and an s of 33-64 bytes overwrote the end of r, so the check failed (or, crafted
 * to repeat r's last byte, passed where OpenSSL fails it). No valid P-256 signature has either, since
 * r and s are below the group order. The same answers are given here, before any verifier runs, and a
 * long s is always bad-signature. The signature is strict DER already (`isStrictSignature`).
 */
export function ecdsaSizeProblem(signature: Uint8Array, size: number): CsrProblem | null {
  const significant = (at: number) => {
    const length = signature[at + 1] ?? 0;
    return { length, significant: signature[at + 2] === 0 ? length - 1 : length };
  };
  const r = significant(2);
  const s = significant(2 + 2 + r.length);
  if (r.significant > size || s.significant > 2 * size) return 'malformed';
  return s.significant > size ? 'bad-signature' : null;
}

/**
 * RSASSA-PSS allows a salt of at most emLen - hLen - 2 bytes (RFC 8017, 9.1.2); WebCrypto throws on a
 * longer one (malformed) where node:crypto would just answer false, so it is checked here for both.
 */
export function pssSaltFits(saltLength: number, hash: SignatureHash, spki: pkijs.PublicKeyInfo): boolean {
  const rsa = spki.parsedKey;
  if (!(rsa instanceof pkijs.RSAPublicKey)) return false;
  const modulus = rsa.modulus.valueBlock.valueHexView;
  const first = modulus.findIndex((byte) => byte !== 0);
  if (first < 0) return false;
  const bits = (modulus.length - first - 1) * 8 + (32 - Math.clz32(modulus[first] ?? 0));
  const emLen = Math.ceil((bits - 1) / 8);
  return saltLength <= emLen - HASH_BYTES[hash] - 2;
}

/** The key as pkijs's WebCrypto import reads it; null when pkijs cannot read it (import would fail). */
export function publicKeyJwk(spki: pkijs.PublicKeyInfo): JsonWebKey | null {
  if (!spki.parsedKey) return null;
  const json = spki.toJSON();
  return 'kty' in json ? json : null;
}

function importParams(algorithm: CsrSignatureAlgorithm): RsaHashedImportParams | EcKeyImportParams {
  return algorithm.name === 'ECDSA'
    ? { name: 'ECDSA', namedCurve: algorithm.namedCurve }
    : { name: algorithm.name, hash: { name: algorithm.hash } };
}

function verifyParams(algorithm: CsrSignatureAlgorithm): Algorithm | RsaPssParams | EcdsaParams {
  switch (algorithm.name) {
    case 'RSASSA-PKCS1-v1_5':
      return { name: algorithm.name };
    case 'RSA-PSS':
      return { name: algorithm.name, saltLength: algorithm.saltLength };
    case 'ECDSA':
      return { name: algorithm.name, hash: { name: algorithm.hash } };
  }
}

/**
 * The verifier for browsers (and the default everywhere): the key goes through the pkijs engine's
 * import as before, the check through WebCrypto; ECDSA signatures become WebCrypto's r || s.
 */
export function webCryptoSignatureVerifier(
  engine: pkijs.ICryptoEngine = pkijs.getCrypto(true),
): SignatureVerifier {
  return async ({ algorithm, spki, signed, signature }) => {
    const key = await engine.importKey('spki', spki.slice(), importParams(algorithm), true, ['verify']);
    const value =
      algorithm.name === 'ECDSA'
        ? pkijs.createECDSASignatureFromCMS(asn1js.fromBER(signature).result, P256_SIZE)
        : signature.slice();
    return engine.verify(verifyParams(algorithm), key, value, signed.slice());
  };
}
