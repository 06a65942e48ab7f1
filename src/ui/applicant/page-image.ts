/**
 * A file or camera frame made into one part of a paper: its type read from its bytes, photos
 * upright and at a size that keeps a letter of several pages under the attachment limit.
 * Browser only (createImageBitmap, canvas).
 */
import type { AttachmentMediaType } from '../../protocol/sync';
import { pdfPageCount, sniffMediaType } from './paper-pdf';

export interface PreparedPart {
  blob: Blob;
  mediaType: AttachmentMediaType;
  /** 1 for a photo; a PDF's page count. */
  pages: number;
}

export type PartProblem = 'unsupported-type' | 'empty' | 'unreadable';

/** A page photo's longer side: 2000 px keeps small print legible at A4 (~170 dpi). */
const MAX_SIDE = 2000;
/** Photos larger than this are re-encoded even when small enough in pixels. */
const REENCODE_ABOVE_BYTES = 1_500_000;
const JPEG_QUALITY = 0.85;

/** An A4 portrait frame, centred, filling 90 % of the camera picture in its tighter direction. */
export function pageGuide(width: number, height: number): { x: number; y: number; w: number; h: number } {
  const h = Math.min(0.9 * height, ((0.9 * width) / 210) * 297);
  const w = (h / 297) * 210;
  return { x: (width - w) / 2, y: (height - h) / 2, w, h };
}

/** A JPEG carrying EXIF (which may turn it) is redrawn so the page stands as the viewer shows it. */
function hasExif(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, Math.min(bytes.length, 64 * 1024));
  for (let i = 2; i + 9 < head.length; i++) {
    if (head[i] === 0xff && head[i + 1] === 0xe1 && head[i + 4] === 0x45 && head[i + 5] === 0x78) return true;
  }
  return false;
}

async function toJpeg(
  source: CanvasImageSource,
  crop: { x: number; y: number; w: number; h: number },
): Promise<Blob | null> {
  const scale = Math.min(1, MAX_SIDE / Math.max(crop.w, crop.h));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(crop.w * scale);
  canvas.height = Math.round(crop.h * scale);
  const context = canvas.getContext('2d');
  if (!context) return null;
  // A transparent PNG would turn black as a JPEG: paper is white.
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(source, crop.x, crop.y, crop.w, crop.h, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', JPEG_QUALITY));
}

/** Reads a chosen file: a PDF as it is (its pages counted), a photo upright and not oversized. */
export async function preparePart(
  file: Blob,
): Promise<{ ok: true; part: PreparedPart } | { ok: false; problem: PartProblem }> {
  if (file.size === 0) return { ok: false, problem: 'empty' };
  const bytes = new Uint8Array(await file.arrayBuffer());
  const mediaType = sniffMediaType(bytes);
  if (!mediaType) return { ok: false, problem: 'unsupported-type' };
  if (mediaType === 'application/pdf') {
    const counted = await pdfPageCount(bytes);
    if (!counted.ok) return { ok: false, problem: 'unreadable' };
    return {
      ok: true,
      part: { blob: new Blob([bytes], { type: mediaType }), mediaType, pages: counted.pages },
    };
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes], { type: mediaType }));
  } catch {
    return { ok: false, problem: 'unreadable' };
  }
  try {
    const keep =
      Math.max(bitmap.width, bitmap.height) <= MAX_SIDE &&
      bytes.length <= REENCODE_ABOVE_BYTES &&
      !(mediaType === 'image/jpeg' && hasExif(bytes));
    if (keep)
      return { ok: true, part: { blob: new Blob([bytes], { type: mediaType }), mediaType, pages: 1 } };
    const jpeg = await toJpeg(bitmap, { x: 0, y: 0, w: bitmap.width, h: bitmap.height });
    if (!jpeg) return { ok: false, problem: 'unreadable' };
    return { ok: true, part: { blob: jpeg, mediaType: 'image/jpeg', pages: 1 } };
  } finally {
    bitmap.close();
  }
}

/** The camera frame inside the page guide, as a JPEG part. */
export async function capturePage(video: HTMLVideoElement): Promise<PreparedPart | null> {
  if (video.videoWidth === 0) return null;
  const blob = await toJpeg(video, pageGuide(video.videoWidth, video.videoHeight));
  return blob ? { blob, mediaType: 'image/jpeg', pages: 1 } : null;
}
