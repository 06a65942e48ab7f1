import { expect, type Locator, type Page } from '@playwright/test';
import type { OutboxItem } from '../../../src/app/ports';
import type { EktpField } from '../../../src/core/ocr/types';
import { ADMIN_ENROLLMENT_CODES_PATH } from '../../../src/protocol/kiosk-auth';
import { simulatedApplication } from '../../../sync-server/src/simulator/applications';
import type { EktpPerson } from '../../support/ektp';
import { letterPdf } from './paper-files';

/** A mobile number as an applicant types it. */
export const MOBILE = '0812-3456-7890';

/** The kiosk as an applicant sees it, in its default language (Bahasa Indonesia). */
export class KioskPage {
  constructor(readonly page: Page) {}

  async open() {
    await this.page.goto('/');
    await expect(this.formHeading).toBeVisible();
  }

  /** Resolves once the service worker is active, i.e. the app shell and OCR assets are precached. */
  async waitUntilOfflineReady() {
    await this.page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      return registration.active?.state;
    });
  }

  get formHeading(): Locator {
    return this.page.getByRole('heading', { name: 'Permohonan Sertifikat Elektronik' });
  }

  get connectivity(): Locator {
    return this.page.getByTestId('connectivity');
  }

  /** The applicant's own fields (the e-KTP ones come from the reading or `typeEktp`). */
  async fillApplication(person: EktpPerson, email: string, perangkatDaerah: string) {
    await this.page.getByLabel('Individu').check();
    await this.fillOwnFields(person, email, perangkatDaerah);
  }

  /**
   * Category, NIP, e-mail, mobile number and Perangkat Daerah, whatever the certificate type. The
   * generated people have PNS numbers.
   */
  async fillOwnFields(person: EktpPerson, email: string, perangkatDaerah: string) {
    await this.page.getByRole('radio', { name: 'PNS', exact: true }).check();
    await this.page.getByLabel('NIP (18 digit, untuk ASN)').fill(person.nip);
    await this.page.getByLabel('E-mail dinas').fill(email);
    await this.page.getByLabel('Nomor ponsel').fill(MOBILE);
    await this.page.getByLabel('Perangkat Daerah', { exact: true }).selectOption(perangkatDaerah);
  }

  /** Everything the applicant gives besides the form's fields: papers, specimen, agreement. */
  async completeApplicantSteps() {
    await this.attachAllPapers();
    await this.drawSignature();
    await this.acceptAgreements();
  }

  /** The paper of one kind on screen, by its Indonesian name. */
  paper(name: string): Locator {
    return this.page
      .locator('li.paper')
      .filter({ has: this.page.getByRole('heading', { name, exact: true }) });
  }

  /** Attaches files to one paper with the file chooser. */
  async attachPaper(name: string, files: { name: string; mimeType: string; buffer: Buffer }[]) {
    await this.page.getByLabel(`Pilih berkas: ${name}`, { exact: true }).setInputFiles(files);
    await expect(this.paper(name).locator('.paper-status')).toContainText('Terlampir');
  }

  /** A small PDF for every paper the chosen type needs. */
  async attachAllPapers() {
    const papers = this.page.locator('li.paper');
    await expect(papers.first()).toBeVisible();
    for (const name of await papers.locator('h4').allTextContents()) {
      await this.attachPaper(name, [await letterPdf(name)]);
    }
  }

  get signaturePad(): Locator {
    return this.page.getByTestId('signature-pad');
  }

  /** Draws a signature on the pad with pointer events, as a finger would, and saves it. */
  async drawSignature() {
    await this.signaturePad.scrollIntoViewIfNeeded();
    const box = await this.signaturePad.boundingBox();
    if (!box) throw new Error('the signature pad is not on screen');
    const at = (fx: number, fy: number) => [box.x + box.width * fx, box.y + box.height * fy] as const;
    const strokes = [
      [at(0.15, 0.6), at(0.25, 0.25), at(0.32, 0.65), at(0.42, 0.3), at(0.5, 0.62)],
      [at(0.55, 0.55), at(0.62, 0.35), at(0.7, 0.6), at(0.8, 0.4)],
    ];
    for (const stroke of strokes) {
      const [first, ...rest] = stroke;
      if (!first) continue;
      await this.page.mouse.move(...first);
      await this.page.mouse.down();
      for (const point of rest) await this.page.mouse.move(...point, { steps: 6 });
      await this.page.mouse.up();
    }
    await this.page.getByRole('button', { name: 'Simpan tanda tangan' }).click();
    await expect(this.page.getByTestId('signature-preview')).toBeVisible();
  }

  /** Ticks the obligations (Pasal 16-17) and the subscriber agreement (Pasal 13 ayat 5). */
  async acceptAgreements() {
    await this.page.getByRole('checkbox', { name: 'Saya telah membaca kewajiban di atas' }).check();
    await this.page
      .getByRole('checkbox', { name: 'Saya menyetujui Perjanjian Pemilik Sertifikat Elektronik' })
      .check();
  }

  /** What the form says is still missing (Pasal 20 ayat 2). */
  get missingList(): Locator {
    return this.page.getByTestId('missing-list');
  }

  get submitButton(): Locator {
    return this.page.getByRole('button', { name: 'Buat kunci dan simpan permohonan' });
  }

  /** Types e-KTP fields by hand, as an officer does when a card cannot be read. */
  async typeEktp(values: Partial<Record<EktpField, string>>) {
    for (const [field, value] of Object.entries(values))
      await this.ektpField(field as EktpField).fill(value ?? '');
  }

  async uploadEktp(image: Buffer, mimeType = 'image/png', name = 'ektp.png') {
    await this.page.getByLabel('Foto atau pindaian e-KTP').setInputFiles({ name, mimeType, buffer: image });
  }

  /** Waits until the card was read (the straightened picture and its timing are shown). */
  async waitForReading() {
    await expect(this.page.getByRole('img', { name: 'Gambar e-KTP yang dibaca' })).toBeVisible({
      timeout: 90_000,
    });
    await expect(this.page.locator('figure.ektp-picture figcaption')).toContainText('Terbaca dalam');
  }

  ektpField(field: EktpField): Locator {
    return this.page.locator(`#ektp-${field}`);
  }

  /** True when the kiosk highlighted the field as an unsure reading. */
  async isUnsure(field: EktpField): Promise<boolean> {
    return (await this.page.getByTestId(`ektp-field-${field}`).getAttribute('data-unsure')) === 'true';
  }

  /** Ticks "Sudah saya periksa" on every highlighted field. */
  async confirmUnsureFields() {
    for (const box of await this.page.getByRole('checkbox', { name: 'Sudah saya periksa' }).all())
      await box.check();
  }

  get readFailure(): Locator {
    return this.page.getByTestId('ektp-failure');
  }

  async setPassphrase(passphrase: string, confirmation = passphrase) {
    await this.page.getByLabel('Frasa sandi', { exact: true }).fill(passphrase);
    await this.page.getByLabel('Ulangi frasa sandi').fill(confirmation);
  }

  async submit() {
    await this.submitButton.click();
  }

  /** The application number (`SK-…`) shown after saving, with the receipt. */
  get applicationNumber(): Locator {
    return this.page.getByTestId('application-number');
  }

  /** The saved application's id (a uuid), once the receipt is shown. */
  async savedApplicationId(): Promise<string> {
    await expect(this.applicationNumber).toBeVisible({ timeout: 60_000 });
    return (await this.page.getByTestId('saved').getAttribute('data-application-id')) ?? '';
  }

  get receipt(): Locator {
    return this.page.getByTestId('receipt');
  }

  get receiptQr(): Locator {
    return this.receipt.getByRole('img', { name: /^Kode QR nomor permohonan/ });
  }

  async startNewApplication() {
    await this.page.getByRole('button', { name: 'Permohonan baru', exact: true }).click();
    await expect(this.formHeading).toBeVisible();
  }

  get problems(): Locator {
    return this.page.getByRole('alert');
  }

  /**
   * Enrolls this kiosk (this browser profile) as an officer would: an administrator makes a code
   * with the admin API, the officer types it into the outbox screen.
   */
  async enroll(name = 'Loket E2E') {
    const response = await this.page.request.post(ADMIN_ENROLLMENT_CODES_PATH, {
      headers: { authorization: `Bearer ${process.env.E2E_ADMIN_TOKEN ?? ''}` },
      data: { name },
    });
    expect(response.status()).toBe(201);
    const { code } = (await response.json()) as { code: string };
    await this.openOutbox();
    // Typed the way a person might: lower case, spaces instead of dashes.
    await this.page
      .getByLabel('Kode pendaftaran (dari administrator)')
      .fill(code.toLowerCase().replace(/-/g, ' '));
    await this.page.getByRole('button', { name: 'Daftarkan kios' }).click();
    await expect(this.page.getByTestId('kiosk-enrolled')).toContainText(name);
    await this.page.getByRole('button', { name: 'Permohonan Baru', exact: true }).click();
    await expect(this.formHeading).toBeVisible();
  }

  /**
   * Puts `count` valid applications (the simulator's, with real CSRs) straight into this kiosk's
   * outbox, as if captured earlier: sync tests need many, and the form would take minutes. Written
   * as the version-3 database stores them: the record with its history and file info in
   * `applications`, the image and the papers in `attachments`, all in one transaction. `ageMs`
   * makes them that much older (the guardrails' age limit).
   */
  async queueSimulatedApplications(count: number, { ageMs = 0 } = {}): Promise<OutboxItem[]> {
    const items = await Promise.all(
      Array.from({ length: count }, (_, n) =>
        simulatedApplication(n, {
          attachmentBytes: 4096,
          createdAt: new Date(Date.now() - ageMs - (count - n) * 60_000),
          newId: () => crypto.randomUUID(),
        }),
      ),
    );
    const base64 = async (blob: Blob) => Buffer.from(await blob.arrayBuffer()).toString('base64');
    // Blobs do not cross into the page: the files go as base64.
    const rows = await Promise.all(
      items.map(async ({ image, attachments, ...rest }) => ({
        ...rest,
        imageBase64: await base64(image.blob),
        mediaType: image.mediaType,
        papers: await Promise.all(
          attachments.map(async (a) => ({
            kind: a.kind,
            mediaType: a.mediaType,
            base64: await base64(a.blob),
          })),
        ),
      })),
    );
    const stored = await this.page.evaluate(async (rows) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('sertel-kiosk');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const tx = db.transaction(['applications', 'attachments'], 'readwrite');
      const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
      for (const { imageBase64, mediaType, papers, ...row } of rows) {
        const files = [
          { kind: 'ektp', mediaType, bytes: fromBase64(imageBase64) },
          ...papers.map((p) => ({ kind: p.kind, mediaType: p.mediaType, bytes: fromBase64(p.base64) })),
        ].map((f) => ({ ...f, attachmentId: `${row.id}/${f.kind}` }));
        const [picture, ...rest] = files;
        if (!picture) throw new Error('unreachable: every application has its picture');
        tx.objectStore('applications').put({
          ...row,
          // A clear row: the kiosk's seal-pending step seals it before the next sync pass.
          sealPending: 1,
          history: [
            { to: 'captured', at: row.createdAt },
            { to: 'queued', at: row.createdAt },
          ],
          imageInfo: { attachmentId: picture.attachmentId, mediaType, bytes: picture.bytes.byteLength },
          attachmentInfo: rest.map((f) => ({
            attachmentId: f.attachmentId,
            kind: f.kind,
            mediaType: f.mediaType,
            bytes: f.bytes.byteLength,
          })),
        });
        for (const f of files) {
          tx.objectStore('attachments').put({
            id: f.attachmentId,
            applicationId: row.id,
            kind: f.kind,
            mediaType: f.mediaType,
            blob: new Blob([f.bytes], { type: f.mediaType }),
            bytes: f.bytes.byteLength,
          });
        }
      }
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
      const count = await new Promise<number>((resolve, reject) => {
        const request = db.transaction('applications').objectStore('applications').count();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      db.close();
      return count;
    }, rows);
    expect(stored).toBeGreaterThanOrEqual(count);
    return items;
  }

  async openOutbox() {
    await this.page.getByRole('button', { name: /Antrean Sinkronisasi/ }).click();
    await expect(this.page.getByRole('heading', { name: 'Antrean sinkronisasi' })).toBeVisible();
  }

  /** Opens the outbox and asks for a sync pass now, as the officer does. */
  async syncNow() {
    await this.openOutbox();
    await this.page.getByRole('button', { name: 'Sinkronkan sekarang' }).click();
  }

  /** The outbox screen's line on the last pass it started ("Terkirim 1, ditolak 0, menunggu 0."). */
  get syncResult(): Locator {
    return this.page.getByText(/^Terkirim \d+, ditolak \d+, menunggu \d+\.$/);
  }

  /**
   * Asks for a sync pass and waits until it has run: the outbox screen shows the pass's result.
   * A pass already running (the timer's, another tab's) keeps the button disabled or makes the
   * click return without a result, so the click is tried again until one comes back.
   */
  async syncNowAndWait() {
    await this.openOutbox();
    // The line stays on the screen until the next result: one from an earlier pass would pass the
    // wait at once, so the screen is opened afresh (it forgets the line when it is left).
    if (await this.syncResult.isVisible()) {
      await this.page.getByRole('button', { name: 'Permohonan Baru', exact: true }).click();
      await this.openOutbox();
    }
    const button = this.page.getByRole('button', { name: 'Sinkronkan sekarang' });
    await expect(async () => {
      await button.click({ timeout: 10_000 });
      await expect(this.syncResult).toBeVisible({ timeout: 10_000 });
    }).toPass({ timeout: 90_000 });
  }

  outboxItem(id: string): Locator {
    return this.page.locator(`[data-testid="outbox-item"][data-id="${id}"]`);
  }

  get outboxItems(): Locator {
    return this.page.getByTestId('outbox-item');
  }

  /** Everything the kiosk keeps in IndexedDB, as text (Blobs as their size and bytes in base64). */
  async dumpIndexedDb(): Promise<string> {
    return this.page.evaluate(async () => {
      const toText = async (value: unknown): Promise<unknown> => {
        if (value instanceof Blob) {
          const bytes = new Uint8Array(await value.arrayBuffer());
          let binary = '';
          for (const b of bytes) binary += String.fromCharCode(b);
          return { blob: value.type, base64: btoa(binary) };
        }
        if (Array.isArray(value)) return Promise.all(value.map(toText));
        if (value && typeof value === 'object') {
          const entries = await Promise.all(
            Object.entries(value).map(async ([k, v]) => [k, await toText(v)]),
          );
          return Object.fromEntries(entries);
        }
        return value;
      };
      const dump: Record<string, unknown> = {};
      for (const info of await indexedDB.databases()) {
        if (!info.name) continue;
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open(info.name as string);
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        for (const storeName of Array.from(db.objectStoreNames)) {
          const rows = await new Promise<unknown[]>((resolve, reject) => {
            const request = db.transaction(storeName).objectStore(storeName).getAll();
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => reject(request.error);
          });
          dump[`${info.name}/${storeName}`] = await toText(rows);
        }
        db.close();
      }
      return JSON.stringify(dump);
    });
  }
}
