import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { Result } from '../lib/brand';
import { fail, ok } from '../lib/brand';

/** OWASP 2023 / NIST guidance for PBKDF2-HMAC-SHA256; library defaults (2,048) are far too low. */
export const PBKDF2_ITERATIONS = 600_000;
/** Above this a file could keep the kiosk busy for minutes; no real tool writes such counts. */
export const MAX_PBKDF2_ITERATIONS = 10_000_000;
export const MAX_SALT_BYTES = 64;
/** What we write: 128 bits of salt (NIST SP 800-132 asks for at least that). */
export const SALT_BYTES = 16;

export const OID_PBES2 = '1.2.840.113549.1.5.13';
export const OID_PBKDF2 = '1.2.840.113549.1.5.12';
const OID_HMAC_SHA1 = '1.2.840.113549.2.7';
const OID_HMAC_SHA256 = '1.2.840.113549.2.9';
const PRF_HASHES: Record<string, 'SHA-1' | 'SHA-256'> = {
  [OID_HMAC_SHA1]: 'SHA-1',
  [OID_HMAC_SHA256]: 'SHA-256',
};
const OID_AES_CBC_BITS: Record<string, 128 | 192 | 256> = {
  '2.16.840.1.101.3.4.1.2': 128,
  '2.16.840.1.101.3.4.1.22': 192,
  '2.16.840.1.101.3.4.1.42': 256,
};
const OID_AES256_CBC = '2.16.840.1.101.3.4.1.42';

export const PBES2_NAMES: Record<string, string> = {
  [OID_PBES2]: 'PBES2',
  [OID_PBKDF2]: 'PBKDF2',
  [OID_HMAC_SHA1]: 'HMAC-SHA1',
  [OID_HMAC_SHA256]: 'HMAC-SHA256',
  '2.16.840.1.101.3.4.1.2': 'AES-128-CBC',
  '2.16.840.1.101.3.4.1.22': 'AES-192-CBC',
  [OID_AES256_CBC]: 'AES-256-CBC',
};

/**
 * 'unsupported': a scheme, PRF or cipher we do not do, or parameters outside sane bounds;
 * 'corrupt': parameters or ciphertext that cannot be what an encoder wrote;
 * 'decrypt-failed': the padding did not check out (a wrong password, or damaged ciphertext).
 */
export type Pbes2Problem = 'unsupported' | 'corrupt' | 'decrypt-failed';

export interface Pbes2Parameters {
  prf: 'SHA-1' | 'SHA-256';
  iterations: number;
  salt: Uint8Array<ArrayBuffer>;
  keyBits: 128 | 192 | 256;
  cipherOid: string;
  iv: Uint8Array<ArrayBuffer>;
}

export interface Pbes2Options {
  iterations?: number;
  crypto?: pkijs.ICryptoEngine;
}

const utf8 = new TextEncoder();

/** UTF-8 of the NFC form, so a passphrase typed with combining accents opens the same key. */
export function passwordBytes(password: string): Uint8Array<ArrayBuffer> {
  return utf8.encode(password.normalize('NFC'));
}

async function deriveAesKey(
  engine: pkijs.ICryptoEngine,
  password: string,
  params: Pick<Pbes2Parameters, 'prf' | 'iterations' | 'salt' | 'keyBits'>,
  usage: KeyUsage,
): Promise<CryptoKey> {
  const base = await engine.subtle.importKey('raw', passwordBytes(password), 'PBKDF2', false, ['deriveKey']);
  return engine.subtle.deriveKey(
    { name: 'PBKDF2', hash: params.prf, salt: params.salt, iterations: params.iterations },
    base,
    { name: 'AES-CBC', length: params.keyBits },
    false,
    [usage],
  );
}

/**
 * Encrypts with PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC), a fresh 16-byte salt and IV. The
 * AlgorithmIdentifier carries every parameter explicitly (prf included, keyLength omitted), as
 * OpenSSL writes it.
 */
export async function pbes2Encrypt(
  plaintext: BufferSource,
  password: string,
  options: Pbes2Options = {},
): Promise<{ algorithm: pkijs.AlgorithmIdentifier; ciphertext: ArrayBuffer }> {
  const engine = options.crypto ?? pkijs.getCrypto(true);
  const iterations = options.iterations ?? PBKDF2_ITERATIONS;
  // A programming error, not an expected failure: such a file could not be opened again.
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS) {
    throw new RangeError(`PBKDF2 iterations must be 1..${MAX_PBKDF2_ITERATIONS}`);
  }
  const salt = engine.getRandomValues(new Uint8Array(SALT_BYTES));
  const iv = engine.getRandomValues(new Uint8Array(16));
  const key = await deriveAesKey(
    engine,
    password,
    { prf: 'SHA-256', iterations, salt, keyBits: 256 },
    'encrypt',
  );
  const ciphertext = await engine.subtle.encrypt({ name: 'AES-CBC', iv }, key, plaintext);

  const kdf = new pkijs.PBKDF2Params({
    salt: new asn1js.OctetString({ valueHex: salt }),
    iterationCount: iterations,
    prf: new pkijs.AlgorithmIdentifier({ algorithmId: OID_HMAC_SHA256, algorithmParams: new asn1js.Null() }),
  });
  const params = new pkijs.PBES2Params({
    keyDerivationFunc: new pkijs.AlgorithmIdentifier({
      algorithmId: OID_PBKDF2,
      algorithmParams: kdf.toSchema(),
    }),
    encryptionScheme: new pkijs.AlgorithmIdentifier({
      algorithmId: OID_AES256_CBC,
      algorithmParams: new asn1js.OctetString({ valueHex: iv }),
    }),
  });
  return {
    algorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID_PBES2, algorithmParams: params.toSchema() }),
    ciphertext,
  };
}

