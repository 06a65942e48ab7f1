import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { SYNC_BATCHES_PATH } from '../../src/protocol/sync';
import { SQLITE_FILE_NAME } from '../../sync-server/src/store/open';
import { openSqliteStore } from '../../sync-server/src/store/sqlite';
import { KioskPage } from './pages/kiosk-page';

const dataDir = process.env.E2E_DATA_DIR ?? '';
const COUNT = 40;

interface LogLine {
  time: number;
  method?: string;
  path?: string;
  status?: number;
  ms?: number;
}

test('five tabs of one kiosk: one sync loop at a time, every application sent once', async ({
  context,
  page,
}) => {
  const kiosk = new KioskPage(page);
  await kiosk.open();
  await kiosk.waitUntilOfflineReady();
  await kiosk.enroll('Loket Lima Tab');

  // Queue applications while offline, as a field team would, straight into the kiosk's outbox.
  await context.setOffline(true);
  const items = await kiosk.queueSimulatedApplications(COUNT);
  const tabs = [page, ...(await Promise.all(Array.from({ length: 4 }, () => context.newPage())))];
  for (const tab of tabs.slice(1)) {
    await tab.goto('/');
    await expect(tab.getByRole('heading', { name: 'Permohonan Sertifikat Elektronik' })).toBeVisible();
  }
  const before = Date.now();
  // The link comes back: every tab hears `online` at once, and each officer presses "sync" too.
  await context.setOffline(false);
  await Promise.all(tabs.map((tab) => new KioskPage(tab).syncNow()));
  // Whichever tab ran the loop, the outbox ends with every application synced (read after a reload:
  // rows written behind Dexie's back are not announced to the other tabs' live queries).
  await expect
    .poll(async () => (await new KioskPage(page).dumpIndexedDb()).split('"state":"synced"').length - 1, {
      timeout: 60_000,
    })
    .toBe(COUNT);
  await page.reload();
  await new KioskPage(page).openOutbox();
  await expect(page.locator('[data-testid="outbox-item"][data-state="synced"]')).toHaveCount(COUNT);

  // The server got each application once…
  const store = await openSqliteStore(join(dataDir, SQLITE_FILE_NAME));
  try {
    for (const item of items) expect((await store.getApplication(item.id))?.id).toBe(item.id);
  } finally {
    await store.close();
  }
  // …and never two batches from this kiosk at the same time: the sync loop ran in one tab at a time.
  const batches = readFileSync(join(dataDir, 'server.log'), 'utf8')
    .split('\n')
    .filter((line) => line.includes(`"path":"${SYNC_BATCHES_PATH}"`))
    .map((line) => JSON.parse(line) as LogLine)
    .filter((l) => l.time >= before && l.method === 'POST' && l.status === 200)
    .map((l) => ({ start: l.time - (l.ms ?? 0), end: l.time }))
    .sort((a, b) => a.start - b.start);
  // Exactly the batches one pass makes (10 records each): no application went out twice.
  expect(batches.length).toBe(Math.ceil(COUNT / 10));
  for (let i = 1; i < batches.length; i++) {
    // Log times are whole milliseconds: allow the rounding of the two ends.
    expect(batches[i]?.start ?? 0).toBeGreaterThanOrEqual((batches[i - 1]?.end ?? 0) - 2);
  }
});
