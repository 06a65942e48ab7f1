import { type Guardrail, type GuardrailLimits, trippedGuardrails } from '../core/outbox/guardrails';
import type { StorageThresholds } from '../core/outbox/storage';
import type { KioskPolicyStore, OutboxStore, StorageInspector } from './ports';
import { readStorageStatus } from './storage-status';

export type { Guardrail };

export interface CaptureGuardrailDeps {
  outbox: Pick<OutboxStore, 'unsynced'>;
  policy: Pick<KioskPolicyStore, 'minimumKioskVersion' | 'archiveKey'>;
  storage: StorageInspector;
  storageThresholds: StorageThresholds;
  /** This kiosk's software version (package.json, fixed at build time). */
  kioskVersion: string;
  limits: GuardrailLimits;
  now: () => Date;
}

/**
 * Whether a new application may start: the guardrails tripped now, empty when it may. Only the
 * start of an application reads this; saving one already filled in and syncing never do.
 */
export async function checkCaptureGuardrails(deps: CaptureGuardrailDeps): Promise<Guardrail[]> {
  const [unsynced, storage, minimumVersion, archiveKey] = await Promise.all([
    deps.outbox.unsynced(),
    readStorageStatus(deps.storage, deps.storageThresholds),
    deps.policy.minimumKioskVersion(),
    deps.policy.archiveKey(),
  ]);
  return trippedGuardrails(
    {
      unsyncedCount: unsynced.count,
      oldestUnsyncedAt: unsynced.oldestCreatedAt,
      now: deps.now(),
      storageLevel: storage.known ? storage.level : null,
      kioskVersion: deps.kioskVersion,
      minimumVersion,
      archiveKeyKnown: archiveKey !== null,
    },
    deps.limits,
  );
}

/** Calls back whenever something a guardrail reads may have changed; returns the unsubscribe. */
export type ChangeSource = (changed: () => void) => () => void;

/**
 * Checks now and again after every change any source reports (the outbox, a newly heard policy, a
 * timer for the age limit and the storage), and tells the listener each verdict. One check at a
 * time: changes during a check cause exactly one more. A failed check keeps the last verdict (the
 * guardrails are a safety net: a bug in them must not stop the kiosk).
 */
export function watchCaptureGuardrails(
  check: () => Promise<Guardrail[]>,
  sources: readonly ChangeSource[],
  listener: (tripped: Guardrail[]) => void,
  onError: (err: unknown) => void = () => undefined,
): () => void {
  let stopped = false;
  let running = false;
  let again = false;
  const run = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        try {
          const tripped = await check();
          if (!stopped && !again) listener(tripped);
        } catch (err) {
          onError(err);
        }
      } while (again && !stopped);
    } finally {
      running = false;
    }
  };
  const unsubscribes = sources.map((source) => source(() => void run()));
  void run();
  return () => {
    stopped = true;
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}
