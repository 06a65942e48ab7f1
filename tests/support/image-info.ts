/** Type and pixel size of a PNG or JPEG from its header, without decoding it. */
export interface ImageInfo {
  type: 'png' | 'jpeg';
  width: number;
  height: number;
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function isPng(bytes: Uint8Array): boolean {
  return PNG_MAGIC.every((b, i) => bytes[i] === b);
}

export function isJpeg(bytes: Uint8Array): boolean {
  return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

export function imageInfo(bytes: Uint8Array): ImageInfo {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isPng(bytes)) {
    // The first chunk is IHDR: length (4), "IHDR" (4), width (4), height (4).
    if (bytes.length < 24) throw new Error('truncated PNG');
    return { type: 'png', width: view.getUint32(16), height: view.getUint32(20) };
  }
  if (isJpeg(bytes)) {
    // Walk the marker segments to the first start-of-frame (SOF0..SOF15 except DHT, JPG, DAC).
    let i = 2;
    while (i + 9 < bytes.length) {
      if (bytes[i] !== 0xff) throw new Error(`JPEG: no marker at byte ${i}`);
      const marker = bytes[i + 1] ?? 0;
      if (marker === 0xff) {
        i++;
        continue;
      }
      const length = view.getUint16(i + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { type: 'jpeg', height: view.getUint16(i + 5), width: view.getUint16(i + 7) };
      }
      i += 2 + length;
    }
    throw new Error('JPEG: no start-of-frame marker');
  }
  throw new Error('not a PNG or JPEG image');
}
