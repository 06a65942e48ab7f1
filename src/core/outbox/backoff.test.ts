import { describe, expect, it } from 'vitest';
import {
  type BackoffPolicy,
  type BatchVerdict,
  backoffDelay,
  classifyStatus,
  DEFAULT_BACKOFF,
} from './backoff';

const highest = () => 1;
const lowest = () => 0;
const POLICY: BackoffPolicy = { baseMs: 1_000, maxMs: 60_000 };

/** Exponential growth from the base, doubling per attempt, never above the cap. */
const ceilingFor = (attempt: number, policy: BackoffPolicy) =>
  Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));

describe('backoffDelay', () => {
  it.each([
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [4, 8_000],
    [5, 16_000],
    [6, 32_000],
    [7, 60_000],
    [8, 60_000],
    [100, 60_000],
    [5_000, 60_000],
  ])('attempt %i with the highest jitter waits %i ms', (attempt, ms) => {
    expect(backoffDelay(attempt, highest, POLICY)).toBe(ms);
  });

  it.each([1, 2, 3, 10, 100, 5_000])('attempt %i with the lowest jitter waits half the base', (attempt) => {
    expect(backoffDelay(attempt, lowest, POLICY)).toBe(POLICY.baseMs / 2);
  });

  it('doubles the upper bound with every attempt until the cap', () => {
    for (let attempt = 1; attempt < 30; attempt++) {
      const now = backoffDelay(attempt, highest, POLICY);
      const next = backoffDelay(attempt + 1, highest, POLICY);
      expect(next).toBe(Math.min(POLICY.maxMs, now * 2));
    }
  });

  it('stays within [baseMs / 2, min(maxMs, baseMs · 2^(attempt-1))] for any jitter', () => {
    const randoms = [0, 0.001, 0.1, 0.25, 0.5, 0.75, 0.9, 0.999999, 1];
    for (const policy of [POLICY, DEFAULT_BACKOFF, { baseMs: 250, maxMs: 250 }]) {
      for (let attempt = 1; attempt <= 40; attempt++) {
        for (const r of randoms) {
          const delay = backoffDelay(attempt, () => r, policy);
          expect(delay).toBeGreaterThanOrEqual(policy.baseMs / 2);
          expect(delay).toBeLessThanOrEqual(ceilingFor(attempt, policy));
          expect(delay).toBeLessThanOrEqual(policy.maxMs);
          expect(Number.isInteger(delay)).toBe(true);
        }
      }
    }
  });

  it('spreads kiosks out: different random draws give different delays', () => {
    const delays = new Set([0.1, 0.3, 0.5, 0.7, 0.9].map((r) => backoffDelay(6, () => r, POLICY)));
    expect(delays.size).toBe(5);
  });

  it('grows with the jitter: a larger draw never waits less', () => {
    const draws = [0, 0.2, 0.4, 0.6, 0.8, 1];
    const delays = draws.map((r) => backoffDelay(5, () => r, POLICY));
    expect(delays).toEqual([...delays].sort((a, b) => a - b));
  });

  it('uses the default policy (2 s base, 5 min cap) when none is given', () => {
    expect(backoffDelay(1, highest)).toBe(2_000);
    expect(backoffDelay(1, lowest)).toBe(1_000);
    expect(backoffDelay(50, highest)).toBe(5 * 60_000);
  });

  it.each([0, -1])('treats attempt %i like the first', (attempt) => {
    expect(backoffDelay(attempt, highest, POLICY)).toBe(backoffDelay(1, highest, POLICY));
  });
});

describe('classifyStatus', () => {
  it.each<[number, BatchVerdict]>([
    [200, 'accepted'],
    [201, 'accepted'],
    [408, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
    [504, 'retry'],
    [400, 'refused'],
    [401, 'refused'],
    [403, 'refused'],
    [404, 'refused'],
    [409, 'refused'],
    [413, 'refused'],
    [415, 'refused'],
    [422, 'refused'],
  ])('%i → %s', (status, verdict) => {
    expect(classifyStatus(status)).toBe(verdict);
  });
});
