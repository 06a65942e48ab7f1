import { describe, expect, it } from 'vitest';
import { freeBytes, MB, type StorageLevel, type StorageThresholds, storageLevel } from './storage';

const THRESHOLDS: StorageThresholds = {
  warnBelowPercent: 20,
  warnBelowMb: 500,
  criticalBelowPercent: 5,
  criticalBelowMb: 100,
};
const GB = 1024 * MB;

describe('storageLevel', () => {
  it.each<[string, number, number, StorageLevel]>([
    ['empty 10 GB quota', 0, 10 * GB, 'ok'],
    ['exactly 20 % and plenty of MB free', 8 * GB, 10 * GB, 'ok'],
    ['just under 20 % free', 8 * GB + 1, 10 * GB, 'low'],
    ['exactly 5 % free', 9.5 * GB, 10 * GB, 'low'],
    ['just under 5 % free', 9.5 * GB + 1, 10 * GB, 'critical'],
    ['half of a 600 MB quota: 300 MB free is under the 500 MB floor', 300 * MB, 600 * MB, 'low'],
    ['exactly 500 MB free of a small quota', 100 * MB, 600 * MB, 'ok'],
    ['99 MB free of a small quota, 16 % free', 501 * MB, 600 * MB, 'critical'],
    ['exactly 100 MB free of a 1 GB quota', GB - 100 * MB, GB, 'low'],
    ['usage over the quota', 11 * GB, 10 * GB, 'critical'],
    ['no quota at all', 0, 0, 'critical'],
    ['a nonsense estimate', Number.NaN, 10 * GB, 'critical'],
    ['an infinite quota', 0, Number.POSITIVE_INFINITY, 'critical'],
  ])('%s → %s', (_, usage, quota, level) => {
    expect(storageLevel(usage, quota, THRESHOLDS)).toBe(level);
  });
});

describe('freeBytes', () => {
  it('is the quota left, never below zero', () => {
    expect(freeBytes(3 * MB, 10 * MB)).toBe(7 * MB);
    expect(freeBytes(12 * MB, 10 * MB)).toBe(0);
  });
});
