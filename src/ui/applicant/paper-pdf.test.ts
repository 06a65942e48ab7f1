import { PDFDocument, PDFName } from 'pdf-lib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { combineIntoPdf, type PaperPart, pdfPageCount, sniffMediaType } from './paper-pdf';

const META = { title: 'Surat pengantar', createdAt: new Date('2026-11-25T08:00:00.000Z') };

async function photo(width: number, height: number, format: 'png' | 'jpeg'): Promise<PaperPart> {
  const image = sharp({ create: { width, height, channels: 3, background: { r: 250, g: 250, b: 245 } } });
  const bytes = new Uint8Array(
    format === 'png' ? await image.png().toBuffer() : await image.jpeg().toBuffer(),
  );
  return { mediaType: format === 'png' ? 'image/png' : 'image/jpeg', bytes };
}

async function pdf(pages: number, encrypted = false): Promise<PaperPart> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i++) doc.addPage([595, 842]);
  // What a password-protected scan looks like to a reader: an /Encrypt entry in the trailer.
  if (encrypted) doc.context.trailerInfo.Encrypt = doc.context.obj({ Filter: PDFName.of('Standard'), V: 2 });
  return { mediaType: 'application/pdf', bytes: await doc.save({ useObjectStreams: !encrypted }) };
}

describe('sniffMediaType', () => {
  it.each<[string, number[], ReturnType<typeof sniffMediaType>]>([
    ['a PDF', [0x25, 0x50, 0x44, 0x46, 0x2d, 0x31], 'application/pdf'],
    ['a PNG', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a], 'image/png'],
    ['a JPEG', [0xff, 0xd8, 0xff, 0xe0], 'image/jpeg'],
    ['a Word document', [0xd0, 0xcf, 0x11, 0xe0], null],
    ['"%PDF" without its dash', [0x25, 0x50, 0x44, 0x46, 0x20], null],
    ['nothing', [], null],
  ])('%s → %s', (_what, bytes, expected) => {
    expect(sniffMediaType(Uint8Array.from(bytes))).toBe(expected);
  });
});

describe('pdfPageCount', () => {
  it('counts the pages, of a locked PDF too', async () => {
    expect(await pdfPageCount((await pdf(3)).bytes)).toEqual({ ok: true, pages: 3 });
    expect(await pdfPageCount((await pdf(2, true)).bytes)).toEqual({ ok: true, pages: 2 });
  });

  it('refuses what is not a PDF', async () => {
    expect(await pdfPageCount(new TextEncoder().encode('%PDF-1.7 but nothing after'))).toEqual({ ok: false });
  });
});

describe('combineIntoPdf', () => {
  it('makes one PDF of photos and PDFs, in order, one A4 page per photo', async () => {
    const parts = [await photo(1200, 1700, 'jpeg'), await pdf(2), await photo(1700, 1200, 'png')];
    const combined = await combineIntoPdf(parts, META);
    if (!combined.ok) throw new Error(`expected a PDF, got ${combined.problem}`);
    expect(sniffMediaType(combined.bytes)).toBe('application/pdf');
    const doc = await PDFDocument.load(combined.bytes);
    expect(doc.getPageCount()).toBe(4);
    const sizes = doc.getPages().map((p) => p.getSize());
    // Portrait A4 for the upright photo, the PDF's own pages, landscape A4 for the wide photo.
    expect(sizes.map(({ width, height }) => [Math.round(width), Math.round(height)])).toEqual([
      [595, 842],
      [595, 842],
      [595, 842],
      [842, 595],
    ]);
    expect(doc.getTitle()).toBe('Surat pengantar');
  });

  it('names the part it cannot use: a locked PDF, a broken picture', async () => {
    expect(await combineIntoPdf([await photo(100, 140, 'png'), await pdf(1, true)], META)).toEqual({
      ok: false,
      problem: 'pdf-locked',
      index: 1,
    });
    const broken: PaperPart = { mediaType: 'image/jpeg', bytes: Uint8Array.from([0xff, 0xd8, 0xff, 0x00]) };
    expect(await combineIntoPdf([broken, await photo(100, 140, 'png')], META)).toEqual({
      ok: false,
      problem: 'unreadable',
      index: 0,
    });
  });
});
