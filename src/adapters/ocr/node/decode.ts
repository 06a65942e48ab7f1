import sharp from 'sharp';
import type { RgbaImage } from '../../../app/ocr/ports';
import type { GrayImage } from '../../../core/ocr/quality';

/** Larger inputs are refused before decoding: a 20 MB photo is already far beyond what reads well. */
export const MAX_INPUT_BYTES = 20 * 1024 * 1024;
const MAX_PIXELS = 40_000_000;

export class UnreadableImageError extends Error {
  override name = 'UnreadableImageError';
  constructor(
    readonly code: 'too-large' | 'not-an-image' | 'corrupt',
    message: string,
  ) {
    super(message);
  }
}

export async function decodeImage(file: Buffer): Promise<RgbaImage> {
  if (file.length > MAX_INPUT_BYTES)
    throw new UnreadableImageError('too-large', `image larger than ${MAX_INPUT_BYTES} bytes`);
  let metadata: sharp.Metadata;
  try {
    metadata = await sharp(file).metadata();
  } catch {
    throw new UnreadableImageError('not-an-image', 'not a JPEG, PNG or WebP image');
  }
  if (!['jpeg', 'png', 'webp'].includes(metadata.format ?? '')) {
    throw new UnreadableImageError('not-an-image', `unsupported format: ${metadata.format ?? 'unknown'}`);
  }
  try {
    const { data, info } = await sharp(file, { failOn: 'truncated', limitInputPixels: MAX_PIXELS })
      .rotate() // honour EXIF orientation, as a browser does
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return {
      width: info.width,
      height: info.height,
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    };
  } catch (err) {
    throw new UnreadableImageError(
      'corrupt',
      `the image could not be decoded: ${err instanceof Error ? err.message : err}`,
    );
  }
}

export async function encodeGrayPng(image: GrayImage): Promise<Buffer> {
  return sharp(Buffer.from(image.data), { raw: { width: image.width, height: image.height, channels: 1 } })
    .png({ compressionLevel: 1 })
    .toBuffer();
}
