/**
 * The pages of one paper (a letter, a decree) made into one PDF on the kiosk, so that every kind
 * travels as one file: photos become A4 pages, PDFs give their pages as they are. Runs wherever
 * pdf-lib does (the kiosk, the unit tests); nothing here touches the DOM.
 */
import { PDFDocument } from 'pdf-lib';
import type { AttachmentMediaType } from '../../protocol/sync';

/** One file the applicant gave for a paper: a photo or scan of a page, or a PDF of any pages. */
export interface PaperPart {
  mediaType: AttachmentMediaType;
  bytes: Uint8Array;
}

export type PdfProblem = 'pdf-locked' | 'unreadable';

const MM = 72 / 25.4;
/** A4 in points; a landscape photo gets a landscape page. */
const A4 = { short: 210 * MM, long: 297 * MM };
const MARGIN = 8 * MM;

/** What the first bytes say the file is, whatever its name or declared type claims. */
export function sniffMediaType(bytes: Uint8Array): AttachmentMediaType | null {
  const at = (i: number) => bytes[i] ?? -1;
  if (at(0) === 0x25 && at(1) === 0x50 && at(2) === 0x44 && at(3) === 0x46 && at(4) === 0x2d)
    return 'application/pdf';
  if (at(0) === 0x89 && at(1) === 0x50 && at(2) === 0x4e && at(3) === 0x47) return 'image/png';
  if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return 'image/jpeg';
  return null;
}

/** Pages of a PDF; a PDF locked with a password still counts (it is kept as it is, never merged). */
export async function pdfPageCount(bytes: Uint8Array): Promise<{ ok: true; pages: number } | { ok: false }> {
  try {
    const doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false });
    const pages = doc.getPageCount();
    return pages > 0 ? { ok: true, pages } : { ok: false };
  } catch {
    return { ok: false };
  }
}

/**
 * One PDF of all the parts, in order. A photo is fitted, upright and centred, on an A4 page of its
 * orientation; a PDF's pages are copied unchanged. An encrypted PDF cannot be copied from.
 */
export async function combineIntoPdf(
  parts: readonly PaperPart[],
  meta: { title: string; createdAt: Date },
): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; problem: PdfProblem; index: number }> {
  const out = await PDFDocument.create();
  out.setTitle(meta.title);
  out.setProducer('sertel-kiosk');
  out.setCreator('sertel-kiosk');
  out.setCreationDate(meta.createdAt);
  out.setModificationDate(meta.createdAt);
  for (const [index, part] of parts.entries()) {
    try {
      if (part.mediaType === 'application/pdf') {
        // pdf-lib's own EncryptedPDFError fails `instanceof` (ES5 classes): ask the document instead.
        const source = await PDFDocument.load(part.bytes, { ignoreEncryption: true, updateMetadata: false });
        if (source.isEncrypted) return { ok: false, problem: 'pdf-locked', index };
        const pages = await out.copyPages(source, source.getPageIndices());
        for (const page of pages) out.addPage(page);
        continue;
      }
      const image =
        part.mediaType === 'image/png' ? await out.embedPng(part.bytes) : await out.embedJpg(part.bytes);
      const landscape = image.width > image.height;
      const width = landscape ? A4.long : A4.short;
      const height = landscape ? A4.short : A4.long;
      const scale = Math.min((width - 2 * MARGIN) / image.width, (height - 2 * MARGIN) / image.height);
      const drawn = { width: image.width * scale, height: image.height * scale };
      out.addPage([width, height]).drawImage(image, {
        x: (width - drawn.width) / 2,
        y: (height - drawn.height) / 2,
        ...drawn,
      });
    } catch {
      return { ok: false, problem: 'unreadable', index };
    }
  }
  return { ok: true, bytes: await out.save() };
}
