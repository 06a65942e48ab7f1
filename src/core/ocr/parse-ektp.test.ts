import { describe, expect, it } from 'vitest';
import { BUDI_FIELDS } from '../../../tests/support/ektp-fields';
import {
  AGAMA_VALUES,
  DEFAULT_CONFIDENCE_THRESHOLD,
  GOL_DARAH_VALUES,
  JENIS_KELAMIN_VALUES,
  KEWARGANEGARAAN_VALUES,
  parseEktp,
  STATUS_PERKAWINAN_VALUES,
} from './parse-ektp';
import { EKTP_FIELDS, type EktpFields, type EktpOcrRead, type EktpWarning, type OcrLine } from './types';

// Inputs are OCR text as the pipeline hands it over: one string per line, all with one confidence.

const HEADER = ['PROVINSI JAWA TIMUR', 'KOTA MADIUN'];
const BODY = [
  'NIK : 3577011701750001',
  'Nama : BUDI SANTOSO',
  'Tempat/Tgl Lahir : MADIUN, 17-01-1975',
  'Jenis Kelamin : LAKI-LAKI Gol. Darah : O',
  'Alamat : JL. PAHLAWAN NO. 37',
  'RT/RW : 003/012',
  'Kel/Desa : KARTOHARJO',
  'Kecamatan : KARTOHARJO',
  'Agama : ISLAM',
  'Status Perkawinan : KAWIN',
  'Pekerjaan : PEGAWAI NEGERI SIPIL',
  'Kewarganegaraan : WNI',
  'Berlaku Hingga : SEUMUR HIDUP',
];
const CLEAN: EktpFields = BUDI_FIELDS;
const LINE = Object.fromEntries(BODY.map((text, index) => [text.split(' :')[0] ?? '', index])) as Record<
  string,
  number
>;

function ocrLines(texts: readonly string[], confidence = 0.95): OcrLine[] {
  return texts.map((text) => ({ text, confidence }));
}

function card(
  parts: {
    header?: readonly string[];
    body?: readonly string[];
    nik?: string | null;
    confidence?: number;
  } = {},
): EktpOcrRead {
  const confidence = parts.confidence ?? 0.95;
  return {
    header: ocrLines(parts.header ?? HEADER, confidence),
    body: ocrLines(parts.body ?? BODY, confidence),
    nik: parts.nik == null ? null : { text: parts.nik, confidence },
  };
}

/** The clean body with the line of `label` replaced by zero or more lines. */
function bodyWith(label: string, ...texts: string[]): string[] {
  const index = LINE[label];
  if (index === undefined) throw new Error(`no line ${label}`);
  return [...BODY.slice(0, index), ...texts, ...BODY.slice(index + 1)];
}

const codesOf = (warnings: EktpWarning[], field: string): string[] =>
  warnings.filter((w) => w.field === field).map((w) => w.code);

describe('parseEktp: a clean read', () => {
  const reading = parseEktp(card());

  it('reads all 17 fields', () => {
    expect(reading.fields).toEqual(CLEAN);
  });

  it('has no warnings and the line confidence for every field', () => {
    expect(reading.warnings).toEqual([]);
    for (const field of EKTP_FIELDS) expect(reading.confidence[field]).toBeCloseTo(0.95);
  });

  it('exports the allowed values and the default threshold', () => {
    expect(DEFAULT_CONFIDENCE_THRESHOLD).toBe(0.8);
    expect(JENIS_KELAMIN_VALUES).toEqual(['LAKI-LAKI', 'PEREMPUAN']);
    expect(GOL_DARAH_VALUES).toEqual(['A', 'B', 'AB', 'O', '-']);
    expect(AGAMA_VALUES).toContain('KEPERCAYAAN TERHADAP TUHAN YME');
    expect(STATUS_PERKAWINAN_VALUES).toHaveLength(4);
    expect(KEWARGANEGARAAN_VALUES).toEqual(['WNI', 'WNA']);
  });
});

