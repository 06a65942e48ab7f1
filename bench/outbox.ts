// The kiosk's outbox in Chromium: listing and filtering with 10,000 applications stored (target
// < 100 ms), and 1,000 queued applications synced to the real server (target ≤ 20 s).
import type { BrowserContext } from '@playwright/test';
import { issueEnrollmentCode } from '../sync-server/src/domain/enrollment';
import type { RunningServer } from '../sync-server/src/server';
import { bundleForBrowser } from './bundle';
import { percentiles } from './keys';

const LIST_COUNT = Number(process.env.BENCH_OUTBOX_RECORDS ?? 10_000);
const SYNC_COUNT = Number(process.env.BENCH_SYNC_RECORDS ?? 1_000);
/** An e-KTP picture as the kiosk keeps it (the straightened card, JPEG). */
const ATTACHMENT_BYTES = 150 * 1024;

interface BrowserOps {
  count: number;
  addAllMs: number;
  screenAll: number[];
  screenQueued: number[];
  listAll: number[];
  listQueued: number[];
  listNewest50: number[];
  listSynced50: number[];
}

interface BrowserSync {
  count: number;
  attachmentBytes: number;
  syncMs: number;
  passes: number;
  synced: number;
}

type Api = {
  outboxOperations(count: number): Promise<BrowserOps>;
  syncThousand(origin: string, code: string, count: number, attachmentBytes: number): Promise<BrowserSync>;
};

/** Runs in a persistent context: IndexedDB on disk, as on a kiosk. */
export async function runOutboxBenchmark(context: BrowserContext, server: RunningServer) {
  const script = await bundleForBrowser('bench/browser-outbox.ts');
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(server.url);
  await page.addScriptTag({ content: script });
  const ops = await page.evaluate(
    (n) => (globalThis as unknown as { sertelOutboxBench: Api }).sertelOutboxBench.outboxOperations(n),
    LIST_COUNT,
  );
  const { code } = await issueEnrollmentCode(server.store, { name: 'Bench Chromium', now: new Date() });
  const sync = await page.evaluate(
    ([origin, c, n, bytes]) =>
      (globalThis as unknown as { sertelOutboxBench: Api }).sertelOutboxBench.syncThousand(
        origin,
        c,
        n,
        bytes,
      ),
    [server.url, code, SYNC_COUNT, ATTACHMENT_BYTES] as const,
  );
  const listAll = percentiles(ops.listAll);
  const listQueued = percentiles(ops.listQueued);
  const screenAll = percentiles(ops.screenAll);
  const screenQueued = percentiles(ops.screenQueued);
  return {
    stored: ops.count,
    addAllMs: Math.round(ops.addAllMs),
    note: 'screen*: what the outbox screen loads (a page of 200, newest first, plus the counts per state); list*: raw adapter reads',
    screenAll,
    screenQueued,
    listAll,
    listQueued,
    listNewest50: percentiles(ops.listNewest50),
    listSynced50: percentiles(ops.listSynced50),
    sync: {
      records: sync.count,
      attachmentKb: Math.round(sync.attachmentBytes / 1024),
      seconds: Math.round(sync.syncMs / 100) / 10,
      passes: sync.passes,
      synced: sync.synced,
      recordsPerSecond: Math.round((sync.count / sync.syncMs) * 1000),
    },
    targets: {
      listAndFilterUnder100ms: {
        screenAllMedianMs: screenAll.medianMs,
        screenQueuedMedianMs: screenQueued.medianMs,
        met: screenAll.medianMs < 100 && screenQueued.medianMs < 100,
      },
      sync1000Within20s: {
        seconds: Math.round(sync.syncMs / 100) / 10,
        met: sync.syncMs <= 20_000 && sync.synced === sync.count,
      },
    },
  };
}
