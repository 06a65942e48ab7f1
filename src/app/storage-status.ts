import { freeBytes, type StorageLevel, type StorageThresholds, storageLevel } from '../core/outbox/storage';
import type { StorageInspector } from './ports';

/** What the outbox screen shows about the kiosk's storage. */
export type StorageStatus =
  | {
      known: true;
      usageBytes: number;
      quotaBytes: number;
      freeBytes: number;
      level: StorageLevel;
      /** null: the browser does not say. */
      persisted: boolean | null;
    }
  | { known: false; persisted: boolean | null };

export async function readStorageStatus(
  inspector: StorageInspector,
  thresholds: StorageThresholds,
): Promise<StorageStatus> {
  const [estimate, persisted] = await Promise.all([inspector.estimate(), inspector.persisted()]);
  if (!estimate) return { known: false, persisted };
  return {
    known: true,
    usageBytes: estimate.usage,
    quotaBytes: estimate.quota,
    freeBytes: freeBytes(estimate.usage, estimate.quota),
    level: storageLevel(estimate.usage, estimate.quota, thresholds),
    persisted,
  };
}
