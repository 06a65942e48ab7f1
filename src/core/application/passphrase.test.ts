import { describe, expect, it } from 'vitest';
import {
  generatePassphrase,
  isBlocklisted,
  type PassphrasePolicy,
  type PassphraseProblem,
  passphraseEntropyBits,
  passphraseHints,
  personalValues,
  validatePassphrase,
} from './passphrase';

const BLOCKLIST = ['madiun', 'diskominfo', 'bsre', 'sertifikat', 'passphrase', 'password', 'katasandi'];
const POLICY: PassphrasePolicy = { minLength: 15, maxLength: 128, minScore: 3, blocklist: BLOCKLIST };
/** What the kiosk passes in: NIK, NIP, the parts of the name and the whole name. */
const PERSONAL = ['3577014501900003', '199001052015022001', 'SITI', 'RAHAYU', 'SITI RAHAYU'];
const FINE = 'kuda-lumping-sepeda-hijau-42';

/** The same text typed twice, as the form confirms it. */
const check = (passphrase: string, personal: readonly string[] = PERSONAL): PassphraseProblem | null =>
  validatePassphrase(passphrase, passphrase, POLICY, personal);

describe('validatePassphrase: length', () => {
  it.each([
    ['14 letters', 'a'.repeat(14), { reason: 'too-short', minLength: 15 }],
    ['15 letters', 'a'.repeat(15), null],
    [
      '13 letters and an emoji (15 UTF-16 units, 14 characters)',
      `${'a'.repeat(13)}🦜`,
      { reason: 'too-short', minLength: 15 },
    ],
    ['14 letters and an emoji (15 characters)', `${'a'.repeat(14)}🦜`, null],
    [
      '13 letters and a decomposed é (15 units as typed, 14 characters)',
      `${'a'.repeat(13)}e\u0301`,
      { reason: 'too-short', minLength: 15 },
    ],
    ['14 letters and a decomposed é (15 characters)', `${'a'.repeat(14)}e\u0301`, null],
    ['128 letters', 'a'.repeat(128), null],
    ['129 letters', 'a'.repeat(129), { reason: 'too-long', maxLength: 128 }],
    ['128 emoji (256 UTF-16 units, 128 characters)', '🦜'.repeat(128), null],
    ['128 decomposed é (256 units as typed, 128 characters)', 'e\u0301'.repeat(128), null],
    ['the empty string', '', { reason: 'empty' }],
    ['one space', ' ', { reason: 'too-short', minLength: 15 }],
  ] as const)('%s → %j', (_what, passphrase, problem) => {
    expect(check(passphrase)).toEqual(problem);
  });

  it('reports the limits of the policy it was given', () => {
    expect(validatePassphrase('abcdefghij', 'abcdefghij', { minLength: 20, maxLength: 64 }, [])).toEqual({
      reason: 'too-short',
      minLength: 20,
    });
    expect(validatePassphrase('a'.repeat(65), 'a'.repeat(65), { minLength: 20, maxLength: 64 }, [])).toEqual({
      reason: 'too-long',
      maxLength: 64,
    });
  });
});

describe('validatePassphrase: confirmation', () => {
  it.each([
    ['a different word', FINE, 'kuda-lumping-sepeda-merah-42'],
    ['a trailing space', FINE, `${FINE} `],
    ['different case', FINE, FINE.toUpperCase()],
    ['an empty confirmation', FINE, ''],
  ])('%s → mismatch', (_what, passphrase, confirmation) => {
    expect(validatePassphrase(passphrase, confirmation, POLICY, PERSONAL)).toEqual({ reason: 'mismatch' });
  });
});

describe('validatePassphrase: personal data', () => {
  it.each([
    ['the NIK', 'nomor saya 3577014501900003'],
    ['the NIK with spaces', 'nomor saya 3577 0145 0190 0003'],
    ['the NIP', 'pegawai 199001052015022001 ok'],
    ['the NIP with spaces', 'pegawai 19900105 201502 2 001'],
    ['a part of the name, lower case', 'kuda-lumping-siti-hijau-42'],
    ['a part of the name, mixed case', 'kuda-lumping-RaHaYu-hijau'],
    ['the whole name without its space', 'kuda-sitirahayu-sepeda-42'],
    ['the whole name with spaces', 'kuda lumping siti rahayu 42'],
  ])('contains %s → personal', (_what, passphrase) => {
    expect(check(passphrase)).toEqual({ reason: 'personal' });
  });

  it.each([
    ['a value of 3 characters', ['ALI'], 'kali-bening-sungai-jernih'],
    ['an empty value', [''], FINE],
    ['a blank value', ['   '], FINE],
    ['a name of 3 letters in a longer list', ['ALI', '3577014501900003'], 'bali-dan-lombok-indah'],
  ])('ignores %s', (_what, personal, passphrase) => {
    expect(check(passphrase, personal)).toBeNull();
  });

  it('treats a 4-character value as personal', () => {
    expect(check('kali-bening-sungai-jernih', ['BENI'])).toEqual({ reason: 'personal' });
  });
});

