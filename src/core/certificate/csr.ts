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

function readKeyUsage(extnValue: Uint8Array): KeyUsage[] {
  const bitString = asn1js.fromBER(extnValue).result as asn1js.BitString;
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

function readSubject(typesAndValues: ParsedRequest['subject']): SubjectAttribute[] {
  return typesAndValues.flatMap((tv) => {
    const type = OID_ATTRIBUTES[tv.type] as SubjectAttributeType | undefined;
    return type ? [{ type, value: String((tv.value.valueBlock as { value?: unknown }).value) }] : [];
  });
}

type RequestedExtensions = Pick<
  CsrSummary,
  'emails' | 'dnsNames' | 'keyUsage' | 'extendedKeyUsage' | 'otherExtendedKeyUsage'
>;

/*
 * The requested extensions are read off the asn1js tree where they have the plain shape pkijs's schemas
 * match (which they always do from this kiosk): pkijs builds a schema of asn1js blocks for every
 * extension and name it reads (a GeneralName alone is ~50 blocks), and that was most of the cost of
 * reading a request. Any other shape goes to pkijs itself, which reads it or refuses it as before.
 */

/** A SEQUENCE's elements, when the block is one as pkijs's schemas match it (universal 16, constructed). */
function sequenceItems(block: asn1js.AsnType): asn1js.AsnType[] | null {
  const id = block.idBlock;
  const matches =
    block instanceof asn1js.Sequence && id.tagClass === 1 && id.tagNumber === 16 && id.isConstructed;
  return matches && !id.isHexOnly ? block.valueBlock.value : null;
}

/** A primitive block as a pkijs schema of this asn1js type matches it. */
function isPrimitive<T extends asn1js.AsnType>(
  block: asn1js.AsnType,
  type: abstract new (...args: never[]) => T,
  tagClass: number,
  tagNumbers: readonly number[],
): block is T {
  const id = block.idBlock;
  return (
    block instanceof type &&
    id.tagClass === tagClass &&
    tagNumbers.includes(id.tagNumber) &&
    !id.isConstructed &&
    !id.isHexOnly
  );
}

const isOid = (block: asn1js.AsnType) => isPrimitive(block, asn1js.ObjectIdentifier, 1, [6]);
const isBoolean = (block: asn1js.AsnType) => isPrimitive(block, asn1js.Boolean, 1, [1]);
const isOctetString = (block: asn1js.AsnType) => isPrimitive(block, asn1js.OctetString, 1, [4]);
/** rfc822Name [1] and dNSName [2]: context-specific, primitive. */
const isTextName = (block: asn1js.AsnType) => isPrimitive(block, asn1js.Primitive, 3, [1, 2]);

/** The elements of a non-empty SEQUENCE encoded in `bytes`, or null (pkijs then reads or refuses it). */
function parseItems(bytes: Uint8Array): asn1js.AsnType[] | null {
  const parsed = asn1js.fromBER(bytes, { parseEmbedded: false });
  const items = parsed.offset === -1 ? null : sequenceItems(parsed.result);
  return items && items.length > 0 ? items : null;
}

interface RequestedExtension {
  extnID: string;
  extnValue: Uint8Array;
}

/** Extensions ::= SEQUENCE OF SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }. */
function readExtensionList(value: asn1js.AsnType): RequestedExtension[] {
  const items = sequenceItems(value);
  const plain = items && items.length > 0 ? items.map(sequenceItems) : null;
  if (plain) {
    const extensions: RequestedExtension[] = [];
    for (const fields of plain) {
      const [extnID, middle, last] = fields ?? [];
      const extnValue = fields?.length === 3 && middle && isBoolean(middle) ? last : middle;
      if (
        !fields ||
        fields.length > 3 ||
        !extnID ||
        !isOid(extnID) ||
        !extnValue ||
        !isOctetString(extnValue)
      ) {
        return readExtensionListWithPkijs(value);
      }
      extensions.push({ extnID: extnID.valueBlock.toString(), extnValue: extnValue.valueBlock.valueHexView });
    }
    return extensions;
  }
  return readExtensionListWithPkijs(value);
}

function readExtensionListWithPkijs(value: asn1js.AsnType): RequestedExtension[] {
  return new pkijs.Extensions({ schema: value }).extensions.map((e) => ({
    extnID: e.extnID,
    extnValue: e.extnValue.valueBlock.valueHexView,
  }));
}

/** GeneralNames, as pkijs reads rfc822Name and dNSName: IA5 text, one character per byte. */
function readGeneralNames(bytes: Uint8Array): { type: number; value: unknown }[] {
  const items = parseItems(bytes);
  if (items?.every(isTextName)) {
    return items.map((name) => ({
      type: name.idBlock.tagNumber,
      value: String.fromCharCode(...name.valueBlock.valueHexView),
    }));
  }
  return pkijs.GeneralNames.fromBER(bytes.slice()).names;
}

/** ExtKeyUsageSyntax ::= SEQUENCE OF KeyPurposeId (OBJECT IDENTIFIER). */
function readKeyPurposes(bytes: Uint8Array): string[] {
  const items = parseItems(bytes);
  if (items?.every(isOid)) return items.map((oid) => oid.valueBlock.toString());
  return pkijs.ExtKeyUsage.fromBER(bytes.slice()).keyPurposes;
}

function readExtensions(attributes: ParsedRequest['attributes']): RequestedExtensions {
  const request = attributes.find((a) => a.type === OID_EXTENSION_REQUEST);
  // pkijs leaves an attribute with an empty SET without values, and reading them threw (malformed).
  if (request && !request.values) throw new Error('the extension request has no values');
  const extensions = request?.values?.[0] ? readExtensionList(request.values[0]) : [];
  const find = (oid: string) => extensions.find((e) => e.extnID === oid)?.extnValue;
  const san = find(OID_SUBJECT_ALT_NAME);
  const names = san ? readGeneralNames(san) : [];
  const ku = find(OID_KEY_USAGE);
  const eku = find(OID_EXT_KEY_USAGE);
  const purposes = eku ? readKeyPurposes(eku) : [];
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

function readKey(spki: pkijs.PublicKeyInfo): Pick<CsrSummary, 'keyAlgorithm' | 'keyBits'> | null {
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
function isStrictSignature({ signatureAlgorithm, signatureValue }: ParsedRequest): boolean {
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
const P256_SIZE = 32;
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
function signatureAlgorithmOf(
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

/**
 * pkijs copied r and s into one 64-byte r || s buffer: an r longer than 32 bytes or an s longer than 64
 * threw (malformed), and an s of 33-64 bytes overwrote the end of r, so the check failed (or, crafted
 * to repeat r's last byte, passed where OpenSSL fails it). No valid P-256 signature has either, since
 * r and s are below the group order. The same answers are given here, before any verifier runs, and a
 * long s is always bad-signature. The signature is strict DER already (`isStrictSignature`).
 */
function ecdsaSizeProblem(signature: Uint8Array, size: number): CsrProblem | null {
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
function pssSaltFits(saltLength: number, hash: SignatureHash, spki: pkijs.PublicKeyInfo): boolean {
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
function publicKeyJwk(spki: pkijs.PublicKeyInfo): JsonWebKey | null {
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

/** What verifyCsr reads of a request: the parts pkijs.CertificationRequest holds, as it holds them. */
interface ParsedRequest {
  /** certificationRequestInfo as parsed: its bytes as received are what was signed. */
  info: asn1js.Sequence;
  /** The requested key as parsed, and as pkijs reads it. */
  spki: asn1js.Sequence;
  subjectPublicKeyInfo: pkijs.PublicKeyInfo;
  /** The subject's attributes in order, across its RDNs (pkijs's `typesAndValues`). */
  subject: { type: string; value: asn1js.AsnType }[];
  /** No values: an attribute with an empty SET, which pkijs leaves without them. */
  attributes: { type: string; values: asn1js.AsnType[] | undefined }[];
  signatureAlgorithm: pkijs.AlgorithmIdentifier;
  signatureValue: asn1js.BitString;
}

const isInteger = (block: asn1js.AsnType) => isPrimitive(block, asn1js.Integer, 1, [2]);
const isBitString = (block: asn1js.AsnType) => isPrimitive(block, asn1js.BitString, 1, [3]);

/** The elements of a SET as pkijs's schemas match one (universal 17, constructed), or null. */
function setItems(block: asn1js.AsnType): asn1js.AsnType[] | null {
  const id = block.idBlock;
  const matches = block instanceof asn1js.Set && id.tagClass === 1 && id.tagNumber === 17 && id.isConstructed;
  return matches && !id.isHexOnly ? block.valueBlock.value : null;
}

/**
 * AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }, as pkijs's fromSchema
 * reads it (the OID as text, the parameters as parsed), or null when it has another shape.
 */
function readAlgorithm(block: asn1js.AsnType): pkijs.AlgorithmIdentifier | null {
  const [algorithm, params, ...extra] = sequenceItems(block) ?? [];
  if (!algorithm || !isOid(algorithm) || extra.length > 0) return null;
  const algorithmId = algorithm.valueBlock.toString();
  return new pkijs.AlgorithmIdentifier(params ? { algorithmId, algorithmParams: params } : { algorithmId });
}

/**
 * The request read off the asn1js tree when it has the plain shape pkijs's CertificationRequest schema
 * matches (every request from this kiosk has it); null otherwise, and pkijs reads it instead. Building
 * that schema (~30 blocks), matching it, then building and matching one again for the name, each of its
 * attributes, the key and the algorithms cost more than parsing the request. What is read is what
 * pkijs's fromSchema methods read from the same nodes; pkijs still reads the key from its BIT STRING.
 */
function readPlainRequest(root: asn1js.AsnType): ParsedRequest | null {
  const [info, algorithmBlock, signatureValue, ...more] = sequenceItems(root) ?? [];
  if (!info || !algorithmBlock || !signatureValue || more.length > 0 || !isBitString(signatureValue))
    return null;
  const [version, name, spki, attributeBlock, ...rest] = sequenceItems(info) ?? [];
  if (!(info instanceof asn1js.Sequence) || !version || !isInteger(version) || !name || rest.length > 0)
    return null;
  // Name ::= SEQUENCE OF SET OF SEQUENCE { type OID, value ANY }, at least one of each.
  const sets = sequenceItems(name)?.map(setItems);
  if (!sets || sets.length === 0) return null;
  const subject: ParsedRequest['subject'] = [];
  for (const set of sets) {
    if (!set || set.length === 0) return null;
    for (const attribute of set) {
      const [type, value, ...extra] = sequenceItems(attribute) ?? [];
      if (!type || !isOid(type) || !value || extra.length > 0) return null;
      subject.push({ type: type.valueBlock.toString(), value });
    }
  }
  // SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
  const [keyAlgorithmBlock, keyBits, ...keyRest] = (spki && sequenceItems(spki)) ?? [];
  const keyAlgorithm = keyAlgorithmBlock && readAlgorithm(keyAlgorithmBlock);
  if (!(spki instanceof asn1js.Sequence) || !keyAlgorithm) return null;
  if (!keyBits || !isBitString(keyBits) || keyRest.length > 0) return null;
  // attributes [0] IMPLICIT SET OF SEQUENCE { type OID, values SET OF ANY }, each with a value.
  const attributes: ParsedRequest['attributes'] = [];
  if (attributeBlock) {
    const id = attributeBlock.idBlock;
    const tagged = attributeBlock instanceof asn1js.Constructed && id.tagClass === 3 && id.tagNumber === 0;
    if (!tagged || !id.isConstructed || id.isHexOnly) return null;
    for (const attribute of attributeBlock.valueBlock.value) {
      const [type, valueSet, ...extra] = sequenceItems(attribute) ?? [];
      const values = valueSet && setItems(valueSet);
      if (!type || !isOid(type) || !values || values.length === 0 || extra.length > 0) return null;
      attributes.push({ type: type.valueBlock.toString(), values });
    }
  }
  const signatureAlgorithm = readAlgorithm(algorithmBlock);
  if (!signatureAlgorithm) return null;
  return {
    info,
    spki,
    // As PublicKeyInfo's fromSchema sets it; it reads the key itself (parsedKey) from the BIT STRING.
    subjectPublicKeyInfo: new pkijs.PublicKeyInfo({ algorithm: keyAlgorithm, subjectPublicKey: keyBits }),
    subject,
    attributes,
    signatureAlgorithm,
    signatureValue,
  };
}

/** Any other request, as pkijs reads (or refuses) it. */
function readRequestWithPkijs(root: asn1js.AsnType): ParsedRequest | null {
  const csr = new pkijs.CertificationRequest({ schema: root });
  // The schema matched, so the request info comes first and holds the key third.
  const info = root instanceof asn1js.Sequence ? root.valueBlock.value[0] : undefined;
  const spki = info instanceof asn1js.Sequence ? info.valueBlock.value[2] : undefined;
  if (!(info instanceof asn1js.Sequence) || !(spki instanceof asn1js.Sequence)) return null;
  if (spki.valueBlock.value[1] !== csr.subjectPublicKeyInfo.subjectPublicKey) return null;
  return {
    info,
    spki,
    subjectPublicKeyInfo: csr.subjectPublicKeyInfo,
    subject: csr.subject.typesAndValues.map(({ type, value }) => ({ type, value })),
    attributes: (csr.attributes ?? []).map(({ type, values }) => ({ type, values })),
    signatureAlgorithm: csr.signatureAlgorithm,
    signatureValue: csr.signatureValue,
  };
}

/**
 * Parses the request once; nothing re-reads the bytes. Embedded BIT/OCTET STRING contents are not
 * speculatively parsed: nothing reads them from the tree (pkijs parses the key and the extension
 * values from their bytes), and encoding ignores them.
 */
function parseRequest(der: Uint8Array): ParsedRequest | null {
  const parsed = asn1js.fromBER(der, { parseEmbedded: false, copyInput: false });
  if (parsed.offset === -1) return null;
  return readPlainRequest(parsed.result) ?? readRequestWithPkijs(parsed.result);
}

/**
 * Parses a PEM CSR and checks its self-signature; never throws on bad input. The signature check is
 * a port: WebCrypto by default, native code where the runtime has it (the sync server).
 */
export async function verifyCsr(
  pem: string,
  crypto: pkijs.ICryptoEngine = pkijs.getCrypto(true),
  verifySignature: SignatureVerifier = webCryptoSignatureVerifier(crypto),
): Promise<Result<CsrSummary, CsrProblem>> {
  const der = fromPem('CERTIFICATE REQUEST', pem);
  if (!der) return fail('not-pem');
  let request: ReturnType<typeof parseRequest>;
  try {
    request = parseRequest(der);
    if (!request) return fail('malformed');
    const { info, signatureAlgorithm, signatureValue } = request;
    // asn1js is lenient (a wrong outer length, trailing bytes); PKCS#10 is DER, so the request must
    // re-encode to exactly the bytes received, or OpenSSL and the CA would read something else. The
    // request info is encoded from its parsed tree, the signature algorithm from its parsed fields.
    const reencoded = new Uint8Array(
      new asn1js.Sequence({ value: [info, signatureAlgorithm.toSchema(), signatureValue] }).toBER(false),
    );
    if (reencoded.length !== der.length || reencoded.some((b, i) => b !== der[i])) return fail('malformed');
    if (!isStrictSignature(request)) return fail('malformed');
  } catch {
    return fail('malformed');
  }
  const { info, spki, subjectPublicKeyInfo, signatureAlgorithm, signatureValue } = request;
  const key = readKey(subjectPublicKeyInfo);
  if (!key || (key.keyAlgorithm === 'RSA' && key.keyBits < 2048)) return fail('unsupported-key');
  let signatureOk = false;
  try {
    const algorithm = signatureAlgorithmOf(signatureAlgorithm, key.keyAlgorithm);
    if (!algorithm) return fail('malformed');
    // An EC key must be an uncompressed point, as pkijs's key import has always required.
    const publicKey = publicKeyJwk(subjectPublicKeyInfo);
    if (!publicKey) return fail('malformed');
    const signature = signatureValue.valueBlock.valueHexView;
    const sizeProblem = algorithm.name === 'ECDSA' ? ecdsaSizeProblem(signature, P256_SIZE) : null;
    if (sizeProblem) return fail(sizeProblem);
    if (
      algorithm.name === 'RSA-PSS' &&
      !pssSaltFits(algorithm.saltLength, algorithm.hash, subjectPublicKeyInfo)
    ) {
      return fail('malformed');
    }
    signatureOk = await verifySignature({
      algorithm,
      spki: spki.valueBeforeDecodeView,
      publicKey,
      signed: info.valueBeforeDecodeView,
      signature,
    });
  } catch {
    return fail('malformed');
  }
  if (!signatureOk) return fail('bad-signature');
  let subject: SubjectAttribute[];
  let extensions: RequestedExtensions;
  try {
    subject = readSubject(request.subject);
    extensions = readExtensions(request.attributes);
  } catch {
    return fail('malformed');
  }
  if (!subject.some((a) => a.type === 'CN' && a.value.trim() !== '')) return fail('no-common-name');
  return ok({ subject, ...extensions, ...key });
}
