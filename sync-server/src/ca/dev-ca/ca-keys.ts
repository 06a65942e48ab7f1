import * as pkijs from 'pkijs';
import type { SubjectAttribute } from '../../../../src/core/certificate/csr';
import {
  decryptPrivateKey,
  encryptPrivateKey,
  type KeyProblem,
} from '../../../../src/core/certificate/pkcs8';
import { toPem } from '../../../../src/core/lib/pem';
import type { AuthorityRow, DevCaDb } from './dev-ca-db';
import {
  addDays,
  authorityKeyIdentifierExtension,
  buildName,
  CA_KEY_ALGORITHM,
  drawSerial,
  extension,
  keyIdentifier,
  namedBits,
  OID_BASIC_CONSTRAINTS,
  OID_KEY_USAGE,
  parseCertificatePem,
  SIGNATURE_HASH,
  serialInteger,
  subjectKeyIdentifierExtension,
  wholeSeconds,
  x509Time,
} from './x509';

/*
 * The dev CA's two certificates and keys: made on first start, stored with the keys as encrypted
 * PKCS#8 only, loaded on every later start. Only the issuing key is ever decrypted again: the root
 * key signs nothing after the issuing certificate.
 */

export const ROOT_NAME: SubjectAttribute[] = [
  { type: 'C', value: 'ID' },
  { type: 'O', value: 'Pemerintah Kota Madiun (pengembangan)' },
  { type: 'CN', value: 'Sertel Dev Root CA' },
];
export const ISSUING_NAME: SubjectAttribute[] = [
  { type: 'C', value: 'ID' },
  { type: 'O', value: 'Pemerintah Kota Madiun (pengembangan)' },
  { type: 'CN', value: 'Sertel Dev Issuing CA' },
];
const ROOT_VALIDITY_DAYS = 20 * 365;
/** Longer than any certificate it issues (730 days by default) for years of development. */
const ISSUING_VALIDITY_DAYS = 10 * 365;
/** keyCertSign (5) and cRLSign (6). */
const CA_KEY_USAGE_BITS = [5, 6];
/** Two serials drawn at once colliding with the table twice in a row means a broken random source. */
const MAX_CREATE_ATTEMPTS = 4;

/** A dev CA that cannot start: the passphrase does not open its key, or its stored key is damaged. */
export class DevCaKeyError extends Error {
  override name = 'DevCaKeyError';
}

/** What issuing needs: the issuing CA's certificate (its subject is every issued certificate's issuer) and key. */
export interface IssuingAuthority {
  rootCertificatePem: string;
  issuingCertificatePem: string;
  issuingCertificate: pkijs.Certificate;
  /** Non-extractable: the plaintext key exists only inside WebCrypto. */
  issuingKey: CryptoKey;
  issuingKeyId: Uint8Array<ArrayBuffer>;
}

interface CaCertificateInput {
  subject: SubjectAttribute[];
  issuer: SubjectAttribute[];
  publicKey: CryptoKey;
  signingKey: CryptoKey;
  /** The issuer's key identifier (AKI); none for the self-signed root. */
  issuerKeyId: Uint8Array<ArrayBuffer> | null;
  serialHex: string;
  notBefore: Date;
  days: number;
  pathLength: number | null;
}

async function caCertificate(input: CaCertificateInput): Promise<pkijs.Certificate> {
  const certificate = new pkijs.Certificate();
  certificate.version = 2;
  certificate.serialNumber = serialInteger(input.serialHex);
  certificate.issuer = buildName(input.issuer);
  certificate.subject = buildName(input.subject);
  certificate.notBefore = x509Time(input.notBefore);
  certificate.notAfter = x509Time(addDays(input.notBefore, input.days));
  await certificate.subjectPublicKeyInfo.importKey(input.publicKey);
  const ownKeyId = await keyIdentifier(certificate.subjectPublicKeyInfo);
  const basicConstraints = new pkijs.BasicConstraints({
    cA: true,
    ...(input.pathLength === null ? {} : { pathLenConstraint: input.pathLength }),
  });
  certificate.extensions = [
    extension(OID_BASIC_CONSTRAINTS, true, basicConstraints.toSchema()),
    extension(OID_KEY_USAGE, true, namedBits(CA_KEY_USAGE_BITS)),
    subjectKeyIdentifierExtension(ownKeyId),
    ...(input.issuerKeyId ? [authorityKeyIdentifierExtension(input.issuerKeyId)] : []),
  ];
  await certificate.sign(input.signingKey, SIGNATURE_HASH);
  return certificate;
}

const certificatePem = (certificate: pkijs.Certificate) =>
  toPem('CERTIFICATE', certificate.toSchema().toBER(false));

