import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { Result } from '../lib/brand';
import { fail, ok } from '../lib/brand';
import { fromPem, toPem } from '../lib/pem';
import { PBES2_NAMES, type Pbes2Options, pbes2Decrypt, pbes2Encrypt, readPbes2Parameters } from './pbes2';

export { PBKDF2_ITERATIONS } from './pbes2';

const OID_RSA = '1.2.840.113549.1.1.1';
const OID_EC = '1.2.840.10045.2.1';
const EC_CURVES: Record<string, { namedCurve: string; hash: string }> = {
  '1.2.840.10045.3.1.7': { namedCurve: 'P-256', hash: 'SHA-256' },
  '1.3.132.0.34': { namedCurve: 'P-384', hash: 'SHA-384' },
};

/**
 * 'not-pem': no ENCRYPTED PRIVATE KEY block; 'corrupt': the structure or its parameters are damaged,
 * or the decrypted key is internally inconsistent (a flipped bit in the ciphertext); 'unsupported':
 * a scheme, cipher, key type or parameters (e.g. absurd iteration counts) we do not accept;
 * 'wrong-passphrase': the plaintext is not a private key. Damage inside the ciphertext that breaks
 * the padding or the key's structure cannot be told apart from a wrong passphrase and is reported
 * as 'wrong-passphrase'.
 */
export type KeyProblem = 'not-pem' | 'corrupt' | 'unsupported' | 'wrong-passphrase';

/** PKCS#8 DER → EncryptedPrivateKeyInfo DER (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC, 16-byte salt). */
export async function encryptPrivateKeyInfo(
  pkcs8Der: BufferSource,
  passphrase: string,
  options: Pbes2Options = {},
): Promise<ArrayBuffer> {
  const { algorithm, ciphertext } = await pbes2Encrypt(pkcs8Der, passphrase, options);
  // Same ASN.1 as EncryptedPrivateKeyInfo; a primitive OCTET STRING keeps it DER.
  const info = new pkijs.PKCS8ShroudedKeyBag({
    encryptionAlgorithm: algorithm,
    encryptedData: new asn1js.OctetString({ valueHex: ciphertext }),
  });
  return info.toSchema().toBER(false);
}

/**
 * Wraps a private key as PKCS#8 EncryptedPrivateKeyInfo (PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC).
 * The parameters travel inside the structure, so `openssl pkcs8` opens it with the passphrase.
 */
export async function encryptPrivateKey(
  privateKey: CryptoKey,
  passphrase: string,
  options: Pbes2Options = {},
): Promise<string> {
  const engine = options.crypto ?? pkijs.getCrypto(true);
  // Straight from WebCrypto: pkijs' own exportKey re-encodes EC keys (adds the curve inside).
  const pkcs8 = await engine.subtle.exportKey('pkcs8', privateKey);
  return toPem(
    'ENCRYPTED PRIVATE KEY',
    await encryptPrivateKeyInfo(pkcs8, passphrase, { ...options, crypto: engine }),
  );
}

/** DER in, one element out, nothing left over; null otherwise. */
function parseDer(der: ArrayBuffer | Uint8Array): asn1js.AsnType | null {
  const bytes = der instanceof Uint8Array ? der : new Uint8Array(der);
  try {
    // asn1js throws, rather than reports, on some garbage (e.g. an unreadable GeneralizedTime).
    const parsed = asn1js.fromBER(bytes);
    if (parsed.offset !== bytes.length || parsed.result.error) return null;
    return parsed.result;
  } catch {
    return null;
  }
}

function readEncryptedKeyInfo(der: Uint8Array): pkijs.PKCS8ShroudedKeyBag | null {
  const asn1 = parseDer(der);
  if (!asn1) return null;
  try {
    return new pkijs.PKCS8ShroudedKeyBag({ schema: asn1 });
  } catch {
    return null;
  }
}

/** pkijs has already dropped the DER sign byte of these fields: read them as unsigned. */
function positiveBigInt(value: asn1js.Integer): bigint | null {
  const bytes = value.valueBlock.valueHexView;
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n > 0n ? n : null;
}

/**
 * Every CRT field of a two-prime key is tied to the others; a garbled block of ciphertext that still
 * parses breaks one of these equations (OpenSSL would fall back to d and hide it).
 */
function isConsistentRsa(key: pkijs.RSAPrivateKey): boolean {
  if (key.version !== 0 || key.otherPrimeInfos) return false;
  const [n, e, d, p, q, dp, dq, qinv] = [
    key.modulus,
    key.publicExponent,
    key.privateExponent,
    key.prime1,
    key.prime2,
    key.exponent1,
    key.exponent2,
    key.coefficient,
  ].map(positiveBigInt);
  if (!n || !e || !d || !p || !q || !dp || !dq || !qinv || p < 3n || q < 3n) return false;
  return (
    n === p * q &&
    dp === d % (p - 1n) &&
    dq === d % (q - 1n) &&
    (e * dp) % (p - 1n) === 1n &&
    (e * dq) % (q - 1n) === 1n &&
    (qinv * q) % p === 1n
  );
}

