import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { Result } from '../lib/brand';
import { fail, ok } from '../lib/brand';
import { fromPem, toPem } from '../lib/pem';
import { EXTENDED_KEY_USAGE_OIDS, type ExtendedKeyUsage, KEY_USAGE_BITS, type KeyUsage } from './key-usage';

export const SUBJECT_ATTRIBUTE_TYPES = ['C', 'O', 'OU', 'CN', 'title'] as const;
export type SubjectAttributeType = (typeof SUBJECT_ATTRIBUTE_TYPES)[number];

export interface SubjectAttribute {
  type: SubjectAttributeType;
  value: string;
}

const ATTRIBUTE_OIDS: Record<SubjectAttributeType, string> = {
  C: '2.5.4.6',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  CN: '2.5.4.3',
  title: '2.5.4.12',
};
const OID_ATTRIBUTES = Object.fromEntries(Object.entries(ATTRIBUTE_OIDS).map(([k, v]) => [v, k]));

const OID_EXTENSION_REQUEST = '1.2.840.113549.1.9.14';
const OID_KEY_USAGE = '2.5.29.15';
const OID_EXT_KEY_USAGE = '2.5.29.37';
const OID_SUBJECT_ALT_NAME = '2.5.29.17';
const OID_EKU_NAMES = Object.fromEntries(Object.entries(EXTENDED_KEY_USAGE_OIDS).map(([k, v]) => [v, k]));
const KEY_USAGE_BY_BIT = Object.fromEntries(Object.entries(KEY_USAGE_BITS).map(([k, v]) => [v, k]));

export interface CsrInput {
  subject: SubjectAttribute[];
  /** rfc822Name entries of the subject alternative name (the official e-mail). */
  emails: string[];
  /** dNSName entries (the host of a sistem elektronik). */
  dnsNames?: string[];
  /** Defaults: the individu profile (digitalSignature, nonRepudiation, keyEncipherment for RSA). */
  keyUsage?: KeyUsage[];
  extendedKeyUsage?: ExtendedKeyUsage[];
  keys: CryptoKeyPair;
}

/** DER named-bit list: bit 0 is the high bit of the first byte, trailing zero bits are dropped. */
function keyUsageBits(usages: readonly KeyUsage[]): asn1js.BitString {
  const bits = usages.map((u) => KEY_USAGE_BITS[u]);
  const highest = Math.max(...bits);
  let byte = 0;
  for (const bit of bits) byte |= 0x80 >> bit;
  return new asn1js.BitString({ valueHex: new Uint8Array([byte]), unusedBits: 7 - highest });
}

function readKeyUsage(extension: pkijs.Extension): KeyUsage[] {
  const bitString = asn1js.fromBER(extension.extnValue.getValue()).result as asn1js.BitString;
  const bytes = new Uint8Array(bitString.valueBlock.valueHexView);
  const usages: KeyUsage[] = [];
  for (let bit = 0; bit < bytes.length * 8; bit++) {
    if ((bytes[bit >> 3] ?? 0) & (0x80 >> (bit & 7))) {
      const name = KEY_USAGE_BY_BIT[bit] as KeyUsage | undefined;
      if (name) usages.push(name);
    }
  }
  return usages;
}

/**
 * pkijs would put every attribute into one multi-valued RDN; X.509 names want one SET per
 * attribute, so the name is encoded here and parsed back.
 */
function buildName(attributes: SubjectAttribute[]): pkijs.RelativeDistinguishedNames {
  const sequence = new asn1js.Sequence({
    value: attributes.map(
      ({ type, value }) =>
        new asn1js.Set({
          value: [
            new pkijs.AttributeTypeAndValue({
              type: ATTRIBUTE_OIDS[type],
              value: type === 'C' ? new asn1js.PrintableString({ value }) : new asn1js.Utf8String({ value }),
            }).toSchema(),
          ],
        }),
    ),
  });
  return pkijs.RelativeDistinguishedNames.fromBER(sequence.toBER(false));
}

