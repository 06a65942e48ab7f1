import { dictionary } from '@zxcvbn-ts/language-id';
import { beforeAll, describe, expect, it } from 'vitest';
import { generatePassphrase, passphraseEntropyBits } from '../../core/application/passphrase';
import { FOREIGN_WORDS, UNFIT_WORDS } from './excluded-words';
import { createRandomInt } from './random';
import { deriveWordList, EXCLUDED_WORDS, isListWord, loadWordList, WORD_LIST_SIZE } from './wordlist';

describe('the generated-passphrase word list', () => {
  let words: readonly string[] = [];
  beforeAll(async () => {
    words = await loadWordList();
  });

  it(`has ${WORD_LIST_SIZE} words, without duplicates`, () => {
    expect(words).toHaveLength(4096);
    expect(new Set(words).size).toBe(words.length);
  });

  it('has only lower-case a–z words of 4 to 8 letters, without an enclitic ending', () => {
    const bad = words.filter((w) => !/^[a-z]{4,8}$/.test(w) || /(nya|mu|ku|lah|kah)$/.test(w));
    expect(bad).toEqual([]);
  });

  it('has no excluded word and no given name', () => {
    const names = new Set(dictionary['names-id']);
    expect(words.filter((w) => EXCLUDED_WORDS.has(w) || names.has(w))).toEqual([]);
    for (const w of [
      'membunuh',
      'mati',
      'bunuh',
      'gila',
      'bodoh',
      'sialan',
      'brengsek',
      'bajingan',
      'seks',
    ]) {
      expect(words).not.toContain(w);
    }
    for (const w of ['tuhan', 'setan', 'neraka', 'darah', 'perang', 'senjata', 'mayat', 'racun', 'michael']) {
      expect(words).not.toContain(w);
    }
  });

  it('keeps the frequency order of the dictionary (most common words first)', () => {
    const common = dictionary['commonWords-id'];
    const ranks = words.map((w) => common.indexOf(w));
    expect(ranks.every((rank, i) => i === 0 || rank > (ranks[i - 1] ?? -1))).toBe(true);
    expect(words.slice(0, 5)).toEqual(['yang', 'akan', 'tidak', 'bisa', 'untuk']);
  });

  it('is the same list on every load (deterministic)', async () => {
    expect(await loadWordList()).toBe(words);
    expect(deriveWordList(dictionary['commonWords-id'], dictionary['names-id'])).toEqual(words);
  });

  it('gives a 5-word passphrase of at least 55 bits and at least 15 characters', () => {
    expect(passphraseEntropyBits(5, words.length)).toBeGreaterThanOrEqual(55);
    const randomInt = createRandomInt();
    for (let i = 0; i < 200; i++) {
      const passphrase = generatePassphrase(words, 5, randomInt);
      expect(passphrase.split(' ')).toHaveLength(5);
      expect(passphrase.length).toBeGreaterThanOrEqual(15);
    }
    // Even the 5 shortest words are long enough: 5 × 4 letters + 4 spaces.
    expect(5 * Math.min(...words.map((w) => w.length)) + 4).toBeGreaterThanOrEqual(15);
  });
});

describe('the exclusion lists', () => {
  it('are lower-case single words without duplicates', () => {
    for (const list of [UNFIT_WORDS, FOREIGN_WORDS]) {
      expect(list.filter((w) => !/^[a-z]+$/.test(w))).toEqual([]);
      expect(new Set(list).size).toBe(list.length);
    }
    expect(UNFIT_WORDS.filter((w) => FOREIGN_WORDS.includes(w))).toEqual([]);
  });
});

describe('deriveWordList', () => {
  it.each([
    ['too short', 'ibu', false],
    ['too long', 'bersamaan', false],
    ['a capital', 'Madiun', false],
    ['a hyphen', 'kupu-kupu', false],
    ['-nya', 'rumahnya', false],
    ['-mu', 'bukumu', false],
    ['-ku', 'kudaku', false],
    ['-lah', 'pergilah', false],
    ['-kah', 'apakah', false],
    ['excluded', 'bodoh', false],
    ['fine', 'sepeda', true],
  ])('%s: %s → %s', (_what, word, ok) => {
    expect(isListWord(word)).toBe(ok);
  });

  it('takes the first words that obey the rules, skipping names and duplicates', () => {
    expect(deriveWordList(['kuda', 'bodoh', 'siti', 'kuda', 'sepeda', 'hijau'], ['Siti'], 3)).toEqual([
      'kuda',
      'sepeda',
      'hijau',
    ]);
  });

  it('fails loudly when the dictionary is too small', () => {
    expect(() => deriveWordList(['kuda'], [], 2)).toThrow(/only 1 of 2/);
  });
});
