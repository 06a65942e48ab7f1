/**
 * Sealed applications from kiosks (issue 8, `src/protocol/sealed-record.ts`): each arrives as a ref
 * `{ id, sealed: { byteLength, sha256 }, decision }` with its blob as its one file. The server opens
 * the blob with the RA archive key it names and hands the framed record inside, with the ref's
 * decision, to the ordinary checks. Whatever fails refuses that record alone; the kiosk keeps it.
 */
import { createHash } from 'node:crypto';
import { decodeSealed, open } from '../../../src/core/sealing/seal';
import { splitAttachments } from '../../../src/protocol/batch-frame';
import {
  claimsSealed,
  decodeSealedPlaintext,
  sealedRecordContext,
  sealedRecordRefSchema,
} from '../../../src/protocol/sealed-record';
import { recordFileLengths } from '../../../src/protocol/sync';
import type { ArchiveKeys } from '../archive/archive-keys';
import type { BatchJob, Checked } from './record-check';

export type SealedRefusalCode =
  | 'invalid-record'
  | 'sealed-not-framed'
  | 'sealed-unsupported'
  | 'sealed-unreadable'
  | 'sealed-unknown-key'
  | 'sealed-mismatch';

type Opened =
  | { ok: true; record: unknown; files: Uint8Array[] }
  | { ok: false; code: SealedRefusalCode; message: string };

const refuse = (code: SealedRefusalCode, message: string): Opened => ({ ok: false, code, message });

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** One sealed record opened into its framed record and files, or why not. */
export async function openSealedRecord(
  raw: unknown,
  blob: Uint8Array | undefined,
  archiveKeys: ArchiveKeys | null,
): Promise<Opened> {
  const parsed = sealedRecordRefSchema.safeParse(raw);
  if (!parsed.success) {
    // Field paths only, as for any record: never the values.
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(record)'))];
    return refuse('invalid-record', `invalid fields: ${fields.join(', ')}`);
  }
  const ref = parsed.data;
  if (blob === undefined) {
    return refuse('sealed-not-framed', 'a sealed record travels in a binary batch with its blob as its file');
  }
  if (archiveKeys === null) {
    return refuse('sealed-unsupported', 'this server has no archive key to open sealed records');
  }
  if (blob.byteLength !== ref.sealed.byteLength || sha256Hex(blob) !== ref.sealed.sha256) {
    return refuse('sealed-unreadable', 'the sealed record does not match its sha256');
  }
  const decoded = decodeSealed(blob);
  if (!decoded.ok)
    return refuse('sealed-unreadable', 'the sealed record is not a sealed blob of a known version');
  const context = sealedRecordContext(ref.id);
  if (decoded.value.header.context !== context) {
    return refuse('sealed-mismatch', 'the sealed record was sealed for another application');
  }
  let tried = false;
  for (const recipient of decoded.value.header.recipients) {
    if (recipient.kind !== 'archive') continue;
    const key = await archiveKeys.openingKey(recipient.keyId);
    if (key === null) continue;
    tried = true;
    const plain = await open(decoded.value, key, context);
    if (!plain.ok) return refuse('sealed-unreadable', `the sealed record does not open (${plain.problem})`);
    const inner = decodeSealedPlaintext(plain.value);
    if (inner === null || typeof inner.record !== 'object' || inner.record === null) {
      return refuse('sealed-unreadable', 'the opened record is not a framed application');
    }
    const record = inner.record as Record<string, unknown>;
    if (record.id !== ref.id) {
      return refuse('sealed-mismatch', 'the sealed record holds another application than its id says');
    }
    // The decision is made after capture and travels beside the blob: only the ref's counts.
    const { decision: _sealedDecision, ...rest } = record;
    const framed = ref.decision === undefined ? rest : { ...rest, decision: ref.decision };
    const files = splitAttachments(inner.files, recordFileLengths(framed));
    if (files === null) {
      return refuse(
        'sealed-unreadable',
        'the files inside the sealed record do not add up to their declared lengths',
      );
    }
    return { ok: true, record: framed, files };
  }
  return refuse(
    'sealed-unknown-key',
    tried
      ? 'the sealed record does not open'
      : 'the sealed record is sealed to no archive key this server holds',
  );
}

/**
 * The batch with every sealed record replaced by its framed record and files; the refused ones
 * (by index) are left as nothing for the ordinary checks and answered from `refused`.
 */
export async function openSealedRecords(
  job: BatchJob,
  archiveKeys: ArchiveKeys | null,
): Promise<{ job: BatchJob; refused: Map<number, Checked> }> {
  const refused = new Map<number, Checked>();
  if (!job.records.some(claimsSealed)) return { job, refused };
  const records = [...job.records];
  const files = job.kind === 'framed' ? [...job.files] : job.records.map(() => []);
  await Promise.all(
    job.records.map(async (raw, index) => {
      if (!claimsSealed(raw)) return;
      const blob = job.kind === 'framed' ? job.files[index]?.[0] : undefined;
      const opened = await openSealedRecord(raw, blob, archiveKeys);
      if (opened.ok) {
        records[index] = opened.record;
        files[index] = opened.files;
        return;
      }
      const id =
        typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id.slice(0, 64) : null;
      refused.set(index, {
        ok: false,
        result: { index, id, status: 'rejected', code: opened.code, message: opened.message },
      });
      records[index] = null;
      files[index] = [];
    }),
  );
  // An opened sealed record is a framed one: a JSON batch holding one is refused above, so the
  // batch keeps its kind.
  return {
    job: job.kind === 'framed' ? { ...job, records, files } : { ...job, records },
    refused,
  };
}
