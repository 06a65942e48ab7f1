/**
 * A follow-up application starts from an existing certificate: a renewal (Pasal 14) or a
 * replacement after a lost, damaged or inaccessible key (Pasal 15 ayat 2-3). The applicant fills in
 * the form again, in person, starting from the old application's data, captures the e-KTP, and gets
 * a new key and CSR; the record names the certificate it follows (`previous`).
 */
import type { ApplicantCategory } from '../../core/application/completeness';
import type { CertificateType } from '../../core/certificate/types';
import { fail, ok, type Result } from '../../core/lib/brand';
import type { CertificateRecord } from '../../protocol/lifecycle';
import type { ApplicationRelation, PreviousCertificate } from '../../protocol/sync';

export interface FollowUpStart {
  previous: PreviousCertificate;
  certificateType: CertificateType;
  /** The old certificate's end of validity, for the form's banner. */
  notAfter: string | null;
  /** What the form starts from; the applicant checks and changes it, the e-KTP is read again. */
  prefill: {
    nama: string;
    nik: string;
    nip: string;
    email: string;
    perangkatDaerah: string;
    jabatan: string;
    host: string;
    category: ApplicantCategory | '';
    mobile: string;
  };
}

/**
 * Why this certificate cannot be followed this way: `followed` (a renewal or replacement is on its
 * way or done), `revoked` (a revoked certificate is replaced, not renewed), `not-revoked` (a
 * replacement follows a revocation request: request it first).
 */
export type FollowUpBlock = 'followed' | 'revoked' | 'not-revoked';

export function followUpBlock(
  certificate: CertificateRecord,
  relation: ApplicationRelation,
): FollowUpBlock | null {
  if (certificate.followedBy !== null) return 'followed';
  if (relation === 'renewal') return certificate.revocation === null ? null : 'revoked';
  // A request the CA could not act on does not count as a revocation.
  return certificate.revocation === null || certificate.revocation.state === 'failed' ? 'not-revoked' : null;
}

export function startFollowUp(
  certificate: CertificateRecord,
  relation: ApplicationRelation,
): Result<FollowUpStart, FollowUpBlock> {
  const block = followUpBlock(certificate, relation);
  if (block !== null) return fail(block);
  const a = certificate.applicant;
  return ok({
    previous: {
      applicationId: certificate.applicationId,
      serialNumberHex: certificate.serialNumberHex,
      relation,
    },
    certificateType: certificate.certificateType,
    notAfter: certificate.notAfter,
    prefill: {
      nama: a.nama,
      nik: a.nik,
      nip: a.nip ?? '',
      email: a.email,
      perangkatDaerah: a.perangkatDaerah,
      jabatan: a.jabatan ?? '',
      host: a.host ?? '',
      category: a.category ?? '',
      mobile: a.mobile ?? '',
    },
  });
}

/**
 * What keeps the form from saving a follow-up: the server links only the same person's certificate
 * of the same type. Null when the draft fits.
 */
export function followUpMismatch(
  start: Pick<FollowUpStart, 'certificateType' | 'prefill'>,
  draft: { nik: string; certificateType: CertificateType | '' },
): 'nik-differs' | 'type-differs' | null {
  if (draft.certificateType !== start.certificateType) return 'type-differs';
  if (draft.nik.replace(/\D/g, '') !== start.prefill.nik) return 'nik-differs';
  return null;
}
