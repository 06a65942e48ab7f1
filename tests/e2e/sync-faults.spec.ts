import { join } from 'node:path';
import { expect, type Route, test } from '@playwright/test';
import { SYNC_BATCHES_PATH } from '../../src/protocol/sync';
import { SQLITE_FILE_NAME } from '../../sync-server/src/store/open';
import { openSqliteStore } from '../../sync-server/src/store/sqlite';
import { KioskPage } from './pages/kiosk-page';

const dataDir = process.env.E2E_DATA_DIR ?? '';
const COUNT = 30;

test('a lost acknowledgement, a link cut mid-batch and a reload mid-batch: every application arrives once', async ({
  context,
  page,
}) => {
  const kiosk = new KioskPage(page);
  await kiosk.open();
  await kiosk.waitUntilOfflineReady();
  await kiosk.enroll('Loket Gangguan');
  await context.setOffline(true);
  const items = await kiosk.queueSimulatedApplications(COUNT);

  // Between kiosk and server (the context sees the service worker's traffic too): batch 2 reaches
  // the server, which commits it, but its answer is lost; batch 3 hangs until the page is reloaded.
  let batches = 0;
  let hanging: Route | null = null;
  await context.route(`**${SYNC_BATCHES_PATH}`, async (route) => {
    batches++;
    if (batches === 2) {
      await route.fetch();
      await route.abort('connectionreset');
      return;
    }
    if (batches === 3) {
      hanging = route;
      return;
    }
    await route.continue();
  });

  await context.setOffline(false);
  await kiosk.syncNow();
  await expect.poll(() => hanging !== null, { timeout: 30_000 }).toBe(true);

  // The kiosk is reloaded while batch 3 is on the wire; the link drops with it.
  await page.reload();
  await (hanging as Route | null)?.abort('connectionreset');
  await kiosk.syncNow();
  await expect(page.locator('[data-testid="outbox-item"][data-state="synced"]')).toHaveCount(COUNT, {
    timeout: 60_000,
  });
  await expect(page.locator('[data-testid="outbox-item"][data-state="rejected"]')).toHaveCount(0);

  // Exactly the queued applications on the server, once each (a resent batch 2 was a duplicate).
  const store = await openSqliteStore(join(dataDir, SQLITE_FILE_NAME));
  try {
    for (const item of items) {
      const stored = await store.getApplication(item.id);
      expect(stored?.id).toBe(item.id);
      expect(stored?.csrPem).toBe(item.record.csrPem);
    }
  } finally {
    await store.close();
  }
  expect(batches).toBeGreaterThan(3);
});
