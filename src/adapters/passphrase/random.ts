/** Fills a buffer with cryptographically strong random values (`crypto.getRandomValues`). */
export type RandomFill = (buffer: Uint32Array<ArrayBuffer>) => Uint32Array<ArrayBuffer>;

const RANGE = 2 ** 32;

/**
 * A uniform integer in [0, maxExclusive) from 32-bit random words. Plain `x % max` favours the
 * low values when 2³² is not a multiple of max, so words at or above the last full multiple are
 * drawn again (at most once in two draws on average, for any max).
 */
export function createRandomInt(
  fill: RandomFill = (buffer) => globalThis.crypto.getRandomValues(buffer),
): (maxExclusive: number) => number {
  const buffer = new Uint32Array(1);
  return (maxExclusive) => {
    if (!Number.isInteger(maxExclusive) || maxExclusive < 1 || maxExclusive > RANGE) {
      throw new RangeError(`randomInt: maxExclusive must be an integer in 1..2^32, got ${maxExclusive}`);
    }
    const limit = RANGE - (RANGE % maxExclusive);
    for (;;) {
      const value = fill(buffer)[0] ?? 0;
      if (value < limit) return value % maxExclusive;
    }
  };
}

/** The kiosk's source of randomness for generated passphrases. */
export const randomInt: (maxExclusive: number) => number = createRandomInt();