describe('parseEktp: noisy labels', () => {
  it.each<[string, string, Partial<EktpFields>]>([
    ['NIK', 'NlK : 3577011701750001', { nik: '3577011701750001' }],
    ['Nama', 'Narna : BUDI SANTOSO', { nama: 'BUDI SANTOSO' }],
    ['Nama', 'Nema : BUDI SANTOSO', { nama: 'BUDI SANTOSO' }],
    [
      'Tempat/Tgl Lahir',
      'Tempat/TglLahir : MADIUN, 17-01-1975',
      { tempatLahir: 'MADIUN', tanggalLahir: '1975-01-17' },
    ],
    [
      'Tempat/Tgl Lahir',
      'TempatTgl Lahir : MADIUN, 17-01-1975',
      { tempatLahir: 'MADIUN', tanggalLahir: '1975-01-17' },
    ],
    ['Tempat/Tgl Lahir', 'Ternpat/Tgi Lahir : MADIUN, 17-01-1975', { tanggalLahir: '1975-01-17' }],
    [
      'Jenis Kelamin',
      'Jenis kelamin : LAKI-LAKI Gol Darah : O',
      { jenisKelamin: 'LAKI-LAKI', golDarah: 'O' },
    ],
    [
      'Jenis Kelamin',
      'Jenis Kelamin : PEREMPUAN GoI. Darah : AB',
      { jenisKelamin: 'PEREMPUAN', golDarah: 'AB' },
    ],
    [
      'Jenis Kelamin',
      'Jen1s Kelamin : PEREMPUAN Go1. Darah : A',
      { jenisKelamin: 'PEREMPUAN', golDarah: 'A' },
    ],
    ['Alamat', 'Alarnat : JL. PAHLAWAN NO. 37', { alamat: 'JL. PAHLAWAN NO. 37' }],
    ['Alamat', 'Alamai : JL. PAHLAWAN NO. 37', { alamat: 'JL. PAHLAWAN NO. 37' }],
    ['RT/RW', 'RTRW : 003/012', { rtRw: '003/012' }],
    ['RT/RW', 'RT/ RW : 003/012', { rtRw: '003/012' }],
    ['Kel/Desa', 'KelDesa : KARTOHARJO', { kelDesa: 'KARTOHARJO' }],
    ['Kel/Desa', 'Kel/Oesa : KARTOHARJO', { kelDesa: 'KARTOHARJO' }],
    ['Kecamatan', 'Kecarnatan : KARTOHARJO', { kecamatan: 'KARTOHARJO' }],
    ['Agama', 'Agarna : ISLAM', { agama: 'ISLAM' }],
    ['Status Perkawinan', 'Status Perkawlnan : KAWIN', { statusPerkawinan: 'KAWIN' }],
    ['Status Perkawinan', 'Statu5 Perkawinan : KAWIN', { statusPerkawinan: 'KAWIN' }],
    ['Pekerjaan', 'Pekerjaau : PEGAWAI NEGERI SIPIL', { pekerjaan: 'PEGAWAI NEGERI SIPIL' }],
    ['Kewarganegaraan', 'Kewarqanegaraan : WNI', { kewarganegaraan: 'WNI' }],
    ['Berlaku Hingga', 'Berlaku Hinqga : SEUMUR HIDUP', { berlakuHingga: 'SEUMUR HIDUP' }],
    ['Berlaku Hingga', 'BerlakuHingga : SEUMUR HIDUP', { berlakuHingga: 'SEUMUR HIDUP' }],
  ])('%s read as %j', (label, line, expected) => {
    const reading = parseEktp(card({ body: bodyWith(label, line) }));
    expect(reading.fields).toEqual({ ...CLEAN, ...expected });
  });

  it('lowers the confidence for a label that needed edits', () => {
    const reading = parseEktp(card({ body: bodyWith('Nama', 'Nema : BUDI SANTOSO') }));
    expect(reading.confidence.nama).toBeLessThan(0.95);
    expect(reading.confidence.nama).toBeGreaterThan(0.85);
  });
});

describe('parseEktp: separators missing, doubled or misread', () => {
  it.each([
    'Nama BUDI SANTOSO',
    'Nama :: BUDI SANTOSO',
    'Nama : : BUDI SANTOSO',
    'Nama ; BUDI SANTOSO',
    'Nama . BUDI SANTOSO',
    'Nama = BUDI SANTOSO',
    'Nama - BUDI SANTOSO',
    'Nama i BUDI SANTOSO',
    'Nama:BUDI SANTOSO',
    'NamaBUDI SANTOSO',
    'Nama :   budi   santoso  ',
  ])('%j', (line) => {
    expect(parseEktp(card({ body: bodyWith('Nama', line) })).fields.nama).toBe('BUDI SANTOSO');
  });

  it.each<[string, string, Partial<EktpFields>]>([
    ['Agama', 'Agama ISLAM', { agama: 'ISLAM' }],
    ['Agama', 'AGAMA : ISLAM', { agama: 'ISLAM' }],
    ['RT/RW', 'RT/RW 003/012', { rtRw: '003/012' }],
    ['Jenis Kelamin', 'Jenis Kelamin LAKI-LAKI Gol. Darah O', { jenisKelamin: 'LAKI-LAKI', golDarah: 'O' }],
    [
      'Jenis Kelamin',
      'Jenis Kelamin i LAKI-LAKI Gol. Darah ; O',
      { jenisKelamin: 'LAKI-LAKI', golDarah: 'O' },
    ],
    ['NIK', 'NIK 3577011701750001', { nik: '3577011701750001' }],
    ['Kecamatan', 'Kecamatan:KARTOHARJO', { kecamatan: 'KARTOHARJO' }],
  ])('%s: %j', (label, line, expected) => {
    expect(parseEktp(card({ body: bodyWith(label, line) })).fields).toEqual({ ...CLEAN, ...expected });
  });
});

