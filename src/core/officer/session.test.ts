import { describe, expect, it } from 'vitest';
import { idleExpired, msUntilIdle } from './session';

const T0 = Date.UTC(2026, 10, 26, 2, 30);

describe('idleExpired', () => {
  it.each<[string, number, boolean]>([
    ['just touched', 0, false],
    ['one millisecond before the limit', 299_999, false],
    ['exactly at the limit', 300_000, true],
    ['long after', 3_600_000, true],
    ['a clock that went backwards', -1, true],
  ])('officer mode (300 s), %s', (_what, elapsedMs, expired) => {
    expect(idleExpired(T0, T0 + elapsedMs, 300)).toBe(expired);
  });

  it('applies the applicant limit the same way', () => {
    expect(idleExpired(T0, T0 + 119_999, 120)).toBe(false);
    expect(idleExpired(T0, T0 + 120_000, 120)).toBe(true);
  });
});

describe('msUntilIdle', () => {
  it('counts down to the limit, then stays at 0', () => {
    expect(msUntilIdle(T0, T0, 120)).toBe(120_000);
    expect(msUntilIdle(T0, T0 + 100_000, 120)).toBe(20_000);
    expect(msUntilIdle(T0, T0 + 120_000, 120)).toBe(0);
    expect(msUntilIdle(T0, T0 - 5, 120)).toBe(0);
  });
});
