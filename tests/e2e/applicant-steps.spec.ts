import { expect, test } from '@playwright/test';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { renderEktpPng, writeFakeCameraFile } from '../../scripts/make-ektp';
import { applicationNumber } from '../../src/core/application/application-number';
import { makePerson } from '../support/ektp';
import { FakeCamera } from './pages/fake-camera';
import { KioskPage, MOBILE } from './pages/kiosk-page';
import { letterPdf, pagePhoto } from './pages/paper-files';
import { decodeQr } from './pages/qr-code';

const PENGANTAR = 'Surat pengantar dari Pimpinan Perangkat Daerah';
const REKOMENDASI = 'Surat rekomendasi permohonan dari atasan';
const SK = 'SK pengangkatan dalam jabatan terakhir';
const PENUNJUKAN = 'Surat penunjukan wewenang';

interface DumpedFile {
  blob: string;
  base64: string;
}
interface DumpedApplication {
  id: string;
  record: {
    applicant: { mobile?: string; category?: string };
    agreement?: { version: string; acceptedAt: string; obligationsAcceptedAt: string };
  };
  attachmentInfo?: { kind: string; mediaType: string }[];
  sealedInfo?: { bytes: number };
}
interface DumpedAttachment {
  applicationId: string;
  kind: string;
  blob: DumpedFile;
}

