import { describe, expect, it } from 'vitest';
import regions from '../../../config/regions.json';
import { BUDI_FIELDS } from '../../../tests/support/ektp-fields';
import type { CalendarDate } from '../lib/dates';
import type { EktpFields, EktpWarning } from '../ocr/types';
import { crossCheck } from './cross-checks';
import { type RegionTable, regionOf } from './regions';

// Reference tables are passed in: three rows are enough here.
const REGIONS: RegionTable = {
  provinces: { '35': 'JAWA TIMUR' },
  regencies: { '3577': 'KOTA MADIUN' },
  districts: { '357701': 'KARTOHARJO' },
};
const TODAY: CalendarDate = { year: 2026, month: 11, day: 25 };

/** A man born 17 January 1975, NIK registered in Kartoharjo, Kota Madiun. */
function fields(overrides: Partial<EktpFields> = {}): EktpFields {
  return {
    ...BUDI_FIELDS,
    ...overrides,
  };
}

/** The regulation's own example: born 17 January 1975, CPNS from February 1996, a man. */
const NIP = '197501171996021001';

const w = (field: EktpWarning['field'], code: EktpWarning['code']): EktpWarning => ({ field, code });

describe('crossCheck: NIK against the card', () => {
  it.each<[string, Partial<EktpFields>, EktpWarning[]]>([
    ['everything agrees', {}, []],
    ['printed day differs', { tanggalLahir: '1975-01-18' }, [w('tanggalLahir', 'nik-birth-date-mismatch')]],
    ['printed year differs', { tanggalLahir: '1976-01-17' }, [w('tanggalLahir', 'nik-birth-date-mismatch')]],
    ['a woman: day + 40', { nik: '3577015701750001', jenisKelamin: 'PEREMPUAN' }, []],
    ['a woman read as a man', { nik: '3577015701750001' }, [w('jenisKelamin', 'nik-sex-mismatch')]],
    ['a man read as a woman', { jenisKelamin: 'PEREMPUAN' }, [w('jenisKelamin', 'nik-sex-mismatch')]],
    ['century pivot: 05 is 2005 (21 years old)', { nik: '3577011701050001', tanggalLahir: '2005-01-17' }, []],
    [
      'century pivot: 05 is not 1905',
      { nik: '3577011701050001', tanggalLahir: '1905-01-17' },
      [w('tanggalLahir', 'nik-birth-date-mismatch')],
    ],
    ['another province on the header', { provinsi: 'JAWA TENGAH' }, [w('nik', 'nik-region-mismatch')]],
    ['the regency, not the city', { kota: 'KABUPATEN MADIUN' }, [w('nik', 'nik-region-mismatch')]],
    [
      'both differ: one warning',
      { provinsi: 'JAWA TENGAH', kota: 'KOTA SEMARANG' },
      [w('nik', 'nik-region-mismatch')],
    ],
    ['OCR noise in the header is no mismatch', { provinsi: 'JAWA TlMUR', kota: 'KOTA MADlUN' }, []],
    [
      'regency code not in the table',
      { nik: '3519011701750001', kota: 'KABUPATEN MADIUN' },
      [w('nik', 'nik-region-unknown')],
    ],
    [
      'province code not in the table',
      { nik: '3171011701750001', provinsi: 'DKI JAKARTA', kota: 'KOTA ADM. JAKARTA PUSAT' },
      [w('nik', 'nik-region-unknown')],
    ],
    [
      'district not among the listed ones of its city',
      { nik: '3577091701750001' },
      [w('nik', 'nik-region-unknown')],
    ],
    [
      'an unknown regency is not also a mismatch',
      { nik: '3519011701750001' },
      [w('nik', 'nik-region-unknown')],
    ],
    [
      'several at once',
      { tanggalLahir: '1980-02-02', jenisKelamin: 'PEREMPUAN', provinsi: 'BALI' },
      [
        w('tanggalLahir', 'nik-birth-date-mismatch'),
        w('jenisKelamin', 'nik-sex-mismatch'),
        w('nik', 'nik-region-mismatch'),
      ],
    ],
  ])('%s', (_why, overrides, expected) => {
    expect(crossCheck(fields(overrides), { today: TODAY, regions: REGIONS })).toEqual(expected);
  });

  it.each<[string, Partial<EktpFields>]>([
    ['no NIK', { nik: '', tanggalLahir: '1999-09-09', jenisKelamin: 'PEREMPUAN', provinsi: 'BALI' }],
    ['an invalid NIK (the parser reports it)', { nik: '35770117017500X1', tanggalLahir: '1999-09-09' }],
    ['no birth date', { tanggalLahir: '' }],
    ['an unreadable birth date', { tanggalLahir: '17-01-1975' }],
    ['no sex', { jenisKelamin: '' }],
    ['a sex that is not an allowed value', { jenisKelamin: 'WARIA' }],
    ['no province', { provinsi: '' }],
    ['no city', { kota: '' }],
  ])('skips silently: %s', (_why, overrides) => {
    expect(crossCheck(fields(overrides), { today: TODAY, regions: REGIONS })).toEqual([]);
  });
});

