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
import {
  type ApplicationRecord,
  applicationRecordSchema,
  IMAGE_MEDIA_TYPES,
  LIMITS,
  type RecordResult,
  type SyncBatchResponse,
} from '../../../src/protocol/sync';
import type { NewApplication, Store } from '../store/store';

const MAGIC: Record<ApplicationRecord['ektpImage']['mediaType'], (b: Uint8Array) => boolean> = {
  'image/png': (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47,
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/webp': (b) =>
    String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' &&
    String.fromCharCode(...b.subarray(8, 12)) === 'WEBP',
};

const CSR_MESSAGES = {
  'not-pem': 'csrPem is not a PEM CERTIFICATE REQUEST',
  malformed: 'csrPem is not a well-formed PKCS#10 request',
  'bad-signature': 'the CSR signature does not verify',
  'no-common-name': 'the CSR subject has no common name',
  'unsupported-key': 'the CSR key must be RSA (2048 bits or more) or ECDSA P-256',
} as const;

type Checked = { ok: true; application: NewApplication } | { ok: false; result: RecordResult };

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

const PICTURE_SLOT = '"dataBase64":"';

/**
 * Content hash over the canonical (schema-ordered) record: a resend hashes the same. It is the
 * SHA-256 of `JSON.stringify([kioskId, record])`, fed to the hash in three pieces so that the
 * 200 KB picture is not copied into a second string first: base64 needs no JSON escaping, so the
 * picture's JSON is its text between two quotes.
 */
export function contentHash(kioskId: string, record: ApplicationRecord): string {
  const { dataBase64 } = record.ektpImage;
  const frame = JSON.stringify([kioskId, { ...record, ektpImage: { ...record.ektpImage, dataBase64: '' } }]);
  const slot = frame.indexOf(PICTURE_SLOT);
  // Only an unescaped key can match (a quote inside a value is escaped), and it is there once. The
  // picture passed the schema's base64 check, so its JSON is exactly its text between quotes.
  if (slot < 0 || frame.indexOf(PICTURE_SLOT, slot + 1) >= 0) {
    return createHash('sha256')
      .update(JSON.stringify([kioskId, record]))
      .digest('hex');
  }
  const cut = slot + PICTURE_SLOT.length;
  return createHash('sha256')
    .update(frame.slice(0, cut))
    .update(dataBase64)
    .update(frame.slice(cut))
    .digest('hex');
}

/**
 * The CSR must ask for exactly what the certificate profile makes of this application's data; the
 * key algorithm is the CSR's own, as long as the profile allows it.
 */
function csrMismatch(record: ApplicationRecord, csr: Parameters<typeof compareCsr>[0], profiles: ProfileSet) {
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

async function checkRecord(
  kioskId: string,
  raw: unknown,
  index: number,
  profiles: ProfileSet,
): Promise<Checked> {
  const rawId =
    typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string'
      ? (raw as { id: string }).id.slice(0, 64)
      : null;
  const parsed = serverRecordSchema.safeParse(raw);
  if (!parsed.success) {
    // Field paths only: messages must not echo the values, which may be personal data.
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(record)'))];
    return reject(index, rawId, 'invalid-record', `invalid fields: ${fields.join(', ')}`);
  }
  const record = parsed.data;
  const image = decodeCanonicalBase64(record.ektpImage.dataBase64);
  if (image === null)
    return reject(index, record.id, 'invalid-record', 'invalid fields: ektpImage.dataBase64');
  if (!MAGIC[record.ektpImage.mediaType](image)) {
    return reject(
      index,
      record.id,
      'invalid-image',
      `ektpImage is not a ${record.ektpImage.mediaType} image`,
    );
  }
  const csr = await verifyCsr(record.csrPem);
  if (!csr.ok) return reject(index, record.id, 'invalid-csr', CSR_MESSAGES[csr.problem]);
  const mismatch = csrMismatch(record, csr.value, profiles);
  if (mismatch) return reject(index, record.id, 'csr-mismatch', mismatch);
  return {
    ok: true,
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
      // The decoded Buffer itself: a copy would cost another 150 KB per record for nothing.
      ektpImage: image,
      ocrText: record.ocrText,
      ektpJson: record.ektp ? JSON.stringify(record.ektp) : null,
      csrPem: record.csrPem,
      encryptedPrivateKeyPem: record.encryptedPrivateKeyPem,
      contentHash: contentHash(kioskId, record),
    },
  };
}

/**
 * Validates each record on its own, stores the valid ones in one transaction and answers per
 * record, so one poisoned record never blocks the rest of the batch.
 */
export async function ingestBatch(
  store: Store,
  batch: { kioskId: string; records: unknown[] },
  receivedAt: string,
  profiles: ProfileSet = certificateProfiles,
): Promise<SyncBatchResponse> {
  const checked = await Promise.all(batch.records.map((r, i) => checkRecord(batch.kioskId, r, i, profiles)));
  const accepted = checked.flatMap((c, index) => (c.ok ? [{ index, application: c.application }] : []));
  const outcomes =
    accepted.length > 0
      ? await store.insertApplications(
          accepted.map((a) => a.application),
          receivedAt,
        )
      : [];

  const results: RecordResult[] = checked.map((c) =>
    c.ok ? { index: -1, id: null, status: 'stored' } : c.result,
  );
  accepted.forEach(({ index, application }, k) => {
    const outcome = outcomes[k];
    if (outcome === undefined) throw new Error('The store returned fewer outcomes than records');
    results[index] =
      outcome === 'conflict'
        ? {
            index,
            id: application.id,
            status: 'rejected',
            code: 'id-conflict',
            message: 'a different record with this id is already stored',
          }
        : { index, id: application.id, status: outcome };
  });
  return { results };
}
