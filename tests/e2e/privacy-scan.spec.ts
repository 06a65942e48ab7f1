/**
 * Issue 8's acceptance in the browser: after an application went the whole way (captured, decided
 * at the counter, synced, released, e-mail confirmed, issued by the CA, handed over as PKCS#12),
 * no plaintext NIK, name, e-KTP picture, passphrase or private key is left in anything the kiosk's
 * origin keeps (every IndexedDB database, Cache Storage, localStorage, sessionStorage), nor in the
 * server's log or tables. The 100-application scan of the server is `tests/server/privacy-scan.test.ts`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { renderEktpPng } from '../../scripts/make-ektp';
import { ADMIN_FORWARD_PATH } from '../../src/protocol/sync';
import { SQLITE_FILE_NAME } from '../../sync-server/src/store/open';
import { makePerson } from '../support/ektp';
import { opensslWorkspace } from '../support/openssl';
import { dumpSqlite, type Needle, scanForPlaintext } from '../support/plaintext-scan';
import { dumpBrowserStorage } from './pages/browser-storage';
import { MailDrop } from './pages/email-confirmation';
import { KioskPage } from './pages/kiosk-page';
import { createOfficer, OfficerPage } from './pages/officer-page';

const dataDir = process.env.E2E_DATA_DIR ?? '';
const admin = { authorization: `Bearer ${process.env.E2E_ADMIN_TOKEN ?? ''}` };
const PASSPHRASE = 'sepeda ontel melintas alun alun madiun senja';
const SEED = 7301;

/** The picture's bytes as the kiosk keeps them (it may re-encode what was uploaded): read back at the counter. */
async function pictureShownToOfficer(page: Page): Promise<Buffer> {
  const base64 = await page
    .getByTestId('officer-review')
    .locator('img')
    .first()
    .evaluate(async (img: HTMLImageElement) => {
      const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000)
        binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(binary);
    });
  return Buffer.from(base64, 'base64');
}

