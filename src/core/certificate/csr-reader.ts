import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { EXTENDED_KEY_USAGE_OIDS, type ExtendedKeyUsage, KEY_USAGE_BITS, type KeyUsage } from './key-usage';

/*
 * Reading a DER certification request into the parts verifyCsr checks (ParsedRequest), and the
 * subject and requested extensions into a CsrSummary. The types verifyCsr answers with (CsrSummary,
 * CsrProblem) live here, below csr.ts, so that csr-signature can use them without an import cycle.
 */

export const SUBJECT_ATTRIBUTE_TYPES = ['C', 'O', 'OU', 'CN', 'title'] as const;
export type SubjectAttributeType = (typeof SUBJECT_ATTRIBUTE_TYPES)[number];

export interface SubjectAttribute {
  type: SubjectAttributeType;
  value: string;
}

export const ATTRIBUTE_OIDS: Record<SubjectAttributeType, string> = {
  C: '2.5.4.6',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  CN: '2.5.4.3',
  title: '2.5.4.12',
};
const OID_ATTRIBUTES = Object.fromEntries(Object.entries(ATTRIBUTE_OIDS).map(([k, v]) => [v, k]));

export const OID_EXTENSION_REQUEST = '1.2.840.113549.1.9.14';
export const OID_KEY_USAGE = '2.5.29.15';
export const OID_EXT_KEY_USAGE = '2.5.29.37';
export const OID_SUBJECT_ALT_NAME = '2.5.29.17';
const OID_EKU_NAMES = Object.fromEntries(Object.entries(EXTENDED_KEY_USAGE_OIDS).map(([k, v]) => [v, k]));
const KEY_USAGE_BY_BIT = Object.fromEntries(Object.entries(KEY_USAGE_BITS).map(([k, v]) => [v, k]));

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

/** What verifyCsr reads of a request: the parts pkijs.CertificationRequest holds, as it holds them. */
export interface ParsedRequest {
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

export function readSubject(typesAndValues: ParsedRequest['subject']): SubjectAttribute[] {
  return typesAndValues.flatMap((tv) => {
    const type = OID_ATTRIBUTES[tv.type] as SubjectAttributeType | undefined;
    return type ? [{ type, value: String((tv.value.valueBlock as { value?: unknown }).value) }] : [];
  });
}

export type RequestedExtensions = Pick<
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

export function readExtensions(attributes: ParsedRequest['attributes']): RequestedExtensions {
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

export function readKey(spki: pkijs.PublicKeyInfo): Pick<CsrSummary, 'keyAlgorithm' | 'keyBits'> | null {
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
export function parseRequest(der: Uint8Array): ParsedRequest | null {
  const parsed = asn1js.fromBER(der, { parseEmbedded: false, copyInput: false });
  if (parsed.offset === -1) return null;
  return readPlainRequest(parsed.result) ?? readRequestWithPkijs(parsed.result);
}
