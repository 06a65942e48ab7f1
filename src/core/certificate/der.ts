/**
 * Whether `bytes` is exactly one DER element whose framing is canonical all the way down: definite
 * lengths in their shortest form, tag numbers under 31 in the short form and above it in the shortest
 * long form, constructed encodings only where DER allows them (SEQUENCE, SET, and tagged types), and
 * every constructed element filled exactly by its children. Primitive contents are not judged
 * (the readers of each field do that). asn1js accepts BER, so this is the DER gate in front of it,
 * one pass over the bytes with no tree built.
 */
export function isStrictDer(bytes: Uint8Array): boolean {
  return elementEnd(bytes, 0, bytes.length, 0) === bytes.length;
}

/** Deeper than any request or certificate nests; a deeper input is refused rather than recursed. */
const MAX_DEPTH = 32;
const UNIVERSAL_SEQUENCE = 16;
const UNIVERSAL_SET = 17;

/** The offset just after the element starting at `at` (which must end by `limit`), or -1. */
function elementEnd(bytes: Uint8Array, at: number, limit: number, depth: number): number {
  if (depth > MAX_DEPTH || at >= limit) return -1;
  const first = bytes[at] ?? 0;
  const tagClass = first >> 6;
  const constructed = (first & 0x20) !== 0;
  let tagNumber = first & 0x1f;
  let offset = at + 1;
  if (tagNumber === 0x1f) {
    // Long form: base-128 without a leading zero group, and only for numbers that need it.
    tagNumber = 0;
    for (let groups = 0; ; groups++) {
      if (offset >= limit || groups >= 4) return -1;
      const byte = bytes[offset++] ?? 0;
      if (groups === 0 && byte === 0x80) return -1;
      tagNumber = tagNumber * 128 + (byte & 0x7f);
      if ((byte & 0x80) === 0) break;
    }
    if (tagNumber < 0x1f) return -1;
  }
  if (tagClass === 0) {
    // Universal 0 is BER's end-of-contents marker, not an element.
    if (tagNumber === 0) return -1;
    if (constructed !== (tagNumber === UNIVERSAL_SEQUENCE || tagNumber === UNIVERSAL_SET)) return -1;
  }
  if (offset >= limit) return -1;
  const lengthByte = bytes[offset++] ?? 0;
  let length = lengthByte;
  if (lengthByte & 0x80) {
    const count = lengthByte & 0x7f;
    // 0x80 is BER's indefinite length; more than 4 length bytes is no request we take.
    if (count === 0 || count > 4 || offset + count > limit) return -1;
    if (bytes[offset] === 0) return -1;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (bytes[offset++] ?? 0);
    if (length < 0x80) return -1;
  }
  const end = offset + length;
  if (end > limit) return -1;
  if (constructed) {
    while (offset < end) {
      offset = elementEnd(bytes, offset, end, depth + 1);
      if (offset === -1) return -1;
    }
  }
  return end;
}
