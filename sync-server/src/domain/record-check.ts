import { createHash } from 'node:crypto';
import { z } from 'zod';
import { certificateProfiles } from '../../../src/app/certificate-profiles';
import { normaliseNama } from '../../../src/core/application/application';
import { verifyCsr } from '../../../src/core/certificate/csr';
import {
  compareCsr,
  keyAlgorithmOf,
  type ProfileSet,
  renderProfile,
} from '../../../src/core/certificate/profile';
import { applicationHash, type SignedStatement } from '../../../src/protocol/officer';
import {
  type ApplicationRecord,
  type AttachmentMediaType,
  applicationRecordSchema,
  type FramedRecord,
  framedRecordSchema,
  IMAGE_MEDIA_TYPES,
  LIMITS,
  type RecordResult,
} from '../../../src/protocol/sync';
import type { NewApplication, NewAttachment } from '../store/store';
import { nodeSignatureVerifier } from './node-signature-verifier';

const MAGIC: Record<ApplicationRecord['ektpImage']['mediaType'], (b: Uint8Array) => boolean> = {
  'image/png': (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47,
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/webp': (b) =>
    String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' &&
    String.fromCharCode(...b.subarray(8, 12)) === 'WEBP',
};

const ATTACHMENT_MAGIC: Record<AttachmentMediaType, (b: Uint8Array) => boolean> = {
  'image/png': MAGIC['image/png'],
  'image/jpeg': MAGIC['image/jpeg'],
  'application/pdf': (b) => String.fromCharCode(...b.subarray(0, 5)) === '%PDF-',
};

const CSR_MESSAGES = {
  'not-pem': 'csrPem is not a PEM CERTIFICATE REQUEST',
  malformed: 'csrPem is not a well-formed PKCS#10 request',
  'bad-signature': 'the CSR signature does not verify',
  'no-common-name': 'the CSR subject has no common name',
  'unsupported-key': 'the CSR key must be RSA (2048 bits or more) or ECDSA P-256',
} as const;

/**
 * A record judged: the application to store (with the thunk of its legacy hash, computed from the
 * record as parsed only when a resend meets an older row), or the refusal to send back. A record
 * carrying an officer's decision also brings the statement and the thunk of the server's own
 * `applicationHash` of the record, for the decision check against the officer accounts
 * (`officer-statements.ts`).
 */
export type Checked =
  | { ok: true; application: NewApplication; decision?: PendingDecision }
  | { ok: false; result: RecordResult };

interface PendingDecision {
  statement: SignedStatement;
  /**
   * `applicationHash()` of the record as the server parsed it (framed form); computed only when
   * the decision is checked, which a resend of a stored record skips.
   */
  applicationHash: () => Promise<string>;
}

/** One batch's records to judge, as they came: JSON (pictures inline) or framed (pictures beside). */
export type BatchJob =
  | { kind: 'json'; kioskId: string; records: unknown[] }
  | { kind: 'framed'; kioskId: string; records: unknown[]; files: Uint8Array[][] };

/**
 * The wire schema with the picture's alphabet checked natively below instead of by the protocol's
 * character loop: decoding and re-encoding 200 KB in C++ costs a third of it, and the decoded bytes
 * are needed anyway. It also holds the picture to canonical base64, the only form kiosks send.
 */
const serverRecordSchema = applicationRecordSchema.extend({
  ektpImage: z.object({
    mediaType: z.enum(IMAGE_MEDIA_TYPES),
    dataBase64: z.string().min(4).max(LIMITS.maxImageBase64Chars),
  }),
});

/** The decoded picture, or null when the text is not canonical base64. */
function decodeCanonicalBase64(text: string): Buffer | null {
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

function reject(index: number, id: string | null, code: string, message: string): Checked {
  return { ok: false, result: { index, id, status: 'rejected', code, message } };
}

/**
 * The content hash of records stored before binary batches (bare hex): the SHA-256 of
 * `JSON.stringify([kioskId, record])` with the picture inline as base64. Only computed when a
 * resend meets such a row.
 */
export function legacyContentHash(kioskId: string, record: ApplicationRecord): string {
  return createHash('sha256')
    .update(JSON.stringify([kioskId, record]))
    .digest('hex');
}

/**
 * Content hash over the canonical (schema-ordered) record with its picture by reference (length
 * and SHA-256): a resend hashes the same whether it came as JSON or as a binary batch. Prefixed
 * `v2:` to tell it from the legacy hash of older rows.
 */
export function contentHash(kioskId: string, record: FramedRecord): string {
  return `v2:${createHash('sha256')
    .update(JSON.stringify([kioskId, record]))
    .digest('hex')}`;
}

/**
 * The CSR must ask for exactly what the certificate profile makes of this application's data; the
 * key algorithm is the CSR's own, as long as the profile allows it.
 */
function csrMismatch(
  record: Pick<FramedRecord, 'applicant' | 'certificateType'>,
  csr: Parameters<typeof compareCsr>[0],
  profiles: ProfileSet,
) {
  const keyAlgorithm = keyAlgorithmOf(csr);
  if (!keyAlgorithm) return 'the CSR key is not one the certificate profile allows';
  const { applicant } = record;
  const request = renderProfile(
    profiles,
    record.certificateType,
    {
      nama: normaliseNama(applicant.nama),
      email: applicant.email.toLowerCase(),
      perangkatDaerah: applicant.perangkatDaerah.trim(),
      nip: applicant.nip,
      jabatan: record.certificateType === 'jabatan' ? (applicant.jabatan ?? null) : null,
      host: record.certificateType === 'sistem-elektronik' ? (applicant.host ?? null) : null,
    },
    keyAlgorithm,
  );
  if (!request.ok) {
    return request.problem.reason === 'missing-value'
      ? `the application lacks ${request.problem.field}, which the ${record.certificateType} profile needs`
      : `the ${record.certificateType} profile does not allow ${keyAlgorithm} keys`;
  }
  const mismatches = compareCsr(csr, request.value);
  return mismatches.length > 0 ? `the CSR does not match the application: ${mismatches.join(', ')}` : null;
}

function rawIdOf(raw: unknown): string | null {
  return typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string'
    ? (raw as { id: string }).id.slice(0, 64)
    : null;
}

function schemaRejection(index: number, raw: unknown, error: z.ZodError): Checked {
  // Field paths only: messages must not echo the values, which may be personal data.
  const fields = [...new Set(error.issues.map((i) => i.path.join('.') || '(record)'))];
  return reject(index, rawIdOf(raw), 'invalid-record', `invalid fields: ${fields.join(', ')}`);
}

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A record of a JSON batch: the picture inline as base64. */
function checkJsonRecord(
  kioskId: string,
  raw: unknown,
  index: number,
  profiles: ProfileSet,
): Promise<Checked> {
  const parsed = serverRecordSchema.safeParse(raw);
  if (!parsed.success) return Promise.resolve(schemaRejection(index, raw, parsed.error));
  const record = parsed.data;
  const picture = decodeCanonicalBase64(record.ektpImage.dataBase64);
  if (picture === null) {
    return Promise.resolve(
      reject(index, record.id, 'invalid-record', 'invalid fields: ektpImage.dataBase64'),
    );
  }
  const { mediaType } = record.ektpImage;
  const framed: FramedRecord = {
    ...record,
    ektpImage: { mediaType, byteLength: picture.byteLength, sha256: sha256Hex(picture) },
  };
  // The record as parsed: the picture canonical base64, the keys in the schema's order.
  return judge(kioskId, framed, picture, index, profiles, () => legacyContentHash(kioskId, record));
}

/** A record of a binary batch, with its files cut from the body by their declared lengths. */
function checkFramedRecord(
  kioskId: string,
  raw: unknown,
  files: Uint8Array[],
  index: number,
  profiles: ProfileSet,
): Promise<Checked> {
  const parsed = framedRecordSchema.safeParse(raw);
  if (!parsed.success) return Promise.resolve(schemaRejection(index, raw, parsed.error));
  const record = parsed.data;
  const [picture = new Uint8Array(), ...papers] = files;
  if (sha256Hex(picture) !== record.ektpImage.sha256) {
    return Promise.resolve(reject(index, record.id, 'invalid-image', 'ektpImage does not match its sha256'));
  }
  const attachments: NewAttachment[] = [];
  for (const [k, declared] of (record.attachments ?? []).entries()) {
    const bytes = papers[k] ?? new Uint8Array();
    if (sha256Hex(bytes) !== declared.sha256) {
      return Promise.resolve(
        reject(
          index,
          record.id,
          'invalid-attachment',
          `attachment ${declared.kind} does not match its sha256`,
        ),
      );
    }
    const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (!ATTACHMENT_MAGIC[declared.mediaType](data)) {
      return Promise.resolve(
        reject(
          index,
          record.id,
          'invalid-attachment',
          `attachment ${declared.kind} is not a ${declared.mediaType} file`,
        ),
      );
    }
    attachments.push({ kind: declared.kind, mediaType: declared.mediaType, data });
  }
  const bytes = Buffer.from(picture.buffer, picture.byteOffset, picture.byteLength);
  const legacyHash = () =>
    legacyContentHash(kioskId, {
      ...record,
      ektpImage: { mediaType: record.ektpImage.mediaType, dataBase64: bytes.toString('base64') },
    });
  return judge(kioskId, record, bytes, index, profiles, legacyHash, attachments);
}

/** What both kinds of batch share: the picture is what it says, the CSR is the profile's. */
async function judge(
  kioskId: string,
  record: FramedRecord,
  picture: Buffer,
  index: number,
  profiles: ProfileSet,
  legacyHash: () => string,
  attachments: NewAttachment[] = [],
): Promise<Checked> {
  if (!MAGIC[record.ektpImage.mediaType](picture)) {
    return reject(
      index,
      record.id,
      'invalid-image',
      `ektpImage is not a ${record.ektpImage.mediaType} image`,
    );
  }
  // node:crypto checks the signature: native and synchronous, and the same checks as the kiosk's WebCrypto.
  const csr = await verifyCsr(record.csrPem, undefined, nodeSignatureVerifier);
  if (!csr.ok) return reject(index, record.id, 'invalid-csr', CSR_MESSAGES[csr.problem]);
  const mismatch = csrMismatch(record, csr.value, profiles);
  if (mismatch) return reject(index, record.id, 'csr-mismatch', mismatch);
  // The same function the kiosk ran before the officer signed, over the record as parsed here: a
  // JSON record in its framed form (the picture by length and SHA-256).
  const decision: PendingDecision | undefined = record.decision
    ? { statement: record.decision, applicationHash: () => applicationHash(record) }
    : undefined;
  return {
    ok: true,
    ...(decision ? { decision } : {}),
    application: {
      id: record.id,
      kioskId,
      createdAt: record.createdAt,
      certificateType: record.certificateType,
      nama: record.applicant.nama,
      nik: record.applicant.nik,
      nip: record.applicant.nip,
      email: record.applicant.email,
      perangkatDaerah: record.applicant.perangkatDaerah,
      jabatan: record.applicant.jabatan ?? null,
      host: record.applicant.host ?? null,
      ektpMediaType: record.ektpImage.mediaType,
      // The bytes as they arrived: a copy would cost another 150 KB per record for nothing.
      ektpImage: picture,
      attachments,
      ...(record.applicant.category ? { category: record.applicant.category } : {}),
      ...(record.applicant.mobile ? { mobile: record.applicant.mobile } : {}),
      ...(record.agreement ? { agreement: record.agreement } : {}),
      ...(record.previous ? { previous: record.previous } : {}),
      ocrText: record.ocrText,
      ektpJson: record.ektp ? JSON.stringify(record.ektp) : null,
      csrPem: record.csrPem,
      encryptedPrivateKeyPem: record.encryptedPrivateKeyPem,
      contentHash: contentHash(kioskId, record),
      legacyContentHash: legacyHash,
    },
  };
}

/** Judges every record of a batch on its own; the order of the answers is the records' order. */
export function checkBatch(job: BatchJob, profiles: ProfileSet = certificateProfiles): Promise<Checked[]> {
  return Promise.all(
    job.records.map((raw, i) =>
      job.kind === 'json'
        ? checkJsonRecord(job.kioskId, raw, i, profiles)
        : checkFramedRecord(job.kioskId, raw, job.files[i] ?? [], i, profiles),
    ),
  );
}
