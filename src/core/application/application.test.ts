import { describe, expect, it } from 'vitest';
import {
  type ApplicationDraft,
  type DraftProblem,
  type DraftRules,
  isHostName,
  NAMA_MAX_LENGTH,
  normaliseNama,
  subjectData,
  validateDraft,
} from './application';

const MADIUN: DraftRules = { emailDomains: ['madiunkota.go.id'] };

/** A complete, valid application by a woman born 5 January 1990 (NIK day 45) with a matching NIP. */
function createDraft(overrides: Partial<ApplicationDraft> = {}): ApplicationDraft {
  return {
    certificateType: 'individu',
    nama: 'Siti Rahayu',
    nik: '3577014501900003',
    nip: '199001052015022001',
    email: 'siti.rahayu@madiunkota.go.id',
    perangkatDaerah: 'Dinas Komunikasi dan Informatika',
    jabatan: '',
    host: '',
    ...overrides,
  };
}

describe('validateDraft', () => {
  it('finds nothing wrong with a complete draft', () => {
    expect(validateDraft(createDraft(), MADIUN)).toEqual([]);
  });

  it.each<[string, Partial<ApplicationDraft>]>([
    ['a jabatan certificate with its position', { certificateType: 'jabatan', jabatan: 'Kepala Dinas' }],
    [
      'a position with the punctuation of official titles',
      { certificateType: 'jabatan', jabatan: 'Kepala Sub Bagian Umum, Kepegawaian & Keuangan (Plt.)' },
    ],
    [
      'a system certificate with its host',
      { certificateType: 'sistem-elektronik', host: 'sipd.madiunkota.go.id' },
    ],
    [
      'a host typed in capitals with a final dot',
      { certificateType: 'sistem-elektronik', host: 'SIPD.Madiunkota.go.id.' },
    ],
    ['a stale position left from another type', { certificateType: 'individu', jabatan: '<<<' }],
    ['no NIP (it is optional)', { nip: '' }],
    ['a blank NIP', { nip: '   ' }],
    ['a NIP with spaces', { nip: '19900105 201502 2 001' }],
    ['a PPPK NIP', { nip: '199001052022212001' }],
    ['a NIK with spaces', { nik: '3577 0145 0190 0003' }],
    ['a NIK from outside Kota Madiun', { nik: '3519014501900003' }],
    ['a name with a dot', { nama: 'Muh. Ali' }],
    ['a name with an apostrophe', { nama: "O'Neil" }],
    ['a name with a hyphen and a comma', { nama: 'Siti Rahayu-Putri, S.Kom' }],
    ['a name with accents', { nama: 'José Ramírez' }],
    ['a name of exactly the maximum length', { nama: 'A'.repeat(NAMA_MAX_LENGTH) }],
    ['a name with extra spaces', { nama: '  siti    rahayu  ' }],
    ['an e-mail in capitals with spaces around it', { email: '  Siti.Rahayu@MadiunKota.go.id ' }],
    ['an e-mail on a subdomain', { email: 'a@dinkes.madiunkota.go.id' }],
  ])('accepts %s', (_what, overrides) => {
    expect(validateDraft(createDraft(overrides), MADIUN)).toEqual([]);
  });

  it.each<[Partial<ApplicationDraft>, DraftProblem]>([
    [{ certificateType: '' }, { field: 'certificateType', reason: 'required' }],
    [{ nama: '' }, { field: 'nama', reason: 'required' }],
    [{ nama: ' \t ' }, { field: 'nama', reason: 'required' }],
    [{ nama: 'A'.repeat(NAMA_MAX_LENGTH + 1) }, { field: 'nama', reason: 'too-long' }],
    [{ nama: 'Siti Rahayu 2' }, { field: 'nama', reason: 'bad-characters' }],
    [{ nama: '-Siti' }, { field: 'nama', reason: 'bad-characters' }],
    [{ nama: 'Siti <script>' }, { field: 'nama', reason: 'bad-characters' }],
    [{ nama: 'Siti@Rahayu' }, { field: 'nama', reason: 'bad-characters' }],
    [{ nik: '' }, { field: 'nik', reason: 'required' }],
    [{ nik: '   ' }, { field: 'nik', reason: 'required' }],
    [{ nik: '357701450190000O' }, { field: 'nik', reason: 'not-digits' }],
    [{ nik: '357701450190' }, { field: 'nik', reason: 'wrong-length' }],
    [{ nik: '3577013201900003' }, { field: 'nik', reason: 'bad-birth-date' }],
    [{ nik: '3577014501900000' }, { field: 'nik', reason: 'zero-serial' }],
    [{ nip: '19900105201502200X' }, { field: 'nip', reason: 'not-digits' }],
    [{ nip: '1990010520150220' }, { field: 'nip', reason: 'wrong-length' }],
    [{ nip: '199013052015022001' }, { field: 'nip', reason: 'bad-birth-date' }],
    [{ nip: '199001052015132001' }, { field: 'nip', reason: 'bad-appointment' }],
    [{ nip: '199001052015023001' }, { field: 'nip', reason: 'bad-sex' }],
    [{ email: '' }, { field: 'email', reason: 'required' }],
    [{ email: '  ' }, { field: 'email', reason: 'required' }],
    [{ email: 'siti.rahayu' }, { field: 'email', reason: 'invalid' }],
    [{ email: 'siti@' }, { field: 'email', reason: 'invalid' }],
    [{ email: '@madiunkota.go.id' }, { field: 'email', reason: 'invalid' }],
    [{ email: 'siti rahayu@madiunkota.go.id' }, { field: 'email', reason: 'invalid' }],
    [{ email: 'siti@madiunkota' }, { field: 'email', reason: 'invalid' }],
    [{ email: 'siti@@madiunkota.go.id' }, { field: 'email', reason: 'invalid' }],
    [{ email: `${'a'.repeat(240)}@madiunkota.go.id` }, { field: 'email', reason: 'invalid' }],
    [{ email: 'a@gmail.com' }, { field: 'email', reason: 'wrong-domain' }],
    [{ email: 'a@evilmadiunkota.go.id' }, { field: 'email', reason: 'wrong-domain' }],
    [{ email: 'a@madiunkota.go.id.example.com' }, { field: 'email', reason: 'wrong-domain' }],
    [{ email: 'madiunkota.go.id@gmail.com' }, { field: 'email', reason: 'wrong-domain' }],
    [{ perangkatDaerah: '' }, { field: 'perangkatDaerah', reason: 'required' }],
    [{ perangkatDaerah: '   ' }, { field: 'perangkatDaerah', reason: 'required' }],
  ])('%j → %j', (overrides, problem) => {
    expect(validateDraft(createDraft(overrides), MADIUN)).toEqual([problem]);
  });

  it('reports one problem per required field when everything is missing, and none for the NIP', () => {
    const empty = createDraft({
      certificateType: '',
      nama: '',
      nik: '',
      nip: '',
      email: '',
      perangkatDaerah: '',
    });
    const problems = validateDraft(empty, MADIUN);
    expect(problems).toHaveLength(5);
    expect(problems).toEqual(
      expect.arrayContaining([
        { field: 'certificateType', reason: 'required' },
        { field: 'nama', reason: 'required' },
        { field: 'nik', reason: 'required' },
        { field: 'email', reason: 'required' },
        { field: 'perangkatDaerah', reason: 'required' },
      ]),
    );
  });

  it('reports problems in different fields together', () => {
    const problems = validateDraft(
      createDraft({ nik: '3577013201900003', nip: '199001052015023001', email: 'a@gmail.com' }),
      MADIUN,
    );
    expect(problems).toHaveLength(3);
    expect(problems).toEqual(
      expect.arrayContaining([
        { field: 'nik', reason: 'bad-birth-date' },
        { field: 'nip', reason: 'bad-sex' },
        { field: 'email', reason: 'wrong-domain' },
      ]),
    );
  });

  it.each([
    ['a@madiunkota.go.id', []],
    ['a@dinkes.madiunkota.go.id', []],
    ['a@gmail.com', [{ field: 'email', reason: 'wrong-domain' }]],
    ['a@evilmadiunkota.go.id', [{ field: 'email', reason: 'wrong-domain' }]],
  ])('with the domain madiunkota.go.id, %s → %j', (email, problems) => {
    expect(validateDraft(createDraft({ email }), MADIUN)).toEqual(problems);
  });

  it('compares domains without regard to case, in the address and in the configuration', () => {
    const rules: DraftRules = { emailDomains: ['MadiunKota.go.id'] };
    expect(validateDraft(createDraft({ email: 'A@MADIUNKOTA.GO.ID' }), rules)).toEqual([]);
    expect(validateDraft(createDraft({ email: 'a@madiunkota.go.id' }), rules)).toEqual([]);
  });

  it('accepts an address in any of several configured domains', () => {
    const rules: DraftRules = { emailDomains: ['madiunkota.go.id', 'jatimprov.go.id'] };
    expect(validateDraft(createDraft({ email: 'a@jatimprov.go.id' }), rules)).toEqual([]);
    expect(validateDraft(createDraft({ email: 'a@madiunkota.go.id' }), rules)).toEqual([]);
    expect(validateDraft(createDraft({ email: 'a@gmail.com' }), rules)).toEqual([
      { field: 'email', reason: 'wrong-domain' },
    ]);
  });

  it.each(['a@gmail.com', 'a@evilmadiunkota.go.id', 'a@example.test'])(
    'accepts %s when no domain is configured',
    (email) => {
      expect(validateDraft(createDraft({ email }), { emailDomains: [] })).toEqual([]);
    },
  );

  it('still rejects a malformed address when no domain is configured', () => {
    expect(validateDraft(createDraft({ email: 'siti' }), { emailDomains: [] })).toEqual([
      { field: 'email', reason: 'invalid' },
    ]);
  });
});