describe('parseEktp: values', () => {
  it.each<[string, string, Partial<EktpFields>]>([
    ['Tempat/Tgl Lahir', 'Tempat/Tgl Lahir : MADIUN, 17 01 1975', { tanggalLahir: '1975-01-17' }],
    ['Tempat/Tgl Lahir', 'Tempat/Tgl Lahir : MADIUN, 17-0l-1975', { tanggalLahir: '1975-01-17' }],
    ['Tempat/Tgl Lahir', 'Tempat/Tgl Lahir : MADIUN, l7-O1-I975', { tanggalLahir: '1975-01-17' }],
    [
      'Tempat/Tgl Lahir',
      'Tempat/Tgl Lahir : MADIUN. 17.01.1975',
      { tempatLahir: 'MADIUN', tanggalLahir: '1975-01-17' },
    ],
    [
      'Tempat/Tgl Lahir',
      'Tempat/Tgl Lahir : madiun ,17-01-1975',
      { tempatLahir: 'MADIUN', tanggalLahir: '1975-01-17' },
    ],
    [
      'Tempat/Tgl Lahir',
      'Tempat/Tgl Lahir : KEDIRI 05-11-1982',
      { tempatLahir: 'KEDIRI', tanggalLahir: '1982-11-05' },
    ],
    ['Tempat/Tgl Lahir', 'Tempat/Tgl Lahir : TULUNG AGUNG, 17011975', { tempatLahir: 'TULUNG AGUNG' }],
    [
      'Jenis Kelamin',
      'Jenis Kelamin : PEREMPUAM Gol. Darah : B',
      { jenisKelamin: 'PEREMPUAN', golDarah: 'B' },
    ],
    [
      'Jenis Kelamin',
      'Jenis Kelamin : LAKI-LAKl Gol. Darah : 0',
      { jenisKelamin: 'LAKI-LAKI', golDarah: 'O' },
    ],
    ['Jenis Kelamin', 'Jenis Kelamin : LAKI-LAKI Gol. Darah : -', { golDarah: '-' }],
    ['Jenis Kelamin', 'Jenis Kelamin : LAKI-LAKI Gol. Darah - AB', { golDarah: 'AB' }],
    ['Jenis Kelamin', 'Jenis Kelamin : LAKI-LAKI Gol. Darah : D', { golDarah: 'O' }],
    ['RT/RW', 'RT/RW : 003 / 012', { rtRw: '003/012' }],
    ['RT/RW', 'RT/RW : 003/12', { rtRw: '003/012' }],
    ['RT/RW', 'RT/RW : O03/012', { rtRw: '003/012' }],
    ['RT/RW', 'RT/RW : 003 012', { rtRw: '003/012' }],
    ['Agama', 'Agama : KATOLIK', { agama: 'KATOLIK' }],
    ['Agama', 'Agama : KATHOLIK', { agama: 'KATHOLIK' }],
    ['Agama', 'Agama : KATHOLlK', { agama: 'KATHOLIK' }],
    ['Agama', 'Agama : BUDDHA', { agama: 'BUDDHA' }],
    ['Agama', 'Agama : BUDHA', { agama: 'BUDHA' }],
    ['Agama', 'Agama : KHONGHUCU', { agama: 'KHONGHUCU' }],
    ['Agama', 'Agama : KEPERCAYAAN TERHADAP TUHAN YME', { agama: 'KEPERCAYAAN TERHADAP TUHAN YME' }],
    ['Agama', 'Agama : lSLAM', { agama: 'ISLAM' }],
    ['Status Perkawinan', 'Status Perkawinan : BELUM KAWlN', { statusPerkawinan: 'BELUM KAWIN' }],
    ['Status Perkawinan', 'Status Perkawinan : CERAI HIDUP', { statusPerkawinan: 'CERAI HIDUP' }],
    ['Status Perkawinan', 'Status Perkawinan : CERAI MATI', { statusPerkawinan: 'CERAI MATI' }],
    ['Kewarganegaraan', 'Kewarganegaraan : WNl', { kewarganegaraan: 'WNI' }],
    ['Kewarganegaraan', 'Kewarganegaraan : WNA', { kewarganegaraan: 'WNA' }],
    ['Berlaku Hingga', 'Berlaku Hingga : SEUMUR HIOUP', { berlakuHingga: 'SEUMUR HIDUP' }],
    ['Berlaku Hingga', 'Berlaku Hingga : 17-01-2017', { berlakuHingga: '2017-01-17' }],
    ['Berlaku Hingga', 'Berlaku Hingga : l7-01-2O17', { berlakuHingga: '2017-01-17' }],
  ])('%s: %j', (label, line, expected) => {
    const reading = parseEktp(card({ body: bodyWith(label, line) }));
    expect(reading.fields).toEqual({ ...CLEAN, ...expected });
    expect(reading.warnings.filter((w) => w.code !== 'low-confidence')).toEqual([]);
  });

  it.each<[string, string, keyof EktpFields, string]>([
    ['Tempat/Tgl Lahir', 'Tempat/Tgl Lahir : MADIUN, 31-02-1975', 'tanggalLahir', ''],
    ['Tempat/Tgl Lahir', 'Tempat/Tgl Lahir : MADIUN, 17-13-1975', 'tanggalLahir', ''],
    ['Tempat/Tgl Lahir', 'Tempat/Tgl Lahir : MADIUN, XX-XX', 'tanggalLahir', ''],
    ['Berlaku Hingga', 'Berlaku Hingga : 32-01-2017', 'berlakuHingga', ''],
  ])('%s: an impossible date %j is not read', (label, line, field, value) => {
    const reading = parseEktp(card({ body: bodyWith(label, line) }));
    expect(reading.fields[field]).toBe(value);
    expect(reading.confidence[field]).toBe(0);
    expect(codesOf(reading.warnings, field)).toEqual(['not-read']);
  });

  it('keeps the place when the date is impossible', () => {
    const reading = parseEktp(
      card({ body: bodyWith('Tempat/Tgl Lahir', 'Tempat/Tgl Lahir : MADIUN, 31-02-1975') }),
    );
    expect(reading.fields.tempatLahir).toBe('MADIUN');
  });

  it.each<[string, string, keyof EktpFields, string]>([
    ['Agama', 'Agama : JEDI', 'agama', 'JEDI'],
    ['Jenis Kelamin', 'Jenis Kelamin : WARIA Gol. Darah : O', 'jenisKelamin', 'WARIA'],
    ['Jenis Kelamin', 'Jenis Kelamin : LAKI-LAKI Gol. Darah : C', 'golDarah', 'C'],
    ['Status Perkawinan', 'Status Perkawinan : DUDA', 'statusPerkawinan', 'DUDA'],
    ['Kewarganegaraan', 'Kewarganegaraan : INDONESIA', 'kewarganegaraan', 'INDONESIA'],
    ['Berlaku Hingga', 'Berlaku Hingga : SELAMANYA', 'berlakuHingga', 'SELAMANYA'],
    ['RT/RW', 'RT/RW : TIGA', 'rtRw', 'TIGA'],
  ])('%s: %j is kept as read, with value-not-allowed and less confidence', (label, line, field, value) => {
    const reading = parseEktp(card({ body: bodyWith(label, line) }));
    expect(reading.fields[field]).toBe(value);
    expect(reading.confidence[field]).toBeLessThan(0.5);
    expect(codesOf(reading.warnings, field)).toEqual(['value-not-allowed', 'low-confidence']);
  });

  it.each<[string, string, Partial<EktpFields>]>([
    ['Nama', 'Nama : 5RI RAHAYU PUSPITA5ARI', { nama: 'SRI RAHAYU PUSPITASARI' }],
    ['Nama', 'Nama : BUDl SANT0SO', { nama: 'BUDI SANTOSO' }],
    ['Nama', 'Nama : 5Rl GINTING', { nama: 'SRI GINTING' }],
    ['Tempat/Tgl Lahir', 'Tempat/Tgl Lahir : P0N0ROGO, 17-01-1975', { tempatLahir: 'PONOROGO' }],
    ['Pekerjaan', 'Pekerjaan : PEGAWAI NEGERI 5|PIL', { pekerjaan: 'PEGAWAI NEGERI SIPIL' }],
    ['Kecamatan', 'Kecamatan : KARTOHARJ0', { kecamatan: 'KARTOHARJO' }],
    ['Alamat', 'Alamat : PERUM GRIYA A5RI 8LOK F-29 N0. 8I', { alamat: 'PERUM GRIYA ASRI BLOK F-29 NO. 81' }],
    ['Alamat', 'Alamat : GG. SAWO l NO. I42', { alamat: 'GG. SAWO I NO. 142' }],
    ['Alamat', 'Alamat : JL. SALAK NO. 1B', { alamat: 'JL. SALAK NO. 1B' }],
    ['Alamat', 'Alamat : JL. SALAK NO. 8OA', { alamat: 'JL. SALAK NO. 8OA' }],
    ['Alamat', 'Alamat : DSN. KRAJAN KM 13', { alamat: 'DSN. KRAJAN KM 13' }],
  ])('%s: look-alikes in free text %j', (label, line, expected) => {
    const reading = parseEktp(card({ body: bodyWith(label, line) }));
    expect(reading.fields).toEqual({ ...CLEAN, ...expected });
  });

  it('lowers the confidence of free text by the number of repairs', () => {
    const reading = parseEktp(card({ body: bodyWith('Nama', 'Nama : 5RI RAHAYU') }));
    expect(reading.confidence.nama).toBeLessThan(0.95);
  });

  it('lowers the confidence of a snapped value by how far the snap was', () => {
    const near = parseEktp(card({ body: bodyWith('Agama', 'Agama : ISLAN') })).confidence.agama;
    const far = parseEktp(card({ body: bodyWith('Agama', 'Agama : IZLAN') })).confidence.agama;
    expect(near).toBeLessThan(0.95);
    expect(far).toBeLessThan(near);
  });
});

