import * as pkijs from 'pkijs';
import { fromPem, toPem } from '../lib/pem';

/** OWASP 2023 / NIST guidance for PBKDF2-HMAC-SHA256; library defaults (2,048) are far too low. */
export const PBKDF2_ITERATIONS = 600_000;

const utf8 = new TextEncoder();

function passwordBytes(passphrase: string): ArrayBuffer {
  return utf8.encode(passphrase.normalize('NFC')).slice().buffer;
}

/**
 * Wraps a private key as PKCS#8 EncryptedPrivateKeyInfo (PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC).
 * The parameters travel inside the structure, so `openssl pkcs8` opens it with the passphrase.
 */
export async function encryptPrivateKey(
  privateKey: CryptoKey,
  passphrase: string,
  options: { iterations?: number; crypto?: pkijs.ICryptoEngine } = {},
): Promise<string> {
  const engine = options.crypto ?? pkijs.getCrypto(true);
  const pkcs8 = await engine.exportKey('pkcs8', privateKey);
  const bag = new pkijs.PKCS8ShroudedKeyBag({ parsedValue: pkijs.PrivateKeyInfo.fromBER(pkcs8) });
  await bag.makeInternalValues(
    {
      password: passwordBytes(passphrase),
      // pkijs makes the IV itself; its type wants one anyway.
      contentEncryptionAlgorithm: { name: 'AES-CBC', length: 256 } as pkijs.ContentEncryptionAlgorithm,
      hmacHashAlgorithm: 'SHA-256',
      iterationCount: options.iterations ?? PBKDF2_ITERATIONS,
    },
    engine,
  );
  return toPem('ENCRYPTED PRIVATE KEY', bag.toSchema().toBER(false));
}

/** Only for handover and tests: returns the plaintext PKCS#8 DER. Throws on a wrong passphrase. */
export async function decryptPrivateKey(
  pem: string,
  passphrase: string,
  engine: pkijs.ICryptoEngine = pkijs.getCrypto(true),
): Promise<ArrayBuffer> {
  const der = fromPem('ENCRYPTED PRIVATE KEY', pem);
  if (!der) throw new Error('Not an ENCRYPTED PRIVATE KEY PEM block');
  const bag = pkijs.PKCS8ShroudedKeyBag.fromBER(der);
  const plaintext = await engine.decryptEncryptedContentInfo({
    password: passwordBytes(passphrase),
    encryptedContentInfo: new pkijs.EncryptedContentInfo({
      contentEncryptionAlgorithm: bag.encryptionAlgorithm,
      encryptedContent: bag.encryptedData,
    }),
  });
  // Parsing proves the passphrase was right: AES-CBC padding alone lets 1 in 256 wrong ones through.
  return pkijs.PrivateKeyInfo.fromBER(plaintext).toSchema().toBER(false);
}

export interface EncryptedKeyInfo {
  scheme: 'PBES2';
  kdf: 'PBKDF2';
  prf: string;
  iterations: number;
  cipher: string;
}

const OID_NAMES: Record<string, string> = {
  '1.2.840.113549.1.5.13': 'PBES2',
  '1.2.840.113549.1.5.12': 'PBKDF2',
  '1.2.840.113549.2.9': 'HMAC-SHA256',
  '2.16.840.1.101.3.4.1.42': 'AES-256-CBC',
};

/** Reads the protection parameters without the passphrase, e.g. to audit what is stored. */
export function describeEncryptedKey(pem: string): EncryptedKeyInfo | null {
  const der = fromPem('ENCRYPTED PRIVATE KEY', pem);
  if (!der) return null;
  try {
    const bag = pkijs.PKCS8ShroudedKeyBag.fromBER(der);
    if (OID_NAMES[bag.encryptionAlgorithm.algorithmId] !== 'PBES2') return null;
    const pbes2 = new pkijs.PBES2Params({ schema: bag.encryptionAlgorithm.algorithmParams });
    const pbkdf2 = new pkijs.PBKDF2Params({ schema: pbes2.keyDerivationFunc.algorithmParams });
    return {
      scheme: 'PBES2',
      kdf: 'PBKDF2',
      prf: OID_NAMES[pbkdf2.prf?.algorithmId ?? ''] ?? 'HMAC-SHA1',
      iterations: pbkdf2.iterationCount,
      cipher: OID_NAMES[pbes2.encryptionScheme.algorithmId] ?? pbes2.encryptionScheme.algorithmId,
    };
  } catch {
    return null;
  }
}
