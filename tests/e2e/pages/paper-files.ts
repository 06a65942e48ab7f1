import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';

/** A file as Playwright's file chooser takes it. */
export interface ChosenFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

/** A small one-page (or longer) PDF letter with its title printed on it. */
export async function letterPdf(title: string, pages = 1): Promise<ChosenFile> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i++) {
    const page = doc.addPage([595, 842]);
    page.drawText(`${title} - halaman ${i}`, { x: 60, y: 760, size: 16, font });
  }
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return { name: `${slug}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from(await doc.save()) };
}

/** A small photo of a page: white paper with a dark band where the text would be. */
export async function pagePhoto(name: string, format: 'png' | 'jpeg' = 'png'): Promise<ChosenFile> {
  const band = await sharp({ create: { width: 300, height: 40, channels: 3, background: '#223' } })
    .png()
    .toBuffer();
  const image = sharp({ create: { width: 420, height: 594, channels: 3, background: '#fafaf5' } }).composite([
    { input: band, left: 60, top: 80 },
  ]);
  const buffer =
    format === 'png' ? await image.png().toBuffer() : await image.jpeg({ quality: 80 }).toBuffer();
  return { name, mimeType: `image/${format}`, buffer };
}
