/**
 * The binary sync batch: the records as JSON, then their files as raw bytes. Nothing is base64,
 * which would cost a third more bytes over a field link and large strings on both ends.
 *
 *   "STB1" | manifest length (uint32, big-endian) | manifest (UTF-8 JSON) | files, in record order
 *
 * A record's files are its e-KTP picture, then its attachments in the order it lists them
 * (`recordFileLengths`). Each file is declared with its length and SHA-256; the lengths must add up
 * to exactly the bytes after the manifest. The request signature covers the whole body.
 */
import { fail, ok, type Result } from '../core/lib/brand';

export const BATCH_FRAME_MEDIA_TYPE = 'application/vnd.sertel.batch';

const MAGIC = [0x53, 0x54, 0x42, 0x31] as const;
const HEADER_BYTES = 8;
const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeBatchFrame(
  manifest: unknown,
  attachments: readonly Uint8Array[],
): Uint8Array<ArrayBuffer> {
  const json = utf8Encoder.encode(JSON.stringify(manifest));
  const total = attachments.reduce((sum, a) => sum + a.byteLength, HEADER_BYTES + json.byteLength);
  const body = new Uint8Array(total);
  body.set(MAGIC, 0);
  new DataView(body.buffer).setUint32(4, json.byteLength, false);
  body.set(json, HEADER_BYTES);
  let offset = HEADER_BYTES + json.byteLength;
  for (const attachment of attachments) {
    body.set(attachment, offset);
    offset += attachment.byteLength;
  }
  return body;
}

export type FrameProblem = 'not-a-frame' | 'manifest-too-large' | 'manifest-not-json';

export interface DecodedFrame {
  manifest: unknown;
  /** The bytes after the manifest: the pictures, back to back (a view, not a copy). */
  attachments: Uint8Array;
}

export function decodeBatchFrame(
  body: Uint8Array,
  maxManifestBytes: number,
): Result<DecodedFrame, FrameProblem> {
  if (body.byteLength < HEADER_BYTES || MAGIC.some((b, i) => body[i] !== b)) return fail('not-a-frame');
  const length = new DataView(body.buffer, body.byteOffset, body.byteLength).getUint32(4, false);
  if (length > maxManifestBytes) return fail('manifest-too-large');
  if (HEADER_BYTES + length > body.byteLength) return fail('not-a-frame');
  let manifest: unknown;
  try {
    manifest = JSON.parse(utf8Decoder.decode(body.subarray(HEADER_BYTES, HEADER_BYTES + length)));
  } catch {
    return fail('manifest-not-json');
  }
  return ok({ manifest, attachments: body.subarray(HEADER_BYTES + length) });
}

/**
 * Cuts the pictures apart by the lengths the records declare, in order; null when the lengths do
 * not add up to exactly the bytes there are (the frame cannot be trusted then).
 */
export function splitAttachments(region: Uint8Array, lengths: readonly number[]): Uint8Array[] | null {
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const length of lengths) {
    if (!Number.isSafeInteger(length) || length < 0 || offset + length > region.byteLength) return null;
    parts.push(region.subarray(offset, offset + length));
    offset += length;
  }
  return offset === region.byteLength ? parts : null;
}
