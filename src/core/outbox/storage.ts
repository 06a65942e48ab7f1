/** How full the kiosk's storage is, from the browser's estimate. Pure: the adapter asks the browser. */
export type StorageLevel = 'ok' | 'low' | 'critical';

/** `config/kiosk.json` → `storage`: a level applies when either limit is crossed. */
export interface StorageThresholds {
  warnBelowPercent: number;
  warnBelowMb: number;
  criticalBelowPercent: number;
  criticalBelowMb: number;
}

/** The "MB" of the thresholds and of the outbox screen. */
export const MB = 1024 * 1024;

export function freeBytes(usage: number, quota: number): number {
  return Math.max(0, quota - usage);
}

/**
 * Both a share and an absolute floor: a small quota runs out in few applications even at 20 % free,
 * a large one still has room for thousands at 5 %. A quota of 0 or nonsense counts as full.
 */
export function storageLevel(usage: number, quota: number, thresholds: StorageThresholds): StorageLevel {
  if (!Number.isFinite(usage) || !Number.isFinite(quota) || quota <= 0) return 'critical';
  const free = freeBytes(usage, quota);
  const percentFree = (free / quota) * 100;
  if (percentFree < thresholds.criticalBelowPercent || free < thresholds.criticalBelowMb * MB)
    return 'critical';
  if (percentFree < thresholds.warnBelowPercent || free < thresholds.warnBelowMb * MB) return 'low';
  return 'ok';
}
