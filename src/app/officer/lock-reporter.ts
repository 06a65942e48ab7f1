/**
 * When the kiosk tells the server about officers it locked (docs/officers.md): on start, whenever
 * the link comes back, and right after a lock. One report at a time; a call during a report makes
 * one more pass after it, so a lock that happened meanwhile is not left for the next `online`.
 */
import { type LockReportDeps, type LockReportSummary, reportPendingLocks } from './officer-session';

export interface LockReporter {
  /** Reports what is pending now (nothing when offline); resolves with the last pass's summary. */
  report(): Promise<LockReportSummary | null>;
}

export interface LockReporterDeps extends LockReportDeps {
  /** `navigator.onLine` in the browser: offline, nothing is tried. */
  online: () => boolean;
  /** Where a failed pass is told (never with a name or NIK: officer ids only). */
  onError?: (error: unknown) => void;
}

export function createLockReporter(deps: LockReporterDeps): LockReporter {
  let running: Promise<LockReportSummary | null> | null = null;
  let again = false;

  const pass = async (): Promise<LockReportSummary | null> => {
    let last: LockReportSummary | null = null;
    do {
      again = false;
      if (!deps.online()) return last;
      try {
        last = await reportPendingLocks(deps);
      } catch (error) {
        deps.onError?.(error);
        return last;
      }
    } while (again);
    return last;
  };

  return {
    report() {
      if (running) {
        again = true;
        return running;
      }
      running = pass().finally(() => {
        running = null;
      });
      return running;
    },
  };
}