describe('validatePassphrase: a good passphrase', () => {
  it.each([
    FINE,
    'Kopi susu di Pasar Besar Madiun enak',
    'pecel madiun enak sekali ☕',
    'ßpätzle-mit-käse-und-brot',
  ])('%j → null', (passphrase) => {
    expect(check(passphrase)).toBeNull();
  });
});

describe('validatePassphrase: blocklist', () => {
  it.each([
    ['a blocklist word repeated', 'madiunmadiunmadiun'],
    ['with spaces and capitals', 'Madiun Madiun Madiun'],
    ['with digits and symbols', 'Password2024!!!!'],
    ['in l33t', 'p4ssw0rd-p4ssw0rd'],
    ['several blocklist words and a year', 'sertifikat madiun 1990'],
    ['two words and two letters', 'diskominfo bsre ok'],
    ['a long blocklist word alone', 'katasandikatasandi'],
  ])('%s → blocklisted', (_what, passphrase) => {
    expect(check(passphrase)).toEqual({ reason: 'blocklisted' });
  });

  it.each([
    ['a blocklist word inside a real sentence', 'sate ayam di madiun paling enak'],
    ['no blocklist word', 'kuda lumping sepeda hijau'],
    ['a word of 4 letters that is not blocklisted', 'bsre kuda lumping kuda'],
  ])('%s → accepted', (_what, passphrase) => {
    expect(check(passphrase)).toBeNull();
  });

  it('ignores blocklist words shorter than 4 characters (they would match inside ordinary words)', () => {
    expect(isBlocklisted('tte tte tte tte tte', ['tte'])).toBe(false);
  });

  it('ignores an absent or empty blocklist', () => {
    const noList = { minLength: 15, maxLength: 128 };
    expect(validatePassphrase('madiunmadiunmadiun', 'madiunmadiunmadiun', noList, [])).toBeNull();
    expect(isBlocklisted('madiunmadiunmadiun', [])).toBe(false);
  });
});

describe('validatePassphrase: strength', () => {
  it.each([
    [0, { reason: 'too-weak', score: 0, minScore: 3 }],
    [2, { reason: 'too-weak', score: 2, minScore: 3 }],
    [3, null],
    [4, null],
  ] as const)('score %i → %j', (score, problem) => {
    expect(validatePassphrase(FINE, FINE, POLICY, PERSONAL, { score })).toEqual(problem);
  });

  it('checks nothing about strength without an estimate', () => {
    expect(validatePassphrase(FINE, FINE, POLICY, PERSONAL, null)).toBeNull();
    expect(validatePassphrase(FINE, FINE, POLICY, PERSONAL)).toBeNull();
  });

  it('requires score 3 when the policy names no minimum', () => {
    expect(validatePassphrase(FINE, FINE, { minLength: 15, maxLength: 128 }, [], { score: 2 })).toEqual({
      reason: 'too-weak',
      score: 2,
      minScore: 3,
    });
  });

  it('uses the minimum of the policy', () => {
    expect(validatePassphrase(FINE, FINE, { ...POLICY, minScore: 4 }, [], { score: 3 })).toEqual({
      reason: 'too-weak',
      score: 3,
      minScore: 4,
    });
  });
});

describe('validatePassphrase: the first problem wins', () => {
  it.each([
    ['short and personal', 'siti rahayu', 'x', { reason: 'too-short', minLength: 15 }],
    ['personal and blocklisted', 'madiun siti rahayu madiun', 'x', { reason: 'personal' }],
    ['blocklisted and weak', 'madiunmadiunmadiun', 'x', { reason: 'blocklisted' }],
    ['weak and mismatched', FINE, 'x', { reason: 'too-weak', score: 1, minScore: 3 }],
  ] as const)('%s → %j', (_what, passphrase, confirmation, problem) => {
    expect(validatePassphrase(passphrase, confirmation, POLICY, PERSONAL, { score: 1 })).toEqual(problem);
  });
});

