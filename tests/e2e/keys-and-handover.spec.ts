import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { renderEktpPng } from '../../scripts/make-ektp';
import { formatSerial } from '../../src/app/receipt/receipt-document';
import { applicationNumber } from '../../src/core/application/application-number';
import { makePerson } from '../support/ektp';
import { makeOpensslCa, openssl } from '../support/openssl-ca';
import { KioskPage } from './pages/kiosk-page';
import { createOfficer, OfficerPage } from './pages/officer-page';
import { decodeQr } from './pages/qr-code';

const dataDir = process.env.E2E_DATA_DIR ?? '';
const JABATAN = 'Kepala Bidang Persandian';
const EMAIL = 'kepala.persandian@madiunkota.go.id';

interface StoredRecord {
  id: string;
  /**
   * Sealed at capture (issue 8): beside the blob only the encrypted key and, of the CSR (it names the
   * applicant), the requested key and salted digests of its subject.
   */
  keyMaterial: { encryptedPrivateKeyPem: string; request: { spki: string; subject: { type: string }[] } };
}

/** The RA opens its archive for this applicant, as an officer with a reason: the export's application. */
function fromArchive(nik: string, officerUsername: string): { csrPem: string; jabatan: string | null } {
  const run = spawnSync(
    process.execPath,
    [
      'dist-server/main.mjs',
      'archive-export',
      '--nik',
      nik,
      '--officer',
      officerUsername,
      '--reason',
      'Uji e2e: profil CSR jabatan',
    ],
    { env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, encoding: 'utf8' },
  );
  expect(run.status, run.stderr).toBe(0);
  const exported = JSON.parse(run.stdout) as {
    applications: { application: { csrPem: string; jabatan: string | null } }[];
  };
  const [first] = exported.applications;
  if (!first) throw new Error('the archive export holds no application');
  return first.application;
}