describe('crossCheck: NIP', () => {
  it.each<[string, string, Partial<EktpFields>, EktpWarning[]]>([
    ['PNS, everything agrees', NIP, {}, []],
    ['PNS with spaces', '19750117 199602 1 001', {}, []],
    ['not a NIP', '1975', {}, [w('nip', 'nip-invalid')]],
    ['a month 13', '197501171996131001', {}, [w('nip', 'nip-invalid')]],
    ['birth date differs', '197501181996021001', {}, [w('nip', 'nip-birth-date-mismatch')]],
    ['sex differs', '197501171996022001', {}, [w('nip', 'nip-sex-mismatch')]],
    ['a woman', '197501171996022001', { nik: '3577015701750001', jenisKelamin: 'PEREMPUAN' }, []],
    [
      'PNS appointed at 17 years 11 months',
      '197501171992121001',
      {},
      [w('nip', 'nip-appointment-too-early')],
    ],
    ['PNS appointed in the month of the 18th birthday', '197501171993011001', {}, []],
    ['PNS appointed this month', '197501172026111001', {}, []],
    ['PNS appointed next month', '197501172026121001', {}, [w('nip', 'nip-appointment-in-future')]],
    ['PPPK, everything agrees', '197501172021211001', {}, []],
    [
      'PPPK appointed the year before turning 18',
      '197501171992211001',
      {},
      [w('nip', 'nip-appointment-too-early')],
    ],
    ['PPPK appointed the year of turning 18', '197501171993211001', {}, []],
    ['PPPK appointed this year', '197501172026211001', {}, []],
    ['PPPK appointed next year', '197501172027211001', {}, [w('nip', 'nip-appointment-in-future')]],
    [
      'no printed birth date or sex: only the NIP itself',
      '197501181996022001',
      { tanggalLahir: '', jenisKelamin: '' },
      [],
    ],
  ])('%s: %s', (_why, nip, overrides, expected) => {
    expect(crossCheck(fields(overrides), { nip, today: TODAY, regions: REGIONS })).toEqual(expected);
  });

  it.each([undefined, '', '   '])('skips the NIP checks without a NIP (%j)', (nip) => {
    const options =
      nip === undefined ? { today: TODAY, regions: REGIONS } : { nip, today: TODAY, regions: REGIONS };
    expect(crossCheck(fields(), options)).toEqual([]);
  });
});

describe('crossCheck: card validity', () => {
  it.each<[string, string, EktpWarning[]]>([
    ['valid for life', 'SEUMUR HIDUP', []],
    ['not read', '', []],
    ['a 2011-2013 card: printed date passed, valid for life (UU 24/2013)', '2017-01-17', []],
    ['an early e-KTP date', '2016-03-01', []],
    ['the last of the pre-2014 dates, with margin', '2019-12-31', []],
    ['a later fixed-term card, expired', '2024-03-01', [w('berlakuHingga', 'card-expired')]],
    ['expired yesterday', '2026-11-24', [w('berlakuHingga', 'card-expired')]],
    ['expires today', '2026-11-25', []],
    ['still valid', '2030-01-01', []],
  ])('%s: %j', (_why, berlakuHingga, expected) => {
    expect(crossCheck(fields({ berlakuHingga }), { today: TODAY, regions: REGIONS })).toEqual(expected);
  });
});

describe('config/regions.json', () => {
  const table: RegionTable = regions;

  it('holds Kota Madiun and its three districts under Jawa Timur', () => {
    expect(table.provinces['35']).toBe('JAWA TIMUR');
    expect(table.regencies['3577']).toBe('KOTA MADIUN');
    expect(table.districts).toEqual({ '357701': 'KARTOHARJO', '357702': 'MANGUHARJO', '357703': 'TAMAN' });
    expect(regionOf('3577031701750001', table)).toEqual({
      provinceCode: '35',
      regencyCode: '3577',
      districtCode: '357703',
      province: 'JAWA TIMUR',
      regency: 'KOTA MADIUN',
      district: 'TAMAN',
    });
  });

  it('holds the neighbouring regencies and every province code as two digits', () => {
    expect(table.regencies).toMatchObject({
      '3502': 'KABUPATEN PONOROGO',
      '3519': 'KABUPATEN MADIUN',
      '3520': 'KABUPATEN MAGETAN',
      '3521': 'KABUPATEN NGAWI',
    });
    expect(Object.keys(table.provinces).every((code) => /^\d{2}$/.test(code))).toBe(true);
    expect(table.provinces).toMatchObject({
      '11': 'ACEH',
      '31': 'DKI JAKARTA',
      '91': 'PAPUA',
      '96': 'PAPUA BARAT DAYA',
    });
  });

  it.each<[string, Partial<EktpFields>, EktpWarning[]]>([
    ['Kota Madiun, Manguharjo', { nik: '3577021701750001' }, []],
    [
      'a Kabupaten Madiun NIK on a Kota Madiun card',
      { nik: '3519011701750001' },
      [w('nik', 'nik-region-mismatch')],
    ],
    [
      'a fourth Kota Madiun district does not exist',
      { nik: '3577041701750001' },
      [w('nik', 'nik-region-unknown')],
    ],
  ])('cross-checks with the real table: %s', (_why, overrides, expected) => {
    expect(crossCheck(fields(overrides), { today: TODAY, regions: table })).toEqual(expected);
  });
});

describe('regionOf', () => {
  it.each(['', '3577', '35770', 'ABCDEF1701750001'])('%j has no region', (nik) => {
    expect(regionOf(nik, REGIONS)).toBeNull();
  });

  it('names only the codes the table holds', () => {
    expect(regionOf('3577 0217 0175 0001', REGIONS)).toEqual({
      provinceCode: '35',
      regencyCode: '3577',
      districtCode: '357702',
      province: 'JAWA TIMUR',
      regency: 'KOTA MADIUN',
      district: null,
    });
  });
});
