/**
 * What a complete application needs (Pasal 10), and everything it still lacks, listed at once so
 * the kiosk can say exactly what is missing before the RA would reject it (Pasal 20 ayat 2).
 * Works on a summary the UI builds without loading any file.
 */
import type { CertificateType } from '../certificate/types';
import { parseNip } from '../identity/nip';
import { type PhoneProblem, parseMobile } from '../identity/phone';
import { type ApplicationDraft, type DraftProblem, type DraftRules, validateDraft } from './application';

/**
 * Who may apply (Pasal 7 ayat 1, Pasal 10 ayat 2): the Walikota and Wakil Walikota (`pejabat`)
 * and the city's ASN. The regulation names PNS; PPPK are ASN too (their NIP is told apart by its
 * digits 13-14), and the project accepts both.
 */
export const APPLICANT_CATEGORIES = ['pns', 'pppk', 'pejabat'] as const;
export type ApplicantCategory = (typeof APPLICANT_CATEGORIES)[number];

export const ATTACHMENT_KINDS = [
  /** From the head of the Perangkat Daerah (Pasal 10 ayat 3). */
  'surat-pengantar',
  /** From the applicant's superior (Pasal 10 ayat 3). */
  'surat-rekomendasi',
  /** Jabatan: the latest SK pengangkatan dalam jabatan (Pasal 10 ayat 4). */
  'sk-pengangkatan',
  /** Jabatan: the surat penunjukan wewenang (Pasal 10 ayat 4). */
  'surat-penunjukan-wewenang',
] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

const COMMON_ATTACHMENTS: readonly AttachmentKind[] = ['surat-pengantar', 'surat-rekomendasi'];

/** The documents a type needs; before a type is chosen, those every type needs. */
export function requiredAttachments(type: CertificateType | ''): AttachmentKind[] {
  return type === 'jabatan'
    ? [...COMMON_ATTACHMENTS, 'sk-pengangkatan', 'surat-penunjukan-wewenang']
    : [...COMMON_ATTACHMENTS];
}

export interface FileSummary {
  mediaType: string;
  byteLength: number;
}

/** One file of a document; a document of several pages may come as several files of one kind. */
export interface AttachmentSummary extends FileSummary {
  kind: AttachmentKind;
}

export interface ApplicationSummary {
  draft: ApplicationDraft;
  category: ApplicantCategory | '';
  /** As typed (`nomor_telepon`). */
  mobile: string;
  attachments: readonly AttachmentSummary[];
  ektpScan: FileSummary | null;
  /** The handwritten signature specimen drawn on the touch screen (`image_ttd`). */
  signatureSpecimen: boolean;
  /** The owner's obligations of Pasal 16-17, shown and accepted. */
  obligationsAccepted: boolean;
  /** The version of the subscriber agreement the applicant accepted (Pasal 13 ayat 5), or null. */
  agreementVersion: string | null;
  /** The key pair and the CSR were made on the kiosk, with the applicant present (Pasal 13 ayat 4). */
  keyGenerated: boolean;
}

export interface FileRules {
  maxBytes: number;
  mediaTypes: readonly string[];
}

export interface CompletenessRules extends DraftRules {
  /** The maintained list of Perangkat Daerah (config `perangkatDaerah`). */
  perangkatDaerah: readonly string[];
  attachments: FileRules;
  ektpScan: FileRules;
  /** The agreement's current version (config `agreement.version`). */
  agreementVersion: string;
}

export type FileProblem = 'missing' | 'empty' | 'wrong-type' | 'too-large';

export type MissingItem =
  | DraftProblem
  | { field: 'category'; reason: 'required' }
  /** `wrong-kind`: a PNS with a PPPK number, or the other way round. */
  | { field: 'nip'; reason: 'required' | 'wrong-kind' }
  | { field: 'mobile'; reason: PhoneProblem }
  | { field: 'perangkatDaerah'; reason: 'unknown' }
  | { field: 'ektpScan'; reason: FileProblem }
  | { field: 'attachment'; kind: AttachmentKind; reason: FileProblem }
  | { field: 'signatureSpecimen'; reason: 'missing' }
  | { field: 'obligations'; reason: 'not-accepted' }
  /** `outdated`: accepted, but a version the RA no longer uses; the applicant must read the new one. */
  | { field: 'agreement'; reason: 'not-accepted' | 'outdated' }
  | { field: 'key'; reason: 'not-generated' };

function fileProblems(files: readonly FileSummary[], rules: FileRules): FileProblem[] {
  if (files.length === 0) return ['missing'];
  const problems = new Set<FileProblem>();
  for (const file of files) {
    if (file.byteLength <= 0) problems.add('empty');
    if (!rules.mediaTypes.includes(file.mediaType)) problems.add('wrong-type');
    if (file.byteLength > rules.maxBytes) problems.add('too-large');
  }
  return [...problems];
}

/** Everything the application still lacks, in the order of the kiosk's screens; empty when complete. */
export function missingItems(application: ApplicationSummary, rules: CompletenessRules): MissingItem[] {
  const { draft } = application;
  const missing: MissingItem[] = [...validateDraft(draft, rules)];

  if (application.category === '') missing.push({ field: 'category', reason: 'required' });
  // PNS and PPPK are identified by their NIP (Pasal 10 ayat 2); the Walikota and Wakil Walikota
  // are elected and have none, though a Penjabat (an ASN) may still give theirs.
  const nip = draft.nip.trim() === '' ? null : parseNip(draft.nip);
  if (application.category === 'pns' || application.category === 'pppk') {
    if (nip === null) missing.push({ field: 'nip', reason: 'required' });
    else if (nip.ok && nip.value.kind !== application.category)
      missing.push({ field: 'nip', reason: 'wrong-kind' });
  }

  const mobile = parseMobile(application.mobile);
  if (!mobile.ok) missing.push({ field: 'mobile', reason: mobile.problem });

  const pd = draft.perangkatDaerah.trim();
  if (pd !== '' && !rules.perangkatDaerah.includes(pd))
    missing.push({ field: 'perangkatDaerah', reason: 'unknown' });

  const scan = application.ektpScan === null ? [] : [application.ektpScan];
  for (const reason of fileProblems(scan, rules.ektpScan)) missing.push({ field: 'ektpScan', reason });

  for (const kind of requiredAttachments(draft.certificateType)) {
    const files = application.attachments.filter((a) => a.kind === kind);
    for (const reason of fileProblems(files, rules.attachments))
      missing.push({ field: 'attachment', kind, reason });
  }

  if (!application.signatureSpecimen) missing.push({ field: 'signatureSpecimen', reason: 'missing' });
  if (!application.obligationsAccepted) missing.push({ field: 'obligations', reason: 'not-accepted' });
  if (application.agreementVersion === null) missing.push({ field: 'agreement', reason: 'not-accepted' });
  else if (application.agreementVersion !== rules.agreementVersion)
    missing.push({ field: 'agreement', reason: 'outdated' });
  if (!application.keyGenerated) missing.push({ field: 'key', reason: 'not-generated' });
  return missing;
}
