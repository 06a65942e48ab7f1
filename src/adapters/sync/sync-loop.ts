import { type SyncDeps, type SyncProgress, type SyncReport, syncOutbox } from '../../app/sync-outbox';

export interface SyncLoop {
  /** Runs a pass now; `force` ignores back-off (the officer asked, or the link came back). */
  trigger(force?: boolean): Promise<SyncReport | null>;
  stop(): void;
}

export interface SyncLoopEvents {
  onStart?: () => void;
  onProgress?: (p: SyncProgress) => void;
  onDone?: (report: SyncReport | null) => void;
}

const LOCK_NAME = 'sertel-kiosk-sync';
/** The CA answers in hours or days: asking for news on every 30-second pass would be noise. */
const PULL_EVERY_MS = 5 * 60_000;

/**
 * One syncing tab at a time (Web Locks); woken by the `online` event, a timer and on demand.
 * A pass that finds the lock taken returns at once: the holder will see the same items.
 */
export function startSyncLoop(deps: SyncDeps, events: SyncLoopEvents = {}, intervalMs = 30_000): SyncLoop {
  let lastPullAt = Number.NEGATIVE_INFINITY;
  const run = async (force: boolean): Promise<SyncReport | null> => {
    if (!navigator.onLine) return null;
    const pass = async (lock: Lock | null): Promise<SyncReport | null> => {
      if (lock === null) return null;
      events.onStart?.();
      let report: SyncReport | null = null;
      const pull = force || Date.now() - lastPullAt >= PULL_EVERY_MS;
      try {
        report = await syncOutbox(deps, {
          ignoreBackoff: force,
          pull,
          ...(events.onProgress ? { onProgress: events.onProgress } : {}),
        });
        if (pull && report.error === null) lastPullAt = Date.now();
      } finally {
        events.onDone?.(report);
      }
      return report;
    };
    if (!('locks' in navigator)) return pass({ name: LOCK_NAME, mode: 'exclusive' } as Lock);
    return navigator.locks.request(LOCK_NAME, { ifAvailable: true }, pass);
  };

  const onOnline = () => void run(true);
  window.addEventListener('online', onOnline);
  const timer = window.setInterval(() => void run(false), intervalMs);
  void run(false);

  return {
    trigger: (force = true) => run(force),
    stop() {
      window.removeEventListener('online', onOnline);
      window.clearInterval(timer);
    },
  };
}
