import { join } from 'node:path';
import { type Browser, expect, type Locator, type Page } from '@playwright/test';
import { renderEktpPng } from '../../../scripts/make-ektp';
import { formatSerial } from '../../../src/app/receipt/receipt-document';
import { applicationNumber } from '../../../src/core/application/application-number';
import { ADMIN_FORWARD_PATH } from '../../../src/protocol/sync';
import { SQLITE_FILE_NAME } from '../../../sync-server/src/store/open';
import { openSqliteStore } from '../../../sync-server/src/store/sqlite';
import { type EktpPerson, makePerson } from '../../support/ektp';
import { MailDrop } from './email-confirmation';
import { KioskPage } from './kiosk-page';
import { createOfficer, OfficerPage, type TestOfficer } from './officer-page';

export const PERANGKAT_DAERAH = 'Dinas Komunikasi dan Informatika';
export const adminHeaders = { authorization: `Bearer ${process.env.E2E_ADMIN_TOKEN ?? ''}` };

/** The e2e server's store, opened beside it (SQLite in E2E_DATA_DIR). */
export async function withServerStore<T>(
  work: (store: Awaited<ReturnType<typeof openSqliteStore>>) => Promise<T>,
): Promise<T> {
  const store = await openSqliteStore(join(process.env.E2E_DATA_DIR ?? '', SQLITE_FILE_NAME));
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** The serial the server recorded for an application's certificate (as OpenSSL prints it). */
export async function serialOf(applicationId: string): Promise<string> {
  const serial = await withServerStore(
    async (store) => (await store.getApplication(applicationId))?.certificateSerialHex,
  );
  if (!serial) throw new Error(`no certificate recorded for ${applicationId}`);
  return serial;
}

/** The people of the lifecycle specs and their official e-mail (the form's, as fillOwnFields types it). */
export function person(seed: number): { person: EktpPerson; email: string } {
  return { person: makePerson(seed), email: `pegawai.${seed}@madiunkota.go.id` };
}

/** Who works the counter in these specs: one officer decides, a second releases (two-person rule). */
export interface Counter {
  page: Page;
  kiosk: KioskPage;
  officerPage: OfficerPage;
  verifier: TestOfficer;
  releaser: TestOfficer;
}

/** A fresh kiosk at the counter, enrolled, with two officers enrolled on it (the two-person rule). */
export async function openCounter(browser: Browser, kioskName: string): Promise<Counter> {
  const page = await (await browser.newContext()).newPage();
  const kiosk = new KioskPage(page);
  const officerPage = new OfficerPage(page);
  await kiosk.open();
  await kiosk.enroll(kioskName);
  const first = await createOfficer(page, 'SITI RAHAYU', '480162');
  const second = await createOfficer(page, 'BUDI SANTOSO', '735091');
  await officerPage.enroll(first.officer, first.code);
  await officerPage.enroll(second.officer, second.code);
  return { page, kiosk, officerPage, verifier: first.officer, releaser: second.officer };
}

/**
 * The applicant's part of the form after its own fields: the e-KTP read, the papers, the signature,
 * the agreements and a passphrase; returns the saved application's id.
 */
export async function completeAndSubmit(
  counter: Counter,
  browser: Browser,
  seed: number,
  passphrase: string,
) {
  const { kiosk } = counter;
  await kiosk.uploadEktp(await renderEktpPng(browser, seed));
  await kiosk.waitForReading();
  await kiosk.confirmUnsureFields();
  await kiosk.completeApplicantSteps();
  await kiosk.setPassphrase(passphrase);
  await kiosk.submit();
  return kiosk.savedApplicationId();
}

/** A first application for an individu certificate, submitted at the kiosk; its id. */
export async function submitFirst(counter: Counter, browser: Browser, seed: number, passphrase: string) {
  const { person: who, email } = person(seed);
  await counter.page.getByLabel('Individu', { exact: true }).check();
  await counter.kiosk.fillOwnFields(who, email, PERANGKAT_DAERAH);
  return completeAndSubmit(counter, browser, seed, passphrase);
}

/**
 * Everything after the applicant (from applicant mode, the receipt closed): approved by one
 * officer, synced, released by a second, the e-mail proven by the link the server mailed,
 * forwarded to the dev CA by the admin API, and the certificate pulled back by the kiosk. Ends on
 * a blank form.
 */
export async function approveReleaseAndIssue(counter: Counter, id: string) {
  const { page, kiosk, officerPage, verifier, releaser } = counter;
  await officerPage.signIn(verifier);
  await officerPage.openHeld(id);
  await officerPage.approve();
  await officerPage.next();
  await officerPage.backToApplicant();

  await kiosk.syncNow();
  await expect(kiosk.outboxItem(id)).toHaveAttribute('data-state', 'synced', { timeout: 30_000 });
  await officerPage.signIn(releaser);
  await officerPage.openTab('Rilis akhir hari');
  const release = page.getByTestId('release-screen');
  await expect(release.locator(`[data-testid="release-row"][data-id="${id}"]`)).toHaveAttribute(
    'data-selectable',
    'true',
  );
  await release.getByRole('button', { name: /^Rilis ke CA/ }).click();
  await expect(release.locator(`[data-testid="release-result"][data-id="${id}"]`)).toHaveAttribute(
    'data-outcome',
    'released',
  );
  await officerPage.backToApplicant();

  // Pasal 10: the official e-mail is proven before anything goes to the CA.
  const opened = await page.request.get(await new MailDrop().linkFor(id));
  expect(opened.status()).toBe(200);
  const forwarded = await page.request.post(ADMIN_FORWARD_PATH, { headers: adminHeaders });
  expect(forwarded.status()).toBe(200);
  expect(((await forwarded.json()) as { report: { issued: number } }).report.issued).toBeGreaterThanOrEqual(
    1,
  );
  await kiosk.syncNow();
  await expect(kiosk.outboxItem(id)).toHaveAttribute('data-lifecycle', 'issued', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Permohonan Baru', exact: true }).click();
}

/** Officer mode's renewal, revocation and incident screens, in Bahasa Indonesia. */
export class LifecyclePage {
  constructor(readonly page: Page) {}

  async openTab(name: 'Pembaruan' | 'Pencabutan' | 'Insiden') {
    await this.page
      .getByRole('navigation', { name: 'Menu petugas' })
      .getByRole('button', { name, exact: true })
      .click();
  }

  get renewal(): Locator {
    return this.page.getByTestId('renewal-screen');
  }

  get revocation(): Locator {
    return this.page.getByTestId('revocation-screen');
  }

  get incidents(): Locator {
    return this.page.getByTestId('incident-screen');
  }

  expiringRow(applicationId: string): Locator {
    return this.renewal.locator(`[data-testid="expiring-row"][data-id="${applicationId}"]`);
  }

  /** Searches by NIK or serial on a screen with the certificate finder; the row of this application. */
  async search(screen: Locator, text: string, applicationId: string): Promise<Locator> {
    await screen.getByLabel('Cari sertifikat: NIK pemilik atau nomor seri sertifikat').fill(text);
    await screen.getByRole('button', { name: 'Cari', exact: true }).click();
    const row = screen.locator(`[data-testid="certificate-row"][data-id="${applicationId}"]`);
    await expect(row).toBeVisible({ timeout: 30_000 });
    return row;
  }

  /** The follow-up form's banner: which certificate it renews or replaces. */
  get followUpBanner(): Locator {
    return this.page.getByTestId('follow-up-banner');
  }

  /** The applicant's status page for one application number. */
  async openStatus(applicationId: string): Promise<Locator> {
    await this.page.getByRole('button', { name: 'Status permohonan', exact: true }).click();
    await this.page.getByLabel('Nomor permohonan').fill(applicationNumber(applicationId));
    await this.page.getByRole('button', { name: 'Lihat status' }).click();
    const view = this.page.getByTestId('status-view');
    await expect(view).toBeVisible();
    return view;
  }
}

/** A serial as the officer types it from the handover receipt: colon-separated pairs, lower case. */
export function typedSerial(serial: string): string {
  return formatSerial(serial).toLowerCase();
}