test('an incomplete application cannot be submitted, and the list names exactly the missing papers', async ({
  page,
}) => {
  const kiosk = new KioskPage(page);
  await kiosk.open();
  await expect(kiosk.submitButton).toBeDisabled();
  const missing = kiosk.missingList;
  for (const text of [
    'Pilih kategori pemohon (PNS, PPPK atau pejabat).',
    'Isi nomor ponsel.',
    `Lampirkan ${PENGANTAR}.`,
    `Lampirkan ${REKOMENDASI}.`,
    'Bubuhkan dan simpan spesimen tanda tangan.',
    'Baca kewajiban pemilik sertifikat (Pasal 16 dan 17) lalu centang pernyataannya.',
    'Baca Perjanjian Pemilik Sertifikat Elektronik lalu centang persetujuannya.',
  ])
    await expect(missing).toContainText(text);
  await expect(missing).not.toContainText(SK);

  // A jabatan certificate needs two more papers (Pasal 10 ayat 4).
  await page.getByLabel('Jabatan / Wewenang / Organisasi').check();
  await expect(page.locator('li.paper')).toHaveCount(4);
  await expect(missing).toContainText(`Lampirkan ${SK}.`);
  await expect(missing).toContainText(`Lampirkan ${PENUNJUKAN}.`);

  // Two photos of a two-page letter become one PDF of two pages; the letter leaves the list.
  await kiosk.attachPaper(PENGANTAR, [
    await pagePhoto('halaman-1.png'),
    await pagePhoto('halaman-2.jpg', 'jpeg'),
  ]);
  const pengantar = kiosk.paper(PENGANTAR);
  await expect(pengantar.locator('.paper-status')).toContainText('Terlampir: 2 halaman');
  await expect(pengantar.getByRole('img')).toHaveCount(2);
  await expect(missing).not.toContainText(PENGANTAR);
  await expect(missing).toContainText(`Lampirkan ${REKOMENDASI}.`);
  // One page removed: one photo left, sent as it is.
  await pengantar.getByRole('button', { name: `Hapus halaman 2 dari ${PENGANTAR}` }).click();
  await expect(pengantar.locator('.paper-status')).toContainText('Terlampir: 1 halaman');

  // A file of another kind is refused on the spot and attaches nothing.
  await page.getByLabel(`Pilih berkas: ${SK}`, { exact: true }).setInputFiles({
    name: 'sk.docx',
    mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    buffer: Buffer.from('PK\u0003\u0004 not a scan'),
  });
  await expect(kiosk.paper(SK).getByRole('alert')).toContainText('sk.docx: format tidak didukung');
  await expect(missing).toContainText(`Lampirkan ${SK}.`);
  // A multi-page PDF shows its page count; "Hapus dokumen" takes it away again.
  await kiosk.attachPaper(PENUNJUKAN, [await letterPdf('Surat penunjukan', 3)]);
  await expect(kiosk.paper(PENUNJUKAN).locator('.paper-status')).toContainText('Terlampir: 3 halaman');
  await kiosk
    .paper(PENUNJUKAN)
    .getByRole('button', { name: `Hapus dokumen: ${PENUNJUKAN}` })
    .click();
  await expect(missing).toContainText(`Lampirkan ${PENUNJUKAN}.`);

  // An empty pad is refused.
  await page.getByRole('button', { name: 'Simpan tanda tangan' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Kotak masih kosong' })).toBeVisible();
  await expect(missing).toContainText('Bubuhkan dan simpan spesimen tanda tangan.');

  // The same list in English on the toggle.
  await page.getByRole('button', { name: 'Ganti bahasa ke English' }).click();
  await expect(missing).toContainText('Still missing (Pasal 20 ayat 2)');
  await expect(missing).toContainText('Attach: Latest appointment decree (SK pengangkatan dalam jabatan).');
  await page.getByRole('button', { name: 'Switch language to Bahasa Indonesia' }).click();

  // A mobile number that is not one, and the NIP a PNS must give.
  await page.getByRole('radio', { name: 'PNS', exact: true }).check();
  await page.getByLabel('Nomor ponsel').fill('021-555-1234');
  await expect(missing).toContainText('Isi nomor ponsel Indonesia, diawali 08 atau +628.');
  await expect(missing).toContainText('Isi NIP (wajib untuk PNS dan PPPK).');
  await expect(kiosk.submitButton).toBeDisabled();
  await expect(kiosk.submitButton).toHaveAttribute('aria-describedby', 'missing-list');
});

test('a complete application: the receipt shows the number, its QR code reads back as that number, and "Permohonan baru" starts afresh', async ({
  page,
  browser,
}) => {
  const seed = 6_2026;
  const person = makePerson(seed);
  const kiosk = new KioskPage(page);
  await kiosk.open();
  await kiosk.fillApplication(person, 'pemohon.lengkap@madiunkota.go.id', 'Dinas Pendidikan');
  await kiosk.uploadEktp(await renderEktpPng(browser, seed));
  await kiosk.waitForReading();
  await kiosk.confirmUnsureFields();
  await kiosk.completeApplicantSteps();
  await kiosk.setPassphrase('layang-layang terbang tinggi di atas sawah');
  await expect(kiosk.missingList).toContainText('Semua persyaratan sudah lengkap.');
  await expect(kiosk.submitButton).toBeEnabled();
  await kiosk.submit();

  const id = await kiosk.savedApplicationId();
  const number = applicationNumber(id);
  await expect(kiosk.applicationNumber).toHaveText(number);
  await expect(kiosk.receipt).toContainText('Tanda Terima Permohonan Sertifikat Elektronik');
  await expect(kiosk.receipt).toContainText(number);
  await expect(kiosk.receipt).toContainText(person.nama);
  await expect(kiosk.receipt).toContainText('Dinas Pendidikan');
  await expect(page.getByRole('button', { name: 'Cetak (A4)' })).toBeVisible();

  // The QR code on screen decodes to the application number.
  expect(await decodeQr(await kiosk.receiptQr.screenshot())).toBe(number);

  // The receipt as PDF.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Unduh PDF' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`tanda-terima-${number}.pdf`);
  const receiptPdf = await PDFDocument.load(await streamBytes(await download.createReadStream()));
  expect(receiptPdf.getPageCount()).toBe(1);

  // What the kiosk stored (issue 8): sealed at capture. The row keeps the clear fields only (the
  // agreement's version and times, the Perangkat Daerah); the mobile number, the category and every
  // paper, the signature specimen included, are inside the sealed blob, the one file kept.
  const dump = JSON.parse(await kiosk.dumpIndexedDb()) as Record<string, unknown[]>;
  const stored = (dump['sertel-kiosk/applications'] as DumpedApplication[] | undefined)?.find(
    (a) => a.id === id,
  );
  expect(stored?.record.applicant).toEqual({ perangkatDaerah: expect.any(String) });
  expect(JSON.stringify(stored)).not.toContain(MOBILE.replace(/\D/g, '').slice(1));
  expect(stored?.record.agreement?.version).toBe('2026-01');
  expect(Date.parse(stored?.record.agreement?.acceptedAt ?? '')).not.toBeNaN();
  expect(Date.parse(stored?.record.agreement?.obligationsAcceptedAt ?? '')).not.toBeNaN();
  expect(stored?.sealedInfo?.bytes).toBeGreaterThan(0);
  expect(stored?.attachmentInfo).toBeUndefined();
  const files = (dump['sertel-kiosk/attachments'] as DumpedAttachment[] | undefined)?.filter(
    (a) => a.applicationId === id,
  );
  expect(files?.map((a) => a.kind)).toEqual(['sealed']);

  // A new application starts from nothing.
  await kiosk.startNewApplication();
  await expect(page.getByLabel('NIP (18 digit, untuk ASN)')).toHaveValue('');
  await expect(page.getByLabel('Nomor ponsel')).toHaveValue('');
  await expect(page.getByRole('radio', { name: 'PNS', exact: true })).not.toBeChecked();
  await expect(
    page.getByRole('checkbox', { name: 'Saya menyetujui Perjanjian Pemilik Sertifikat Elektronik' }),
  ).not.toBeChecked();
  await expect(kiosk.signaturePad).toBeVisible();
  await expect(kiosk.missingList).toContainText(`Lampirkan ${PENGANTAR}.`);
  await expect(kiosk.submitButton).toBeDisabled();
});

test.describe('the document camera', () => {
  let camera: FakeCamera;

  test.beforeAll(async () => {
    // Chromium's fake camera plays a still picture chosen at launch: a page of a letter on a desk.
    camera = await FakeCamera.launch('paper-camera', async (file) => {
      const text = await sharp({ create: { width: 420, height: 40, channels: 3, background: '#1e293b' } })
        .png()
        .toBuffer();
      const page = await sharp({ create: { width: 500, height: 700, channels: 3, background: '#fbfaf5' } })
        .composite([{ input: text, left: 40, top: 90 }])
        .png()
        .toBuffer();
      const desk = await sharp({ create: { width: 1280, height: 720, channels: 3, background: '#6b4f3a' } })
        .composite([{ input: page, left: 390, top: 10 }])
        .jpeg({ quality: 85 })
        .toBuffer();
      await writeFakeCameraFile(desk, file);
    });
  });

  test.afterAll(async () => {
    await camera.close();
  });

  test('photographs a letter page by page; the pages become one document', async ({ baseURL }) => {
    const kiosk = await camera.kiosk(baseURL);
    const letter = kiosk.paper(REKOMENDASI);
    await letter.getByRole('button', { name: `Foto dengan kamera: ${REKOMENDASI}` }).click();
    const capture = letter.getByRole('button', { name: 'Ambil foto halaman' });
    await expect(capture).toBeEnabled();
    await capture.click();
    await expect(letter.locator('.paper-status')).toContainText('Terlampir: 1 halaman');
    await capture.click();
    await expect(letter).toContainText('2 halaman sudah difoto');
    await letter.getByRole('button', { name: 'Selesai' }).click();
    await expect(letter.locator('.paper-status')).toContainText('Terlampir: 2 halaman');
    await expect(letter.getByRole('img', { name: /^Halaman \d dari / })).toHaveCount(2);
    await expect(kiosk.missingList).not.toContainText(REKOMENDASI);
    await kiosk.page.context().close();
  });
});

async function streamBytes(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return new Uint8Array(Buffer.concat(chunks));
}
