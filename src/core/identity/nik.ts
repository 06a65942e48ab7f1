import type { Brand, Result } from '../lib/brand';
import { fail, ok } from '../lib/brand';
import { type CalendarDate, isRealDate } from '../lib/dates';

/** A structurally valid NIK (16 digits: PP KK CC DDMMYY SSSS). Only `parseNik` makes one. */
export type Nik = Brand<string, 'Nik'>;

export type NikProblem = 'empty' | 'not-digits' | 'wrong-length' | 'bad-birth-date' | 'zero-serial';

export type Sex = 'male' | 'female';

export interface NikInfo {
  nik: Nik;
  provinceCode: string;
  regencyCode: string;
  districtCode: string;
  sex: Sex;
  /** Day and month as encoded; the century is not in the NIK (see `birthDateFromNik`). */
  birthDay: number;
  birthMonth: number;
  birthYearTwoDigits: number;
  serial: string;
}

/** Validates the structure only: there is no check digit, and region codes are a warning elsewhere. */
export function parseNik(raw: string): Result<NikInfo, NikProblem> {
  const value = raw.replace(/[\s.-]/g, '');
  if (value === '') return fail('empty');
  if (!/^\d+$/.test(value)) return fail('not-digits');
  if (value.length !== 16) return fail('wrong-length');

  const encodedDay = Number(value.slice(6, 8));
  const month = Number(value.slice(8, 10));
  const yy = Number(value.slice(10, 12));
  const female = encodedDay > 40;
  const day = female ? encodedDay - 40 : encodedDay;
  // The century is decided later, so the date must be real in 19yy or 20yy (29 February: yy % 4 === 0).
  if (!isRealDate({ year: 1900 + yy, month, day }) && !isRealDate({ year: 2000 + yy, month, day }))
    return fail('bad-birth-date');
  if (value.slice(12) === '0000') return fail('zero-serial');

  return ok({
    nik: value as Nik,
    provinceCode: value.slice(0, 2),
    regencyCode: value.slice(0, 4),
    districtCode: value.slice(0, 6),
    sex: female ? 'female' : 'male',
    birthDay: day,
    birthMonth: month,
    birthYearTwoDigits: yy,
    serial: value.slice(12),
  });
}

/**
 * Applicants are adults, so a two-digit year is placed in the most recent century that makes the
 * holder at least `minAge` years old on `today`.
 */
export function birthDateFromNik(info: NikInfo, today: CalendarDate, minAge = 17): CalendarDate {
  const latestYear = today.year - minAge;
  let year = Math.floor(latestYear / 100) * 100 + info.birthYearTwoDigits;
  // Born in `latestYear` after today's day and month: still one birthday short of `minAge`.
  const birthdayLater =
    info.birthMonth > today.month || (info.birthMonth === today.month && info.birthDay > today.day);
  if (year > latestYear || (year === latestYear && birthdayLater)) year -= 100;
  return { year, month: info.birthMonth, day: info.birthDay };
}
