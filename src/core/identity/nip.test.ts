import { describe, expect, it } from 'vitest';
import type { Result } from '../lib/brand';
import { type NipProblem, parseNip } from './nip';

// PNS: `YYYYMMDD YYYYMM G NNN` (birth date, first appointment, sex 1/2, serial).
// PPPK: `YYYYMMDD YYYY 2 C G NNN` (digits 13-14 are 21-29, never a month).

function okValue<T, E>(result: Result<T, E>): T {
  if (!result.ok) throw new Error(`expected a valid value, got problem ${String(result.problem)}`);
  return result.value;
}

function problemOf<T, E>(result: Result<T, E>): E {
  if (result.ok) throw new Error('expected a problem, got a valid value');
  return result.problem;
}

describe('parseNip: PNS numbers', () => {
  it('reads the regulation’s own example 19750117 199602 1 001', () => {
    expect(parseNip('197501171996021001')).toEqual({
      ok: true,
      value: {
        nip: '197501171996021001',
        kind: 'pns',
        birthDate: { year: 1975, month: 1, day: 17 },
        appointmentYear: 1996,
        appointmentMonth: 2,
        sex: 'male',
        serial: '001',
      },
    });
  });

  it('reads a woman’s number (digit 15 = 2)', () => {
    expect(okValue(parseNip('198203152006042003'))).toMatchObject({
      kind: 'pns',
      birthDate: { year: 1982, month: 3, day: 15 },
      appointmentYear: 2006,
      appointmentMonth: 4,
      sex: 'female',
      serial: '003',
    });
  });

  it.each([
    ['197601171996011001', 1],
    ['197601171996121001', 12],
  ])('%s → appointment month %i', (raw, month) => {
    expect(okValue(parseNip(raw))).toMatchObject({ kind: 'pns', appointmentMonth: month });
  });

  it.each([
    '19750117 199602 1 001',
    '19750117.199602.1.001',
    '19750117-199602-1-001',
    ' 197501171996021001 ',
  ])('tolerates separators: %j', (raw) => {
    expect(okValue(parseNip(raw)).nip).toBe('197501171996021001');
  });

  it('accepts 29 February of a leap year', () => {
    expect(okValue(parseNip('197602291996021001')).birthDate).toEqual({ year: 1976, month: 2, day: 29 });
  });
});

describe('parseNip: PPPK numbers', () => {
  it.each([
    // raw,                   appointment year, sex,     serial
    ['199005122022211002', 2022, 'male', '002'],
    ['199005122022292005', 2022, 'female', '005'],
    ['198811302023251010', 2023, 'male', '010'],
  ] as const)('%s → PPPK appointed %i, %s, serial %s, no month', (raw, year, sex, serial) => {
    expect(okValue(parseNip(raw))).toMatchObject({
      kind: 'pppk',
      appointmentYear: year,
      appointmentMonth: null,
      sex,
      serial,
    });
  });

  it('reads the birth date of a PPPK number like a PNS one', () => {
    expect(okValue(parseNip('199005122022211002')).birthDate).toEqual({ year: 1990, month: 5, day: 12 });
  });
});

describe('parseNip: problems', () => {
  it.each<[string, NipProblem]>([
    ['', 'empty'],
    ['  ', 'empty'],
    ['19750117199602100A', 'not-digits'],
    ['NIP197501171996021001', 'not-digits'],
    ['19750117199602100', 'wrong-length'],
    ['1975011719960210011', 'wrong-length'],
    ['3577011701750001', 'wrong-length'], // a NIK is not a NIP
    ['197513171996021001', 'bad-birth-date'], // month 13
    ['197500171996021001', 'bad-birth-date'], // month 00
    ['197501001996021001', 'bad-birth-date'], // day 00
    ['197501321996021001', 'bad-birth-date'], // day 32
    ['197502311996021001', 'bad-birth-date'], // 31 February
    ['197502291996021001', 'bad-birth-date'], // 29 February 1975
    ['197501171996001001', 'bad-appointment'], // month 00
    ['197501171996131001', 'bad-appointment'], // month 13
    ['197501171996201001', 'bad-appointment'], // 20: neither a month nor PPPK 21-29
    ['197501171996301001', 'bad-appointment'], // 30
    ['197501171970021001', 'bad-appointment'], // appointed before birth
    ['199005121989211002', 'bad-appointment'], // PPPK appointed before birth
    ['197501171996023001', 'bad-sex'], // digit 15 = 3
    ['197501171996020001', 'bad-sex'], // digit 15 = 0
    ['197501171996029001', 'bad-sex'], // digit 15 = 9
    ['199005122022213002', 'bad-sex'], // PPPK, digit 15 = 3
  ])('%j → %s', (raw, problem) => {
    expect(problemOf(parseNip(raw))).toBe(problem);
  });
});