test('a jabatan application with a generated passphrase: key made off the main thread, certificate handed over as PKCS#12', async ({
  page,
  browser,
}) => {
  const seed = 4_2026;
  const person = makePerson(seed);
  const png = await renderEktpPng(browser, seed);
  const kiosk = new KioskPage(page);
  const ca = makeOpensslCa();
  try {
    await kiosk.open();
    await page.getByLabel('Jabatan / Wewenang / Organisasi').check();
    await kiosk.fillOwnFields(person, EMAIL, 'Dinas Komunikasi dan Informatika');
    await page.getByLabel('Jabatan', { exact: true }).fill(JABATAN);
    await kiosk.uploadEktp(png);
    await kiosk.waitForReading();
    await kiosk.confirmUnsureFields();
    // A jabatan application needs the SK pengangkatan and the surat penunjukan wewenang too.
    await expect(page.locator('li.paper')).toHaveCount(4);
    await kiosk.completeApplicantSteps();

    // A generated passphrase must be written down before anything is made with it.
    await page.getByTestId('passphrase-generate').click();
    const generated = ((await page.getByTestId('passphrase-generated').textContent()) ?? '').trim();
    expect(generated.split(/\s+/)).toHaveLength(5);
    await kiosk.submit();
    await expect(kiosk.problems).toContainText('Saya sudah mencatatnya');
    await page.getByTestId('passphrase-written-down').check();

    // Watch the main thread and the progress while the key pair, CSR and PBKDF2 run.
    await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[]; sawProgress: boolean };
      w.longTasks = [];
      w.sawProgress = false;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.longTasks.push(entry.duration);
      }).observe({ type: 'longtask' });
      new MutationObserver(() => {
        if (document.querySelector('form progress')) w.sawProgress = true;
      }).observe(document.body, { childList: true, subtree: true });
    });
    await kiosk.submit();
    const id = await kiosk.savedApplicationId();
    const watch = await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[]; sawProgress: boolean };
      return { longTasks: w.longTasks, sawProgress: w.sawProgress };
    });
    expect(watch.sawProgress).toBe(true);
    // RSA key search and 600,000 PBKDF2 rounds happen in the worker: no frame is held up for long.
    expect(Math.max(0, ...watch.longTasks)).toBeLessThan(250);
    expect(await page.content()).not.toContain(generated);

    // The kiosk keeps no CSR: it names the applicant. Its subject is there only as digests.
    const dump = JSON.parse(await kiosk.dumpIndexedDb()) as Record<string, StoredRecord[]>;
    const stored = dump['sertel-kiosk/applications']?.find((r) => r.id === id);
    expect(stored).toBeDefined();
    if (!stored) return;
    expect(JSON.stringify(stored.keyMaterial)).not.toContain('CERTIFICATE REQUEST');
    expect(stored.keyMaterial.request.subject.map((a) => a.type)).toEqual(['C', 'O', 'OU', 'title', 'CN']);

    // Handover is the officer's (Pasal 13 ayat 6), and nothing is handed over before approval.
    await kiosk.openOutbox();
    await expect(kiosk.outboxItem(id)).toHaveAttribute('data-state', 'held');
    await expect(page.getByRole('button', { name: 'Serahkan sertifikat' })).toHaveCount(0);
    await kiosk.enroll('Loket Serah Terima');
    const officers = new OfficerPage(page);
    const { officer, code } = await createOfficer(page, 'RINA WULANDARI', '640213');
    await officers.enroll(officer, code);
    await officers.signIn(officer);
    await officers.openApplication(id);
    await expect(page.getByTestId('status-view')).toHaveAttribute('data-stage', 'held');
    await expect(officers.handoverButton).toHaveCount(0);
    await officers.openHeld(id);
    await officers.approve();
    await officers.next();
    await officers.backToApplicant();
    await kiosk.syncNow();
    await expect(kiosk.outboxItem(id)).toHaveAttribute('data-state', 'synced');

    // The CSR as the RA archive holds it carries the jabatan profile: the position as title, the
    // e-mail as SAN, the usages.
    const { csrPem } = fromArchive(person.nik, officer.username);
    const shown = openssl(['req', '-verify', '-noout', '-text'], csrPem);
    expect(shown.status).toBe(0);
    expect(shown.out).toContain(`title = ${JABATAN}`);
    expect(shown.out).toContain(`CN = ${person.nama}`);
    expect(shown.out).toContain(`email:${EMAIL}`);
    expect(shown.out).toMatch(/Digital Signature, Non Repudiation, Key Encipherment/);
    expect(shown.out).toContain('E-mail Protection');

    const certificate = ca.sign(csrPem);
    const otherKey = ca.issueForOtherKey(`/C=ID/O=Pemerintah Kota Madiun/CN=${person.nama}`);
    const certFile = join(dataDir, 'handover-cert.pem');
    const otherFile = join(dataDir, 'handover-other.pem');
    const chainFile = join(dataDir, 'handover-chain.pem');
    writeFileSync(certFile, certificate);
    writeFileSync(otherFile, otherKey);
    writeFileSync(chainFile, ca.certificatePem);

    await officers.signIn(officer);
    const handover = await officers.openHandover(id);
    // A certificate for another key is refused before the applicant types anything.
    await handover.getByLabel('Berkas sertifikat (PEM atau DER)').setInputFiles(otherFile);
    await expect(handover.getByRole('alert')).toContainText('untuk kunci lain');
    await expect(handover.getByLabel('Frasa sandi pemohon')).toHaveCount(0);

    await handover.getByLabel('Rantai sertifikat CA (opsional)').setInputFiles(chainFile);
    await handover.getByLabel('Berkas sertifikat (PEM atau DER)').setInputFiles(certFile);
    await expect(handover.getByRole('status')).toContainText('Sertifikat cocok dengan permohonan ini');

    // A wrong passphrase costs one of the five tries and says so.
    await handover.getByLabel('Frasa sandi pemohon').fill('bukan frasa sandi yang benar sama sekali');
    await handover.getByRole('button', { name: 'Buka kunci dan buat berkas' }).click();
    await expect(handover.getByRole('alert')).toContainText('Sisa percobaan: 4');
    // Four more and the handover locks, surviving a reload, until an officer unlocks it.
    for (const left of [3, 2, 1]) {
      await handover.getByLabel('Frasa sandi pemohon').fill(`salah lagi ${left}`);
      await handover.getByRole('button', { name: 'Buka kunci dan buat berkas' }).click();
      await expect(handover.getByRole('alert')).toContainText(`Sisa percobaan: ${left}`);
    }
    await handover.getByLabel('Frasa sandi pemohon').fill('salah terakhir');
    await handover.getByRole('button', { name: 'Buka kunci dan buat berkas' }).click();
    await expect(handover.getByRole('alert').first()).toContainText('Serah terima dikunci');
    await page.reload();
    await officers.signIn(officer);
    await officers.openHandover(id);
    await expect(handover.getByRole('alert')).toContainText('Serah terima dikunci');
    await expect(handover.getByLabel('Frasa sandi pemohon')).toHaveCount(0);
    await handover.getByRole('button', { name: 'Buka kunci (petugas)' }).click();
    await expect(handover.getByRole('status')).toContainText('Kunci dibuka');
    await handover.getByLabel('Rantai sertifikat CA (opsional)').setInputFiles(chainFile);
    await handover.getByLabel('Berkas sertifikat (PEM atau DER)').setInputFiles(certFile);
    await expect(handover.getByRole('status')).toContainText('Sertifikat cocok dengan permohonan ini');

    await handover.getByLabel('Frasa sandi pemohon').fill(generated);
    await handover.getByRole('button', { name: 'Buka kunci dan buat berkas' }).click();
    await expect(handover.getByRole('status')).toContainText('Sertifikat siap diserahkan', {
      timeout: 30_000,
    });

    // The handover receipt (Pasal 13 ayat 6) names the certificate handed over: its serial as
    // OpenSSL reads it, its validity, and the application number its QR code carries.
    const receipt = page.getByTestId('handover-receipt');
    await expect(receipt).toContainText('Tanda Terima Penyerahan Sertifikat Elektronik');
    const serial = openssl(['x509', '-noout', '-serial'], certificate)
      .out.trim()
      .replace(/^serial=/, '');
    await expect(receipt).toContainText(formatSerial(serial.slice(-16)));
    const notAfter = new Date(
      openssl(['x509', '-noout', '-enddate'], certificate)
        .out.trim()
        .replace(/^notAfter=/, ''),
    );
    await expect(receipt).toContainText(String(notAfter.getFullYear()));
    expect(
      await decodeQr(await receipt.getByRole('img', { name: /^Kode QR nomor permohonan/ }).screenshot()),
    ).toBe(applicationNumber(id));

    const [p12Download] = await Promise.all([
      page.waitForEvent('download'),
      handover.getByTestId('download-p12').click(),
    ]);
    const p12File = join(dataDir, 'handover.p12');
    await p12Download.saveAs(p12File);
    const passFile = join(dataDir, 'handover.pass');
    writeFileSync(passFile, `${generated}\n`);
    const info = openssl(['pkcs12', '-info', '-in', p12File, '-passin', `file:${passFile}`, '-noout']);
    expect(info.status, info.out).toBe(0);
    expect(info.out).toContain('MAC: sha256');
    expect(info.out).toMatch(
      /Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 600000, PRF hmacWithSHA256/,
    );
    // The key inside is the one certified: its public half equals the certificate's.
    const keyPub = openssl(['pkcs12', '-in', p12File, '-passin', `file:${passFile}`, '-nocerts', '-nodes']);
    const fromP12 = openssl(
      ['pkey', '-pubout'],
      keyPub.out.slice(keyPub.out.indexOf('-----BEGIN PRIVATE KEY-----')),
    );
    const fromCert = openssl(['x509', '-noout', '-pubkey'], certificate);
    expect(fromP12.out).toBe(fromCert.out);

    const [pemDownload] = await Promise.all([
      page.waitForEvent('download'),
      handover.getByTestId('download-pem').click(),
    ]);
    const pemFile = join(dataDir, 'handover-download.pem');
    await pemDownload.saveAs(pemFile);
    expect(readFileSync(pemFile, 'utf8')).toContain(certificate.trim().split('\n')[1] ?? '-');
    // The officer who handed over is on the receipt.
    await expect(receipt).toContainText(officer.nama);
    await officers.backToApplicant();
    await kiosk.openOutbox();
    await expect(kiosk.outboxItem(id)).toContainText('Sudah diserahkan');

    // A wrong position is corrected by a new signed statement (issue 8), never by editing the record:
    // the archive reads the corrected value.
    await officers.signIn(officer);
    await officers.openTab('Koreksi data');
    const correction = page.getByTestId('correction-screen');
    await correction.getByLabel('Nomor permohonan atau ID permohonan').fill(id);
    await correction.getByLabel('Jabatan').fill('Kepala Bidang Persandian dan Statistik');
    await correction.getByLabel('Alasan koreksi (wajib)').fill('Nama jabatan sesuai SK terbaru');
    await correction.getByRole('button', { name: 'Tandatangani dan catat koreksi' }).click();
    await expect(correction.getByTestId('correction-outcome')).toHaveAttribute('data-status', 'recorded');
    expect(fromArchive(person.nik, officer.username).jabatan).toBe('Kepala Bidang Persandian dan Statistik');
  } finally {
    ca.remove();
  }
});
