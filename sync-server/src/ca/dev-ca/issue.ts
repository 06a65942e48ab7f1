import * as pkijs from 'pkijs';
import {
  EXTENDED_KEY_USAGE_OIDS,
  KEY_USAGE_BITS,
  RSA_ONLY_USAGES,
} from '../../../../src/core/certificate/key-usage';
import type { CsrRequest } from '../../../../src/core/certificate/profile';
import { fromPem, toPem } from '../../../../src/core/lib/pem';
import type { IssuingAuthority } from './ca-keys';
import {
  addDays,
  authorityKeyIdentifierExtension,
  buildName,
  extension,
  keyIdentifier,
  namedBits,
  OID_BASIC_CONSTRAINTS,
  OID_CRL_DISTRIBUTION_POINTS,
  OID_EXT_KEY_USAGE,
  OID_KEY_USAGE,
  OID_SUBJECT_ALT_NAME,
  SIGNATURE_HASH,
  serialInteger,
  subjectKeyIdentifierExtension,
  x509Time,
} from './x509';

const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
/** GeneralName choices: rfc822Name [1], dNSName [2], uniformResourceIdentifier [6]. */
const RFC822_NAME = 1;
const DNS_NAME = 2;
const URI = 6;

export interface LeafInput {
  authority: IssuingAuthority;
  /** A CSR judged at submission: signature verified, fitting `profile`. */
  csrPem: string;
  /** The profile as rendered for this request at submission. */
  profile: CsrRequest;
  serialHex: string;
  /** Whole seconds (see wholeSeconds). */
  notBefore: Date;
  validityDays: number;
  crlUrl: string | undefined;
}

/**
 * Signs the end-entity certificate. Everything in it comes from the rendered profile and the CSR's
 * key, never from the CSR's requested extensions: the CA decides what a certificate says.
 */
export async function issueLeaf(input: LeafInput): Promise<string> {
  const der = fromPem('CERTIFICATE REQUEST', input.csrPem);
  if (!der) throw new Error('the stored CSR is not PEM');
  const csr = pkijs.CertificationRequest.fromBER(der);
  const { authority, profile } = input;

  const certificate = new pkijs.Certificate();
  certificate.version = 2;
  certificate.serialNumber = serialInteger(input.serialHex);
  // The issuing certificate's subject as parsed keeps its exact bytes, which chain building compares.
  certificate.issuer = authority.issuingCertificate.subject;
  certificate.subject = buildName(profile.subject);
  certificate.notBefore = x509Time(input.notBefore);
  certificate.notAfter = x509Time(addDays(input.notBefore, input.validityDays));
  certificate.subjectPublicKeyInfo = csr.subjectPublicKeyInfo;

  // RFC 5480: an EC key never asserts the RSA encryption bits, whatever the profile lists.
  const isEc = csr.subjectPublicKeyInfo.algorithm.algorithmId === OID_EC_PUBLIC_KEY;
  const keyUsage = profile.keyUsage.filter((u) => !isEc || !RSA_ONLY_USAGES.includes(u));
  const altNames = [
    ...profile.emails.map((value) => new pkijs.GeneralName({ type: RFC822_NAME, value })),
    ...profile.dnsNames.map((value) => new pkijs.GeneralName({ type: DNS_NAME, value })),
  ];
  certificate.extensions = [
    extension(OID_BASIC_CONSTRAINTS, true, new pkijs.BasicConstraints({ cA: false }).toSchema()),
    extension(OID_KEY_USAGE, true, namedBits(keyUsage.map((u) => KEY_USAGE_BITS[u]))),
    extension(
      OID_EXT_KEY_USAGE,
      false,
      new pkijs.ExtKeyUsage({
        keyPurposes: profile.extendedKeyUsage.map((u) => EXTENDED_KEY_USAGE_OIDS[u]),
      }).toSchema(),
    ),
    ...(altNames.length > 0
      ? [extension(OID_SUBJECT_ALT_NAME, false, new pkijs.GeneralNames({ names: altNames }).toSchema())]
      : []),
    authorityKeyIdentifierExtension(authority.issuingKeyId),
    subjectKeyIdentifierExtension(await keyIdentifier(csr.subjectPublicKeyInfo)),
    ...(input.crlUrl
      ? [
          extension(
            OID_CRL_DISTRIBUTION_POINTS,
            false,
            new pkijs.CRLDistributionPoints({
              distributionPoints: [
                new pkijs.DistributionPoint({
                  distributionPoint: [new pkijs.GeneralName({ type: URI, value: input.crlUrl })],
                }),
              ],
            }).toSchema(),
          ),
        ]
      : []),
  ];
  await certificate.sign(authority.issuingKey, SIGNATURE_HASH);
  return toPem('CERTIFICATE', certificate.toSchema().toBER(false));
}