describe('normaliseNama', () => {
  it.each([
    ['Siti Rahayu', 'SITI RAHAYU'],
    ['  siti rahayu  ', 'SITI RAHAYU'],
    ['siti    rahayu', 'SITI RAHAYU'],
    ['muh.\tali\n', 'MUH. ALI'],
    ["o'neil", "O'NEIL"],
    ['josé ramírez', 'JOSÉ RAMÍREZ'],
    ['SITI RAHAYU', 'SITI RAHAYU'],
    ['   ', ''],
  ])('%j → %j', (raw, normalised) => {
    expect(normaliseNama(raw)).toBe(normalised);
  });
});

describe('validateDraft per certificate type (Pasal 10)', () => {
  it.each<[Partial<ApplicationDraft>, DraftProblem]>([
    [{ certificateType: 'jabatan' }, { field: 'jabatan', reason: 'required' }],
    [
      { certificateType: 'jabatan', jabatan: '   ' },
      { field: 'jabatan', reason: 'required' },
    ],
    [
      { certificateType: 'jabatan', jabatan: 'K'.repeat(121) },
      { field: 'jabatan', reason: 'too-long' },
    ],
    [
      { certificateType: 'jabatan', jabatan: 'Kepala <script>' },
      { field: 'jabatan', reason: 'bad-characters' },
    ],
    [{ certificateType: 'sistem-elektronik' }, { field: 'host', reason: 'required' }],
    [
      { certificateType: 'sistem-elektronik', host: 'sipd' },
      { field: 'host', reason: 'invalid' },
    ],
    [
      { certificateType: 'sistem-elektronik', host: 'https://sipd.madiunkota.go.id' },
      { field: 'host', reason: 'invalid' },
    ],
    [
      { certificateType: 'sistem-elektronik', host: '-sipd.madiunkota.go.id' },
      { field: 'host', reason: 'invalid' },
    ],
    [
      { certificateType: 'sistem-elektronik', host: 'sipd.madiunkota.123' },
      { field: 'host', reason: 'invalid' },
    ],
  ])('%j → %j', (overrides, problem) => {
    expect(validateDraft(createDraft(overrides), MADIUN)).toEqual([problem]);
  });
});

