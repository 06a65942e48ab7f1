/**
 * A sealed application on the wire and at rest on the kiosk (issue 8). The kiosk seals, at capture,
 * one blob per application (`core/sealing/seal.ts`, context `sealedRecordContext(id)`): its
 * plaintext is a batch frame (`batch-frame.ts`) of that one application, manifest
 * `{ "record": <framed record without decision> }` and its files after it (picture, then papers,
 * as `recordFileLengths` orders them). Only the RA archive (and, while the application is at the
 * counter, its officers) can open it.
 *
 * In a sync batch a sealed application travels as `{ id, sealed: { byteLength, sha256 }, decision }`
 * with the blob as its one file; the officer's decision, made after capture, is beside it in clear
 * (it names no one: ids, reasons, a signature). The server opens the blob with the archive key and
 * goes on as with a framed record.
 */
import { z } from 'zod';
import { decodeBatchFrame, encodeBatchFrame } from './batch-frame';
import { signedStatementSchema } from './statement';
import { LIMITS } from './sync';

/** Bound into the seal: a blob cannot be passed off as another application's. */
export const sealedRecordContext = (applicationId: string) => `${applicationId}/record`;

/** Room for the files at their limit, the record's JSON and the seal's header. */
export const MAX_SEALED_RECORD_BYTES = LIMITS.maxRecordFileBytes + LIMITS.maxManifestBytes + 64 * 1024;

export const sealedRecordRefSchema = z.object({
  id: z.uuid(),
  sealed: z.object({
    byteLength: z.number().int().min(1).max(MAX_SEALED_RECORD_BYTES),
    /** Hex SHA-256 of the sealed bytes as sent. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  decision: signedStatementSchema.optional(),
});
export type SealedRecordRef = z.infer<typeof sealedRecordRefSchema>;

/** True for anything that claims to be a sealed record (the schema then decides whether it is one). */
export function claimsSealed(record: unknown): boolean {
  return typeof record === 'object' && record !== null && 'sealed' in record;
}

/** The plaintext the kiosk seals: one application as a batch frame. */
export function encodeSealedPlaintext(
  record: unknown,
  files: readonly Uint8Array[],
): Uint8Array<ArrayBuffer> {
  return encodeBatchFrame({ record }, files);
}

/**
 * The record (not yet checked against the schema: the caller does, as for any record) and the
 * bytes after it, from an opened blob; null when it is not such a frame.
 */
export function decodeSealedPlaintext(bytes: Uint8Array): { record: unknown; files: Uint8Array } | null {
  const frame = decodeBatchFrame(bytes, LIMITS.maxManifestBytes);
  if (!frame.ok) return null;
  const { manifest } = frame.value;
  if (typeof manifest !== 'object' || manifest === null || !('record' in manifest)) return null;
  return { record: (manifest as { record: unknown }).record, files: frame.value.attachments };
}
