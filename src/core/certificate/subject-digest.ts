/**
 * A requested subject attribute as a salted digest (`RequestEvidence`): checkable against an issued
 * certificate's subject without keeping the value.
 */
import { bytesToHex } from '../lib/pem';
import type { SubjectAttribute, SubjectAttributeType } from './csr';

export interface SubjectDigest {
  type: SubjectAttributeType;
  /** Upper-case hex SHA-256 of the salted, trimmed value (`subjectDigest`). */
  sha256: string;
}

const DOMAIN = 'sertel-kiosk/request-subject/v1';

export async function subjectDigest(salt: string, type: string, value: string): Promise<string> {
  // The value comes last and nothing before it holds a NUL: two different inputs never share a text.
  const text = `${DOMAIN}\u0000${salt}\u0000${type}\u0000${value.trim()}`;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return bytesToHex(new Uint8Array(digest)).toUpperCase();
}

/** Every requested attribute is in `actual` (order-insensitive, values trimmed), as `checkCertificate` asks. */
export async function hasRequestedSubject(
  actual: readonly SubjectAttribute[],
  evidence: { salt: string; subject: readonly SubjectDigest[] },
): Promise<boolean> {
  const digests = await Promise.all(
    actual.map(async (a) => ({ type: a.type, sha256: await subjectDigest(evidence.salt, a.type, a.value) })),
  );
  return evidence.subject.every((want) =>
    digests.some((d) => d.type === want.type && d.sha256 === want.sha256),
  );
}
