import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { Result } from '../lib/brand';
import { fail, ok } from '../lib/brand';
import { passwordBytes, pbes2Encrypt } from './pbes2';
import { encryptPrivateKeyInfo } from './pkcs8';

/** The MAC's PKCS#12 KDF runs in JS inside pkijs (600k would cost ~0.75 s); the key bag carries the work. */
export const PKCS12_MAC_ITERATIONS = 2048;
/** Certificates are public: their safe is encrypted only because OpenSSL 3 does so by default. */
export const PKCS12_CERTIFICATE_ITERATIONS = 2048;
/** What node-forge and older OpenSSL use for the legacy 3DES key bag. */
export const PKCS12_LEGACY_ITERATIONS = 2048;

const OID_DATA = '1.2.840.113549.1.7.1';
const OID_ENCRYPTED_DATA = '1.2.840.113549.1.7.6';
const OID_SHROUDED_KEY_BAG = '1.2.840.113549.1.12.10.1.2';
const OID_CERT_BAG = '1.2.840.113549.1.12.10.1.3';
const OID_FRIENDLY_NAME = '1.2.840.113549.1.9.20';
const OID_LOCAL_KEY_ID = '1.2.840.113549.1.9.21';
const OID_RSA = '1.2.840.113549.1.1.1';

export type Pkcs12Form = 'modern' | 'legacy';

/** 'legacy-needs-rsa': the legacy form (for old Windows/macOS) is offered for RSA keys only. */
export type Pkcs12Problem = 'legacy-needs-rsa';

export interface Pkcs12Input {
  /** PKCS#8 PrivateKeyInfo DER of the certificate's key. */
  privateKeyPkcs8: ArrayBuffer;
  certificate: pkijs.Certificate;
  /** Issuing certificates, issuer first; the leaf is skipped if repeated. */
  chain: pkijs.Certificate[];
  password: string;
  /**
   * modern: what OpenSSL 3 writes (PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC, SHA-256 MAC);
   * legacy: pbeWithSHAAnd3-KeyTripleDES-CBC key bag, certificates in clear, SHA-1 MAC.
   */
  form: Pkcs12Form;
  friendlyName?: string;
  /** PBKDF2 iterations of the modern key bag (default 600,000). */
  iterations?: number;
  crypto?: pkijs.ICryptoEngine;
}

