import type { StorageLevel } from './storage';

/**
 * Guardrails in the field (issue 8): when the kiosk stops taking new applications. Queued ones
 * still sync; an application already being filled in can still be saved. Pure: the use case
 * gathers the inputs.
 */

/** `config/kiosk.json` → `guardrails`. */
export interface GuardrailLimits {
  /** Unsynced applications at which new ones stop (the next one would be one too many). */
  maxUnsynced: number;
  /** Days the oldest unsynced application may wait before new ones stop. */
  maxUnsyncedAgeDays: number;
}

export interface GuardrailInput {
  /** Applications the server has not acknowledged yet (held for the officer, or queued). */
  unsyncedCount: number;
  /** ISO capture time of the oldest of them; null when there are none. */
  oldestUnsyncedAt: string | null;
  now: Date;
  /** null: the browser does not say how full its storage is. */
  storageLevel: StorageLevel | null;
  /** This kiosk's software version (x.y.z). */
  kioskVersion: string;
  /** The oldest version the server still accepts, as last heard; null: no minimum or never heard. */
  minimumVersion: string | null;
  /**
   * Whether the kiosk holds an RA archive key to seal applications to (issue 8): a kiosk that never
   * reached the server has none, and an application it took could not be sealed.
   */
  archiveKeyKnown: boolean;
}

export type Guardrail =
  | { kind: 'too-many-unsynced'; unsynced: number; max: number }
  | { kind: 'oldest-too-old'; ageDays: number; maxDays: number; oldestAt: string }
  | { kind: 'storage-nearly-full' }
  | { kind: 'software-outdated'; kioskVersion: string; minimumVersion: string }
  | { kind: 'no-archive-key' };

export type GuardrailKind = Guardrail['kind'];

/** Release versions only (`1.4.0`); no pre-release or build tags. */
export const VERSION_PATTERN = /^(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})$/;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Negative, zero or positive as `a` is older than, the same as or newer than `b`; null if either is not x.y.z. */
export function compareVersions(a: string, b: string): number | null {
  const pa = VERSION_PATTERN.exec(a);
  const pb = VERSION_PATTERN.exec(b);
  if (!pa || !pb) return null;
  for (let i = 1; i <= 3; i++) {
    const diff = Number(pa[i]) - Number(pb[i]);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** The guardrails tripped now, in a fixed order; empty when a new application may start. */
export function trippedGuardrails(input: GuardrailInput, limits: GuardrailLimits): Guardrail[] {
  const tripped: Guardrail[] = [];
  if (input.unsyncedCount >= limits.maxUnsynced) {
    tripped.push({ kind: 'too-many-unsynced', unsynced: input.unsyncedCount, max: limits.maxUnsynced });
  }
  if (input.oldestUnsyncedAt !== null) {
    const captured = Date.parse(input.oldestUnsyncedAt);
    // A capture "in the future" (the clock was corrected since) counts as new, not as nonsense.
    const ageMs = Number.isNaN(captured) ? 0 : Math.max(0, input.now.getTime() - captured);
    if (ageMs > limits.maxUnsyncedAgeDays * DAY_MS) {
      tripped.push({
        kind: 'oldest-too-old',
        ageDays: Math.floor(ageMs / DAY_MS),
        maxDays: limits.maxUnsyncedAgeDays,
        oldestAt: input.oldestUnsyncedAt,
      });
    }
  }
  // "Nearly full" is the outbox screen's alarm level; `low` only warns there.
  if (input.storageLevel === 'critical') tripped.push({ kind: 'storage-nearly-full' });
  if (input.minimumVersion !== null) {
    // A version that does not read as x.y.z cannot be shown to be new enough.
    const order = compareVersions(input.kioskVersion, input.minimumVersion);
    if (order === null || order < 0) {
      tripped.push({
        kind: 'software-outdated',
        kioskVersion: input.kioskVersion,
        minimumVersion: input.minimumVersion,
      });
    }
  }
  if (!input.archiveKeyKnown) tripped.push({ kind: 'no-archive-key' });
  return tripped;
}
