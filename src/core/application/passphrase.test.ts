import { describe, expect, it } from 'vitest';
import { type PassphrasePolicy, type PassphraseProblem, validatePassphrase } from './passphrase';

const POLICY: PassphrasePolicy = { minLength: 15, maxLength: 128 };
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
    ['the empty string', '', { reason: 'too-short', minLength: 15 }],
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
    'Kopi susu di Pasar Besar Madiun',
    'pecel madiun enak sekali ☕',
    'ßpätzle-mit-käse-und-brot',
  ])('%j → null', (passphrase) => {
    expect(check(passphrase)).toBeNull();
  });
});
