/**
 * What the kiosk keeps of a certificate request once the application is sealed (issue 8): enough to
 * check that an issued certificate is the one asked for, nothing that names the applicant. A CSR
 * in clear would (its subject is the applicant's name, its SAN their e-mail), so instead:
 * - the requested public key (SubjectPublicKeyInfo DER), which names no one;
 * - per subject attribute, its type and a SHA-256 of its value salted with the application's id.
 * A thief can test a guessed name against a digest, as against the keyed NIK hash, but reads none.
 */
import type { Result } from '../lib/brand';
import { fail, ok } from '../lib/brand';
import { base64ToBytes, bytesToBase64 } from '../lib/pem';
import { readCsrKey } from './certificate';
import type { CsrProblem } from './csr';
import { type SubjectDigest, subjectDigest } from './subject-digest';

export type { SubjectDigest } from './subject-digest';

export interface RequestEvidence {
  /** The requested key, SubjectPublicKeyInfo DER in base64. */
  spki: string;
  /** The application's id: the same name in two applications gives two different digests. */
  salt: string;
  subject: SubjectDigest[];
}

/** The evidence of a (self-signature checked) CSR; `salt` is the application's id. */
export async function requestEvidenceOf(
  csrPem: string,
  salt: string,
): Promise<Result<RequestEvidence, CsrProblem>> {
  const read = await readCsrKey(csrPem);
  if (!read.ok) return read;
  const subject = await Promise.all(
    read.value.subject.map(async ({ type, value }) => ({
      type,
      sha256: await subjectDigest(salt, type, value),
    })),
  );
  return ok({ spki: bytesToBase64(new Uint8Array(read.value.spki)), salt, subject });
}

/** The requested key as bytes; a damaged value fails rather than matching nothing silently. */
export function requestSpkiOf(
  evidence: Pick<RequestEvidence, 'spki'>,
): Result<ArrayBuffer, 'csr-unreadable'> {
  try {
    const bytes = base64ToBytes(evidence.spki);
    return bytes.byteLength === 0 ? fail('csr-unreadable') : ok(bytes.buffer);
  } catch {
    return fail('csr-unreadable');
  }
}
