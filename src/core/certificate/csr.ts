import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { Result } from '../lib/brand';
import { fail, ok } from '../lib/brand';
import { fromPem, toPem } from '../lib/pem';
import type { CsrProblem, CsrSummary, RequestedExtensions, SubjectAttribute } from './csr-reader';
import {
  ATTRIBUTE_OIDS,
  OID_EXT_KEY_USAGE,
  OID_EXTENSION_REQUEST,
  OID_KEY_USAGE,
  OID_SUBJECT_ALT_NAME,
  parseRequest,
  readExtensions,
  readKey,
  readSubject,
} from './csr-reader';
import type { SignatureVerifier } from './csr-signature';
import {
  ecdsaSizeProblem,
  isStrictSignature,
  P256_SIZE,
  pssSaltFits,
  publicKeyJwk,
  signatureAlgorithmOf,
  webCryptoSignatureVerifier,
} from './csr-signature';
import { isStrictDer } from './der';
import { EXTENDED_KEY_USAGE_OIDS, type ExtendedKeyUsage, KEY_USAGE_BITS, type KeyUsage } from './key-usage';

export type { CsrProblem, CsrSummary, SubjectAttribute, SubjectAttributeType } from './csr-reader';
export { SUBJECT_ATTRIBUTE_TYPES } from './csr-reader';
export type { SignatureHash, SignatureVerifier, SignedRequest } from './csr-signature';

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

/**
 * pkijs would put every attribute into one multi-valued RDN; X.509 names want one SET per
 * attribute (OpenSSL prints `C = ID, O = ...`, not `C = ID + O = ...`), so the name is encoded here
 * and parsed back. The country code is a PrintableString (RFC 5280 Appendix A), the rest UTF8String.
 */
export function buildName(attributes: readonly SubjectAttribute[]): pkijs.RelativeDistinguishedNames {
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
  // asn1js is lenient (a wrong outer length, trailing bytes, BER lengths); PKCS#10 is DER, and a
  // request framed any other way would read differently in OpenSSL and at the CA.
  if (!isStrictDer(der)) return fail('malformed');
  let request: ReturnType<typeof parseRequest>;
  try {
    request = parseRequest(der);
    if (!request) return fail('malformed');
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
