import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import type { ReceiptDocument } from '../../app/receipt/receipt-document';
import { qrMatrix } from './qr';

export type ReceiptPaper = 'a4' | 'roll80';

const MM = 72 / 25.4;
const A4 = { width: 210 * MM, height: 297 * MM, margin: 20 * MM } as const;
const ROLL = { width: 80 * MM, margin: 4 * MM } as const;
const BLACK = rgb(0, 0, 0);

/**
 * The standard PDF fonts cover WinAnsi (Latin-1 and a few marks) only: anything else in a name is
 * printed as "?" rather than failing the whole receipt. Embedding a font would add ~300 KB per PDF.
 */
function printable(font: PDFFont, text: string): string {
  return [...text]
    .map((c) => {
      try {
        font.encodeText(c);
        return c;
      } catch {
        return '?';
      }
    })
    .join('');
}

/** Greedy word wrap to `width` points; a word longer than the line is cut. */
function wrap(font: PDFFont, text: string, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) <= width) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    let rest = word;
    while (font.widthOfTextAtSize(rest, size) > width && rest.length > 1) {
      let cut = rest.length - 1;
      while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    line = rest;
  }
  if (line) lines.push(line);
  return lines.length > 0 ? lines : [''];
}

function drawQr(page: PDFPage, text: string, x: number, top: number, side: number): void {
  const matrix = qrMatrix(text);
  const modules = matrix.size + 8; // with the quiet zone
  const unit = side / modules;
  for (let row = 0; row < matrix.size; row++) {
    for (let column = 0; column < matrix.size; column++) {
      if (!matrix.isDark(row, column)) continue;
      page.drawRectangle({
        x: x + (column + 4) * unit,
        y: top - (row + 5) * unit,
        width: unit,
        height: unit,
        color: BLACK,
      });
    }
  }
}

interface Line {
  text: string;
  bold: boolean;
  size: number;
  gapBefore: number;
}

function layout(
  receipt: ReceiptDocument,
  fonts: { regular: PDFFont; bold: PDFFont },
  width: number,
  size: number,
) {
  const lines: Line[] = [];
  for (const text of wrap(fonts.bold, printable(fonts.bold, receipt.title), size * 1.4, width)) {
    lines.push({ text, bold: true, size: size * 1.4, gapBefore: 0 });
  }
  for (const { label, value } of receipt.rows) {
    lines.push({
      text: printable(fonts.regular, label),
      bold: false,
      size: size * 0.85,
      gapBefore: size * 0.6,
    });
    for (const text of wrap(fonts.bold, printable(fonts.bold, value), size, width)) {
      lines.push({ text, bold: true, size, gapBefore: 0 });
    }
  }
  return lines;
}

/** The receipt as a one-page PDF, for A4 or an 80 mm roll, with the QR code drawn as vector squares. */
export async function receiptPdf(receipt: ReceiptDocument, paper: ReceiptPaper): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`${receipt.title} ${receipt.applicationNumber}`);
  pdf.setCreator('sertel-kiosk');
  // A fixed date keeps the bytes of one receipt the same however often it is made.
  pdf.setCreationDate(new Date(0));
  pdf.setModificationDate(new Date(0));
  const fonts = {
    regular: await pdf.embedFont(StandardFonts.Helvetica),
    bold: await pdf.embedFont(StandardFonts.HelveticaBold),
  };
  const roll = paper === 'roll80';
  const margin = roll ? ROLL.margin : A4.margin;
  const pageWidth = roll ? ROLL.width : A4.width;
  const size = roll ? 8 : 11;
  const qrSide = roll ? pageWidth - 2 * margin - 20 * MM : 45 * MM;
  const textWidth = roll ? pageWidth - 2 * margin : pageWidth - 2 * margin - qrSide - 8 * MM;
  const lines = layout(receipt, fonts, textWidth, size);
  const footer = wrap(
    fonts.regular,
    printable(fonts.regular, receipt.footer),
    size * 0.8,
    pageWidth - 2 * margin,
  );
  const textHeight = lines.reduce((h, l) => h + l.gapBefore + l.size * 1.25, 0);
  const footerHeight = footer.length * size * 0.8 * 1.3;
  const pageHeight = roll ? margin * 2 + textHeight + qrSide + 6 * MM + footerHeight + 4 * MM : A4.height;
  const page = pdf.addPage([pageWidth, pageHeight]);

  let y = pageHeight - margin;
  for (const line of lines) {
    y -= line.gapBefore + line.size * 1.25;
    page.drawText(line.text, {
      x: margin,
      y,
      size: line.size,
      font: line.bold ? fonts.bold : fonts.regular,
      color: BLACK,
    });
  }
  if (roll) {
    drawQr(page, receipt.applicationNumber, (pageWidth - qrSide) / 2, y - 3 * MM, qrSide);
    y -= 3 * MM + qrSide + 3 * MM;
  } else {
    drawQr(page, receipt.applicationNumber, pageWidth - margin - qrSide, pageHeight - margin, qrSide);
    y -= 10 * MM;
  }
  for (const text of footer) {
    y -= size * 0.8 * 1.3;
    page.drawText(text, { x: margin, y, size: size * 0.8, font: fonts.regular, color: BLACK });
  }
  return pdf.save();
}