describe('parseEktp: wrapped name and address', () => {
  it.each<[string, string[], Partial<EktpFields>]>([
    [
      'Nama',
      ['Nama : RADEN MAS BAMBANG SOEDARSONO', 'WIJAYAKUSUMA'],
      { nama: 'RADEN MAS BAMBANG SOEDARSONO WIJAYAKUSUMA' },
    ],
    [
      'Alamat',
      ['Alamat : PERUMAHAN GRIYA ASRI BLOK C', 'NO. 12 JL. SALAK'],
      { alamat: 'PERUMAHAN GRIYA ASRI BLOK C NO. 12 JL. SALAK' },
    ],
    ['Alamat', ['Alamat : PERUMAHAN GRIYA', '  ASRI  BLOK C '], { alamat: 'PERUMAHAN GRIYA ASRI BLOK C' }],
  ])('%s wraps: %j', (label, lines, expected) => {
    const reading = parseEktp(card({ body: bodyWith(label, ...lines) }));
    expect(reading.fields).toEqual({ ...CLEAN, ...expected });
  });

  it.each(['~~ ,. ;', 'xq zvw kjh', '|||| ..'])(
    'does not take noise %j under the name as a wrap',
    (noise) => {
      const reading = parseEktp(card({ body: bodyWith('Nama', 'Nama : BUDI SANTOSO', noise) }));
      expect(reading.fields).toEqual(CLEAN);
    },
  );

  it('takes a wrap with an OCR slip in it', () => {
    const reading = parseEktp(
      card({ body: bodyWith('Nama', 'Nama : RADEN MAS BAMBANG', 'WIJAYAKUSUMA SANTOSl') }),
    );
    expect(reading.fields.nama).toBe('RADEN MAS BAMBANG WIJAYAKUSUMA SANTOSI');
  });

  it('does not take the next field as a wrap when its label is unreadable', () => {
    const reading = parseEktp(card({ body: bodyWith('Tempat/Tgl Lahir', 'Xq#z~ MADIUN, 17-01-1975') }));
    expect(reading.fields).toEqual(CLEAN);
  });

  it('wraps a name placed by position', () => {
    const reading = parseEktp(card({ body: bodyWith('Nama', '%%%% : RADEN MAS BAMBANG', 'WIJAYAKUSUMA') }));
    expect(reading.fields.nama).toBe('RADEN MAS BAMBANG WIJAYAKUSUMA');
  });
});

