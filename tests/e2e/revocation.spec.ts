/**
 * Revocation (Pasal 15) and the incident register (Pasal 22, 24) at the kiosk, against the real
 * server and its dev CA: the officer finds the certificate, declares the key lost with the papers
 * of ayat 3, signs with the PIN; the forwarding job takes the request to the CA and the public CRL
 * lists the serial as Key Compromise (read with OpenSSL); the incident is recorded by itself; the
 * owner's replacement application is linked to the revoked certificate; the applicant's status page
 * shows the revocation. An incident recorded by hand appears in the register and its CSV export.
 */
import { expect, type Page, test } from '@playwright/test';
import { ADMIN_INCIDENTS_PATH, CA_CRL_PATH } from '../../src/protocol/lifecycle';
import { ADMIN_FORWARD_PATH } from '../../src/protocol/sync';
import { opensslWorkspace } from '../support/openssl';
import {
  adminHeaders,
  approveReleaseAndIssue,
  type Counter,
  completeAndSubmit,
  LifecyclePage,
  openCounter,
  person,
  serialOf,
  submitFirst,
  typedSerial,
  withServerStore,
} from './pages/lifecycle-page';
import { letterPdf, pagePhoto } from './pages/paper-files';

const SEED = 8_2001;
const FIRST_PASSPHRASE = 'gunung wilis berkabut di pagi yang dingin sekali';
const NEW_PASSPHRASE = 'lampu taman menyala kuning di alun alun kota';
const POLICE_REPORT = 'Laporan kehilangan kepada pihak berwajib (kepolisian)';
const OWNER_STATEMENT = 'Surat pernyataan pemilik yang diketahui atasan';

