import { type CalendarDate, isRealDate } from '../lib/dates';
import { editDistance, lettersKey } from '../lib/text';
import type { EktpFields, EktpWarning, EktpWarningCode } from '../ocr/types';
import { birthDateFromNik, parseNik, type Sex } from './nik';
import { parseNip } from './nip';
import { type RegionTable, regionOf } from './regions';

export interface CrossCheckOptions {
  /** The applicant's NIP, when the applicant is an ASN; checked against the e-KTP. */
  nip?: string;
  today: CalendarDate;
  regions: RegionTable;
}

/** CPNS / PPPK appointment needs the applicant to be at least 18 (domain.md, NIP). */
const MIN_APPOINTMENT_AGE = 18;

/**
 * e-KTP cards issued before UU 24/2013 (24 December 2013) print an expiry date five years after
 * issue, i.e. in 2016-2018 for the 2011-2013 cards; Pasal 101 of that law made them valid for life.
 * So a past printed date up to 2019 (one year of margin for expiry aligned on the birthday) is such a
 * card and NOT a warning. Later cards print `SEUMUR HIDUP`; a later printed date belongs to a
 * fixed-term card (a foreign resident's, whose validity follows the stay permit) and is checked.
 * This deliberately does not use "before 2016": that would warn about exactly the 2011-2013 cards.
 */
const LIFELONG_IF_PRINTED_BEFORE: CalendarDate = { year: 2020, month: 1, day: 1 };

/**
 * Warnings for the officer about an e-KTP (and NIP) that do not agree with themselves. Never
 * corrections, never blocks: a NIK is not reissued when a birth date is corrected, and a NIK keeps
 * the region where it was first registered. A check whose input is empty is skipped silently; an
 * invalid NIK skips the NIK checks (its validity is `parseNik`'s business, reported by the parser).
 */
export function crossCheck(fields: EktpFields, options: CrossCheckOptions): EktpWarning[] {
  const warnings: EktpWarning[] = [];
  const warn = (field: EktpWarning['field'], code: EktpWarningCode): void => {
    if (!warnings.some((w) => w.field === field && w.code === code)) warnings.push({ field, code });
  };
  const { today, regions } = options;
  const printedBirth = parseIsoDate(fields.tanggalLahir);
  const printedSex = sexOf(fields.jenisKelamin);

  const nik = fields.nik.trim() === '' ? null : parseNik(fields.nik);
  if (nik?.ok) {
    const info = nik.value;
    if (printedBirth && !sameDate(birthDateFromNik(info, today), printedBirth))
      warn('tanggalLahir', 'nik-birth-date-mismatch');
    if (printedSex && info.sex !== printedSex) warn('jenisKelamin', 'nik-sex-mismatch');
    for (const code of regionWarnings(info.nik, fields, regions)) warn('nik', code);
  }

  const rawNip = options.nip?.trim() ?? '';
  if (rawNip !== '') {
    const nip = parseNip(rawNip);
    if (!nip.ok) warn('nip', 'nip-invalid');
    else {
      const info = nip.value;
      if (printedBirth && !sameDate(info.birthDate, printedBirth)) warn('nip', 'nip-birth-date-mismatch');
      if (printedSex && info.sex !== printedSex) warn('nip', 'nip-sex-mismatch');
      // PPPK numbers carry the appointment year only: compare at the precision the number has.
      const month = info.appointmentMonth;
      const appointment = month === null ? info.appointmentYear * 12 : info.appointmentYear * 12 + month - 1;
      const birth = info.birthDate;
      const adult =
        month === null
          ? (birth.year + MIN_APPOINTMENT_AGE) * 12
          : (birth.year + MIN_APPOINTMENT_AGE) * 12 + birth.month - 1;
      const now = month === null ? today.year * 12 : today.year * 12 + today.month - 1;
      if (appointment < adult) warn('nip', 'nip-appointment-too-early');
      if (appointment > now) warn('nip', 'nip-appointment-in-future');
    }
  }

  const validUntil = parseIsoDate(fields.berlakuHingga);
  if (
    validUntil &&
    compareDates(validUntil, today) < 0 &&
    compareDates(validUntil, LIFELONG_IF_PRINTED_BEFORE) >= 0
  )
    warn('berlakuHingga', 'card-expired');

  return warnings;
}

/**
 * NIK digits 1-2 against the printed province and 1-4 against the printed city/regency. A code
 * missing from the table is `nik-region-unknown`, not a mismatch: districts split and old NIKs keep
 * old codes. Districts are only checked where the table lists the regency's districts (it claims
 * completeness there), since the printed kecamatan is the current address, not the NIK's.
 */
function regionWarnings(nik: string, fields: EktpFields, table: RegionTable): EktpWarningCode[] {
  const region = regionOf(nik, table);
  if (region === null) return [];
  const codes: EktpWarningCode[] = [];
  if (region.province === null) codes.push('nik-region-unknown');
  else if (fields.provinsi.trim() !== '' && !sameName(region.province, fields.provinsi))
    codes.push('nik-region-mismatch');
  if (region.regency === null) codes.push('nik-region-unknown');
  else if (fields.kota.trim() !== '' && !sameName(region.regency, fields.kota))
    codes.push('nik-region-mismatch');
  const districtsListed = Object.keys(table.districts).some((code) => code.startsWith(region.regencyCode));
  if (region.district === null && districtsListed) codes.push('nik-region-unknown');
  return codes;
}

/** Names as printed vs as in the table, tolerating a little OCR noise (`JAWA TlMUR`). */
function sameName(expected: string, printed: string): boolean {
  const key = lettersKey(expected);
  return editDistance(key, lettersKey(printed)) <= Math.max(1, Math.round(key.length * 0.1));
}

function sexOf(jenisKelamin: string): Sex | null {
  const value = jenisKelamin.trim().toUpperCase();
  if (value === 'LAKI-LAKI') return 'male';
  if (value === 'PEREMPUAN') return 'female';
  return null;
}

function parseIsoDate(text: string): CalendarDate | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (match === null) return null;
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  return isRealDate(date) ? date : null;
}

function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

const sameDate = (a: CalendarDate, b: CalendarDate): boolean => compareDates(a, b) === 0;
