import type { SubjectData } from '../certificate/profile';
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
  /** The position, asked for jabatan certificates only. */
  jabatan: string;
  /** The system's host name, asked for sistem elektronik certificates only. */
  host: string;
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
  | { field: 'perangkatDaerah'; reason: 'required' }
  | { field: 'jabatan'; reason: 'required' | 'too-long' | 'bad-characters' }
  | { field: 'host'; reason: 'required' | 'invalid' };

export const NAMA_MAX_LENGTH = 120;
export const JABATAN_MAX_LENGTH = 120;
// Titles are words, numbers and the punctuation of official names ("Kepala Sub Bagian Umum, Kepegawaian").
const JABATAN_PATTERN = /^[\p{L}\p{N}][\p{L}\p{M}\p{N} .,'()&/-]*$/u;
const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** A fully qualified DNS host name (at least two labels, a letter TLD), as it goes into a dNSName. */
export function isHostName(value: string): boolean {
  if (value.length === 0 || value.length > 253 || value !== value.toLowerCase()) return false;
  const labels = value.split('.');
  const tld = labels.at(-1) ?? '';
  return labels.length >= 2 && labels.every((l) => HOST_LABEL.test(l)) && /^[a-z]{2,63}$/.test(tld);
}

export function normaliseHost(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, '');
}

export function normaliseJabatan(jabatan: string): string {
  return jabatan.trim().replace(/\s+/g, ' ');
}
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

  if (draft.certificateType === 'jabatan') {
    const jabatan = normaliseJabatan(draft.jabatan);
    if (jabatan === '') problems.push({ field: 'jabatan', reason: 'required' });
    else if (jabatan.length > JABATAN_MAX_LENGTH) problems.push({ field: 'jabatan', reason: 'too-long' });
    else if (!JABATAN_PATTERN.test(jabatan)) problems.push({ field: 'jabatan', reason: 'bad-characters' });
  }
  if (draft.certificateType === 'sistem-elektronik') {
    const host = normaliseHost(draft.host);
    if (host === '') problems.push({ field: 'host', reason: 'required' });
    else if (!isHostName(host)) problems.push({ field: 'host', reason: 'invalid' });
  }
  return problems;
}

/**
 * The verified values a certificate profile may put into the subject. Only the field the type asks
 * for is passed on, so a stale jabatan typed before switching types never reaches a CSR.
 */
export function subjectData(draft: ApplicationDraft): SubjectData {
  const nip = draft.nip.trim() === '' ? null : parseNip(draft.nip);
  return {
    nama: normaliseNama(draft.nama),
    email: draft.email.trim().toLowerCase(),
    perangkatDaerah: draft.perangkatDaerah.trim(),
    nip: nip?.ok ? nip.value.nip : null,
    jabatan: draft.certificateType === 'jabatan' ? normaliseJabatan(draft.jabatan) : null,
    host: draft.certificateType === 'sistem-elektronik' ? normaliseHost(draft.host) : null,
  };
}
