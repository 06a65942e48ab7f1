import { describe, expect, it } from 'vitest';
import { MB } from '../core/outbox/storage';
import type { StorageEstimate, StorageInspector } from './ports';
import { readStorageStatus } from './storage-status';

const THRESHOLDS = { warnBelowPercent: 20, warnBelowMb: 500, criticalBelowPercent: 5, criticalBelowMb: 100 };

const inspector = (estimate: StorageEstimate | null, persisted: boolean | null): StorageInspector => ({
  estimate: async () => estimate,
  persisted: async () => persisted,
  persist: async () => persisted,
});

describe('readStorageStatus', () => {
  it('reports used, free and the level from the configured thresholds', async () => {
    expect(
      await readStorageStatus(inspector({ usage: 700 * MB, quota: 1000 * MB }, true), THRESHOLDS),
    ).toEqual({
      known: true,
      usageBytes: 700 * MB,
      quotaBytes: 1000 * MB,
      freeBytes: 300 * MB,
      level: 'low',
      persisted: true,
    });
  });

  it('says the figures are unknown where the browser gives none, and still says whether it persists', async () => {
    expect(await readStorageStatus(inspector(null, false), THRESHOLDS)).toEqual({
      known: false,
      persisted: false,
    });
    expect(await readStorageStatus(inspector(null, null), THRESHOLDS)).toEqual({
      known: false,
      persisted: null,
    });
  });
});
