/**
 * The official e-mail proven before an application goes to the CA (Pasal 10), through the built kiosk
 * and the real server. The e2e server runs without SMTP_URL: its mails land in the development mail
 * drop (`E2E_DATA_DIR/mail-outbox`), where the applicant's "mailbox" is read.
 */
import { join } from 'node:path';
import { type Browser, expect, type Locator, type Page, test } from '@playwright/test';
import { renderEktpPng } from '../../scripts/make-ektp';
import { applicationNumber } from '../../src/core/application/application-number';
import { SQLITE_FILE_NAME } from '../../sync-server/src/store/open';
import { openSqliteStore } from '../../sync-server/src/store/sqlite';
import { type EktpPerson, makePerson } from '../support/ektp';
import { EmailConfirmationPanel, MailDrop } from './pages/email-confirmation';
import { KioskPage } from './pages/kiosk-page';
import { createOfficer, OfficerPage, type TestOfficer } from './pages/officer-page';

const dataDir = process.env.E2E_DATA_DIR ?? '';
const PERANGKAT_DAERAH = 'Dinas Komunikasi dan Informatika';
const PASSPHRASE = 'sepeda onthel melaju pelan di alun alun kota';

async function withServerStore<T>(
  work: (store: Awaited<ReturnType<typeof openSqliteStore>>) => Promise<T>,
): Promise<T> {
  const store = await openSqliteStore(join(dataDir, SQLITE_FILE_NAME));
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** The applicant's visit up to the passphrase: an individu application with every paper. */
async function fillApplication(
  kiosk: KioskPage,
  browser: Browser,
  seed: number,
  email: string,
): Promise<EktpPerson> {
  const person = makePerson(seed);
  await kiosk.page.getByLabel('Individu', { exact: true }).check();
  await kiosk.fillOwnFields(person, email, PERANGKAT_DAERAH);
  await kiosk.uploadEktp(await renderEktpPng(browser, seed));
  await kiosk.waitForReading();
  await kiosk.confirmUnsureFields();
  await kiosk.completeApplicantSteps();
  return person;
}

/**
 * The applicant's status page for one application, looked up again until `check` passes: the page
 * reads the kiosk's outbox at each lookup, and the outbox learns the server's news by a sync pass.
 */
async function expectStatus(page: Page, id: string, check: (view: Locator) => Promise<void>) {
  await page.getByRole('button', { name: 'Status permohonan' }).click();
  await page.getByLabel('Nomor permohonan').fill(applicationNumber(id));
  const view = page.getByTestId('status-view');
  await expect(async () => {
    await page.getByRole('button', { name: 'Lihat status' }).click();
    await check(view);
  }).toPass({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Permohonan Baru', exact: true }).click();
}

test.describe
  .serial('the official e-mail is proven before the CA sees the application (Pasal 10)', () => {
    let page: Page;
    let kiosk: KioskPage;
    let panel: EmailConfirmationPanel;
    let officerPage: OfficerPage;
    let officer: TestOfficer;
    const mailDrop = new MailDrop();

    test.beforeAll(async ({ browser }) => {
      page = await (await browser.newContext()).newPage();
      kiosk = new KioskPage(page);
      panel = new EmailConfirmationPanel(page);
      officerPage = new OfficerPage(page);
      await kiosk.open();
      await kiosk.enroll('Loket E-mail');
      const created = await createOfficer(page, 'RINA WULANDARI', '604213');
      officer = created.officer;
      await officerPage.enroll(officer, created.code);
    });

    test.afterAll(async () => {
      await page.context().close();
    });

    test('at the counter: the code from the mail, mistyped once and then right, confirms the e-mail; the receipt and the status page say so', async ({
      browser,
    }) => {
      const seed = 8_2001;
      const email = `pemohon.${seed}@madiunkota.go.id`;
      const person = await fillApplication(kiosk, browser, seed, email);
      const applicationId = await panel.applicationId();
      expect(applicationId).toMatch(/^[0-9a-f-]{36}$/);

      await panel.sendCode();
      const mail = await mailDrop.waitFor(applicationId, 'code');
      expect(mail.headers.get('to')).toBe(email);
      // The mail names the application by its number, never by the applicant's NIK or name.
      expect(mail.text).toContain(applicationNumber(applicationId));
      expect(mail.raw).not.toContain(person.nik);
      expect(mail.raw).not.toContain(person.nama);
      const code = await mailDrop.codeFor(applicationId);

      await panel.typeCode(String((Number(code) + 1) % 1_000_000).padStart(6, '0'));
      await expect(panel.problem).toHaveText('Kode salah. Sisa percobaan: 4.');
      await expect(panel.confirmed).toHaveCount(0);
      // Typed as people read it off a phone: in two groups.
      await panel.typeCode(`${code.slice(0, 3)} ${code.slice(3)}`);
      await expect(panel.confirmed).toHaveText(/E-mail terkonfirmasi/);

      await kiosk.setPassphrase(PASSPHRASE);
      await kiosk.submit();
      const id = await kiosk.savedApplicationId();
      // The confirmation was made for the application that was saved.
      expect(id).toBe(applicationId);
      await expect(kiosk.receipt).toContainText('Terkonfirmasi di loket');
      expect(await withServerStore((store) => store.getEmailConfirmation(id, email))).toMatchObject({
        via: 'code',
      });

      // A new application starts with a new id and nothing confirmed.
      await kiosk.startNewApplication();
      await expect(panel.root).toHaveAttribute('data-phase', 'idle');
      expect(await panel.applicationId()).not.toBe(applicationId);

      await expectStatus(page, id, async (view) => {
        await expect(view.getByTestId('status-email')).toHaveAttribute('data-email', 'confirmed-at-counter', {
          timeout: 2_000,
        });
      });
    });

    test('offline at the counter: the application goes without the code; once approved and at the server it waits for the link in the mail, and the link lets it go', async ({
      browser,
    }) => {
      const seed = 8_2002;
      const email = `pemohon.${seed}@madiunkota.go.id`;
      await fillApplication(kiosk, browser, seed, email);

      await page.context().setOffline(true);
      await expect(panel.root).toContainText('Kios sedang luring');
      await expect(panel.sendButton).toBeDisabled();
      await kiosk.setPassphrase(PASSPHRASE);
      await kiosk.submit();
      const id = await kiosk.savedApplicationId();
      await expect(kiosk.receipt).not.toContainText('Terkonfirmasi di loket');
      await kiosk.startNewApplication();
      await page.context().setOffline(false);

      await officerPage.signIn(officer);
      await officerPage.openHeld(id);
      await officerPage.approve();
      await officerPage.next();
      await officerPage.backToApplicant();
      await kiosk.syncNowAndWait();
      await expect(kiosk.outboxItem(id)).toHaveAttribute('data-state', 'synced');
      await page.getByRole('button', { name: 'Permohonan Baru', exact: true }).click();

      // The server mailed a link after the application arrived.
      const mail = await mailDrop.waitFor(id, 'link');
      expect(mail.headers.get('to')).toBe(email);
      const link = await mailDrop.linkFor(id);
      expect(await withServerStore((store) => store.getEmailConfirmation(id, email))).toBeNull();

      // The kiosk learns what the application waits for.
      await kiosk.syncNowAndWait();
      await page.getByRole('button', { name: 'Permohonan Baru', exact: true }).click();
      await expectStatus(page, id, async (view) => {
        await expect(view.getByTestId('status-email')).toHaveAttribute('data-email', 'waiting', {
          timeout: 2_000,
        });
        await expect(view).toContainText('Menunggu konfirmasi e-mail');
      });

      // The applicant opens the link from the mail, at home.
      const opened = await page.request.get(link);
      expect(opened.status()).toBe(200);
      const html = await opened.text();
      expect(html).toContain('E-mail terkonfirmasi');
      expect(html).toContain(applicationNumber(id));
      expect(await withServerStore((store) => store.getEmailConfirmation(id, email))).toMatchObject({
        via: 'link',
      });

      await kiosk.syncNowAndWait();
      await page.getByRole('button', { name: 'Permohonan Baru', exact: true }).click();
      await expectStatus(page, id, async (view) => {
        await expect(view.getByTestId('status-email')).toHaveAttribute('data-email', 'confirmed', {
          timeout: 2_000,
        });
      });
    });
  });
