import { describe, expect, it } from 'vitest';
import { createRandomInt, type RandomFill } from './random';

/** A fake source handing out the given 32-bit words, in order. */
function sequence(values: number[]): RandomFill & { used: () => number } {
  let i = 0;
  const fill = (buffer: Uint32Array<ArrayBuffer>) => {
    const value = values[i++];
    if (value === undefined) throw new Error('fake source exhausted');
    buffer[0] = value;
    return buffer;
  };
  return Object.assign(fill, { used: () => i });
}

/** Deterministic uniform 32-bit words (mulberry32), to look at the distribution without flakiness. */
function seeded(seed: number): RandomFill {
  let a = seed >>> 0;
  return (buffer) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    buffer[0] = (t ^ (t >>> 14)) >>> 0;
    return buffer;
  };
}

describe('createRandomInt', () => {
  it('maps an accepted word by its remainder', () => {
    const source = sequence([7, 4095, 4096]);
    const randomInt = createRandomInt(source);
    expect([randomInt(4096), randomInt(4096), randomInt(4096)]).toEqual([7, 4095, 0]);
    expect(source.used()).toBe(3);
  });

  it('draws again when the word falls in the incomplete last block', () => {
    // 2^32 = 3 × 1431655765 + 1: the single word 2^32 − 1 would make 0 more likely than 1 and 2.
    const source = sequence([0xffffffff, 0xffffffff, 5]);
    expect(createRandomInt(source)(3)).toBe(2);
    expect(source.used()).toBe(3);
  });

  it('accepts the last word of the last full block', () => {
    const limit = 2 ** 32 - (2 ** 32 % 6);
    const source = sequence([limit - 1, limit]);
    expect(createRandomInt(source)(6)).toBe((limit - 1) % 6);
    expect(source.used()).toBe(1);
  });

  it('rejects up to half of the words for the worst bound, and stays unbiased', () => {
    // max = 2^31 + 1: only words below 2^31 + 1 are usable, nearly one in two.
    const max = 2 ** 31 + 1;
    const source = sequence([2 ** 31 + 1, 2 ** 32 - 1, 2 ** 31]);
    expect(createRandomInt(source)(max)).toBe(2 ** 31);
    expect(source.used()).toBe(3);
  });

  it('needs no draw for a power of two (never rejects)', () => {
    const source = sequence([0xffffffff]);
    expect(createRandomInt(source)(2048)).toBe(2047);
  });

  it('is close to uniform (chi-square, 6 bins, 60,000 draws)', () => {
    const randomInt = createRandomInt(seeded(20240501));
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60_000; i++) {
      const k = randomInt(6);
      counts[k] = (counts[k] ?? 0) + 1;
    }
    const expected = 10_000;
    const chi2 = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    // 5 degrees of freedom: P(χ² > 20.5) ≈ 0.001.
    expect(chi2).toBeLessThan(20.5);
  });

  it('uses crypto.getRandomValues by default', () => {
    const randomInt = createRandomInt();
    for (let i = 0; i < 100; i++) {
      const k = randomInt(10);
      expect(Number.isInteger(k) && k >= 0 && k < 10).toBe(true);
    }
  });

  it.each([0, -1, 1.5, 2 ** 32 + 1, Number.NaN])('refuses the bound %d', (max) => {
    expect(() => createRandomInt(sequence([1]))(max)).toThrow(RangeError);
  });
});