/** The embedded public key must verify what the private scalar signs. */
async function isConsistentEc(
  pkcs8: ArrayBuffer,
  key: pkijs.ECPrivateKey,
  curve: { namedCurve: string; hash: string },
  engine: pkijs.ICryptoEngine,
): Promise<boolean> {
  // OpenSSL and WebCrypto always embed the public key; without it there is nothing to compare.
  if (!key.publicKey) return true;
  try {
    const algorithm = { name: 'ECDSA', namedCurve: curve.namedCurve };
    const privateKey = await engine.subtle.importKey('pkcs8', pkcs8, algorithm, false, ['sign']);
    const publicKey = await engine.subtle.importKey(
      'raw',
      key.publicKey.toSchema().toBER(false),
      algorithm,
      false,
      ['verify'],
    );
    const challenge = engine.getRandomValues(new Uint8Array(32));
    const params = { name: 'ECDSA', hash: curve.hash };
    const signature = await engine.subtle.sign(params, privateKey, challenge);
    return await engine.subtle.verify(params, publicKey, signature, challenge);
  } catch {
    return false;
  }
}

/** Decides whether decrypted bytes are the private key, or what went wrong. */
async function checkPlaintext(
  plaintext: ArrayBuffer,
  engine: pkijs.ICryptoEngine,
): Promise<Result<ArrayBuffer, KeyProblem>> {
  const asn1 = parseDer(plaintext);
  if (!asn1) return fail('wrong-passphrase');
  let info: pkijs.PrivateKeyInfo;
  try {
    // Strict DER: random plaintext that happens to parse leniently must not pass.
    const reencoded = new Uint8Array(asn1.toBER(false));
    const original = new Uint8Array(plaintext);
    if (reencoded.length !== original.length || reencoded.some((b, i) => b !== original[i])) {
      return fail('wrong-passphrase');
    }
    info = new pkijs.PrivateKeyInfo({ schema: asn1 });
  } catch {
    return fail('wrong-passphrase');
  }
  // From here on the bytes are a private key, so damage is 'corrupt'. A flipped IV bit lands in the
  // version; WebCrypto and OpenSSL write 0 for RSA and EC keys.
  if (info.version !== 0) return fail('corrupt');
  const algorithmId = info.privateKeyAlgorithm.algorithmId;
  if (algorithmId === OID_RSA) {
    if (!(info.parsedKey instanceof pkijs.RSAPrivateKey)) return fail('corrupt');
    return isConsistentRsa(info.parsedKey) ? ok(plaintext) : fail('corrupt');
  }
  if (algorithmId === OID_EC) {
    const curveOid: unknown = info.privateKeyAlgorithm.algorithmParams;
    const curve =
      curveOid instanceof asn1js.ObjectIdentifier ? EC_CURVES[curveOid.valueBlock.toString()] : undefined;
    if (!curve) return fail('unsupported');
    if (!(info.parsedKey instanceof pkijs.ECPrivateKey)) return fail('corrupt');
    return (await isConsistentEc(plaintext, info.parsedKey, curve, engine)) ? ok(plaintext) : fail('corrupt');
  }
  // A well-formed key of another kind (e.g. Ed25519 from OpenSSL): the passphrase was right.
  return fail('unsupported');
}

/** Decrypts an EncryptedPrivateKeyInfo DER to the PKCS#8 PrivateKeyInfo DER; never throws on bad input. */
export async function decryptPrivateKeyInfo(
  der: Uint8Array,
  passphrase: string,
  engine: pkijs.ICryptoEngine = pkijs.getCrypto(true),
): Promise<Result<ArrayBuffer, KeyProblem>> {
  const info = readEncryptedKeyInfo(der);
  if (!info) return fail('corrupt');
  let ciphertext: ArrayBuffer;
  try {
    // Keys written by earlier versions (pkijs) hold a constructed OCTET STRING: getValue joins it.
    ciphertext = info.encryptedData.getValue();
  } catch {
    return fail('corrupt');
  }
  const plaintext = await pbes2Decrypt(info.encryptionAlgorithm, ciphertext, passphrase, engine);
  if (!plaintext.ok)
    return fail(plaintext.problem === 'decrypt-failed' ? 'wrong-passphrase' : plaintext.problem);
  try {
    return await checkPlaintext(plaintext.value, engine);
  } catch {
    // asn1js can still throw on odd contents (e.g. an OID it cannot print) inside a parsed key.
    return fail('corrupt');
  }
}

/** Only for handover and tests: returns the plaintext PKCS#8 DER, or why it cannot. */
export async function decryptPrivateKey(
  pem: string,
  passphrase: string,
  engine: pkijs.ICryptoEngine = pkijs.getCrypto(true),
): Promise<Result<ArrayBuffer, KeyProblem>> {
  const der = fromPem('ENCRYPTED PRIVATE KEY', pem);
  if (!der) return fail('not-pem');
  return decryptPrivateKeyInfo(der, passphrase, engine);
}

export interface EncryptedKeyInfo {
  scheme: 'PBES2';
  kdf: 'PBKDF2';
  prf: string;
  iterations: number;
  saltBytes: number;
  cipher: string;
}

/** Reads the protection parameters without the passphrase, e.g. to audit what is stored. */
export function describeEncryptedKey(pem: string): EncryptedKeyInfo | null {
  const der = fromPem('ENCRYPTED PRIVATE KEY', pem);
  if (!der) return null;
  const info = readEncryptedKeyInfo(der);
  if (!info) return null;
  const params = readPbes2Parameters(info.encryptionAlgorithm);
  if (!params.ok) return null;
  return {
    scheme: 'PBES2',
    kdf: 'PBKDF2',
    prf: params.value.prf === 'SHA-256' ? 'HMAC-SHA256' : 'HMAC-SHA1',
    iterations: params.value.iterations,
    saltBytes: params.value.salt.length,
    cipher: PBES2_NAMES[params.value.cipherOid] ?? params.value.cipherOid,
  };
}