describe('validatePassphrase: personal values in disguise', () => {
  const personal = personalValues({
    nik: '3577014501900003',
    nama: 'Siti Rahayu',
    tanggalLahir: '05-01-1990',
  });
  it.each([
    ['the name in l33t', 's1t1-r4hayu-naik-sepeda'],
    ['the name with dots', 'kuda-lumping-siti.rahayu'],
    ['the birth date DDMMYYYY', 'kuda lumping 05011990 x'],
    ['the birth date YYYY-MM-DD', 'kuda lumping 1990-01-05'],
    ['the birth date DD/MM/YY', 'kuda lumping 05/01/90 hijau'],
    ['the encoded date of the NIK', 'kuda lumping 450190 hijau'],
  ])('%s → personal', (_what, passphrase) => {
    expect(validatePassphrase(passphrase, passphrase, POLICY, personal)).toEqual({ reason: 'personal' });
  });
});

describe('personalValues', () => {
  it('derives every form from the applicant data', () => {
    const values = personalValues({
      nik: '3577014501900003',
      nip: '199001052015022001',
      nama: "SITI NUR'AINI AL-HUSNA",
      tanggalLahir: '05-01-1990',
      email: 'siti.nuraini@madiunkota.go.id',
    });
    expect(values).toEqual(
      expect.arrayContaining([
        '3577014501900003',
        '450190', // as encoded in the NIK (day + 40: a woman)
        '050190',
        '199001052015022001',
        '19900105',
        'siti',
        'nur',
        'aini',
        'husna',
        'sitinurainialhusna',
        '05011990',
        '05-01-1990',
        '05/01/1990',
        '19900105',
        '1990-01-05',
        'siti.nuraini',
        'nuraini',
      ]),
    );
    expect(values).not.toContain('al'); // shorter than 3 letters
    expect(new Set(values).size).toBe(values.length);
  });

  it.each([
    ['DD-MM-YYYY', '5-1-1990'],
    ['DD/MM/YYYY', '05/01/1990'],
    ['YYYY-MM-DD', '1990-01-05'],
  ])('reads a birth date written %s', (_what, tanggalLahir) => {
    expect(personalValues({ tanggalLahir })).toEqual([
      '05011990',
      '05-01-1990',
      '05/01/1990',
      '19900105',
      '1990-01-05',
      '050190',
    ]);
  });

  it('decodes a man’s NIK birth date as is', () => {
    expect(personalValues({ nik: '3577010501900003' })).toEqual(['3577010501900003', '050190']);
  });

  it('gives nothing for nothing', () => {
    expect(personalValues({})).toEqual([]);
    expect(personalValues({ nama: '  ', tanggalLahir: 'kemarin', email: '' })).toEqual([]);
  });
});

describe('passphraseHints', () => {
  it('reports every rule at once', () => {
    expect(passphraseHints('madiun madiun', 'madiun', POLICY, PERSONAL)).toEqual({
      length: 13,
      minLength: 15,
      maxLength: 128,
      personal: false,
      blocklisted: true,
      matches: false,
    });
    expect(passphraseHints('rahayu', 'rahayu', POLICY, PERSONAL)).toMatchObject({
      personal: true,
      blocklisted: false,
      matches: true,
    });
  });

  it('compares nothing while the confirmation is empty', () => {
    expect(passphraseHints(FINE, '', POLICY, PERSONAL).matches).toBeNull();
    expect(passphraseHints(FINE, FINE, POLICY, PERSONAL).matches).toBe(true);
  });
});

describe('generatePassphrase', () => {
  const WORDS = ['kuda', 'sepeda', 'hijau', 'pecel', 'sawah'];

  it('joins the drawn words with single spaces', () => {
    const draws = [0, 4, 2, 2, 1];
    expect(generatePassphrase(WORDS, 5, () => draws.shift() ?? 0)).toBe('kuda sawah hijau hijau sepeda');
  });

  it('asks the random source for an index below the list size', () => {
    const asked: number[] = [];
    generatePassphrase(WORDS, 3, (max) => {
      asked.push(max);
      return 0;
    });
    expect(asked).toEqual([5, 5, 5]);
  });

  const cases: [string, readonly string[], number, (max: number) => number][] = [
    ['no words', [], 5, () => 0],
    ['zero words asked', WORDS, 0, () => 0],
    ['an index out of range', WORDS, 1, () => 5],
  ];
  it.each(cases)('refuses %s', (_what, words, count, randomInt) => {
    expect(() => generatePassphrase(words, count, randomInt)).toThrow(RangeError);
  });
});

describe('passphraseEntropyBits', () => {
  it.each([
    [5, 4096, 60],
    [5, 2048, 55],
    [6, 7776, 6 * Math.log2(7776)],
    [5, 0, 0],
  ])('%i words of %i → %d bits', (count, size, bits) => {
    expect(passphraseEntropyBits(count, size)).toBeCloseTo(bits, 10);
  });
});