test('after the whole flow nothing personal is left in the clear: browser storage, server log, server tables', async ({
  browser,
}) => {
  // bypassCSP: the picture is read back below with fetch() of its blob: URL, which the kiosk's
  // connect-src ('self') refuses; the CSP itself is csp.spec.ts's subject, not this scan's.
  const page = await (await browser.newContext({ bypassCSP: true })).newPage();
  const kiosk = new KioskPage(page);
  const officerPage = new OfficerPage(page);
  await kiosk.open();
  await kiosk.enroll('Loket Privasi');
  const first = await createOfficer(page, 'ANI WIDYASTUTI', '531846');
  const second = await createOfficer(page, 'JOKO PRASETYO', '620417');
  await officerPage.enroll(first.officer, first.code);
  await officerPage.enroll(second.officer, second.code);

  const person = makePerson(SEED);
  await page.getByLabel('Individu', { exact: true }).check();
  await kiosk.fillOwnFields(person, `pegawai.${SEED}@madiunkota.go.id`, 'Dinas Komunikasi dan Informatika');
  await kiosk.uploadEktp(await renderEktpPng(browser, SEED));
  await kiosk.waitForReading();
  await kiosk.confirmUnsureFields();
  await kiosk.completeApplicantSteps();
  await kiosk.setPassphrase(PASSPHRASE);
  await kiosk.submit();
  const id = await kiosk.savedApplicationId();
  await kiosk.startNewApplication();

  // At the counter the officer sees it all, and the picture as kept is read for the scan.
  await officerPage.signIn(first.officer);
  await officerPage.openHeld(id);
  await expect(page.getByTestId('officer-review')).toContainText(person.nik);
  const picture = await pictureShownToOfficer(page);
  expect(picture.byteLength).toBeGreaterThan(1000);
  await officerPage.approve();
  await officerPage.next();
  await officerPage.backToApplicant();
  await kiosk.syncNow();
  await expect(kiosk.outboxItem(id)).toHaveAttribute('data-state', 'synced');

  // The second officer releases it; the applicant opens the mailed link; the CA issues it.
  await officerPage.signIn(second.officer);
  await officerPage.openTab('Rilis akhir hari');
  const release = page.getByTestId('release-screen');
  await release.getByRole('button', { name: /^Rilis ke CA/ }).click();
  await expect(release.locator(`[data-testid="release-result"][data-id="${id}"]`)).toHaveAttribute(
    'data-outcome',
    'released',
  );
  await officerPage.backToApplicant();
  const opened = await page.request.get(await new MailDrop().linkFor(id));
  expect(opened.status()).toBe(200);
  expect((await page.request.post(ADMIN_FORWARD_PATH, { headers: admin })).status()).toBe(200);
  await kiosk.syncNow();
  await expect(kiosk.outboxItem(id)).toHaveAttribute('data-lifecycle', 'issued', { timeout: 30_000 });

  // Handover: the applicant's passphrase opens the key into a PKCS#12, whose private key is a needle.
  await officerPage.signIn(second.officer);
  const handover = await officerPage.openHandover(id);
  await handover.getByLabel('Frasa sandi pemohon').fill(PASSPHRASE);
  await handover.getByRole('button', { name: 'Buka kunci dan buat berkas' }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 60_000 }),
    handover.getByTestId('download-p12').click(),
  ]);
  const work = opensslWorkspace('sertel-e2e-privacy');
  let privateKeyDer: Buffer;
  try {
    await download.saveAs(work.path('handover.p12'));
    work.write('pass.txt', `${PASSPHRASE}\n`);
    work.must([
      'pkcs12',
      '-in',
      'handover.p12',
      '-passin',
      'file:pass.txt',
      '-nocerts',
      '-nodes',
      '-out',
      'key.pem',
    ]);
    work.must(['pkcs8', '-topk8', '-nocrypt', '-in', 'key.pem', '-outform', 'DER', '-out', 'key.der']);
    privateKeyDer = readFileSync(work.path('key.der'));
  } finally {
    work.remove();
  }
  await officerPage.backToApplicant();

  const needles: Needle[] = [
    { name: 'NIK', value: person.nik },
    { name: 'nama', value: person.nama },
    { name: 'passphrase', value: PASSPHRASE },
    // Two runs from inside the picture: a header alone would match any picture.
    {
      name: 'e-KTP picture (middle)',
      value: picture.subarray(picture.length >> 1, (picture.length >> 1) + 48),
    },
    { name: 'e-KTP picture (late)', value: picture.subarray(picture.length - 200, picture.length - 152) },
    { name: 'private key', value: privateKeyDer },
  ];
  // The scan finds what is there: the officer's screen held all of it a moment ago.
  expect(scanForPlaintext([{ where: 'the picture itself', bytes: picture }], needles)).not.toEqual([]);

  const browserPlaces = await dumpBrowserStorage(page);
  expect(browserPlaces.some((p) => p.where.startsWith('indexeddb:sertel-kiosk/'))).toBe(true);
  expect(browserPlaces.some((p) => p.where.startsWith('cache:'))).toBe(true);
  const haystacks = [
    ...browserPlaces.map((p) => ({ where: p.where, bytes: p.bytes })),
    { where: 'server log', bytes: readFileSync(join(dataDir, 'server.log')) },
    ...dumpSqlite(join(dataDir, SQLITE_FILE_NAME)),
  ];
  expect(scanForPlaintext(haystacks, needles)).toEqual([]);

  // A day later (issue 8, retention): at start the kiosk deletes the sealed blob and the encrypted
  // private key of the application handed over, and the outbox screen says what it removed.
  const heldBlob = (places: typeof browserPlaces) =>
    places.some(
      (p) =>
        p.where.startsWith('indexeddb:sertel-kiosk/') && p.where.endsWith(':bytes') && p.bytes.length > 1000,
    );
  expect(heldBlob(browserPlaces)).toBe(true);
  await page.clock.setSystemTime(new Date(Date.now() + 25 * 60 * 60 * 1000));
  await page.reload();
  await kiosk.openOutbox();
  await expect(page.getByTestId('purge-report')).toContainText(
    '1 berkas tersegel dan 1 kunci privat terenkripsi dihapus dari kios ini',
  );
  const afterPurge = await dumpBrowserStorage(page);
  expect(heldBlob(afterPurge)).toBe(false);
  // In IndexedDB: the app's own code (Cache Storage) names the PEM label.
  const keptInIndexedDb = afterPurge.filter((p) => p.where.startsWith('indexeddb:'));
  expect(keptInIndexedDb.map((p) => p.bytes.toString('latin1')).join('\n')).not.toContain(
    'ENCRYPTED PRIVATE KEY',
  );
  expect(scanForPlaintext(afterPurge, needles)).toEqual([]);
  await page.context().close();
});