/** A non-negative DER INTEGER that fits in 32 bits, or null (so a 2^80 count cannot slip through). */
function smallInteger(value: unknown): number | null {
  if (!(value instanceof asn1js.Integer)) return null;
  let bytes = value.valueBlock.valueHexView;
  if (bytes.length === 0 || (bytes[0] ?? 0) >= 0x80) return null;
  while (bytes.length > 1 && bytes[0] === 0) bytes = bytes.subarray(1);
  if (bytes.length > 4) return null;
  return bytes.reduce((n, b) => n * 256 + b, 0);
}

/** Reads and bounds-checks PBES2 parameters without deriving anything. */
export function readPbes2Parameters(
  algorithm: pkijs.AlgorithmIdentifier,
): Result<Pbes2Parameters, Pbes2Problem> {
  if (algorithm.algorithmId !== OID_PBES2) return fail('unsupported');
  let pbes2: pkijs.PBES2Params;
  try {
    pbes2 = new pkijs.PBES2Params({ schema: algorithm.algorithmParams });
  } catch {
    return fail('corrupt');
  }
  if (pbes2.keyDerivationFunc.algorithmId !== OID_PBKDF2) return fail('unsupported');
  const keyBits = OID_AES_CBC_BITS[pbes2.encryptionScheme.algorithmId];
  if (!keyBits) return fail('unsupported');

  const kdfParams: unknown = pbes2.keyDerivationFunc.algorithmParams;
  if (!(kdfParams instanceof asn1js.Sequence)) return fail('corrupt');
  let kdf: pkijs.PBKDF2Params;
  try {
    kdf = new pkijs.PBKDF2Params({ schema: kdfParams });
  } catch {
    return fail('corrupt');
  }
  // The salt may in theory be an AlgorithmIdentifier ("otherSource"); nobody uses that.
  if (!(kdf.salt instanceof asn1js.OctetString) || kdf.salt.idBlock.isConstructed) return fail('unsupported');
  const salt = new Uint8Array(kdf.salt.valueBlock.valueHexView);
  if (salt.length === 0 || salt.length > MAX_SALT_BYTES) return fail('unsupported');
  const iterations = smallInteger(kdfParams.valueBlock.value[1]);
  if (iterations === null || iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS) return fail('unsupported');
  if (kdf.keyLength !== undefined && kdf.keyLength !== keyBits / 8) return fail('corrupt');
  const prf = PRF_HASHES[kdf.prf?.algorithmId ?? OID_HMAC_SHA1];
  if (!prf) return fail('unsupported');

  const ivParam: unknown = pbes2.encryptionScheme.algorithmParams;
  if (!(ivParam instanceof asn1js.OctetString) || ivParam.idBlock.isConstructed) return fail('corrupt');
  const iv = new Uint8Array(ivParam.valueBlock.valueHexView);
  if (iv.length !== 16) return fail('corrupt');
  return ok({ prf, iterations, salt, keyBits, cipherOid: pbes2.encryptionScheme.algorithmId, iv });
}

/**
 * Decrypts PBES2 content (PBKDF2 with HMAC-SHA1/SHA256, AES-128/192/256-CBC). Never throws on bad
 * input. A padding that checks out does not prove the password: callers must check the plaintext.
 */
export async function pbes2Decrypt(
  algorithm: pkijs.AlgorithmIdentifier,
  ciphertext: BufferSource,
  password: string,
  engine: pkijs.ICryptoEngine = pkijs.getCrypto(true),
): Promise<Result<ArrayBuffer, Pbes2Problem>> {
  const params = readPbes2Parameters(algorithm);
  if (!params.ok) return params;
  if (ciphertext.byteLength === 0 || ciphertext.byteLength % 16 !== 0) return fail('corrupt');
  try {
    const key = await deriveAesKey(engine, password, params.value, 'decrypt');
    return ok(await engine.subtle.decrypt({ name: 'AES-CBC', iv: params.value.iv }, key, ciphertext));
  } catch {
    return fail('decrypt-failed');
  }
}
