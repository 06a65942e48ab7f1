import type { SubjectAttribute } from '../certificate/csr';
import type { CertificateType } from '../certificate/types';
import { parseNik } from '../identity/nik';
import { parseNip } from '../identity/nip';

/** What the applicant types on the first screen; everything is raw text until validated. */
export interface ApplicationDraft {
  certificateType: CertificateType | '';
  nama: string;
  nik: string;
  nip: string;
  email: string;
  perangkatDaerah: string;
}

export type DraftField = keyof ApplicationDraft;

export type DraftProblem =
  | { field: 'certificateType'; reason: 'required' }
  | { field: 'nama'; reason: 'required' | 'too-long' | 'bad-characters' }
  | { field: 'nik'; reason: 'required' | 'not-digits' | 'wrong-length' | 'bad-birth-date' | 'zero-serial' }
  | {
      field: 'nip';
      reason: 'not-digits' | 'wrong-length' | 'bad-birth-date' | 'bad-appointment' | 'bad-sex';
    }
  | { field: 'email'; reason: 'required' | 'invalid' | 'wrong-domain' }
  | { field: 'perangkatDaerah'; reason: 'required' };

export const NAMA_MAX_LENGTH = 120;
// Names on the e-KTP are upper-case Latin letters with spaces and a few marks ("MUH. ALI", "O'NEIL").
const NAMA_PATTERN = /^[\p{L}][\p{L}\p{M} .,'-]*$/u;
const EMAIL_PATTERN = /^[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+\.)+[A-Za-z]{2,}$/;

export interface DraftRules {
  /** Official e-mail domains (Pasal 10); empty accepts any domain. */
  emailDomains: readonly string[];
}

export function normaliseNama(nama: string): string {
  return nama.trim().replace(/\s+/g, ' ').toUpperCase();
}

/** Lists every problem at once, so the kiosk can say exactly what is missing (Pasal 20 ayat 2). */
export function validateDraft(draft: ApplicationDraft, rules: DraftRules): DraftProblem[] {
  const problems: DraftProblem[] = [];
  if (draft.certificateType === '') problems.push({ field: 'certificateType', reason: 'required' });

  const nama = normaliseNama(draft.nama);
  if (nama === '') problems.push({ field: 'nama', reason: 'required' });
  else if (nama.length > NAMA_MAX_LENGTH) problems.push({ field: 'nama', reason: 'too-long' });
  else if (!NAMA_PATTERN.test(nama)) problems.push({ field: 'nama', reason: 'bad-characters' });

  const nik = parseNik(draft.nik);
  if (!nik.ok) problems.push({ field: 'nik', reason: nik.problem === 'empty' ? 'required' : nik.problem });

  if (draft.nip.trim() !== '') {
    const nip = parseNip(draft.nip);
    if (!nip.ok && nip.problem !== 'empty') problems.push({ field: 'nip', reason: nip.problem });
  }

  const email = draft.email.trim().toLowerCase();
  if (email === '') problems.push({ field: 'email', reason: 'required' });
  else if (!EMAIL_PATTERN.test(email) || email.length > 254)
    problems.push({ field: 'email', reason: 'invalid' });
  else if (
    rules.emailDomains.length > 0 &&
    !rules.emailDomains
      .map((d) => d.toLowerCase())
      .some((d) => email.endsWith(`@${d}`) || email.endsWith(`.${d}`))
  ) {
    problems.push({ field: 'email', reason: 'wrong-domain' });
  }

  if (draft.perangkatDaerah.trim() === '') problems.push({ field: 'perangkatDaerah', reason: 'required' });
  return problems;
}

/** The certificate subject for a type; the CA's full profile comes from configuration later. */
export function subjectFor(
  draft: Pick<ApplicationDraft, 'certificateType' | 'nama' | 'perangkatDaerah'>,
  organisation: string,
): SubjectAttribute[] {
  return [
    { type: 'C', value: 'ID' },
    { type: 'O', value: organisation },
    { type: 'OU', value: draft.perangkatDaerah.trim() },
    { type: 'CN', value: normaliseNama(draft.nama) },
  ];
}