function signingHash(key: CryptoKey): string {
  const algorithm = key.algorithm as RsaHashedKeyAlgorithm | EcKeyAlgorithm;
  if ('hash' in algorithm) return algorithm.hash.name;
  return 'SHA-256';
}

/** Builds and signs a PKCS#10 request with the new key (proof of possession); returns PEM. */
export async function createCsr(
  input: CsrInput,
  crypto: pkijs.ICryptoEngine = pkijs.getCrypto(true),
): Promise<string> {
  const csr = new pkijs.CertificationRequest();
  csr.version = 0;
  csr.subject = buildName(input.subject);
  await csr.subjectPublicKeyInfo.importKey(input.keys.publicKey, crypto);

  // digitalSignature + nonRepudiation for signing; RSA keys add keyEncipherment for S/MIME
  // encryption, which RFC 5480 forbids for EC keys.
  const isRsa = input.keys.publicKey.algorithm.name.startsWith('RSA');
  const keyUsage =
    input.keyUsage ??
    (isRsa
      ? (['digitalSignature', 'nonRepudiation', 'keyEncipherment'] as const)
      : (['digitalSignature', 'nonRepudiation'] as const));
  const extendedKeyUsage = input.extendedKeyUsage ?? ['emailProtection', 'documentSigning'];
  const altNames = [
    ...input.emails.map((value) => new pkijs.GeneralName({ type: 1, value })),
    ...(input.dnsNames ?? []).map((value) => new pkijs.GeneralName({ type: 2, value })),
  ];
  const extensions = new pkijs.Extensions({
    extensions: [
      new pkijs.Extension({
        extnID: OID_KEY_USAGE,
        critical: true,
        extnValue: keyUsageBits(keyUsage).toBER(false),
      }),
      new pkijs.Extension({
        extnID: OID_EXT_KEY_USAGE,
        critical: false,
        extnValue: new pkijs.ExtKeyUsage({
          keyPurposes: extendedKeyUsage.map((u) => EXTENDED_KEY_USAGE_OIDS[u]),
        })
          .toSchema()
          .toBER(false),
      }),
      ...(altNames.length > 0
        ? [
            new pkijs.Extension({
              extnID: OID_SUBJECT_ALT_NAME,
              critical: false,
              extnValue: new pkijs.GeneralNames({ names: altNames }).toSchema().toBER(false),
            }),
          ]
        : []),
    ],
  });
  csr.attributes = [new pkijs.Attribute({ type: OID_EXTENSION_REQUEST, values: [extensions.toSchema()] })];
  await csr.sign(input.keys.privateKey, signingHash(input.keys.privateKey), crypto);
  return toPem('CERTIFICATE REQUEST', csr.toSchema().toBER(false));
}

export type CsrProblem = 'not-pem' | 'malformed' | 'bad-signature' | 'no-common-name' | 'unsupported-key';

export interface CsrSummary {
  subject: SubjectAttribute[];
  emails: string[];
  dnsNames: string[];
  keyUsage: KeyUsage[];
  extendedKeyUsage: ExtendedKeyUsage[];
  /** Extended key usages this code has no name for, by OID. */
  otherExtendedKeyUsage: string[];
  keyAlgorithm: 'RSA' | 'EC';
  keyBits: number;
}

function readSubject(name: pkijs.RelativeDistinguishedNames): SubjectAttribute[] {
  return name.typesAndValues.flatMap((tv) => {
    const type = OID_ATTRIBUTES[tv.type] as SubjectAttributeType | undefined;
    return type ? [{ type, value: String(tv.value.valueBlock.value) }] : [];
  });
}

type RequestedExtensions = Pick<
  CsrSummary,
  'emails' | 'dnsNames' | 'keyUsage' | 'extendedKeyUsage' | 'otherExtendedKeyUsage'
>;

