import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { renderEktpPng } from '../../scripts/make-ektp';
import { loadConfig } from '../../sync-server/src/config';
import { createLogger } from '../../sync-server/src/logger';
import { type RunningServer, startServer } from '../../sync-server/src/server';
import { makePerson } from '../support/ektp';
import { KioskPage } from './pages/kiosk-page';

test('the form says everything that is missing at once, in Indonesian, and keeps what was typed', async ({
  page,
}) => {
  const kiosk = new KioskPage(page);
  await kiosk.open();
  await page.getByLabel('Nama lengkap (sesuai e-KTP)').fill('Budi Santoso');
  await page.getByLabel('NIK (16 digit)').fill('35770112');
  await page.getByLabel('E-mail dinas').fill('budi@gmail.com');

  // Nothing is submitted while anything is missing; the list next to the button says why.
  await expect(kiosk.submitButton).toBeDisabled();
  const missing = kiosk.missingList;
  await expect(missing).toContainText('Yang masih harus dilengkapi');
  await expect(missing).toContainText('Pilih jenis sertifikat.');
  await expect(missing).toContainText('NIK harus 16 digit.');
  await expect(missing).toContainText('Gunakan e-mail dinas dengan domain madiunkota.go.id.');
  await expect(missing).toContainText('Pilih Perangkat Daerah.');
  await expect(missing).toContainText('Unggah foto atau pindaian e-KTP.');
  await expect(page.getByLabel('NIK (16 digit)')).toHaveAttribute('aria-invalid', 'true');
  // Nothing typed is lost.
  await expect(page.getByLabel('Nama lengkap (sesuai e-KTP)')).toHaveValue('BUDI SANTOSO');
  await expect(page.getByLabel('NIK (16 digit)')).toHaveValue('35770112');
});

test('English is one tap away and the typed data survives the switch', async ({ page }) => {
  const kiosk = new KioskPage(page);
  await kiosk.open();
  await page.getByLabel('Nama lengkap (sesuai e-KTP)').fill('Siti Rahayu');
  await page.getByRole('button', { name: 'Ganti bahasa ke English' }).click();
  await expect(page.getByRole('heading', { name: 'Electronic certificate application' })).toBeVisible();
  await expect(page.getByLabel('Full name (as on the e-KTP)')).toHaveValue('SITI RAHAYU');
  await page.getByRole('button', { name: 'Switch language to Bahasa Indonesia' }).click();
  await expect(kiosk.formHeading).toBeVisible();
});

test.describe('a new version of the kiosk', () => {
  let server: RunningServer;
  let staticDir: string;

  test.beforeAll(async () => {
    // A private copy of the build, so this test can publish a "new version" of the service worker.
    staticDir = mkdtempSync(join(tmpdir(), 'sertel-update-'));
    cpSync('dist', staticDir, { recursive: true });
    server = await startServer(
      loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: join(staticDir, 'data'),
        STATIC_DIR: staticDir,
        LOG_LEVEL: 'silent',
      }),
      createLogger('silent'),
    );
  });

  test.afterAll(async () => {
    await server.close();
    rmSync(staticDir, { recursive: true, force: true });
  });

  test('is announced but never reloads the page while an application is open', async ({ page, browser }) => {
    const kiosk = new KioskPage(page);
    await page.goto(server.url);
    await expect(kiosk.formHeading).toBeVisible();
    await kiosk.waitUntilOfflineReady();
    await page.evaluate(() => {
      (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
    });

    const person = makePerson(31);
    await kiosk.fillApplication(person, 'uji.pembaruan@madiunkota.go.id', 'Dinas Komunikasi dan Informatika');
    await kiosk.typeEktp({ nik: person.nik, nama: person.nama });

    appendFileSync(join(staticDir, 'sw.js'), `\n// new version ${Date.now()}\n`);
    await page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())?.update();
    });

    const banner = page.getByRole('status').filter({ hasText: 'Versi baru aplikasi tersedia.' });
    await expect(banner).toBeVisible();
    await expect(banner.getByRole('button', { name: 'Perbarui sekarang' })).toBeDisabled();
    await expect(banner).toContainText('Selesaikan atau simpan permohonan');
    // Still the same document with the same data: nothing reloaded behind the applicant's back.
    expect(
      await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
    ).toBe(true);
    await expect(page.getByLabel('NIK (16 digit)')).toHaveValue(person.nik);

    // Once the application is saved, the officer may update.
    await kiosk.uploadEktp(await renderEktpPng(browser, 31));
    await kiosk.waitForReading();
    // What the officer typed stays; the reading fills the rest.
    await expect(kiosk.ektpField('nik')).toHaveValue(person.nik);
    await kiosk.confirmUnsureFields();
    await kiosk.completeApplicantSteps();
    await kiosk.setPassphrase('hujan turun di alun-alun kota madiun');
    await kiosk.submit();
    await expect(kiosk.applicationNumber).toBeVisible({ timeout: 60_000 });
    const reloaded = page.waitForEvent('load');
    await banner.getByRole('button', { name: 'Perbarui sekarang' }).click();
    await reloaded;
    expect(
      await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
    ).toBeUndefined();
    await expect(kiosk.formHeading).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'Versi baru aplikasi tersedia.' })).toHaveCount(
      0,
    );
  });
});
