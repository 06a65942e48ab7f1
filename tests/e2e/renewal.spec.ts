/**
 * Renewal (Pasal 14) at the kiosk, against the real server and its dev CA: a certificate issued
 * through the forwarding job shows on the officer's expiring list under its Perangkat Daerah; the
 * officer finds it by NIK and by serial and starts the renewal; the applicant goes through the form
 * prefilled from the old certificate, with a new key; the renewal is issued and links old and new,
 * its receipt and status page say so, and the old certificate leaves the list.
 * The e2e server's dev CA issues 25-day certificates (playwright.config.ts), inside the 30-day window.
 */
import { expect, type Page, test } from '@playwright/test';
import {
  approveReleaseAndIssue,
  type Counter,
  completeAndSubmit,
  LifecyclePage,
  openCounter,
  PERANGKAT_DAERAH,
  person,
  serialOf,
  submitFirst,
  typedSerial,
  withServerStore,
} from './pages/lifecycle-page';

const SEED = 8_1001;
const FIRST_PASSPHRASE = 'sepeda merah melaju di jalan pahlawan madiun';
const RENEWAL_PASSPHRASE = 'payung biru tertinggal di stasiun kereta pagi';

test.describe
  .serial('renewal of a certificate about to expire (Pasal 14)', () => {
    let page: Page;
    let counter: Counter;
    let lifecycle: LifecyclePage;
    let oldId = '';
    let serial = '';
    let renewalId = '';

    test.beforeAll(async ({ browser }) => {
      counter = await openCounter(browser, 'Loket Pembaruan');
      page = counter.page;
      lifecycle = new LifecyclePage(page);
    });

    test.afterAll(async () => {
      await page.context().close();
    });

    test('a certificate issued through the forwarding job is on the expiring list under its Perangkat Daerah', async ({
      browser,
    }) => {
      oldId = await submitFirst(counter, browser, SEED, FIRST_PASSPHRASE);
      await counter.kiosk.startNewApplication();
      await approveReleaseAndIssue(counter, oldId);
      serial = await serialOf(oldId);

      await counter.officerPage.signIn(counter.verifier);
      await lifecycle.openTab('Pembaruan');
      const group = lifecycle.renewal.locator(
        `[data-testid="expiring-group"][data-perangkat-daerah="${PERANGKAT_DAERAH}"]`,
      );
      const row = group.locator(`[data-testid="expiring-row"][data-id="${oldId}"]`);
      await expect(row).toBeVisible({ timeout: 30_000 });
      await expect(row).toHaveAttribute('data-serial', serial);
      await expect(row).toContainText(person(SEED).person.nama);
    });

    test('found by NIK and by serial; "Mulai pembaruan" opens the form prefilled from the old certificate, the type kept', async () => {
      const { person: who, email } = person(SEED);
      const byNik = await lifecycle.search(lifecycle.renewal, who.nik, oldId);
      await expect(byNik).toHaveAttribute('data-standing', 'valid');
      const bySerial = await lifecycle.search(lifecycle.renewal, typedSerial(serial), oldId);
      await expect(bySerial).toHaveAttribute('data-serial', serial);

      await lifecycle.expiringRow(oldId).getByRole('button', { name: 'Mulai pembaruan' }).click();
      // Applicant mode, officer signed out: the applicant goes on in person.
      await expect(counter.officerPage.signedIn).toHaveCount(0);
      await expect(lifecycle.followUpBanner).toHaveAttribute('data-relation', 'renewal');
      await expect(lifecycle.followUpBanner).toHaveAttribute('data-serial', serial);
      await expect(page.getByLabel('Individu', { exact: true })).toBeChecked();
      await expect(page.getByLabel('Jabatan / Wewenang / Organisasi', { exact: true })).toBeDisabled();
      await expect(page.getByLabel('E-mail dinas')).toHaveValue(email);
      await expect(page.getByLabel('NIP (18 digit, untuk ASN)')).toHaveValue(who.nip);
      await expect(page.getByLabel('Perangkat Daerah', { exact: true })).toHaveValue(PERANGKAT_DAERAH);
      await expect(counter.kiosk.ektpField('nik')).toHaveValue(who.nik);
    });

    test('the applicant makes a new key; the receipt and the status page say it renews the old certificate', async ({
      browser,
    }) => {
      renewalId = await completeAndSubmit(counter, browser, SEED, RENEWAL_PASSPHRASE);
      expect(renewalId).not.toBe(oldId);
      const receipt = counter.kiosk.receipt;
      await expect(receipt).toContainText('Memperbarui sertifikat');
      await expect(receipt).toContainText(serial.match(/.{2}/g)?.join(':') ?? serial);
      await counter.kiosk.startNewApplication();
      const status = await lifecycle.openStatus(renewalId);
      await expect(status.getByTestId('status-follows')).toHaveAttribute('data-relation', 'renewal');
      await expect(status.getByTestId('status-follows')).toHaveAttribute('data-serial', serial);
      await page.getByRole('button', { name: 'Permohonan Baru', exact: true }).click();
    });

    test('issued through the forwarding job: the new application names the old serial, the old leaves the list', async () => {
      await approveReleaseAndIssue(counter, renewalId);
      const renewed = await withServerStore((store) => store.getApplication(renewalId));
      expect(renewed?.state).toBe('issued');
      expect(renewed?.previous).toEqual({
        applicationId: oldId,
        serialNumberHex: serial,
        relation: 'renewal',
      });
      expect(renewed?.certificateSerialHex).not.toBe(serial);
      // A new key: the CSR is not the old one.
      const old = await withServerStore((store) => store.getApplication(oldId));
      expect(renewed?.csrPem).not.toBe(old?.csrPem);

      await counter.officerPage.signIn(counter.verifier);
      await lifecycle.openTab('Pembaruan');
      await expect(lifecycle.expiringRow(renewalId)).toBeVisible({ timeout: 30_000 });
      await expect(lifecycle.expiringRow(oldId)).toHaveCount(0);
      const oldRow = await lifecycle.search(lifecycle.renewal, typedSerial(serial), oldId);
      await expect(oldRow).toHaveAttribute('data-standing', 'renewal');
      await expect(oldRow.getByRole('button', { name: 'Mulai pembaruan' })).toBeDisabled();
      await counter.officerPage.backToApplicant();
    });
  });