describe('parseEktp: labels unreadable, placed by card order', () => {
  it.each<[string, string[], Partial<EktpFields>]>([
    ['Nama', ['%%%% : BUDI SANTOSO'], {}],
    ['Tempat/Tgl Lahir', ['Tx@#/Y Lzzzr : MADIUN, 17-01-1975'], {}],
    ['Jenis Kelamin', ['Jxxxx Kxxxxxx : LAKI-LAKI Gol. Darah : O'], {}],
    ['Jenis Kelamin', ['#@% LAKI-LAKI Gol. Darah : O'], {}],
    ['Jenis Kelamin', ['Jenis Kelamin : LAKI-LAKI', 'Gol. Darah : O'], {}],
    ['Kel/Desa', ['Xy/Qw KARTOHARJO'], {}],
    ['Agama', ['@@@@ ISLAM'], {}],
    ['NIK', ['#@! 3577011701750001'], {}],
    ['Berlaku Hingga', ['%%%% : SEUMUR HIDUP'], {}],
    ['Kecamatan', [], { kecamatan: '' }],
  ])('%s as %j', (label, lines, expected) => {
    const reading = parseEktp(card({ body: bodyWith(label, ...lines) }));
    expect(reading.fields).toEqual({ ...CLEAN, ...expected });
  });

  it('places several neighbouring unreadable labels in order', () => {
    const body = bodyWith('Agama', '@@@@ ISLAM');
    body[LINE['Status Perkawinan'] ?? -1] = '#### KAWIN';
    body[LINE.Pekerjaan ?? -1] = '&&&&& : GURU';
    expect(parseEktp(card({ body })).fields).toEqual({ ...CLEAN, pekerjaan: 'GURU' });
  });

  it.each<[string, string[]]>([
    ['alone', ['%%%% : BUDI SANTOSO']],
    ['under noise from the NIK band', ['.~ ,', '%%%% : BUDI SANTOSO']],
    ['with no separator', ['Nxrnx BUDI SANTOSO']],
  ])('a body starting at an unreadable Nama label (the NIK read apart): %s', (_why, top) => {
    const body = [...top, ...BODY.slice(2)];
    expect(parseEktp(card({ body, nik: '3577011701750001' })).fields).toEqual(CLEAN);
  });

  it('takes no noise as a value at the top of the body', () => {
    const body = ['~~ xq, ;', ...BODY.slice(2)];
    expect(parseEktp(card({ body, nik: '3577011701750001' })).fields).toEqual({ ...CLEAN, nama: '' });
  });

  it('gives a field placed by position less confidence than a labelled one', () => {
    const reading = parseEktp(card({ body: bodyWith('Nama', '%%%% : BUDI SANTOSO') }));
    expect(reading.confidence.nama).toBeLessThan(reading.confidence.alamat);
  });

  it.each<[string, string[]]>([
    ['a junk line on top', ['~~~~', ...BODY]],
    ['a junk line at the bottom', [...BODY, '|||| ..']],
    [
      'two pairs of lines swapped',
      [...BODY.slice(0, 6), BODY[7] ?? '', BODY[6] ?? '', BODY[9] ?? '', BODY[8] ?? '', ...BODY.slice(10)],
    ],
    ['the lines in reverse', [...BODY].reverse()],
  ])('lines in a shifted order: %s', (_why, body) => {
    expect(parseEktp(card({ body })).fields).toEqual(CLEAN);
  });
});

