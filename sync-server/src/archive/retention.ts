/**
 * Retention of the sealed archive (issue 8): the personal data of an application is deleted
 * `ARCHIVE_RETENTION_YEARS` after its certificate's end of validity, or, when none was issued,
 * after the final refusal (by the CA or the officer). The non-personal skeleton stays for the
 * yearly report; each run that deletes anything appends one `archive-purged` server event.
 */
import type { ServerAuditLog } from '../audit/server-chain';
import type { Store } from '../store/store';

/** Ids per store call: one run purges everything due, a chunk at a time. */
const PURGE_CHUNK = 200;
const DRY_RUN_LIMIT = 10_000;
/** Ids named in one audit event; the count beside them says how many there were in all. */
const MAX_SUBJECT_IDS = 200;

export interface PurgeResult {
  dryRun: boolean;
  retentionYears: number;
  /** The moment before which an end of validity or a refusal is past retention. */
  cutoff: string;
  ids: string[];
}

/** `now` minus whole calendar years (UTC); 29 February falls back to 28 February (or 1 March). */
export function retentionCutoff(now: Date, years: number): string {
  const cutoff = new Date(now.getTime());
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years);
  return cutoff.toISOString();
}

export async function purgeExpired(options: {
  store: Pick<Store, 'listPurgeable' | 'purgePersonalData'>;
  audit: ServerAuditLog;
  /** `server` (the daily timer) or `cli`. */
  actor: string;
  retentionYears: number;
  now: Date;
  dryRun?: boolean;
}): Promise<PurgeResult> {
  const { store, retentionYears, now } = options;
  const dryRun = options.dryRun === true;
  const cutoff = retentionCutoff(now, retentionYears);
  const ids: string[] = [];
  if (dryRun) {
    // Nothing is deleted, so paging would return the same rows: one large page shows what is due.
    ids.push(...(await store.listPurgeable(cutoff, DRY_RUN_LIMIT)));
  } else {
    for (;;) {
      const due = await store.listPurgeable(cutoff, PURGE_CHUNK);
      if (due.length === 0) break;
      const purged = await store.purgePersonalData(due, now.toISOString());
      ids.push(...purged);
      // Another process purged them first: whatever is left is due the next run.
      if (purged.length === 0 || due.length < PURGE_CHUNK) break;
    }
  }
  ids.sort();
  if (!dryRun && ids.length > 0) {
    await options.audit.record('archive-purged', options.actor, ids.slice(0, MAX_SUBJECT_IDS).join(','), {
      applications: String(ids.length),
      retentionYears: String(retentionYears),
      cutoff,
    });
  }
  return { dryRun, retentionYears, cutoff, ids };
}

const DAY_MS = 86_400_000;

/**
 * Runs the purge once a day (first an hour after start, so a restart loop does not hammer the
 * database); a failure is logged and tried the next day. `stop` waits for a run in progress.
 */
export function schedulePurge(
  run: () => Promise<PurgeResult>,
  logger: { info(fields: object, msg: string): void; error(fields: object, msg: string): void },
  options: { firstDelayMs?: number; intervalMs?: number } = {},
): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (stopped || running !== null) return;
    running = run()
      .then((result) => {
        if (result.ids.length > 0)
          logger.info({ applications: result.ids.length, cutoff: result.cutoff }, 'archive purged');
      })
      .catch((err: unknown) => logger.error({ err }, 'archive purge failed'))
      .finally(() => {
        running = null;
      });
  };
  const first = setTimeout(tick, options.firstDelayMs ?? 3_600_000);
  const every = setInterval(tick, options.intervalMs ?? DAY_MS);
  first.unref();
  every.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(every);
      await running;
    },
  };
}
