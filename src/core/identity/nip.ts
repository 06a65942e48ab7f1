import type { Brand, Result } from '../lib/brand';
import { fail, ok } from '../lib/brand';
import { type CalendarDate, isRealDate } from '../lib/dates';
import type { Sex } from './nik';

/** A structurally valid NIP of a PNS or PPPK (18 digits). Only `parseNip` makes one. */
export type Nip = Brand<string, 'Nip'>;

export type NipProblem =
  | 'empty'
  | 'not-digits'
  | 'wrong-length'
  | 'bad-birth-date'
  | 'bad-appointment'
  | 'bad-sex';

export interface NipInfo {
  nip: Nip;
  kind: 'pns' | 'pppk';
  birthDate: CalendarDate;
  appointmentYear: number;
  /** Only PNS numbers carry the month of first appointment. */
  appointmentMonth: number | null;
  sex: Sex;
  serial: string;
}

export function parseNip(raw: string): Result<NipInfo, NipProblem> {
  const value = raw.replace(/[\s.-]/g, '');
  if (value === '') return fail('empty');
  if (!/^\d+$/.test(value)) return fail('not-digits');
  if (value.length !== 18) return fail('wrong-length');

  const birthDate = {
    year: Number(value.slice(0, 4)),
    month: Number(value.slice(4, 6)),
    day: Number(value.slice(6, 8)),
  };
  if (birthDate.year < 1900 || !isRealDate(birthDate)) return fail('bad-birth-date');

  const appointmentYear = Number(value.slice(8, 12));
  const digits13to14 = Number(value.slice(12, 14));
  // PPPK numbers put the marker 2 and the agreement count where PNS numbers put a month: 21-29.
  const kind = digits13to14 >= 21 && digits13to14 <= 29 ? 'pppk' : 'pns';
  if (kind === 'pns' && (digits13to14 < 1 || digits13to14 > 12)) return fail('bad-appointment');
  if (appointmentYear < birthDate.year) return fail('bad-appointment');

  const sexDigit = value.charAt(14);
  if (sexDigit !== '1' && sexDigit !== '2') return fail('bad-sex');

  return ok({
    nip: value as Nip,
    kind,
    birthDate,
    appointmentYear,
    appointmentMonth: kind === 'pns' ? digits13to14 : null,
    sex: sexDigit === '1' ? 'male' : 'female',
    serial: value.slice(15),
  });
}
