import { type Browser, expect, test } from '@playwright/test';
import sharp from 'sharp';
import { renderEktp, writeFakeCameraFile } from '../../scripts/make-ektp';
import { makePerson, personFields } from '../support/ektp';
import { FakeCamera } from './pages/fake-camera';
import { KioskPage } from './pages/kiosk-page';

const blank = () =>
  sharp({ create: { width: 1200, height: 800, channels: 3, background: '#ffffff' } })
    .png()
    .toBuffer();
const onePixel = () =>
  sharp({ create: { width: 1, height: 1, channels: 3, background: '#808080' } })
    .png()
    .toBuffer();
/** A "photo" of an empty desk: brown noise, nothing card-like on it. */
const emptyDesk = async () => {
  const pixels = Buffer.alloc(1200 * 900 * 3);
  for (let i = 0; i < pixels.length; i += 3) {
    const shade = 90 + ((i * 2654435761) >>> 24) / 8;
    pixels[i] = shade + 40;
    pixels[i + 1] = shade + 10;
    pixels[i + 2] = shade - 20;
  }
  return sharp(pixels, { raw: { width: 1200, height: 900, channels: 3 } })
    .jpeg({ quality: 80 })
    .toBuffer();
};

test.describe('e-KTP input the kiosk cannot read', () => {
  const cases: {
    name: string;
    file: (browser: Browser) => Promise<Buffer>;
    mimeType: string;
    message: RegExp;
  }[] = [
    {
      name: 'a PDF',
      file: async () => Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n'),
      mimeType: 'application/pdf',
      message: /bukan gambar JPEG, PNG atau WebP/,
    },
    {
      name: 'a 30 MB image',
      file: async () =>
        Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(30 * 1024 * 1024, 1)]),
      mimeType: 'image/jpeg',
      message: /terlalu besar/,
    },
    {
      name: 'a truncated JPEG',
      file: async (browser) => (await renderEktp(browser, 7, 'photo')).image.subarray(0, 60_000),
      mimeType: 'image/jpeg',
      message: /rusak atau tidak lengkap/,
    },
    { name: 'a blank image', file: blank, mimeType: 'image/png', message: /Tidak ada e-KTP yang terbaca/ },
    { name: 'a 1×1 image', file: onePixel, mimeType: 'image/png', message: /Tidak ada e-KTP yang terbaca/ },
    {
      name: 'a photo with no card',
      file: emptyDesk,
      mimeType: 'image/jpeg',
      message: /Tidak ada e-KTP yang terbaca/,
    },
  ];

  for (const c of cases) {
    test(`${c.name}: a clear message, and what was typed stays`, async ({ page, browser }) => {
      const kiosk = new KioskPage(page);
      await kiosk.open();
      await kiosk.typeEktp({ nama: 'SITI RAHAYU', nik: '3577014501900003' });
      await page.getByLabel('NIP (18 digit, untuk ASN)').fill('199001052015022001');
      await kiosk.uploadEktp(await c.file(browser), c.mimeType, `bad.${c.mimeType.split('/')[1]}`);
      await expect(kiosk.readFailure).toContainText(c.message, { timeout: 60_000 });
      await expect(kiosk.readFailure).toContainText('Data yang sudah diisi tidak hilang');
      await expect(kiosk.ektpField('nama')).toHaveValue('SITI RAHAYU');
      await expect(kiosk.ektpField('nik')).toHaveValue('3577014501900003');
      await expect(page.getByLabel('NIP (18 digit, untuk ASN)')).toHaveValue('199001052015022001');
      // The fields can still be typed by hand.
      await kiosk.typeEktp({ kota: 'KOTA MADIUN' });
      await expect(kiosk.ektpField('kota')).toHaveValue('KOTA MADIUN');
    });
  }
});

test('a card upside down is turned and read', async ({ page, browser }) => {
  const kiosk = new KioskPage(page);
  await kiosk.open();
  const seed = 11;
  await kiosk.uploadEktp((await renderEktp(browser, seed, 'upside-down')).image);
  await kiosk.waitForReading();
  await expect(page.locator('figure.ektp-picture figcaption')).toContainText('Kartu terbalik');
  const truth = personFields(makePerson(seed));
  // Right side up: the header and the NIK come out as printed (name accuracy is the benchmark's job).
  await expect(kiosk.ektpField('provinsi')).toHaveValue(truth.provinsi);
  await expect(kiosk.ektpField('kota')).toHaveValue(truth.kota);
  await expect(kiosk.ektpField('nik')).toHaveValue(truth.nik);
});

test.describe('the kiosk camera', () => {
  let camera: FakeCamera;
  const seed = 23;

  test.beforeAll(async ({ browser }) => {
    // Chromium's fake camera plays a file chosen at launch: a phone-like photo of a generated card.
    camera = await FakeCamera.launch('camera', async (file) =>
      writeFakeCameraFile((await renderEktp(browser, seed, 'photo')).image, file, browser),
    );
  });

  test.afterAll(async () => {
    await camera.close();
  });

  test('captures the card, reads it, and fills the form with warnings where unsure', async ({ baseURL }) => {
    const kiosk = await camera.kiosk(baseURL);
    const { page } = kiosk;
    await page.getByRole('button', { name: 'Gunakan kamera' }).click();
    await expect(page.getByTestId('camera-hint')).not.toHaveText('Menyalakan kamera…');
    await page.getByRole('button', { name: 'Ambil foto' }).click();
    await kiosk.waitForReading();
    const truth = personFields(makePerson(seed));
    await expect(kiosk.ektpField('nik')).toHaveValue(truth.nik);
    await expect(kiosk.ektpField('nama')).toHaveValue(truth.nama);
    await expect(kiosk.ektpField('tanggalLahir')).toHaveValue(truth.tanggalLahir);
    // A NIP whose birth date disagrees with the card is a warning on the NIP, never a correction.
    await page
      .getByLabel('NIP (18 digit, untuk ASN)')
      .fill(`19000101${truth.tanggalLahir.slice(0, 4)}011001`);
    await expect(page.getByText('Tanggal lahir dalam NIP berbeda dengan e-KTP.')).toBeVisible();
    await expect(kiosk.ektpField('tanggalLahir')).toHaveValue(truth.tanggalLahir);
    await page.context().close();
  });
});
