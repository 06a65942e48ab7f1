/**
 * Browsers decode a truncated JPEG or PNG without complaint (the missing part comes out grey),
 * and a half picture reads as half a card. A file that lacks its end marker is refused instead.
 */
export function isCompleteImageFile(bytes: Uint8Array, mediaType: string): boolean {
  if (mediaType === 'image/jpeg') {
    if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return false;
    // EOI (FF D9), allowing some trailing padding that cameras append.
    const from = Math.max(2, bytes.length - 1024);
    for (let i = bytes.length - 2; i >= from; i--)
      if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return true;
    return false;
  }
  if (mediaType === 'image/png') {
    // The IEND chunk: length 0, type "IEND", CRC AE 42 60 82.
    const iend = [0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];
    const tail = bytes.subarray(bytes.length - 8);
    return tail.length === 8 && iend.every((b, i) => tail[i] === b);
  }
  if (mediaType === 'image/webp') {
    // RIFF size field: the file must be at least as long as it says.
    if (bytes.length < 12) return false;
    const size =
      ((bytes[4] ?? 0) | ((bytes[5] ?? 0) << 8) | ((bytes[6] ?? 0) << 16) | ((bytes[7] ?? 0) << 24)) >>> 0;
    return bytes.length >= size + 8;
  }
  return false;
}
