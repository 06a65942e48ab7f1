import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { Result } from '../lib/brand';
import { fail, ok } from '../lib/brand';
import { bytesToHex, fromPem } from '../lib/pem';
import type { CsrProblem, SubjectAttribute, SubjectAttributeType } from './csr';
import { verifyCsr } from './csr';
import { hasRequestedSubject, type SubjectDigest } from './subject-digest';

const OID_RSA = '1.2.840.113549.1.1.1';
const OID_EC = '1.2.840.10045.2.1';
const EC_CURVES: Record<string, { namedCurve: string; hash: string }> = {
  '1.2.840.10045.3.1.7': { namedCurve: 'P-256', hash: 'SHA-256' },
  '1.3.132.0.34': { namedCurve: 'P-384', hash: 'SHA-384' },
};

const SUBJECT_TYPES: Record<string, SubjectAttributeType> = {
  '2.5.4.6': 'C',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.3': 'CN',
  '2.5.4.12': 'title',
};
/** Short names for a readable issuer, as OpenSSL prints them. */
const NAME_LABELS: Record<string, string> = {
  ...Object.fromEntries(Object.entries(SUBJECT_TYPES)),
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.5': 'serialNumber',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

export type CertificateProblem = 'expired' | 'not-yet-valid' | 'other-key' | 'other-subject' | 'bad-chain';

export interface CertificateInfo {
  serialNumberHex: string;
  subject: SubjectAttribute[];
  /** e.g. "C=ID, O=Badan Siber dan Sandi Negara, CN=OSD2 BSrE" */
  issuer: string;
  notBefore: string;
  notAfter: string;
  keyAlgorithm: 'RSA' | 'EC';
  sha256FingerprintHex: string;
}

/**
 * The key the certificate must be for: the decrypted private key (proof by signature, at handover),
 * or, before the passphrase is typed, the SubjectPublicKeyInfo the CSR asked for (`readCsrKey`).
 */
export type KeyEvidence =
  | {
      /** PKCS#8 PrivateKeyInfo DER, as `decryptPrivateKey` returns it. */ privateKeyPkcs8: ArrayBuffer;
      requestSpki?: never;
    }
  | { requestSpki: ArrayBuffer; privateKeyPkcs8?: never };

export type CertificateCheck = KeyEvidence & {
  certificate: pkijs.Certificate;
  /** The subject the CSR asked for: its attributes, or their salted digests (`RequestEvidence`). */
  expectedSubject: SubjectAttribute[] | { salt: string; subject: readonly SubjectDigest[] };
  now: Date;
  /** Issuer first, then its issuers; the leaf itself may be included and is skipped. */
  chain?: pkijs.Certificate[];
};

function toHex(bytes: ArrayBuffer | Uint8Array): string {
  return bytesToHex(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toUpperCase();
}

function parseCertificateDer(der: Uint8Array): pkijs.Certificate | null {
  try {
    // asn1js throws, rather than reports, on some garbage (e.g. an unreadable GeneralizedTime).
    const parsed = asn1js.fromBER(der);
    if (parsed.offset !== der.length || parsed.result.error) return null;
    const certificate = new pkijs.Certificate({ schema: parsed.result });
    // Touch what the checks read, so a structure that only resembles a certificate fails here.
    void certificate.notBefore.value.toISOString();
    void certificate.notAfter.value.toISOString();
    return certificate;
  } catch {
    return null;
  }
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----\r?\n[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * One or more PEM CERTIFICATE blocks (text around them is ignored), or one DER certificate.
 * Anything else, a CSR or a key included, is 'not-x509'. Never throws.
 */
export function parseCertificates(input: string | Uint8Array): Result<pkijs.Certificate[], 'not-x509'> {
  if (input instanceof Uint8Array && input[0] === 0x30) {
    const certificate = parseCertificateDer(input);
    return certificate ? ok([certificate]) : fail('not-x509');
  }
  const text = typeof input === 'string' ? input : new TextDecoder('latin1').decode(input);
  const blocks = text.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) return fail('not-x509');
  const certificates: pkijs.Certificate[] = [];
  for (const block of blocks) {
    const der = fromPem('CERTIFICATE', block);
    const certificate = der ? parseCertificateDer(der) : null;
    if (!certificate) return fail('not-x509');
    certificates.push(certificate);
  }
  return ok(certificates);
}

function attributeText(value: unknown): string {
  if (value && typeof value === 'object' && 'valueBlock' in value) {
    const block = (value as { valueBlock: { value?: unknown } }).valueBlock;
    if (typeof block.value === 'string') return block.value;
  }
  return '';
}

/** The attributes a CSR can ask for; others a CA adds (serialNumber…) are left out. */
export function readSubject(name: pkijs.RelativeDistinguishedNames): SubjectAttribute[] {
  return name.typesAndValues.flatMap((tv) => {
    const type = SUBJECT_TYPES[tv.type];
    return type ? [{ type, value: attributeText(tv.value) }] : [];
  });
}

export function readableName(name: pkijs.RelativeDistinguishedNames): string {
  return name.typesAndValues
    .map((tv) => `${NAME_LABELS[tv.type] ?? tv.type}=${attributeText(tv.value)}`)
    .join(', ');
}

function keyAlgorithmOf(certificate: pkijs.Certificate): 'RSA' | 'EC' | null {
  const id = certificate.subjectPublicKeyInfo.algorithm.algorithmId;
  return id === OID_RSA ? 'RSA' : id === OID_EC ? 'EC' : null;
}

/** As `openssl x509 -serial` prints it: without the DER sign byte. */
/** A certificate's serial as OpenSSL prints it: upper-case hex, without a sign byte. */
export function serialHex(serial: asn1js.Integer): string {
  const bytes = serial.valueBlock.valueHexView;
  return toHex(bytes.length > 1 && bytes[0] === 0 && (bytes[1] ?? 0) >= 0x80 ? bytes.subarray(1) : bytes);
}

/** What the officer and the applicant see at handover. */
export async function describeCertificate(
  certificate: pkijs.Certificate,
  engine: pkijs.ICryptoEngine = pkijs.getCrypto(true),
): Promise<CertificateInfo> {
  const der = certificate.toSchema().toBER(false);
  return {
    serialNumberHex: serialHex(certificate.serialNumber),
    subject: readSubject(certificate.subject),
    issuer: readableName(certificate.issuer),
    notBefore: certificate.notBefore.value.toISOString(),
    notAfter: certificate.notAfter.value.toISOString(),
    keyAlgorithm: keyAlgorithmOf(certificate) ?? 'RSA',
    sha256FingerprintHex: toHex(await engine.subtle.digest('SHA-256', der)),
  };
}

type SigningParams = {
  import: RsaHashedImportParams | EcKeyImportParams;
  sign: AlgorithmIdentifier | EcdsaParams;
};

function signingParams(info: pkijs.PrivateKeyInfo): SigningParams | null {
  const id = info.privateKeyAlgorithm.algorithmId;
  if (id === OID_RSA) {
    const params = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    return { import: params, sign: params };
  }
  const curveOid: unknown = info.privateKeyAlgorithm.algorithmParams;
  const curve =
    curveOid instanceof asn1js.ObjectIdentifier ? EC_CURVES[curveOid.valueBlock.toString()] : undefined;
  if (id !== OID_EC || !curve) return null;
  return {
    import: { name: 'ECDSA', namedCurve: curve.namedCurve },
    sign: { name: 'ECDSA', hash: curve.hash },
  };
}

const PUBLIC_JWK_FIELDS = ['kty', 'n', 'e', 'crv', 'x', 'y'] as const;

/**
 * The certificate's key must be the public half of the private key: the public parameters must be
 * equal, and a fresh challenge signed with the private key must verify with the certificate's key.
 */
async function isKeyPairOf(
  certificate: pkijs.Certificate,
  pkcs8: ArrayBuffer,
  engine: pkijs.ICryptoEngine,
): Promise<boolean> {
  try {
    const info = pkijs.PrivateKeyInfo.fromBER(pkcs8);
    const params = signingParams(info);
    if (!params) return false;
    if (certificate.subjectPublicKeyInfo.algorithm.algorithmId !== info.privateKeyAlgorithm.algorithmId)
      return false;
    const spki = certificate.subjectPublicKeyInfo.toSchema().toBER(false);
    const [privateKey, publicKey] = await Promise.all([
      engine.subtle.importKey('pkcs8', pkcs8, params.import, true, ['sign']),
      engine.subtle.importKey('spki', spki, params.import, true, ['verify']),
    ]);
    const [privateJwk, publicJwk] = await Promise.all([
      engine.subtle.exportKey('jwk', privateKey),
      engine.subtle.exportKey('jwk', publicKey),
    ]);
    if (PUBLIC_JWK_FIELDS.some((field) => privateJwk[field] !== publicJwk[field])) return false;
    const challenge = engine.getRandomValues(new Uint8Array(32));
    const signature = await engine.subtle.sign(params.sign, privateKey, challenge);
    return await engine.subtle.verify(params.sign, publicKey, signature, challenge);
  } catch {
    // A key the certificate cannot even be compared with is not its key.
    return false;
  }
}

/** Same public key material (not merely the same bytes: parameters may be encoded differently). */
async function isSamePublicKey(
  certificate: pkijs.Certificate,
  requestSpki: ArrayBuffer,
  engine: pkijs.ICryptoEngine,
): Promise<boolean> {
  try {
    const request = pkijs.PublicKeyInfo.fromBER(requestSpki);
    const id = request.algorithm.algorithmId;
    if (certificate.subjectPublicKeyInfo.algorithm.algorithmId !== id) return false;
    const curveOid: unknown = request.algorithm.algorithmParams;
    const curve =
      curveOid instanceof asn1js.ObjectIdentifier ? EC_CURVES[curveOid.valueBlock.toString()] : undefined;
    const params =
      id === OID_RSA
        ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
        : id === OID_EC && curve
          ? { name: 'ECDSA', namedCurve: curve.namedCurve }
          : null;
    if (!params) return false;
    const spki = certificate.subjectPublicKeyInfo.toSchema().toBER(false);
    const [a, b] = await Promise.all(
      [spki, requestSpki].map(async (bytes) =>
        engine.subtle.exportKey(
          'jwk',
          await engine.subtle.importKey('spki', bytes, params, true, ['verify']),
        ),
      ),
    );
    return !!a && !!b && PUBLIC_JWK_FIELDS.every((field) => a[field] === b[field]);
  } catch {
    return false;
  }
}

/** Every attribute the CSR asked for is in the certificate (order-insensitive, values trimmed). */
async function hasSubject(
  certificate: pkijs.Certificate,
  expected: CertificateCheck['expectedSubject'],
): Promise<boolean> {
  const actual = readSubject(certificate.subject);
  if (!Array.isArray(expected)) return hasRequestedSubject(actual, expected);
  return expected.every(({ type, value }) =>
    actual.some((a) => a.type === type && a.value.trim() === value.trim()),
  );
}

function sameName(a: pkijs.RelativeDistinguishedNames, b: pkijs.RelativeDistinguishedNames): boolean {
  try {
    return a.isEqual(b);
  } catch {
    return false;
  }
}

/** Follows issuer names through the chain; every link found must carry its issuer's signature. */
async function isSignedByChain(
  certificate: pkijs.Certificate,
  chain: pkijs.Certificate[],
  engine: pkijs.ICryptoEngine,
): Promise<boolean> {
  const leafDer = new Uint8Array(certificate.toSchema().toBER(false));
  const candidates = chain.filter((c) => {
    const der = new Uint8Array(c.toSchema().toBER(false));
    return der.length !== leafDer.length || der.some((b, i) => b !== leafDer[i]);
  });
  if (candidates.length === 0) return false;
  let current = certificate;
  for (let link = 0; link <= candidates.length; link++) {
    const issuer = candidates.find((c) => c !== current && sameName(c.subject, current.issuer));
    if (!issuer) return link > 0; // the leaf's issuer must be in the chain; a missing root is fine
    try {
      if (!(await current.verify(issuer, engine))) return false;
    } catch {
      return false;
    }
    if (sameName(issuer.subject, issuer.issuer)) return true; // self-signed root reached
    current = issuer;
  }
  return true;
}

/**
 * Checks, in this order: the key pair, or the requested key before the passphrase is known (other-key), the subject (other-subject), the validity
 * dates (not-yet-valid, expired) and, when a chain is given, the issuer's signature (bad-chain).
 */
export async function checkCertificate(
  check: CertificateCheck,
  engine: pkijs.ICryptoEngine = pkijs.getCrypto(true),
): Promise<Result<CertificateInfo, CertificateProblem>> {
  const { certificate, now } = check;
  const keyMatches = check.privateKeyPkcs8
    ? await isKeyPairOf(certificate, check.privateKeyPkcs8, engine)
    : await isSamePublicKey(certificate, check.requestSpki, engine);
  if (!keyMatches) return fail('other-key');
  if (!(await hasSubject(certificate, check.expectedSubject))) return fail('other-subject');
  if (now.getTime() < certificate.notBefore.value.getTime()) return fail('not-yet-valid');
  if (now.getTime() > certificate.notAfter.value.getTime()) return fail('expired');
  if (check.chain && check.chain.length > 0 && !(await isSignedByChain(certificate, check.chain, engine))) {
    return fail('bad-chain');
  }
  return ok(await describeCertificate(certificate, engine));
}

export interface CsrKey {
  subject: SubjectAttribute[];
  /** SubjectPublicKeyInfo DER of the requested key. */
  spki: ArrayBuffer;
}

/** The subject and key a (self-signature checked) CSR asks for: what the issued certificate must carry. */
export async function readCsrKey(
  pem: string,
  engine: pkijs.ICryptoEngine = pkijs.getCrypto(true),
): Promise<Result<CsrKey, CsrProblem>> {
  const summary = await verifyCsr(pem, engine);
  if (!summary.ok) return summary;
  const der = fromPem('CERTIFICATE REQUEST', pem);
  if (!der) return fail('not-pem');
  const csr = pkijs.CertificationRequest.fromBER(der);
  return ok({ subject: summary.value.subject, spki: csr.subjectPublicKeyInfo.toSchema().toBER(false) });
}
