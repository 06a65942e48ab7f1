import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { SubjectAttribute } from '../../src/core/certificate/csr';

/** A throwaway certification authority for tests: issues X.509 certificates with pkijs. */

const NAME_OIDS: Record<string, string> = {
  C: '2.5.4.6',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  CN: '2.5.4.3',
  title: '2.5.4.12',
  serialNumber: '2.5.4.5',
};

export type NameAttribute = { type: SubjectAttribute['type'] | 'serialNumber'; value: string };

/** One SET per attribute, as X.509 names should be. */
export function buildName(attributes: NameAttribute[]): pkijs.RelativeDistinguishedNames {
  const sequence = new asn1js.Sequence({
    value: attributes.map(
      ({ type, value }) =>
        new asn1js.Set({
          value: [
            new pkijs.AttributeTypeAndValue({
              type: NAME_OIDS[type] ?? type,
              value:
                type === 'C' || type === 'serialNumber'
                  ? new asn1js.PrintableString({ value })
                  : new asn1js.Utf8String({ value }),
            }).toSchema(),
          ],
        }),
    ),
  });
  return pkijs.RelativeDistinguishedNames.fromBER(sequence.toBER(false));
}

export interface Issuer {
  name: NameAttribute[];
  keys: CryptoKeyPair;
  certificate: pkijs.Certificate;
}

export interface IssueOptions {
  subject: NameAttribute[];
  publicKey: CryptoKey;
  issuer: Issuer | 'self';
  /** Only for 'self': the key pair that signs itself. */
  keys?: CryptoKeyPair;
  notBefore?: Date;
  notAfter?: Date;
  serial?: number;
  ca?: boolean;
}

const DAY = 86_400_000;
let nextSerial = 0x1000;

function hashOf(key: CryptoKey): string {
  const algorithm = key.algorithm as RsaHashedKeyAlgorithm | EcKeyAlgorithm;
  return 'hash' in algorithm ? algorithm.hash.name : 'SHA-256';
}

export async function issueCertificate(options: IssueOptions): Promise<pkijs.Certificate> {
  const signer = options.issuer === 'self' ? options.keys : options.issuer.keys;
  if (!signer) throw new Error('a self-signed certificate needs its key pair');
  const certificate = new pkijs.Certificate();
  certificate.version = 2;
  certificate.serialNumber = new asn1js.Integer({ value: options.serial ?? nextSerial++ });
  certificate.subject = buildName(options.subject);
  certificate.issuer = buildName(options.issuer === 'self' ? options.subject : options.issuer.name);
  const notBefore = options.notBefore ?? new Date(Date.now() - DAY);
  certificate.notBefore.value = notBefore;
  certificate.notAfter.value = options.notAfter ?? new Date(notBefore.getTime() + 365 * DAY);
  await certificate.subjectPublicKeyInfo.importKey(options.publicKey);
  certificate.extensions = [
    new pkijs.Extension({
      extnID: '2.5.29.19',
      critical: true,
      extnValue: new pkijs.BasicConstraints({ cA: options.ca ?? false }).toSchema().toBER(false),
    }),
  ];
  await certificate.sign(signer.privateKey, hashOf(signer.privateKey));
  return certificate;
}

export async function makeTestCa(
  name: NameAttribute[] = [
    { type: 'C', value: 'ID' },
    { type: 'O', value: 'Balai Sertifikasi Elektronik (uji)' },
    { type: 'CN', value: 'Test CA' },
  ],
  algorithm: RsaHashedKeyGenParams | EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' },
): Promise<Issuer> {
  const keys = (await crypto.subtle.generateKey(algorithm, false, ['sign', 'verify'])) as CryptoKeyPair;
  const certificate = await issueCertificate({
    subject: name,
    publicKey: keys.publicKey,
    issuer: 'self',
    keys,
    ca: true,
  });
  return { name, keys, certificate };
}
