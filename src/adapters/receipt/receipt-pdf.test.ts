import { inflateSync } from 'node:zlib';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import type { ReceiptDocument } from '../../app/receipt/receipt-document';
import { receiptPdf } from './receipt-pdf';

const RECEIPT: ReceiptDocument = {
  kind: 'submission',
  title: 'Tanda Terima Permohonan Sertifikat Elektronik',
  applicationNumber: 'SK-7F3K9-Q2MXA-J',
  rows: [
    { label: 'Nomor permohonan', value: 'SK-7F3K9-Q2MXA-J' },
    { label: 'Nama', value: 'SITI RAHAYU ŞAHIN' },
    {
      label: 'Perangkat Daerah',
      value: 'Dinas Kesehatan, Pengendalian Penduduk dan Keluarga Berencana Kota Madiun',
    },
  ],
  footer: 'Simpan tanda terima ini untuk mengambil sertifikat Anda.',
};

/** The text the page shows: pdf-lib writes each line as a hex string shown with Tj, in WinAnsi. */
function shownText(pdf: Uint8Array): string[] {
  const bytes = Buffer.from(pdf);
  const texts: string[] = [];
  let at = 0;
  for (;;) {
    const start = bytes.indexOf('stream\n', at);
    if (start === -1) break;
    const end = bytes.indexOf('\nendstream', start);
    const body = bytes.subarray(start + 7, end);
    at = end + 10;
    let content: string;
    try {
      content = inflateSync(body).toString('latin1');
    } catch {
      content = body.toString('latin1');
    }
    for (const [, hex] of content.matchAll(/<([0-9A-Fa-f]*)> Tj/g)) {
      texts.push(Buffer.from(hex ?? '', 'hex').toString('latin1'));
    }
  }
  return texts;
}

describe('receiptPdf', () => {
  it('prints an A4 page with every row, wrapping long values', async () => {
    const pdf = await receiptPdf(RECEIPT, 'a4');
    const page = (await PDFDocument.load(pdf)).getPage(0);
    expect(Math.round(page.getWidth())).toBe(595);
    expect(Math.round(page.getHeight())).toBe(842);
    const text = shownText(pdf);
    expect(text[0]).toContain('Tanda Terima');
    expect(text).toContain('SK-7F3K9-Q2MXA-J');
    // Not WinAnsi: printed as "?" instead of failing the receipt.
    expect(text).toContain('SITI RAHAYU ?AHIN');
    expect(text.join(' ')).toContain('Keluarga Berencana Kota Madiun');
    expect(text.some((t) => t.startsWith('Dinas Kesehatan') && !t.includes('Madiun'))).toBe(true);
  });

  it('prints on an 80 mm roll as tall as its content', async () => {
    const pdf = await receiptPdf(RECEIPT, 'roll80');
    const page = (await PDFDocument.load(pdf)).getPage(0);
    expect(page.getWidth()).toBeCloseTo((80 * 72) / 25.4, 1);
    expect(page.getHeight()).toBeGreaterThan(page.getWidth());
    expect(page.getHeight()).toBeLessThan((297 * 72) / 25.4);
    expect(shownText(pdf)).toContain('SK-7F3K9-Q2MXA-J');
  });

  it('gives the same bytes for the same receipt', async () => {
    expect(
      Buffer.from(await receiptPdf(RECEIPT, 'a4')).equals(Buffer.from(await receiptPdf(RECEIPT, 'a4'))),
    ).toBe(true);
  });
});
