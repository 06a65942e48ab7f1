import { expect, type Locator, type Page } from '@playwright/test';
import { applicationNumber } from '../../../src/core/application/application-number';
import { ADMIN_OFFICERS_PATH, type OfficerCodeResponse } from '../../../src/protocol/officer';

/** An officer account as the tests make it: the admin API's answer and the PIN chosen at the kiosk. */
export interface TestOfficer {
  id: string;
  username: string;
  nama: string;
  pin: string;
}

/**
 * Creates an officer account as an administrator would (admin API), returning its one-time code.
 * Usernames must be unique on the shared test server: a suffix from the clock keeps them apart.
 */
export async function createOfficer(
  page: Page,
  nama: string,
  pin: string,
): Promise<{ officer: TestOfficer; code: string }> {
  const username = `petugas.${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const response = await page.request.post(ADMIN_OFFICERS_PATH, {
    headers: { authorization: `Bearer ${process.env.E2E_ADMIN_TOKEN ?? ''}` },
    data: { username, nama },
  });
  expect(response.status()).toBe(201);
  const body = (await response.json()) as OfficerCodeResponse;
  return { officer: { id: body.officer.id, username, nama, pin }, code: body.code };
}

/** Officer mode of the kiosk, in its default language (Bahasa Indonesia). */
export class OfficerPage {
  constructor(readonly page: Page) {}

  get signedIn(): Locator {
    return this.page.getByTestId('officer-signed-in');
  }

  /** From applicant mode to the officer gate. */
  async openGate() {
    await this.page.getByRole('button', { name: 'Petugas', exact: true }).click();
    await expect(this.page.getByRole('heading', { name: 'Masuk sebagai petugas' })).toBeVisible();
  }

  /** Enrolls the officer on this kiosk (online, once), ending at the gate with the officer chosen. */
  async enroll(officer: TestOfficer, code: string) {
    await this.openGate();
    await this.page.getByRole('button', { name: 'Daftarkan petugas baru' }).click();
    const form = this.page.getByTestId('officer-enroll');
    await form.getByLabel('Nama pengguna').fill(officer.username);
    await form.getByLabel('Kode pendaftaran petugas (dari administrator)').fill(code);
    await form.getByLabel(/^PIN baru/).fill(officer.pin);
    await form.getByLabel('Ulangi PIN baru').fill(officer.pin);
    await form.getByRole('button', { name: 'Daftarkan petugas' }).click();
    await expect(this.page.getByText(`Petugas ${officer.nama} terdaftar di kios ini.`)).toBeVisible({
      timeout: 60_000,
    });
    await this.backToApplicant();
  }

  /** Applicant mode → gate → this officer's PIN → officer mode (PBKDF2 takes about a second). */
  async signIn(officer: TestOfficer) {
    await this.openGate();
    await this.page.getByRole('radio', { name: new RegExp(officer.nama) }).check();
    await this.page.getByLabel('PIN', { exact: true }).fill(officer.pin);
    await this.page.getByRole('button', { name: 'Buka', exact: true }).click();
    await expect(this.signedIn).toContainText(officer.nama, { timeout: 30_000 });
  }

  async backToApplicant() {
    await this.page.getByRole('button', { name: 'Kembali ke mode pemohon' }).click();
    await expect(this.page.getByRole('heading', { name: 'Permohonan Sertifikat Elektronik' })).toBeVisible();
  }

  /** Officer-mode navigation, by the tab's label. */
  async openTab(name: 'Verifikasi' | 'Semua permohonan' | 'Rilis akhir hari' | 'Koreksi data') {
    await this.page.getByRole('navigation', { name: 'Menu petugas' }).getByRole('button', { name }).click();
  }

  /** One application's status in the officer's queue, found by its number. */
  async openApplication(id: string) {
    await this.openTab('Semua permohonan');
    const queue = this.page.getByTestId('officer-all-queue');
    await queue.getByLabel('Cari nama, NIK atau nomor permohonan').fill(applicationNumber(id));
    await queue.locator(`[data-testid="queue-row"][data-id="${id}"]`).getByRole('button').click();
    await expect(this.page.getByTestId('status-view')).toBeVisible();
  }

  get handoverButton(): Locator {
    return this.page.getByRole('button', { name: 'Serahkan sertifikat' });
  }

  /** The handover panel of one application (Pasal 13 ayat 6), from the officer's queue. */
  async openHandover(id: string): Promise<Locator> {
    await this.openApplication(id);
    await this.handoverButton.click();
    return this.page.getByTestId('handover');
  }

  heldRow(id: string): Locator {
    return this.page.locator(`[data-testid="officer-held"][data-id="${id}"]`);
  }

  /** Opens a held application on the verification screen. */
  async openHeld(id: string) {
    await this.openTab('Verifikasi');
    await this.heldRow(id).getByRole('button', { name: 'Periksa' }).click();
    await expect(this.page.getByTestId('officer-review')).toBeVisible();
  }

  get checklist(): Locator {
    return this.page.getByRole('group', { name: 'Daftar periksa' });
  }

  /** Ticks every item of the checklist, as the officer does after looking at each. */
  async tickChecklist() {
    // `all()` does not wait: the checklist must be on screen before its boxes are counted.
    await expect(this.checklist.getByRole('checkbox').first()).toBeVisible();
    for (const box of await this.checklist.getByRole('checkbox').all()) await box.check();
    await expect(this.page.getByTestId('officer-checklist-progress')).toHaveText(/^(\d+) dari \1 butir$/);
  }

  get decided(): Locator {
    return this.page.getByTestId('officer-decided');
  }

  async approve() {
    await this.tickChecklist();
    await this.page.getByRole('button', { name: 'Setujui', exact: true }).click();
    await expect(this.decided).toHaveAttribute('data-decision', 'approved', { timeout: 30_000 });
  }

  /** Rejects with the reasons (their Indonesian labels) and an optional note. */
  async reject(reasons: string[], note = '') {
    await this.page.getByRole('button', { name: 'Tolak', exact: true }).click();
    for (const reason of reasons) await this.page.getByRole('checkbox', { name: reason }).check();
    if (note) await this.page.getByLabel(/^Catatan untuk pemohon/).fill(note);
    await this.page.getByRole('button', { name: 'Tolak permohonan' }).click();
    await expect(this.decided).toHaveAttribute('data-decision', 'rejected', { timeout: 30_000 });
  }

  /** From the decided view back to the list of held applications. */
  async next() {
    await this.page.getByRole('button', { name: 'Berikutnya' }).click();
    await expect(this.page.getByTestId('officer-queue')).toBeVisible();
  }
}
