/**
 * What the officer checks before deciding (Pasal 11 ayat 1), per certificate type (Pasal 10).
 * Codes only: they are signed into the decision (`checklist`), so they never change meaning; the
 * UI's catalog names them in Indonesian and English.
 */
import type { CertificateType } from '../certificate/types';

export const CHECKLIST_ITEMS = [
  /** The person at the counter is the applicant named in the application. */
  'identity-matches',
  /** The face on the e-KTP is the person at the counter. */
  'ektp-photo-matches',
  'ektp-scan-legible',
  /** From the head of the Perangkat Daerah: present and legible. */
  'surat-pengantar-ok',
  /** From the applicant's superior: present and legible. */
  'surat-rekomendasi-ok',
  /** Jabatan: the latest SK pengangkatan dalam jabatan, present and legible. */
  'sk-pengangkatan-ok',
  /** Jabatan: the surat penunjukan wewenang, present and legible. */
  'surat-penunjukan-wewenang-ok',
  /** Sistem elektronik: the system's name / host belongs to the applicant's Perangkat Daerah. */
  'host-belongs-to-pd',
  /** The official e-mail is the applicant's own, not a colleague's or the office's. */
  'email-is-applicants',
  /** Only when the application carries OCR cross-check warnings (NIK vs e-KTP, NIP vs e-KTP). */
  'warnings-reviewed',
] as const;
export type ChecklistItem = (typeof CHECKLIST_ITEMS)[number];

export interface ChecklistContext {
  /** The application carries OCR cross-check warnings the officer must have looked at. */
  hasWarnings: boolean;
}

const COMMON_BEFORE: readonly ChecklistItem[] = [
  'identity-matches',
  'ektp-photo-matches',
  'ektp-scan-legible',
  'surat-pengantar-ok',
  'surat-rekomendasi-ok',
];

const BY_TYPE: Record<CertificateType, readonly ChecklistItem[]> = {
  individu: [],
  jabatan: ['sk-pengangkatan-ok', 'surat-penunjukan-wewenang-ok'],
  'sistem-elektronik': ['host-belongs-to-pd'],
};

/** The items in the order the officer works through them. */
export function checklistFor(type: CertificateType, ctx: ChecklistContext): ChecklistItem[] {
  return [
    ...COMMON_BEFORE,
    ...BY_TYPE[type],
    'email-is-applicants',
    ...(ctx.hasWarnings ? (['warnings-reviewed'] as const) : []),
  ];
}

/** The items of this type's checklist not ticked yet, in checklist order. */
export function uncheckedItems(
  type: CertificateType,
  ticked: readonly string[],
  ctx: ChecklistContext,
): ChecklistItem[] {
  const done = new Set(ticked);
  return checklistFor(type, ctx).filter((item) => !done.has(item));
}
