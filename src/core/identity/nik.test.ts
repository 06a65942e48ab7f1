import { describe, expect, it } from 'vitest';
import type { Result } from '../lib/brand';
import { type CalendarDate, isRealDate } from '../lib/dates';
import { birthDateFromNik, type NikInfo, type NikProblem, parseNik } from './nik';

// A NIK is `PP KK CC DDMMYY SSSS`; women add 40 to the day. The cases below are written from that rule.

function okValue<T, E>(result: Result<T, E>): T {
  if (!result.ok) throw new Error(`expected a valid value, got problem ${String(result.problem)}`);
  return result.value;
}

function problemOf<T, E>(result: Result<T, E>): E {
  if (result.ok) throw new Error('expected a problem, got a valid value');
  return result.problem;
}

describe('parseNik: valid numbers', () => {
  it.each([
    // raw,                 sex,      day, month, yy
    ['3577011701750001', 'male', 17, 1, 75],
    ['3577014501900003', 'female', 5, 1, 90],
    ['3577024101000002', 'female', 1, 1, 0],
    ['3577037112990004', 'female', 31, 12, 99],
    ['3577010112050010', 'male', 1, 12, 5],
    ['3577033101880123', 'male', 31, 1, 88],
    ['3577012902000001', 'male', 29, 2, 0],
    ['3577016902960001', 'female', 29, 2, 96],
  ] as const)('%s → %s, day %i, month %i, yy %i', (raw, sex, day, month, yy) => {
    const info = okValue(parseNik(raw));
    expect(info).toMatchObject({ nik: raw, sex, birthDay: day, birthMonth: month, birthYearTwoDigits: yy });
  });

  it('keeps the serial as its four digits, leading zeros included', () => {
    expect(okValue(parseNik('3577011701750001')).serial).toBe('0001');
    expect(okValue(parseNik('3577011701759999')).serial).toBe('9999');
  });

  it.each([
    ['3577011701750001', '35', '3577', '357701'],
    ['3577024501900003', '35', '3577', '357702'],
    ['3519011701750001', '35', '3519', '351901'],
    ['3502121701750001', '35', '3502', '350212'],
    ['3175011701750001', '31', '3175', '317501'],
  ])(
    '%s → province %s, regency %s, district %s (no prefix is required)',
    (raw, province, regency, district) => {
      expect(okValue(parseNik(raw))).toMatchObject({
        provinceCode: province,
        regencyCode: regency,
        districtCode: district,
      });
    },
  );

  it.each([
    '3577 0117 0175 0001',
    '3577.0117.0175.0001',
    '3577-01-170175-0001',
    '  357701 170175 0001  ',
    '3577\t0117\n0175 0001',
  ])('tolerates separators: %j', (raw) => {
    expect(okValue(parseNik(raw)).nik).toBe('3577011701750001');
  });
});

describe('parseNik: problems', () => {
  it.each<[string, NikProblem]>([
    ['', 'empty'],
    ['   ', 'empty'],
    [' .-. ', 'empty'],
    ['357701170175000A', 'not-digits'],
    ['3577O11701750001', 'not-digits'],
    ['NIK 3577011701750001', 'not-digits'],
    ['+3577011701750001', 'not-digits'],
    ['357701170175000', 'wrong-length'],
    ['35770117017500011', 'wrong-length'],
    ['357701', 'wrong-length'],
    ['3577010001750001', 'bad-birth-date'], // day 00
    ['3577013201750001', 'bad-birth-date'], // day 32
    ['3577014001750001', 'bad-birth-date'], // day 40: neither a man's day nor a woman's
    ['3577017201750001', 'bad-birth-date'], // day 72 = woman's 32nd
    ['3577019901750001', 'bad-birth-date'], // day 99
    ['3577011713750001', 'bad-birth-date'], // month 13
    ['3577011700750001', 'bad-birth-date'], // month 00
    ['3577013102750001', 'bad-birth-date'], // 31 February
    ['3577017102750001', 'bad-birth-date'], // a woman's 31 February
    ['3577013104750001', 'bad-birth-date'], // 31 April
    ['3577012902010001', 'bad-birth-date'], // 29 February: neither 1901 nor 2001 is a leap year
    ['3577016902750001', 'bad-birth-date'], // a woman's 29 February 1975 / 2075
    ['3577011701750000', 'zero-serial'],
    ['3577 0117 0175 0000', 'zero-serial'],
  ])('%j → %s', (raw, problem) => {
    expect(problemOf(parseNik(raw))).toBe(problem);
  });
});

describe('birthDateFromNik', () => {
  const today: CalendarDate = { year: 2026, month: 11, day: 25 };

  const infoFor = (nik: string): NikInfo => okValue(parseNik(nik));

  /** Completed years on `today`, the way a birthday is counted. */
  function ageOn(birth: CalendarDate, on: CalendarDate): number {
    const hadBirthday = on.month > birth.month || (on.month === birth.month && on.day >= birth.day);
    return on.year - birth.year - (hadBirthday ? 0 : 1);
  }

  it.each([
    // nik,                 expected year, why
    ['3577011701750001', 1975, '2075 is in the future'],
    ['3577011701050001', 2005, '2005 makes the holder 21'],
    ['3577011701100001', 1910, '2010 would make the holder 16'],
    ['3577011701000001', 2000, '2000 makes the holder 26'],
    ['3577011701990001', 1999, '2099 is in the future'],
    ['3577011701090001', 2009, 'born 17 January 2009: 17 already'],
    ['3577012511090001', 2009, 'born 25 November 2009: 17 today'],
    ['3577012611090001', 1909, 'born 26 November 2009: 17 only tomorrow'],
    ['3577017112090001', 1909, 'a woman born 31 December 2009: still 16'],
  ])('%s → %i (%s)', (nik, year, _why) => {
    const info = infoFor(nik);
    expect(birthDateFromNik(info, today, 17)).toEqual({ year, month: info.birthMonth, day: info.birthDay });
  });

  it('returns the day and month decoded from the NIK, a woman’s day without the 40', () => {
    expect(birthDateFromNik(infoFor('3577014501900003'), today)).toEqual({ year: 1990, month: 1, day: 5 });
  });

  it('defaults to a minimum age of 17', () => {
    expect(birthDateFromNik(infoFor('3577011701090001'), today)).toEqual(
      birthDateFromNik(infoFor('3577011701090001'), today, 17),
    );
    expect(birthDateFromNik(infoFor('3577011701100001'), today).year).toBe(1910);
  });

  it.each([0, 17, 18, 21, 60])(
    'places every two-digit year in the most recent adult century (minAge %i)',
    (minAge) => {
      for (let yy = 0; yy < 100; yy++) {
        for (const [day, month] of [
          [1, 1],
          [25, 11],
          [26, 11],
          [31, 12],
        ] as const) {
          const nik = `357701${String(day).padStart(2, '0')}${String(month).padStart(2, '0')}${String(yy).padStart(2, '0')}0001`;
          const birth = birthDateFromNik(infoFor(nik), today, minAge);
          expect(birth.year % 100).toBe(yy);
          expect(ageOn(birth, today)).toBeGreaterThanOrEqual(minAge);
          expect(ageOn({ ...birth, year: birth.year + 100 }, today)).toBeLessThan(minAge);
        }
      }
    },
  );

  it('gives a real calendar date for 29 February of a year 00 (2000 was a leap year, 1900 was not)', () => {
    const birth = birthDateFromNik(infoFor('3577012902000001'), today);
    expect(birth).toEqual({ year: 2000, month: 2, day: 29 });
    expect(isRealDate(birth)).toBe(true);
  });
});