/** A new root and issuing CA, keys already encrypted; nothing is stored yet. */
async function makeAuthority(
  passphrase: string,
  iterations: number,
  now: Date,
): Promise<{ row: AuthorityRow; serials: { root: string; issuing: string } }> {
  const usages: KeyUsage[] = ['sign', 'verify'];
  // Extractable only so encryptPrivateKey can export them; they are dropped once encrypted.
  const rootKeys = (await crypto.subtle.generateKey(CA_KEY_ALGORITHM, true, usages)) as CryptoKeyPair;
  const issuingKeys = (await crypto.subtle.generateKey(CA_KEY_ALGORITHM, true, usages)) as CryptoKeyPair;
  const serials = { root: drawSerial(), issuing: drawSerial() };
  const notBefore = wholeSeconds(now);
  const root = await caCertificate({
    subject: ROOT_NAME,
    issuer: ROOT_NAME,
    publicKey: rootKeys.publicKey,
    signingKey: rootKeys.privateKey,
    issuerKeyId: null,
    serialHex: serials.root,
    notBefore,
    days: ROOT_VALIDITY_DAYS,
    pathLength: null,
  });
  const issuing = await caCertificate({
    subject: ISSUING_NAME,
    issuer: ROOT_NAME,
    publicKey: issuingKeys.publicKey,
    signingKey: rootKeys.privateKey,
    issuerKeyId: await keyIdentifier(root.subjectPublicKeyInfo),
    serialHex: serials.issuing,
    notBefore,
    days: ISSUING_VALIDITY_DAYS,
    // It signs end-entity certificates only.
    pathLength: 0,
  });
  const [rootKeyPem, issuingKeyPem] = await Promise.all([
    encryptPrivateKey(rootKeys.privateKey, passphrase, { iterations }),
    encryptPrivateKey(issuingKeys.privateKey, passphrase, { iterations }),
  ]);
  return {
    row: {
      rootCertificatePem: certificatePem(root),
      rootKeyPem,
      issuingCertificatePem: certificatePem(issuing),
      issuingKeyPem,
    },
    serials,
  };
}

const KEY_PROBLEMS: Record<Exclude<KeyProblem, 'wrong-passphrase'>, string> = {
  'not-pem': 'is not an ENCRYPTED PRIVATE KEY',
  corrupt: 'is damaged',
  unsupported: 'uses a scheme or key type the dev CA does not support',
};

/** Decrypts the issuing key and checks that it is the key of the issuing certificate. */
async function loadAuthority(
  row: AuthorityRow,
  passphrase: string,
  location: string,
): Promise<IssuingAuthority> {
  const pkcs8 = await decryptPrivateKey(row.issuingKeyPem, passphrase);
  if (!pkcs8.ok) {
    throw new DevCaKeyError(
      pkcs8.problem === 'wrong-passphrase'
        ? `wrong passphrase: it does not open the dev CA's issuing key in ${location} (the CA was created with another passphrase)`
        : `the dev CA's issuing key in ${location} ${KEY_PROBLEMS[pkcs8.problem]}`,
    );
  }
  const issuingKey = await crypto.subtle.importKey('pkcs8', pkcs8.value, CA_KEY_ALGORITHM, false, ['sign']);
  const issuingCertificate = parseCertificatePem(row.issuingCertificatePem);
  const publicKey = await crypto.subtle.importKey(
    'spki',
    issuingCertificate.subjectPublicKeyInfo.toSchema().toBER(false),
    CA_KEY_ALGORITHM,
    false,
    ['verify'],
  );
  const params = { name: 'ECDSA', hash: SIGNATURE_HASH };
  const challenge = crypto.getRandomValues(new Uint8Array(32));
  const signature = await crypto.subtle.sign(params, issuingKey, challenge);
  if (!(await crypto.subtle.verify(params, publicKey, signature, challenge))) {
    throw new DevCaKeyError(
      `the dev CA's issuing key in ${location} is not the key of its issuing certificate`,
    );
  }
  return {
    rootCertificatePem: row.rootCertificatePem,
    issuingCertificatePem: row.issuingCertificatePem,
    issuingCertificate,
    issuingKey,
    issuingKeyId: await keyIdentifier(issuingCertificate.subjectPublicKeyInfo),
  };
}

/**
 * Loads the CA from the database, creating it first if there is none. Two instances starting on one
 * directory at once may both make a CA; the insert-if-absent transaction keeps the first, and both
 * load what is stored.
 */
export async function openAuthority(
  db: DevCaDb,
  options: { passphrase: string; iterations: number; now: () => Date },
): Promise<IssuingAuthority> {
  for (let attempt = 0; !db.readAuthority() && attempt < MAX_CREATE_ATTEMPTS; attempt++) {
    const made = await makeAuthority(options.passphrase, options.iterations, options.now());
    if (db.insertAuthorityIfAbsent(made.row, made.serials, options.now().toISOString()) !== 'serial-taken')
      break;
  }
  const row = db.readAuthority();
  if (!row) throw new Error(`could not create the dev CA in ${db.location}`);
  return loadAuthority(row, options.passphrase, db.location);
}