describe('isHostName', () => {
  it.each([
    ['sipd.madiunkota.go.id', true],
    ['a.id', true],
    [`${'a'.repeat(63)}.go.id`, true],
    [`${'a'.repeat(64)}.go.id`, false],
    ['Sipd.madiunkota.go.id', false],
    ['sipd..go.id', false],
    ['sipd_x.go.id', false],
    ['localhost', false],
    ['10.0.0.1', false],
    ['', false],
  ])('%s → %s', (host, expected) => {
    expect(isHostName(host)).toBe(expected);
  });
});

describe('subjectData', () => {
  it('normalises the verified values the profile templates use', () => {
    const draft = createDraft({
      nama: '  siti   rahayu ',
      perangkatDaerah: ' Dinas Kesehatan ',
      email: ' Siti@MadiunKota.go.id ',
    });
    expect(subjectData(draft)).toEqual({
      nama: 'SITI RAHAYU',
      email: 'siti@madiunkota.go.id',
      perangkatDaerah: 'Dinas Kesehatan',
      nip: '199001052015022001',
      jabatan: null,
      host: null,
    });
  });

  it('passes on only the field the type asks for', () => {
    const both = { jabatan: ' Kepala   Dinas ', host: 'SIPD.madiunkota.go.id.' };
    expect(subjectData(createDraft({ ...both, certificateType: 'jabatan' }))).toMatchObject({
      jabatan: 'Kepala Dinas',
      host: null,
    });
    expect(subjectData(createDraft({ ...both, certificateType: 'sistem-elektronik' }))).toMatchObject({
      jabatan: null,
      host: 'sipd.madiunkota.go.id',
    });
  });
});