test.describe
  .serial('revocation after a lost key (Pasal 15 ayat 2-3) and the incident register', () => {
    let page: Page;
    let counter: Counter;
    let lifecycle: LifecyclePage;
    let oldId = '';
    let serial = '';
    let requestId = '';

    test.beforeAll(async ({ browser }) => {
      counter = await openCounter(browser, 'Loket Pencabutan');
      page = counter.page;
      lifecycle = new LifecyclePage(page);
    });

    test.afterAll(async () => {
      await page.context().close();
    });

    test('the officer finds the issued certificate, declares the key lost with both papers and signs with the PIN', async ({
      browser,
    }) => {
      oldId = await submitFirst(counter, browser, SEED, FIRST_PASSPHRASE);
      await counter.kiosk.startNewApplication();
      await approveReleaseAndIssue(counter, oldId);
      serial = await serialOf(oldId);

      await counter.officerPage.signIn(counter.verifier);
      await lifecycle.openTab('Pencabutan');
      const screen = lifecycle.revocation;
      const row = await lifecycle.search(screen, person(SEED).person.nik, oldId);
      await expect(row).toHaveAttribute('data-standing', 'valid');
      await row.getByRole('button', { name: 'Pilih untuk dicabut' }).click();
      await expect(screen.getByTestId('revocation-chosen')).toHaveAttribute('data-serial', serial);

      await screen.getByLabel('Kunci privat hilang', { exact: true }).check();
      await screen.getByLabel('Kunci privat bocor atau hilang (keyCompromise)').check();
      await screen
        .getByLabel(`Pilih berkas: ${POLICE_REPORT}`, { exact: true })
        .setInputFiles(await letterPdf('Surat Tanda Penerimaan Laporan Kehilangan'));
      await screen
        .getByLabel(`Pilih berkas: ${OWNER_STATEMENT}`, { exact: true })
        .setInputFiles(await pagePhoto('pernyataan.jpg', 'jpeg'));
      await screen.getByLabel(/^Catatan untuk arsip RA/).fill('Laptop dinas hilang di perjalanan dinas');
      const submit = screen.getByRole('button', { name: 'Tandatangani dan kirim permintaan pencabutan' });
      // Not before the officer confirms the verification and types the PIN.
      await expect(submit).toBeDisabled();
      await screen.getByLabel('Saya telah memverifikasi identitas pemilik dan alasan pencabutan.').check();

      // A wrong PIN signs nothing.
      await screen.getByLabel('PIN Anda untuk menandatangani').fill('111111');
      await submit.click();
      await expect(screen.getByRole('alert')).toContainText('PIN salah', { timeout: 30_000 });
      expect(
        await withServerStore((store) => store.findIssuedCertificates({ serialNumberHex: serial }, 1)),
      ).toEqual([expect.objectContaining({ revocation: null })]);

      await screen.getByLabel('PIN Anda untuk menandatangani').fill(counter.verifier.pin);
      await submit.click();
      const result = screen.getByTestId('revocation-result');
      await expect(result).toHaveAttribute('data-status', 'requested', { timeout: 60_000 });
      await expect(result).toHaveAttribute('data-state', 'pending');
      await expect(result.getByTestId('revocation-incident')).toBeVisible();
      requestId = (await result.getAttribute('data-request-id')) ?? '';
      // The server keeps both papers with the request.
      const papers = await withServerStore((store) => store.getRevocationAttachments(requestId));
      expect(papers.map((p) => [p.kind, p.mediaType])).toEqual([
        ['owner-statement', 'image/jpeg'],
        ['police-report', 'application/pdf'],
      ]);
    });

    test('the forwarding job takes it to the CA, and the public CRL lists the serial as Key Compromise', async () => {
      const forwarded = await page.request.post(ADMIN_FORWARD_PATH, { headers: adminHeaders });
      expect(forwarded.status()).toBe(200);
      expect(
        ((await forwarded.json()) as { report: { revoked: number } }).report.revoked,
      ).toBeGreaterThanOrEqual(1);
      // Public: no token, as any relying party fetches it.
      const crl = await page.request.get(CA_CRL_PATH);
      expect(crl.status()).toBe(200);
      expect(crl.headers()['content-type']).toBe('application/pkix-crl');
      const work = opensslWorkspace('sertel-e2e-crl');
      try {
        work.write('crl.der', new Uint8Array(await crl.body()));
        const text = work.must(['crl', '-inform', 'DER', '-in', 'crl.der', '-noout', '-text']).out;
        expect(text).toMatch(
          new RegExp(
            `Serial Number: ${serial}\\s+Revocation Date: .+\\s+CRL entry extensions:\\s+X509v3 CRL Reason Code:\\s+Key Compromise`,
          ),
        );
      } finally {
        work.remove();
      }
      const events = await withServerStore((store) => store.listApplicationEvents(oldId));
      expect(events.map((e) => e.event)).toEqual(
        expect.arrayContaining(['revocation-requested', 'incident-recorded', 'revoked']),
      );
    });

    test('the owner applies again from the result: the replacement names the revoked certificate', async ({
      browser,
    }) => {
      // The officer is still on the revocation's result, the owner at the counter.
      await lifecycle.revocation.getByRole('button', { name: 'Mulai permohonan pengganti' }).click();
      await expect(counter.officerPage.signedIn).toHaveCount(0);
      await expect(lifecycle.followUpBanner).toHaveAttribute('data-relation', 'replacement');
      await expect(lifecycle.followUpBanner).toHaveAttribute('data-serial', serial);
      await expect(page.getByLabel('E-mail dinas')).toHaveValue(person(SEED).email);
      const replacementId = await completeAndSubmit(counter, browser, SEED, NEW_PASSPHRASE);
      await expect(counter.kiosk.receipt).toContainText('Mengganti sertifikat');
      await counter.kiosk.startNewApplication();
      await approveReleaseAndIssue(counter, replacementId);
      const replacement = await withServerStore((store) => store.getApplication(replacementId));
      expect(replacement?.previous).toEqual({
        applicationId: oldId,
        serialNumberHex: serial,
        relation: 'replacement',
      });
      expect(replacement?.state).toBe('issued');
      expect(replacement?.certificateSerialHex).not.toBe(serial);
    });

    test('the officer sees it revoked and replaced; the applicant’s status page shows the revocation', async () => {
      await counter.officerPage.signIn(counter.verifier);
      await lifecycle.openTab('Pencabutan');
      const row = await lifecycle.search(lifecycle.revocation, typedSerial(serial), oldId);
      await expect(row).toHaveAttribute('data-standing', 'revoked');
      // Replaced already: no second replacement.
      await expect(row.getByRole('button', { name: 'Mulai permohonan pengganti' })).toBeDisabled();
      await lifecycle.openTab('Pembaruan');
      const renewalRow = await lifecycle.search(lifecycle.renewal, typedSerial(serial), oldId);
      // A revoked certificate is replaced, not renewed.
      await expect(renewalRow.getByRole('button', { name: 'Mulai pembaruan' })).toBeDisabled();
      await counter.officerPage.backToApplicant();

      const status = await lifecycle.openStatus(oldId);
      const revocation = status.getByTestId('status-revocation');
      await expect(revocation).toHaveAttribute('data-state', 'revoked');
      await expect(revocation).toHaveAttribute('data-serial', serial);
      await expect(revocation).toContainText('dicabut');
      await page.getByRole('button', { name: 'Permohonan Baru', exact: true }).click();
    });

    test('the incident is in the register by itself; one recorded by hand joins it and the CSV export', async () => {
      await counter.officerPage.signIn(counter.verifier);
      await lifecycle.openTab('Insiden');
      const screen = lifecycle.incidents;
      const formatted = serial.match(/.{2}/g)?.join(':') ?? serial;
      const lostKey = screen
        .locator('[data-testid="incident-row"][data-type="key-loss"]')
        .filter({ hasText: formatted });
      await expect(lostKey).toHaveCount(1, { timeout: 30_000 });
      await expect(lostKey).toContainText('SITI RAHAYU');

      await screen.getByLabel('Jenis insiden').selectOption({ label: 'Penyangkalan (nirsangkal)' });
      await screen.getByLabel('Nomor seri sertifikat terkait (bila ada)').fill(typedSerial(serial));
      await screen
        .getByLabel('Uraian kejadian')
        .fill('Pemilik menyangkal tanda tangan pada nota dinas 7/2026');
      await screen.getByLabel('Tindakan yang sudah diambil').fill('Diminta klarifikasi tertulis');
      await screen.getByLabel('Dilaporkan kepada').fill('Kepala Diskominfo');
      await screen.getByRole('button', { name: 'Tandatangani dan catat insiden' }).click();
      await expect(screen.getByTestId('incident-recorded')).toBeVisible({ timeout: 30_000 });
      await expect(
        screen
          .locator('[data-testid="incident-row"][data-type="repudiation"]')
          .filter({ hasText: formatted }),
      ).toHaveCount(1);
      await counter.officerPage.backToApplicant();

      const csv = await page.request.get(`${ADMIN_INCIDENTS_PATH}?format=csv`, { headers: adminHeaders });
      expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
      const lines = (await csv.text()).split('\r\n');
      expect(lines[0]).toBe(
        'id,type,occurred_at,recorded_at,certificate_serial,application_id,description,actions_taken,reported_to,recorded_by,recorded_by_name,revocation_id',
      );
      const mine = lines.filter((line) => line.includes(serial));
      expect(mine.map((line) => line.split(',')[1]).sort()).toEqual(['key-loss', 'repudiation']);
      // The hand-recorded one found its application by the serial.
      expect(mine.every((line) => line.includes(oldId))).toBe(true);
    });
  });
