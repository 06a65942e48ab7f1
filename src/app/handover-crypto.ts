import type * as pkijs from 'pkijs';
import {
  type CertificateCheck,
  type CertificateInfo,
  type CertificateProblem,
  checkCertificate,
  parseCertificates,
  readCsrKey,
} from '../core/certificate/certificate';
import { decryptPrivateKey, type KeyProblem } from '../core/certificate/pkcs8';
import { buildPkcs12 } from '../core/certificate/pkcs12';
import { type RequestEvidence, requestSpkiOf } from '../core/certificate/request-evidence';
import type { Result } from '../core/lib/brand';
import { fail, ok } from '../core/lib/brand';
import { toPem } from '../core/lib/pem';

export type Pkcs12Form = 'modern' | 'legacy';

export interface HandoverCryptoInput {
  encryptedPrivateKeyPem: string;
  passphrase: string;
  /** The issued certificate as the CA returned it; further blocks after the first are its chain. */
  certificateText: string;
  /** The CA chain from a separate file, if the officer has one. */
  chainText: string | null;
  /** What is kept of the request the key was made for: the certificate must carry its subject. */
  request: RequestEvidence;
  now: string;
  form: Pkcs12Form;
  friendlyName: string;
  /** Only tests lower it. */
  pbkdf2Iterations?: number;
}

export interface HandoverCryptoOutput {
  pkcs12: Uint8Array;
  certificatePem: string;
  chainPem: string;
  certificate: CertificateInfo;
}

export type HandoverCryptoProblem =
  | 'not-x509'
  | 'chain-not-x509'
  | 'csr-unreadable'
  | KeyProblem
  | CertificateProblem
  | 'legacy-needs-rsa';

/** Where the passphrase meets the key: a worker on the kiosk, in-process in Node. */
export interface HandoverCrypto {
  buildPackage(input: HandoverCryptoInput): Promise<Result<HandoverCryptoOutput, HandoverCryptoProblem>>;
}

interface ReadCertificates {
  leaf: pkijs.Certificate;
  chain: pkijs.Certificate[];
}

function readCertificates(
  certificateText: string,
  chainText: string | null,
): Result<ReadCertificates, 'not-x509' | 'chain-not-x509'> {
  const certificates = parseCertificates(certificateText);
  if (!certificates.ok) return fail('not-x509');
  const [leaf, ...rest] = certificates.value;
  if (!leaf) return fail('not-x509');
  let chain = rest;
  if (chainText !== null && chainText.trim() !== '') {
    const extra = parseCertificates(chainText);
    if (!extra.ok) return fail('chain-not-x509');
    chain = [...chain, ...extra.value];
  }
  return ok({ leaf, chain });
}

/**
 * What can be checked before the applicant types anything: the file is a certificate, for the key
 * in this request (same public key), with the requested subject, valid today, and signed by the
 * chain. A wrong file therefore never costs the applicant one of the limited passphrase tries.
 */
export async function precheckCertificate(
  input: Pick<HandoverCryptoInput, 'certificateText' | 'chainText' | 'now'> &
    // The kiosk has the evidence it kept; the server, which holds the CSR, the CSR.
    ({ request: RequestEvidence; csrPem?: never } | { csrPem: string; request?: never }),
): Promise<Result<CertificateInfo, HandoverCryptoProblem>> {
  const read = readCertificates(input.certificateText, input.chainText);
  if (!read.ok) return read;
  // The CSR itself where it is at hand (the server); what the kiosk kept of it otherwise.
  let expected: { requestSpki: ArrayBuffer; expectedSubject: CertificateCheck['expectedSubject'] };
  if (input.request) {
    const requestSpki = requestSpkiOf(input.request);
    if (!requestSpki.ok) return requestSpki;
    expected = { requestSpki: requestSpki.value, expectedSubject: input.request };
  } else {
    const csr = await readCsrKey(input.csrPem);
    if (!csr.ok) return fail('csr-unreadable');
    expected = { requestSpki: csr.value.spki, expectedSubject: csr.value.subject };
  }
  // The same check as at handover, with the requested public key standing in for the key proof.
  return checkCertificate({
    certificate: read.value.leaf,
    ...expected,
    now: new Date(input.now),
    chain: read.value.chain,
  });
}

/**
 * Decrypts the key with the applicant's passphrase, proves the certificate belongs to it, and
 * builds the PKCS#12 and PEM to hand over. The decrypted key never leaves this function.
 */
export async function buildHandoverPackage(
  input: HandoverCryptoInput,
): Promise<Result<HandoverCryptoOutput, HandoverCryptoProblem>> {
  const read = readCertificates(input.certificateText, input.chainText);
  if (!read.ok) return read;
  const key = await decryptPrivateKey(input.encryptedPrivateKeyPem, input.passphrase);
  if (!key.ok) return key;
  const checked = await checkCertificate({
    certificate: read.value.leaf,
    privateKeyPkcs8: key.value,
    expectedSubject: input.request,
    now: new Date(input.now),
    chain: read.value.chain,
  });
  if (!checked.ok) return checked;
  const pkcs12 = await buildPkcs12({
    privateKeyPkcs8: key.value,
    certificate: read.value.leaf,
    chain: read.value.chain,
    password: input.passphrase,
    form: input.form,
    friendlyName: input.friendlyName,
    ...(input.pbkdf2Iterations ? { iterations: input.pbkdf2Iterations } : {}),
  });
  if (!pkcs12.ok) return pkcs12;
  const pem = (c: pkijs.Certificate) => toPem('CERTIFICATE', c.toSchema().toBER(false));
  return ok({
    pkcs12: pkcs12.value,
    certificatePem: pem(read.value.leaf),
    chainPem: read.value.chain.map(pem).join(''),
    certificate: checked.value,
  });
}

export const inProcessHandoverCrypto: HandoverCrypto = { buildPackage: buildHandoverPackage };