describe('parseEktp: NIK', () => {
  it.each<[string, string, string | null, string, string[]]>([
    // why,                               body line,                    digit line,          nik,                 warnings
    ['look-alikes repaired', 'NIK : 3577O117Ol75OOO1', null, '3577011701750001', ['nik-repaired']],
    ['B, S, Z, G, T repaired', 'NIK : 3S770I170I7SOOOB', null, '3577011701750008', ['nik-repaired']],
    ['not repairable: a letter', 'NIK : 35770117017500X1', null, '357701170175001', ['nik-invalid']],
    ['not repairable: 15 digits', 'NIK : 357701170175001', null, '357701170175001', ['nik-invalid']],
    ['not repairable: day 32', 'NIK : 3577013201750001', null, '3577013201750001', ['nik-invalid']],
    ['digit line preferred', 'NIK : 3577011701750001', '3577014501900003', '3577014501900003', []],
    ['digit line with spaces', 'NIK : 3577011701750001', '3577 0145 0190 0003', '3577014501900003', []],
    ['digit line with its label', 'NIK : 3577011701750001', 'NIK :3577014501900003', '3577014501900003', []],
    [
      'digit line with a misread label',
      'NIK : 3577011701750001',
      'N1K: 3577014501900003',
      '3577014501900003',
      [],
    ],
    ['digit line invalid: body used', 'NIK : 3577011701750001', '357701450190003', '3577011701750001', []],
    [
      'a clean body beats a repaired digit line',
      'NIK : 3577011701750001',
      '3577O11701750001',
      '3577011701750001',
      [],
    ],
    [
      'digit line repaired when the body is invalid',
      'NIK : 35770',
      '3577O11701750001',
      '3577011701750001',
      ['nik-repaired'],
    ],
    ['no NIK line: digit line alone', '', '3577011701750001', '3577011701750001', []],
    [
      'neither valid: the read closest to 16 digits',
      'NIK : 3577',
      '357701170175000',
      '357701170175000',
      ['nik-invalid'],
    ],
  ])('%s', (_why, bodyLine, digitLine, nik, warnings) => {
    const body = bodyLine === '' ? BODY.slice(1) : bodyWith('NIK', bodyLine);
    const reading = parseEktp(card({ body, nik: digitLine }));
    expect(reading.fields.nik).toBe(nik);
    expect(codesOf(reading.warnings, 'nik').filter((c) => c !== 'low-confidence')).toEqual(warnings);
    if (warnings.length > 0) expect(reading.confidence.nik).toBeLessThan(0.95);
  });

  it('lowers the confidence by the number of repairs', () => {
    const one = parseEktp(card({ body: bodyWith('NIK', 'NIK : 3577O11701750001') })).confidence.nik;
    const four = parseEktp(card({ body: bodyWith('NIK', 'NIK : 3577O117Ol75OO01') })).confidence.nik;
    expect(one).toBeLessThan(0.95);
    expect(four).toBeLessThan(one);
  });
});

describe('parseEktp: header', () => {
  it.each<[string[], Partial<EktpFields>]>([
    [['PROVINSI JAWA TIMUR', 'KABUPATEN MADIUN'], { kota: 'KABUPATEN MADIUN' }],
    [['PROV1NSI JAWA TIMUR', 'KABUPATEM MADIUN'], { kota: 'KABUPATEN MADIUN' }],
    [['PROVINSI  JAWA  TIMUR ', 'K0TA MADIUN'], {}],
    [['PROVINSI JAWA TIMUR KOTA MADIUN'], {}],
    [['PROVINS| JAWA T1MUR', 'KOTA MAD1UN'], {}],
    [['KOTA MADIUN', 'PROVINSI JAWA TIMUR'], {}],
    [
      ['PROVINSI DAERAH ISTIMEWA YOGYAKARTA', 'KOTA YOGYAKARTA'],
      { provinsi: 'DAERAH ISTIMEWA YOGYAKARTA', kota: 'KOTA YOGYAKARTA' },
    ],
    [['PROVINSI JAWA TIMUR'], { kota: '' }],
    [['~~~ ### ~~~', 'KOTA MADIUN'], { provinsi: '' }],
    [[], { provinsi: '', kota: '' }],
  ])('%j', (header, expected) => {
    // Pekerjaan carries no merged city here, so an unread kota changes nothing else.
    expect(parseEktp(card({ header })).fields).toEqual({ ...CLEAN, ...expected });
  });
});

describe('parseEktp: pekerjaan with the issue place and date merged in', () => {
  it.each<[string[], string, string]>([
    [HEADER, 'Pekerjaan : PEGAWAI NEGERI SIPIL KOTA MADIUN', 'PEGAWAI NEGERI SIPIL'],
    [HEADER, 'Pekerjaan : PEGAWAI NEGERI SIPIL 12-08-2019', 'PEGAWAI NEGERI SIPIL'],
    [HEADER, 'Pekerjaan : PEGAWAI NEGERI SIPIL KOTA MADIUN 12-08-2019', 'PEGAWAI NEGERI SIPIL'],
    [HEADER, 'Pekerjaan : PEGAWAI NEGERI SIPIL 12-08-2019 KOTA MADIUN', 'PEGAWAI NEGERI SIPIL'],
    [HEADER, 'Pekerjaan : PEGAWAI NEGERI SIPIL KOTA MADlUN 12-O8-2019.', 'PEGAWAI NEGERI SIPIL'],
    [['PROVINSI JAWA TIMUR', 'KABUPATEN MADIUN'], 'Pekerjaan : GURU KABUPATEN MADIUN', 'GURU'],
    [HEADER, 'Pekerjaan : GURU KOTA KEDIRI', 'GURU KOTA KEDIRI'],
    [['PROVINSI JAWA TIMUR'], 'Pekerjaan : GURU KOTA MADIUN', 'GURU KOTA MADIUN'],
    [HEADER, 'Pekerjaan : KOTA MADIUN', 'KOTA MADIUN'],
  ])('header %j, %j → %j', (header, line, pekerjaan) => {
    const reading = parseEktp(card({ header, body: bodyWith('Pekerjaan', line) }));
    expect(reading.fields.pekerjaan).toBe(pekerjaan);
  });

  it('also strips them from Kewarganegaraan', () => {
    const body = bodyWith('Kewarganegaraan', 'Kewarganegaraan : WNI 12-08-2019');
    expect(parseEktp(card({ body })).fields.kewarganegaraan).toBe('WNI');
  });
});