function sameBytes(a: ArrayBuffer, b: ArrayBuffer): boolean {
  const [x, y] = [new Uint8Array(a), new Uint8Array(b)];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function bagAttributes(localKeyId: ArrayBuffer, friendlyName: string | undefined): pkijs.Attribute[] {
  return [
    ...(friendlyName === undefined
      ? []
      : [
          new pkijs.Attribute({
            type: OID_FRIENDLY_NAME,
            values: [new asn1js.BmpString({ value: friendlyName })],
          }),
        ]),
    new pkijs.Attribute({
      type: OID_LOCAL_KEY_ID,
      values: [new asn1js.OctetString({ valueHex: localKeyId })],
    }),
  ];
}

function certificateBags(input: Pkcs12Input, attributes: pkijs.Attribute[]): pkijs.SafeBag[] {
  const leaf = input.certificate.toSchema().toBER(false);
  const chain = input.chain.filter((c) => !sameBytes(c.toSchema().toBER(false), leaf));
  return [input.certificate, ...chain].map(
    (certificate, i) =>
      new pkijs.SafeBag({
        bagId: OID_CERT_BAG,
        bagValue: new pkijs.CertBag({ parsedValue: certificate }),
        ...(i === 0 ? { bagAttributes: attributes } : {}),
      }),
  );
}

function dataContent(bags: pkijs.SafeBag[]): pkijs.ContentInfo {
  const safeContents = new pkijs.SafeContents({ safeBags: bags }).toSchema().toBER(false);
  return new pkijs.ContentInfo({
    contentType: OID_DATA,
    content: new asn1js.OctetString({ valueHex: safeContents }),
  });
}

async function encryptedContent(
  bags: pkijs.SafeBag[],
  password: string,
  engine: pkijs.ICryptoEngine,
): Promise<pkijs.ContentInfo> {
  const safeContents = new pkijs.SafeContents({ safeBags: bags }).toSchema().toBER(false);
  const { algorithm, ciphertext } = await pbes2Encrypt(safeContents, password, {
    iterations: PKCS12_CERTIFICATE_ITERATIONS,
    crypto: engine,
  });
  const encryptedData = new pkijs.EncryptedData({
    version: 0,
    encryptedContentInfo: new pkijs.EncryptedContentInfo({
      contentType: OID_DATA,
      contentEncryptionAlgorithm: algorithm,
      encryptedContent: new asn1js.OctetString({ valueHex: ciphertext }),
      disableSplit: true,
    }),
  });
  return new pkijs.ContentInfo({ contentType: OID_ENCRYPTED_DATA, content: encryptedData.toSchema() });
}

/** The key bag of the legacy form: node-forge does 3DES, which WebCrypto lacks; loaded only here. */
async function legacyShroudedKey(pkcs8: ArrayBuffer, password: string): Promise<pkijs.PKCS8ShroudedKeyBag> {
  const imported = await import('node-forge');
  // node-forge is CommonJS: under Node's ESM loader only `default` carries the API.
  const forge = imported.default ?? imported;
  const binary = String.fromCharCode(...new Uint8Array(pkcs8));
  const privateKeyInfo = forge.asn1.fromDer(forge.util.createBuffer(binary));
  const encrypted = forge.pki.encryptPrivateKeyInfo(privateKeyInfo, password, {
    algorithm: '3des',
    count: PKCS12_LEGACY_ITERATIONS,
    saltSize: 8,
  });
  const der = forge.asn1.toDer(encrypted).getBytes();
  return pkijs.PKCS8ShroudedKeyBag.fromBER(Uint8Array.from(der, (c) => c.charCodeAt(0)));
}

/**
 * Builds a password-protected PKCS#12 (PFX) file holding the key, its certificate and the chain,
 * with localKeyId (SHA-1 of the certificate) and, when given, friendlyName on the key and the leaf.
 * The legacy form refuses EC keys ('legacy-needs-rsa'): the systems it exists for cannot use them.
 */
export async function buildPkcs12(input: Pkcs12Input): Promise<Result<Uint8Array, Pkcs12Problem>> {
  const engine = input.crypto ?? pkijs.getCrypto(true);
  const password = input.password.normalize('NFC');
  const legacy = input.form === 'legacy';
  if (
    legacy &&
    pkijs.PrivateKeyInfo.fromBER(input.privateKeyPkcs8).privateKeyAlgorithm.algorithmId !== OID_RSA
  ) {
    return fail('legacy-needs-rsa');
  }

  // OpenSSL pairs key and certificate by the SHA-1 of the certificate, and so do we.
  const localKeyId = await engine.subtle.digest('SHA-1', input.certificate.toSchema().toBER(false));
  const attributes = bagAttributes(localKeyId, input.friendlyName);
  const shroudedKey = legacy
    ? await legacyShroudedKey(input.privateKeyPkcs8, password)
    : pkijs.PKCS8ShroudedKeyBag.fromBER(
        await encryptPrivateKeyInfo(input.privateKeyPkcs8, password, {
          ...(input.iterations === undefined ? {} : { iterations: input.iterations }),
          crypto: engine,
        }),
      );
  const keyBag = new pkijs.SafeBag({
    bagId: OID_SHROUDED_KEY_BAG,
    bagValue: shroudedKey,
    bagAttributes: attributes,
  });
  const certificates = certificateBags(input, attributes);

  const authenticatedSafe = new pkijs.AuthenticatedSafe({
    safeContents: [
      legacy ? dataContent(certificates) : await encryptedContent(certificates, password, engine),
      dataContent([keyBag]),
    ],
  });
  const pfx = new pkijs.PFX({ parsedValue: { integrityMode: 0, authenticatedSafe } });
  const hash = legacy ? 'SHA-1' : 'SHA-256';
  await pfx.makeInternalValues(
    {
      password: passwordBytes(password).buffer,
      iterations: PKCS12_MAC_ITERATIONS,
      pbkdf2HashAlgorithm: { name: hash },
      hmacHashAlgorithm: hash,
    },
    engine,
  );
  return ok(new Uint8Array(pfx.toSchema().toBER(false)));
}
