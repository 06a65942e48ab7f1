import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import sharp from 'sharp';
import { renderEktpPng } from '../../scripts/make-ektp';
import { applicationNumber } from '../../src/core/application/application-number';
import { CARD_HEIGHT, CARD_WIDTH } from '../../src/core/ocr/layout';
import { EKTP_FIELDS } from '../../src/core/ocr/types';
import { SQLITE_FILE_NAME } from '../../sync-server/src/store/open';
import { openSqliteStore } from '../../sync-server/src/store/sqlite';
import { makePerson, personFields } from '../support/ektp';
import { KioskPage } from './pages/kiosk-page';
import { createOfficer, OfficerPage } from './pages/officer-page';

const dataDir = process.env.E2E_DATA_DIR ?? '';
const PASSPHRASE = 'sawah hijau di kaki gunung wilis pagi ini';
const EMAIL = 'pegawai.uji@madiunkota.go.id';
const PERANGKAT_DAERAH = 'Dinas Komunikasi dan Informatika';

function openssl(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync('openssl', args, { encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

async function countOnServer(): Promise<number> {
  const store = await openSqliteStore(join(dataDir, SQLITE_FILE_NAME));
  try {
    return await store.countApplications();
  } finally {
    await store.close();
  }
}

test('an application captured and decided offline survives reloads and reaches the server exactly once, with its decision', async ({
  page,
  context,
  browser,
}) => {
  const person = makePerson(20261125);
  const png = await renderEktpPng(browser, 20261125);
  const kiosk = new KioskPage(page);
  // Other tests share the server: "exactly once" is counted from what is there now.
  const before = await countOnServer();

  await kiosk.open();
  await kiosk.waitUntilOfflineReady();
  // Enrolled once while online; from then on every sync request is signed with the device key.
  await kiosk.enroll();
  // The officer too enrolls once while online; the PIN opens the signing key offline afterwards.
  const officerPage = new OfficerPage(page);
  const { officer, code } = await createOfficer(page, 'DEWI LESTARI', '502817');
  await officerPage.enroll(officer, code);

  // Offline from here on: the app must come from the service worker's precache.
  await context.setOffline(true);
  await page.reload();
  await expect(kiosk.formHeading).toBeVisible();
  await expect(kiosk.connectivity).toHaveText(/Luring/);

  await kiosk.fillApplication(person, EMAIL, PERANGKAT_DAERAH);
  await kiosk.uploadEktp(png);
  // OCR ran offline too: OpenCV, the OCR engine and the language data were precached from this origin.
  await kiosk.waitForReading();
  const truth = personFields(person);
  await expect(kiosk.ektpField('nik')).toHaveValue(truth.nik);
  await expect(kiosk.ektpField('nama')).toHaveValue(truth.nama);
  // Honest reading: every field is either right or highlighted for the officer to check.
  for (const field of EKTP_FIELDS) {
    const value = await kiosk.ektpField(field).inputValue();
    if (value !== truth[field]) expect(await kiosk.isUnsure(field), `${field}: read ${value}`).toBe(true);
  }
  await kiosk.confirmUnsureFields();
  // Papers, the signature specimen and the agreement work offline too (pdf-lib is in the bundle).
  await kiosk.completeApplicantSteps();
  await kiosk.setPassphrase(PASSPHRASE);
  await kiosk.submit();
  const id = await kiosk.savedApplicationId();
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  await expect(kiosk.applicationNumber).toHaveText(applicationNumber(id));
  // The passphrase is gone from the page once the key is encrypted.
  expect(await page.content()).not.toContain(PASSPHRASE);

  // Still offline: a reload keeps the application, held for the officer.
  await page.reload();
  await kiosk.openOutbox();
  await expect(kiosk.outboxItem(id)).toHaveAttribute('data-state', 'held');
  await expect(kiosk.outboxItems).toHaveCount(1);

  // The officer decides offline: PIN, checklist, signed approval; the application is queued.
  await officerPage.signIn(officer);
  await officerPage.openHeld(id);
  await officerPage.approve();
  await officerPage.next();
  await officerPage.backToApplicant();
  await kiosk.openOutbox();
  await expect(kiosk.outboxItem(id)).toHaveAttribute('data-state', 'queued');

  // What the kiosk stored: the encrypted key only, never the key in clear or the passphrase.
  const stored = await kiosk.dumpIndexedDb();
  expect(stored).toContain('ENCRYPTED PRIVATE KEY');
  expect(stored).not.toContain('BEGIN PRIVATE KEY');
  expect(stored).not.toContain(PASSPHRASE);

  // Back online: the sync loop wakes on the `online` event.
  await context.setOffline(false);
  await expect(kiosk.connectivity).toHaveText(/Daring/);
  await expect(kiosk.outboxItem(id)).toHaveAttribute('data-state', 'synced', { timeout: 60_000 });
  await expect(kiosk.outboxItems).toHaveCount(1);

  // On the server: exactly one record, with a CSR that OpenSSL verifies.
  const store = await openSqliteStore(join(dataDir, SQLITE_FILE_NAME));
  try {
    expect(await store.countApplications()).toBe(before + 1);
    const record = await store.getApplication(id);
    expect(record).not.toBeNull();
    if (!record) return;
    expect(record.nik).toBe(person.nik);
    expect(record.nama).toBe(person.nama);
    // The decision signed offline came with it and was verified at ingest.
    expect(await store.getDecision(id)).toMatchObject({ decision: 'approved', officerId: officer.id });
    // The archived picture is the card as it was read: straightened, in colour, at its canonical size.
    expect(record.ektpMediaType).toBe('image/jpeg');
    const picture = await sharp(Buffer.from(record.ektpImage)).metadata();
    expect([picture.format, picture.width, picture.height]).toEqual(['jpeg', CARD_WIDTH, CARD_HEIGHT]);
    expect(record.ocrText).toContain('PROVINSI JAWA TIMUR');
    // The papers of Pasal 10 and the drawn signature specimen arrived with it, one file per kind.
    const files = new Map((record.attachments ?? []).map((a) => [a.kind, a]));
    expect([...files.keys()].sort()).toEqual(['signature-specimen', 'surat-pengantar', 'surat-rekomendasi']);
    expect(files.get('surat-pengantar')?.mediaType).toBe('application/pdf');
    const specimen = files.get('signature-specimen');
    expect(specimen?.mediaType).toBe('image/png');
    expect((await sharp(Buffer.from(specimen?.data ?? new Uint8Array())).metadata()).format).toBe('png');
    // The e-KTP as confirmed at the counter travels with the application.
    const ektp = JSON.parse(record.ektpJson ?? 'null') as { fields: Record<string, string> } | null;
    expect(ektp?.fields.nik).toBe(person.nik);
    expect(ektp?.fields.tanggalLahir).toBe(truth.tanggalLahir);

    const csrFile = join(dataDir, 'e2e.csr');
    const keyFile = join(dataDir, 'e2e.key');
    writeFileSync(csrFile, record.csrPem);
    writeFileSync(keyFile, record.encryptedPrivateKeyPem);
    const verify = openssl(['req', '-in', csrFile, '-verify', '-noout', '-subject']);
    expect(verify.status).toBe(0);
    expect(verify.out).toContain('verify OK');
    expect(verify.out).toContain(`CN = ${person.nama}`);

    // The stored key opens only with the applicant's passphrase, and it is the CSR's key.
    const decrypted = openssl(
      ['pkcs8', '-in', keyFile, '-passin', 'env:PASS', '-outform', 'DER', '-out', join(dataDir, 'plain.der')],
      {
        PASS: PASSPHRASE,
      },
    );
    expect(decrypted.status).toBe(0);
    expect(openssl(['pkcs8', '-in', keyFile, '-passin', 'pass:salah sekali frasa sandinya']).status).not.toBe(
      0,
    );
    const keyPub = execFileSync(
      'openssl',
      ['pkey', '-inform', 'DER', '-in', join(dataDir, 'plain.der'), '-pubout'],
      {
        encoding: 'utf8',
      },
    );
    const csrPub = execFileSync('openssl', ['req', '-in', csrFile, '-pubkey', '-noout'], {
      encoding: 'utf8',
    });
    expect(keyPub).toBe(csrPub);

    // Neither the plaintext key nor the passphrase reached the kiosk's storage, the database or the log.
    // A window from the middle of the key (its secret part), as raw bytes and as base64 at each of
    // the three byte alignments, so that the key is found whatever framing (PKCS#1/#8) holds it.
    const plain = readFileSync(join(dataDir, 'plain.der'));
    const windows = [
      plain.subarray(300, 348).toString('latin1'),
      ...[300, 301, 302].map((o) => plain.subarray(o, o + 48).toString('base64')),
    ];
    // WAL mode: recent pages sit in the -wal file until a checkpoint.
    const database = [SQLITE_FILE_NAME, `${SQLITE_FILE_NAME}-wal`]
      .map((f) => (existsSync(join(dataDir, f)) ? readFileSync(join(dataDir, f)).toString('latin1') : ''))
      .join('');
    const log = readFileSync(join(dataDir, 'server.log'), 'utf8');
    for (const haystack of [stored, database, log]) {
      for (const window of windows) expect(haystack).not.toContain(window);
      expect(haystack).not.toContain(PASSPHRASE);
    }
    expect(log).not.toContain(person.nik);
    expect(log).toContain('sync batch');
  } finally {
    await store.close();
  }
});