describe('parseEktp: confidence', () => {
  it('takes the weakest word of the value, not the label', () => {
    const read = card();
    read.body[1] = {
      text: 'Nama : BUDI SANTOSO',
      confidence: 0.9,
      words: [
        { text: 'Nama', confidence: 0.3 },
        { text: ':', confidence: 0.2 },
        { text: 'BUDI', confidence: 0.97 },
        { text: 'SANTOSO', confidence: 0.61 },
      ],
    };
    const reading = parseEktp(read);
    expect(reading.confidence.nama).toBeCloseTo(0.61);
    expect(codesOf(reading.warnings, 'nama')).toEqual(['low-confidence']);
  });

  it('uses the line confidence when the words do not line up with the text', () => {
    const read = card();
    read.body[1] = {
      text: 'Nama : BUDI SANTOSO',
      confidence: 0.9,
      words: [{ text: 'BUDl', confidence: 0.1 }],
    };
    expect(parseEktp(read).confidence.nama).toBeCloseTo(0.9);
  });

  it.each([
    [0.99, 17],
    [0.95, 0],
    [0.5, 0],
  ])('threshold %f → %i low-confidence warnings', (confidenceThreshold, count) => {
    const reading = parseEktp(card(), { confidenceThreshold });
    expect(reading.warnings.filter((w) => w.code === 'low-confidence')).toHaveLength(count);
  });

  it('warns for a whole card read with low confidence', () => {
    const reading = parseEktp(card({ confidence: 0.6 }));
    expect(reading.fields).toEqual(CLEAN);
    expect(reading.warnings).toEqual(EKTP_FIELDS.map((field) => ({ field, code: 'low-confidence' })));
  });
});

describe('parseEktp: never throws', () => {
  /** mulberry32, so the inputs are the same on every run. */
  function random(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = Math.imul(a ^ (a >>> 15), a | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 :;.=-/|!,\'"()[]{}#%&*~^';

  it('keeps its invariants on 300 random reads built from label fragments and noise', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const rnd = random(seed);
      const text = () => {
        const base = rnd() < 0.5 ? (BODY[Math.floor(rnd() * BODY.length)] ?? '') : '';
        const noise = Array.from(
          { length: Math.floor(rnd() * 30) },
          () => CHARS[Math.floor(rnd() * CHARS.length)],
        );
        const cut = Math.floor(rnd() * base.length);
        return base.slice(0, cut) + noise.join('') + base.slice(cut);
      };
      const lines = (n: number) => Array.from({ length: n }, () => ({ text: text(), confidence: rnd() }));
      const read: EktpOcrRead = {
        header: lines(Math.floor(rnd() * 3)),
        body: lines(Math.floor(rnd() * 16)),
        nik: rnd() < 0.5 ? null : { text: text(), confidence: rnd() },
      };
      const reading = parseEktp(read);
      for (const field of EKTP_FIELDS) {
        const value = reading.fields[field];
        const confidence = reading.confidence[field];
        expect(confidence).toBeGreaterThanOrEqual(0);
        expect(confidence).toBeLessThanOrEqual(1);
        expect(value).toBe(value.trim());
        expect(value).toBe(value.toUpperCase());
        if (value === '') expect(codesOf(reading.warnings, field)).toContain('not-read');
      }
    }
  });
});

describe('parseEktp: reads that failed', () => {
  const allNotRead = EKTP_FIELDS.map((field) => ({ field, code: 'not-read' }));
  const empty = Object.fromEntries(EKTP_FIELDS.map((f) => [f, ''])) as EktpFields;

  it.each<[string, EktpOcrRead]>([
    ['empty input', { header: [], body: [], nik: null }],
    [
      'blank lines',
      { header: ocrLines(['', '  ']), body: ocrLines(['', '\t']), nik: { text: ' ', confidence: 0 } },
    ],
    [
      'garbage',
      {
        header: ocrLines(['~~ .,; %%', "'`^ ##"], 0.2),
        body: ocrLines(['|~ .. /', '%% ~~ ^^ &', 'xq zvw kjh', '*** ,,, ///', ':;:;', 'WQXZ VVV'], 0.2),
        nik: { text: '~~~~', confidence: 0.1 },
      },
    ],
  ])('%s: every field empty, not-read warnings, no throw', (_why, read) => {
    const reading = parseEktp(read);
    expect(reading.fields).toEqual(empty);
    expect(Object.values(reading.confidence).every((c) => c === 0)).toBe(true);
    expect(reading.warnings.filter((w) => w.field !== 'nik')).toEqual(
      allNotRead.filter((w) => w.field !== 'nik'),
    );
    expect(codesOf(reading.warnings, 'nik')).toContain('not-read');
  });

  it('keeps whatever is readable and marks the rest', () => {
    const reading = parseEktp(card({ header: [], body: ['Nama : BUDI SANTOSO', 'Agama : ISLAM'] }));
    expect(reading.fields).toMatchObject({ nama: 'BUDI SANTOSO', agama: 'ISLAM', nik: '', alamat: '' });
    expect(codesOf(reading.warnings, 'alamat')).toEqual(['not-read']);
    expect(reading.warnings).toHaveLength(15);
  });
});

describe('parseEktp: occupations from the registry list', () => {
  it.each([
    ['PELAJARIMAHASISWA', 'PELAJAR/MAHASISWA'],
    ['PELAJAR MAHASISWA', 'PELAJAR/MAHASISWA'],
    ['KARYAWAN SWASTAA', 'KARYAWAN SWASTA'],
    ['PEGAWAI NEGRI SIPIL', 'PEGAWAI NEGERI SIPIL'],
    ['PILOT', 'PILOT'],
  ])('%s → %s', (read, expected) => {
    const reading = parseEktp(card({ body: bodyWith('Pekerjaan', `Pekerjaan : ${read}`) }));
    expect(reading.fields.pekerjaan).toBe(expected);
  });
});

