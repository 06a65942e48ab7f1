import { describe, expect, it } from 'vitest';
import { estimateStrength, passphraseTools } from './strength';

describe('estimateStrength', () => {
  it.each([
    ['a top common password', 'password', 0],
    ['an Indonesian word and a year', 'sayang2024', 1],
  ] as const)('%s → weak', async (_what, passphrase, maxScore) => {
    const estimate = await estimateStrength(passphrase, [], 'id');
    expect(estimate.score).toBeLessThanOrEqual(maxScore);
  });

  it('rates 5 random list words as very strong', async () => {
    const estimate = await estimateStrength('sepeda lumpur gelas jeruk lembah', [], 'id');
    expect(estimate.score).toBe(4);
    expect(estimate.guessesLog10).toBeGreaterThan(12);
  });

  it('knows the Indonesian dictionary: common Indonesian words are cheap', async () => {
    const word = await estimateStrength('kenapa', [], 'id');
    const random = await estimateStrength('xqzvkt', [], 'id');
    expect(word.guessesLog10).toBeLessThan(random.guessesLog10);
  });

  it('counts the applicant’s own values as known words', async () => {
    const without = await estimateStrength('wulandari1990', [], 'id');
    const withInputs = await estimateStrength('wulandari1990', ['wulandari', '1990'], 'id');
    expect(withInputs.guessesLog10).toBeLessThan(without.guessesLog10);
  });

  it('translates the feedback into Indonesian and English', async () => {
    const id = await estimateStrength('password', [], 'id');
    const en = await estimateStrength('password', [], 'en');
    expect(id.warning).toBe('Ini adalah kata sandi yang sangat sering digunakan.');
    expect(en.warning).toBe('This is a heavily used password.');
    expect(id.suggestions.length).toBeGreaterThan(0);
    expect(en.suggestions.join(' ')).not.toEqual(id.suggestions.join(' '));
  });

  it('gives no warning for a strong passphrase', async () => {
    const estimate = await estimateStrength('sepeda lumpur gelas jeruk lembah', [], 'en');
    expect(estimate.warning).toBeNull();
  });

  it('bundles what the passphrase form needs', async () => {
    expect(passphraseTools.randomInt(10)).toBeLessThan(10);
    expect(await passphraseTools.loadWordList()).toHaveLength(4096);
  });
});
