/**
 * Guardrails in the field (issue 8): each one stops new applications with its message and lets
 * queued ones sync. The unit tests cover every guardrail; here the two that need the whole kiosk:
 * the age limit (seeded outbox, shared server) and the server's minimum version (own server).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { loadConfig } from '../../sync-server/src/config';
import { createLogger } from '../../sync-server/src/logger';
import { type RunningServer, startServer } from '../../sync-server/src/server';
import { KioskPage } from './pages/kiosk-page';

const DAY_MS = 24 * 60 * 60 * 1000;

test('an application unsynced for longer than the limit stops new ones, and the block lifts once it syncs', async ({
  page,
  context,
}) => {
  const kiosk = new KioskPage(page);
  await kiosk.open();
  await kiosk.waitUntilOfflineReady();
  await kiosk.enroll();

  // Offline, so that the sync loop cannot send it before the block is seen.
  await context.setOffline(true);
  const [old] = await kiosk.queueSimulatedApplications(1, { ageMs: 15 * DAY_MS });
  if (!old) throw new Error('nothing seeded');
  // Written past Dexie: a reload makes the kiosk read it.
  await page.reload();

  const block = page.getByTestId('guardrail-block');
  await expect(block).toBeVisible();
  await expect(block).toHaveAttribute('role', 'alert');
  await expect(block).toContainText('Kios berhenti menerima permohonan baru');
  await expect(block.locator('[data-guardrail="oldest-too-old"]')).toContainText('15 hari');
  await expect(block.locator('[data-guardrail="oldest-too-old"]')).toContainText('batas 14 hari');
  // No new application can begin.
  await expect(kiosk.formHeading).toHaveCount(0);
  await expect(page.getByLabel('Individu')).toHaveCount(0);

  // The officer's way out: the sync queue, which says the same.
  await block.getByRole('button', { name: 'Buka Antrean Sinkronisasi' }).click();
  await expect(page.getByRole('heading', { name: 'Antrean sinkronisasi' })).toBeVisible();
  await expect(page.getByTestId('guardrail-status')).toContainText('Permohonan tertua');
  await expect(kiosk.outboxItem(old.id)).toHaveAttribute('data-state', 'queued');

  // Back online: the queued application syncs (the guardrail never holds it back) and the block
  // lifts by itself.
  await context.setOffline(false);
  await expect(kiosk.outboxItem(old.id)).toHaveAttribute('data-state', 'synced', { timeout: 60_000 });
  await expect(page.getByTestId('guardrail-status')).toHaveCount(0);
  await page.getByRole('button', { name: 'Permohonan Baru', exact: true }).click();
  await expect(kiosk.formHeading).toBeVisible();
  await expect(page.getByTestId('guardrail-block')).toHaveCount(0);
});

test.describe('a server that needs a newer kiosk', () => {
  let server: RunningServer;
  let dataDir: string;

  test.beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sertel-guardrails-'));
    server = await startServer(
      loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        STATIC_DIR: 'dist',
        LOG_LEVEL: 'silent',
        FORWARD_INTERVAL_SECONDS: '0',
        // Newer than any kiosk build.
        MIN_KIOSK_VERSION: '999.0.0',
      }),
      createLogger('silent'),
    );
  });

  test.afterAll(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('stops new applications with the update message, in both languages, and offline too', async ({
    page,
    context,
  }) => {
    const kiosk = new KioskPage(page);
    await page.goto(server.url);
    const reason = page.getByTestId('guardrail-block').locator('[data-guardrail="software-outdated"]');
    await expect(reason).toContainText('versi 999.0.0 atau lebih baru');
    await expect(page.getByRole('button', { name: 'Periksa versi baru' })).toBeVisible();
    await expect(kiosk.formHeading).toHaveCount(0);

    await page.getByRole('button', { name: 'Ganti bahasa ke English' }).click();
    await expect(reason).toContainText('only accepts version 999.0.0 or newer');
    await page.getByRole('button', { name: 'Switch language to Bahasa Indonesia' }).click();

    // The kiosk remembers what the server asked for: the block holds without the network.
    await kiosk.waitUntilOfflineReady();
    await context.setOffline(true);
    await page.reload();
    await expect(reason).toContainText('999.0.0');
    await expect(kiosk.formHeading).toHaveCount(0);
  });
});