describe('parseEktp: the NIK vouches for the birth date and sex', () => {
  it('keeps full confidence when the printed date and sex agree with the NIK', () => {
    const reading = parseEktp(card({ nik: 'NIK : 3577011701750001' }));
    expect(reading.confidence.tanggalLahir).toBeGreaterThanOrEqual(0.9);
    expect(reading.confidence.jenisKelamin).toBeGreaterThanOrEqual(0.9);
  });

  it.each([
    [
      'a birth year misread',
      bodyWith('Tempat/Tgl Lahir', 'Tempat/Tgl Lahir : MADIUN, 17-01-1985'),
      'tanggalLahir',
    ],
    [
      'a birth day misread',
      bodyWith('Tempat/Tgl Lahir', 'Tempat/Tgl Lahir : MADIUN, 11-01-1975'),
      'tanggalLahir',
    ],
    [
      'the sex differs',
      bodyWith('Jenis Kelamin', 'Jenis Kelamin : PEREMPUAN Gol. Darah : O'),
      'jenisKelamin',
    ],
  ] as const)('flags the field as unsure when %s', (_why, body, field) => {
    const reading = parseEktp(card({ body, nik: 'NIK : 3577011701750001' }));
    expect(reading.confidence[field]).toBeLessThan(DEFAULT_CONFIDENCE_THRESHOLD);
    expect(reading.warnings).toContainEqual({ field, code: 'low-confidence' });
  });
});

describe('parseEktp: the digits-only read is a second opinion on the NIK', () => {
  const withDigits = (digits: string): EktpOcrRead => ({
    ...card({ nik: 'NIK : 3577011701750001' }),
    nikDigits: { text: digits, confidence: 0.95 },
  });
  it('agreeing: the NIK stays confident', () => {
    const reading = parseEktp(withDigits('NIK :3577011701750001'));
    expect(reading.fields.nik).toBe('3577011701750001');
    expect(reading.confidence.nik).toBeGreaterThanOrEqual(DEFAULT_CONFIDENCE_THRESHOLD);
  });
  it('disagreeing on a valid number: the band read wins but must be checked', () => {
    const reading = parseEktp(withDigits('NIK :3577611701750001'));
    expect(reading.fields.nik).toBe('3577011701750001');
    expect(reading.confidence.nik).toBeLessThan(DEFAULT_CONFIDENCE_THRESHOLD);
  });
  it('a digits read that makes no valid NIK does not count against it', () => {
    const reading = parseEktp(withDigits('K : 95770117017500011'));
    expect(reading.confidence.nik).toBeGreaterThanOrEqual(DEFAULT_CONFIDENCE_THRESHOLD);
  });
});

describe('parseEktp: with a region table', () => {
  const regions = {
    provinces: { '35': 'JAWA TIMUR' },
    regencies: { '3577': 'KOTA MADIUN', '3519': 'KABUPATEN MADIUN' },
    districts: { '357701': 'KARTOHARJO', '357702': 'MANGUHARJO', '357703': 'TAMAN' },
  };
  it.each([
    ['a listed district', '3577011701750001', true],
    ['an unknown district of a regency whose districts are listed (a misread 0?)', '3577611701750001', false],
    ['a regency whose districts are not listed', '3519011701750001', true],
  ])('%s: confident = %s', (_why, nik, confident) => {
    const reading = parseEktp(card({ body: bodyWith('NIK', `NIK : ${nik}`), nik: `NIK : ${nik}` }), {
      regions,
    });
    expect(reading.fields.nik).toBe(nik);
    expect(reading.confidence.nik >= DEFAULT_CONFIDENCE_THRESHOLD).toBe(confident);
  });
});

describe('parseEktp: addresses and districts', () => {
  it.each([
    ['GG. SRIKAYA | NO. 88A', 'GG. SRIKAYA I NO. 88A'],
    ['GG. KENANGA INO. 3', 'GG. KENANGA I NO. 3'],
    ['GG. MAWAR IIINO. 7', 'GG. MAWAR III NO. 7'],
    ['JL. PAHLAWAN NO. 37', 'JL. PAHLAWAN NO. 37'],
  ])('alamat %s → %s', (read, expected) => {
    expect(parseEktp(card({ body: bodyWith('Alamat', `Alamat : ${read}`) })).fields.alamat).toBe(expected);
  });

  const regions = {
    provinces: { '35': 'JAWA TIMUR' },
    regencies: { '3577': 'KOTA MADIUN' },
    districts: { '357701': 'KARTOHARJO', '357702': 'MANGUHARJO', '357703': 'TAMAN' },
  };
  it.each([
    ['KARTOMARJO', 'KARTOHARJO'],
    ['MANGUHARJ0', 'MANGUHARJO'],
    ['TAMAN', 'TAMAN'],
    ['WONOASRI', 'WONOASRI'],
  ])('kecamatan %s → %s on a KOTA MADIUN card', (read, expected) => {
    const reading = parseEktp(card({ body: bodyWith('Kecamatan', `Kecamatan : ${read}`) }), { regions });
    expect(reading.fields.kecamatan).toBe(expected);
  });
});
