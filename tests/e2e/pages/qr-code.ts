import jsQR from 'jsqr';
import sharp from 'sharp';

/** The text of the QR code in a screenshot of it, or null when none is read. */
export async function decodeQr(shot: Buffer): Promise<string | null> {
  const { data, info } = await sharp(shot).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const decoded = jsQR(
    new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength),
    info.width,
    info.height,
  );
  return decoded?.data ?? null;
}