function readExtensions(csr: pkijs.CertificationRequest): RequestedExtensions {
  const request = csr.attributes?.find((a) => a.type === OID_EXTENSION_REQUEST);
  const extensions = request?.values[0] ? new pkijs.Extensions({ schema: request.values[0] }).extensions : [];
  const find = (oid: string) => extensions.find((e) => e.extnID === oid);
  const san = find(OID_SUBJECT_ALT_NAME);
  const names = san ? pkijs.GeneralNames.fromBER(san.extnValue.getValue()).names : [];
  const ku = find(OID_KEY_USAGE);
  const eku = find(OID_EXT_KEY_USAGE);
  const purposes = eku ? pkijs.ExtKeyUsage.fromBER(eku.extnValue.getValue()).keyPurposes : [];
  return {
    emails: names.filter((n) => n.type === 1).map((n) => String(n.value)),
    dnsNames: names.filter((n) => n.type === 2).map((n) => String(n.value)),
    keyUsage: ku ? readKeyUsage(ku) : [],
    extendedKeyUsage: purposes.flatMap((oid) =>
      OID_EKU_NAMES[oid] ? [OID_EKU_NAMES[oid] as ExtendedKeyUsage] : [],
    ),
    otherExtendedKeyUsage: purposes.filter((oid) => !OID_EKU_NAMES[oid]),
  };
}

function readKey(csr: pkijs.CertificationRequest): Pick<CsrSummary, 'keyAlgorithm' | 'keyBits'> | null {
  const spki = csr.subjectPublicKeyInfo;
  if (spki.algorithm.algorithmId === '1.2.840.113549.1.1.1') {
    const rsa = spki.parsedKey as pkijs.RSAPublicKey | undefined;
    if (!rsa) return null;
    const modulus = new Uint8Array(rsa.modulus.valueBlock.valueHexView);
    const leadingZero = modulus[0] === 0 ? 1 : 0;
    return { keyAlgorithm: 'RSA', keyBits: (modulus.length - leadingZero) * 8 };
  }
  if (spki.algorithm.algorithmId === '1.2.840.10045.2.1') {
    const curve = spki.algorithm.algorithmParams as asn1js.ObjectIdentifier | undefined;
    if (curve?.valueBlock.toString() !== '1.2.840.10045.3.1.7') return null; // P-256 only
    return { keyAlgorithm: 'EC', keyBits: 256 };
  }
  return null;
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
function isStrictSignature(csr: pkijs.CertificationRequest): boolean {
  if (csr.signatureValue.valueBlock.unusedBits !== 0) return false;
  if (!csr.signatureAlgorithm.algorithmId.startsWith('1.2.840.10045.4.')) return true;
  const sig = new Uint8Array(csr.signatureValue.valueBlock.valueHexView);
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

/** Parses a PEM CSR and checks its self-signature; never throws on bad input. */
export async function verifyCsr(
  pem: string,
  crypto: pkijs.ICryptoEngine = pkijs.getCrypto(true),
): Promise<Result<CsrSummary, CsrProblem>> {
  const der = fromPem('CERTIFICATE REQUEST', pem);
  if (!der) return fail('not-pem');
  let csr: pkijs.CertificationRequest;
  try {
    csr = pkijs.CertificationRequest.fromBER(der);
    // asn1js is lenient (a wrong outer length, trailing bytes); PKCS#10 is DER, so the request must
    // re-encode to exactly the bytes received, or OpenSSL and the CA would read something else.
    const reencoded = new Uint8Array(csr.toSchema().toBER(false));
    if (reencoded.length !== der.length || reencoded.some((b, i) => b !== der[i])) return fail('malformed');
    if (!isStrictSignature(csr)) return fail('malformed');
  } catch {
    return fail('malformed');
  }
  const key = readKey(csr);
  if (!key || (key.keyAlgorithm === 'RSA' && key.keyBits < 2048)) return fail('unsupported-key');
  let signatureOk = false;
  try {
    signatureOk = await csr.verify(crypto);
  } catch {
    return fail('malformed');
  }
  if (!signatureOk) return fail('bad-signature');
  let subject: SubjectAttribute[];
  let extensions: RequestedExtensions;
  try {
    subject = readSubject(csr.subject);
    extensions = readExtensions(csr);
  } catch {
    return fail('malformed');
  }
  if (!subject.some((a) => a.type === 'CN' && a.value.trim() !== '')) return fail('no-common-name');
  return ok({ subject, ...extensions, ...key });
}
