/**
 * The sync API's wire format: one module, imported by the kiosk and the sync server alike.
 * Limits live here so both sides agree on them.
 */
import { z } from 'zod';
import { isHostName, JABATAN_MAX_LENGTH } from '../core/application/application';
import { APPLICANT_CATEGORIES, ATTACHMENT_KINDS } from '../core/application/completeness';
import { SERVER_STATES } from '../core/application/server-state';
import { CERTIFICATE_TYPES } from '../core/certificate/types';
import { parseNik } from '../core/identity/nik';
import { parseNip } from '../core/identity/nip';
import { parseMobile } from '../core/identity/phone';
import { EKTP_FIELDS, type EktpField } from '../core/ocr/types';
import type { SealedRecordRef } from './sealed-record';
import { signedStatementSchema } from './statement';

export const API_PREFIX = '/api/v1';
export const SYNC_BATCHES_PATH = `${API_PREFIX}/sync/batches`;
export const SYNC_STATUSES_PATH = `${API_PREFIX}/sync/statuses`;

export const LIMITS = {
  /** Whole request body; larger bodies get 413 before they are parsed. */
  maxBatchBytes: 24 * 1024 * 1024,
  maxRecordsPerBatch: 50,
  /** The e-KTP image after base64 (about 6 MB of image). */
  maxImageBase64Chars: 8 * 1024 * 1024,
  /** The e-KTP image as bytes, in a binary batch. */
  maxImageBytes: 6 * 1024 * 1024,
  /** The JSON part of a binary batch: 50 records without their pictures. */
  maxManifestBytes: 2 * 1024 * 1024,
  maxOcrTextChars: 20_000,
  maxPemChars: 16_384,
  /** Ids per status request; a kiosk with more waiting applications asks in several requests. */
  maxStatusIds: 500,
  /** Status request body: 500 uuids are about 20 KB. */
  maxStatusRequestBytes: 64 * 1024,
  /** An issued certificate with its chain, as the server hands it back. */
  maxCertificatePemChars: 64 * 1024,
  maxReasonChars: 500,
  /** One attachment (a letter, a decree, the signature specimen): a scanned multi-page PDF fits. */
  maxAttachmentBytes: 5 * 1024 * 1024,
  /** Every file of one application together, the e-KTP picture included. */
  maxRecordFileBytes: 20 * 1024 * 1024,
  /** `+62` and at most 12 digits. */
  maxMobileChars: 16,
  /** As `agreement.version` in the kiosk configuration. */
  maxAgreementVersionChars: 40,
} as const;

export const IMAGE_MEDIA_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;

const BASE64_ALPHABET = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')
  BASE64_ALPHABET[c.charCodeAt(0)] = 1;

/**
 * The same test as `/^[A-Za-z0-9+/]*={0,2}$/`, three times faster on a 200 KB picture: the record
 * schema below (and older kiosks' validation) runs it, and the regular expression was its dearest
 * step. The server checks the picture natively instead.
 */
export function isBase64Text(text: string): boolean {
  let end = text.length;
  if (end > 0 && text.charCodeAt(end - 1) === 0x3d) end--;
  if (end > 0 && text.charCodeAt(end - 1) === 0x3d) end--;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || BASE64_ALPHABET[c] === 0) return false;
  }
  return true;
}

export const applicantSchema = z.object({
  nama: z.string().trim().min(1).max(120),
  nik: z
    .string()
    .length(16)
    .refine((v) => parseNik(v).ok, 'not a structurally valid NIK'),
  nip: z
    .string()
    .length(18)
    .refine((v) => parseNip(v).ok, 'not a structurally valid NIP')
    .nullable(),
  email: z.email().max(254),
  perangkatDaerah: z.string().trim().min(1).max(200),
  /** The position (Pasal 10 ayat 4), for a jabatan certificate. */
  jabatan: z.string().trim().min(1).max(JABATAN_MAX_LENGTH).nullable().optional(),
  /** The system's host name, for a sistem elektronik certificate. */
  host: z
    .string()
    .max(253)
    .refine((v) => isHostName(v), 'not a host name')
    .nullable()
    .optional(),
  /** Who applies (Pasal 10 ayat 2). Optional: kiosks before the applicant steps send none. */
  category: z.enum(APPLICANT_CATEGORIES).optional(),
  /** The mobile number (BSrE's `nomor_telepon`) in E.164, `+628…`, as `parseMobile` writes it. */
  mobile: z
    .string()
    .max(LIMITS.maxMobileChars)
    .refine((v) => {
      const parsed = parseMobile(v);
      return parsed.ok && parsed.value === v;
    }, 'not an Indonesian mobile number in E.164 form')
    .optional(),
});

/**
 * What the applicant accepted at the counter: the subscriber agreement (Pasal 13 ayat 5) in the
 * version then in force, and the owner's obligations (Pasal 16-17), each with the time it was ticked.
 */
export const agreementAcceptanceSchema = z.object({
  version: z.string().trim().min(1).max(LIMITS.maxAgreementVersionChars),
  acceptedAt: z.iso.datetime({ offset: true }),
  obligationsAcceptedAt: z.iso.datetime({ offset: true }),
});
export type AgreementAcceptance = z.infer<typeof agreementAcceptanceSchema>;

const perField = <T extends z.ZodType>(schema: T) =>
  z.object(Object.fromEntries(EKTP_FIELDS.map((f) => [f, schema])) as Record<EktpField, T>);

/** The e-KTP as read and confirmed at the kiosk: what the officer checked, and how sure the reading was. */
export const ektpSchema = z.object({
  fields: perField(z.string().max(200)),
  confidence: perField(z.number().min(0).max(1)),
  confirmed: z.array(z.enum(EKTP_FIELDS)).max(EKTP_FIELDS.length),
  warnings: z.array(z.object({ field: z.enum([...EKTP_FIELDS, 'nip']), code: z.string().max(40) })).max(100),
});
export type EktpRecord = z.infer<typeof ektpSchema>;

/**
 * How an application follows an earlier certificate: `renewal` (Pasal 14, before it expires) or
 * `replacement` (Pasal 15 ayat 2-3: the key was lost, damaged or became inaccessible and the old
 * certificate is revoked).
 */
export const APPLICATION_RELATIONS = ['renewal', 'replacement'] as const;
export type ApplicationRelation = (typeof APPLICATION_RELATIONS)[number];

/** The certificate an application follows: its application and serial (hex, as OpenSSL prints it). */
export const previousCertificateSchema = z.object({
  applicationId: z.uuid(),
  serialNumberHex: z.string().regex(/^[0-9A-F]{2,40}$/, 'a certificate serial in upper-case hex'),
  relation: z.enum(APPLICATION_RELATIONS),
});
export type PreviousCertificate = z.infer<typeof previousCertificateSchema>;

export const applicationRecordSchema = z.object({
  /** Generated by the kiosk; the server deduplicates by it, never by content. */
  id: z.uuid(),
  createdAt: z.iso.datetime({ offset: true }),
  certificateType: z.enum(CERTIFICATE_TYPES),
  applicant: applicantSchema,
  ektpImage: z.object({
    mediaType: z.enum(IMAGE_MEDIA_TYPES),
    dataBase64: z.string().min(4).max(LIMITS.maxImageBase64Chars).refine(isBase64Text, 'not base64'),
  }),
  ocrText: z.string().max(LIMITS.maxOcrTextChars),
  ektp: ektpSchema.optional(),
  /** Optional: kiosks before the applicant steps send none. */
  agreement: agreementAcceptanceSchema.optional(),
  csrPem: z.string().min(1).max(LIMITS.maxPemChars),
  encryptedPrivateKeyPem: z
    .string()
    .max(LIMITS.maxPemChars)
    .startsWith('-----BEGIN ENCRYPTED PRIVATE KEY-----', 'the private key must be encrypted PKCS#8'),
  /**
   * The officer's signed decision (`decisionPayloadSchema` in officer.ts). Kiosks before officer
   * mode send none; such an application waits on the server for a decision it cannot get there.
   */
  decision: signedStatementSchema.optional(),
  /** A renewal or a replacement names the certificate it follows; a first application has none. */
  previous: previousCertificateSchema.optional(),
});
export type ApplicationRecord = z.infer<typeof applicationRecordSchema>;

/** A picture travelling as raw bytes after the manifest of a binary batch (`batch-frame.ts`). */
const attachmentRefSchema = z.object({
  mediaType: z.enum(IMAGE_MEDIA_TYPES),
  byteLength: z.number().int().min(4).max(LIMITS.maxImageBytes),
  /** Hex SHA-256 of the bytes: the record names its picture, whatever carried it. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

/** What an attachment may be (Pasal 10): scans as pictures, or the letter as a PDF. */
export const ATTACHMENT_MEDIA_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export type AttachmentMediaType = (typeof ATTACHMENT_MEDIA_TYPES)[number];

/** The papers of Pasal 10 (see core/application/completeness) and the handwritten signature specimen. */
export const RECORD_ATTACHMENT_KINDS = [...ATTACHMENT_KINDS, 'signature-specimen'] as const;
export type RecordAttachmentKind = (typeof RECORD_ATTACHMENT_KINDS)[number];

/** A file travelling after the record's picture in a binary batch; one per kind. */
export const recordAttachmentSchema = z.object({
  kind: z.enum(RECORD_ATTACHMENT_KINDS),
  mediaType: z.enum(ATTACHMENT_MEDIA_TYPES),
  byteLength: z.number().int().min(1).max(LIMITS.maxAttachmentBytes),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type RecordAttachment = z.infer<typeof recordAttachmentSchema>;

/**
 * A record of a binary batch: the same fields, the picture referenced instead of inlined, and the
 * attachments after it (kiosks before officer mode send none).
 */
export const framedRecordSchema = applicationRecordSchema
  .extend({
    ektpImage: attachmentRefSchema,
    attachments: z.array(recordAttachmentSchema).max(RECORD_ATTACHMENT_KINDS.length).optional(),
  })
  .refine((r) => new Set((r.attachments ?? []).map((a) => a.kind)).size === (r.attachments ?? []).length, {
    message: 'one attachment per kind',
    path: ['attachments'],
  })
  .refine(
    (r) =>
      (r.attachments ?? []).reduce((sum, a) => sum + a.byteLength, r.ektpImage.byteLength) <=
      LIMITS.maxRecordFileBytes,
    {
      message: `the files of one application exceed ${LIMITS.maxRecordFileBytes} bytes`,
      path: ['attachments'],
    },
  );
export type FramedRecord = z.infer<typeof framedRecordSchema>;

/**
 * The byte lengths a record's files take in a binary batch, in frame order: picture, then
 * attachments (a sealed application: its blob). Tolerant of a record not checked yet (the server cuts the files apart before the
 * schema checks each record): [-1] (an impossible length) when it declares no picture length, -1
 * for an attachment without one.
 */
export function recordFileLengths(record: unknown): number[] {
  const object = typeof record === 'object' && record !== null ? (record as Record<string, unknown>) : {};
  // A sealed application (sealed-record.ts) has one file: the sealed blob.
  const sealed = object.sealed;
  if (typeof sealed === 'object' && sealed !== null) {
    const n = (sealed as { byteLength?: unknown }).byteLength;
    return [typeof n === 'number' ? n : -1];
  }
  const image = object.ektpImage;
  const length =
    typeof image === 'object' && image !== null ? (image as { byteLength?: unknown }).byteLength : null;
  if (typeof length !== 'number') return [-1];
  const attachments = Array.isArray(object.attachments) ? object.attachments : [];
  return [
    length,
    ...attachments.map((a: unknown) => {
      const n = typeof a === 'object' && a !== null ? (a as { byteLength?: unknown }).byteLength : null;
      return typeof n === 'number' ? n : -1;
    }),
  ];
}

/**
 * What a kiosk sends: records with their files beside them, `files[i]` record i's in frame order
 * (`recordFileLengths`). A sealed application travels as its `SealedRecordRef` with the blob as its
 * one file (`sealed-record.ts`).
 */
export interface SyncBatch {
  kioskId: string;
  records: (FramedRecord | SealedRecordRef)[];
  files: Uint8Array[][];
}

/**
 * Records are checked one by one (see `applicationRecordSchema`), so that one bad record is
 * reported on its own and does not block the others.
 */
export const syncBatchRequestSchema = z.object({
  kioskId: z.uuid(),
  records: z.array(z.unknown()).min(1).max(LIMITS.maxRecordsPerBatch),
});
export type SyncBatchRequest = { kioskId: string; records: ApplicationRecord[] };

export const RECORD_STATUSES = ['stored', 'duplicate', 'rejected'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

export const recordResultSchema = z.object({
  /** Null when the record was so malformed that it had no readable id. */
  id: z.string().nullable(),
  index: z.number().int().min(0),
  status: z.enum(RECORD_STATUSES),
  /** Present for `rejected`: a stable code and an English message for logs. */
  code: z.string().optional(),
  message: z.string().optional(),
});
export type RecordResult = z.infer<typeof recordResultSchema>;

export const syncBatchResponseSchema = z.object({
  results: z.array(recordResultSchema),
});
export type SyncBatchResponse = z.infer<typeof syncBatchResponseSchema>;

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    /** On `stale-request`: the server's clock (ISO 8601), for a kiosk to measure its own skew. */
    serverTime: z.string().max(40).optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** The kiosk asks what became of the applications it delivered and is still waiting on. */
export const statusRequestSchema = z.object({
  kioskId: z.uuid(),
  ids: z.array(z.uuid()).min(1).max(LIMITS.maxStatusIds),
});
export type StatusRequest = z.infer<typeof statusRequestSchema>;

const applicationStatusSchema = z.object({
  id: z.uuid(),
  state: z.enum(SERVER_STATES),
  /** ISO time the server entered this state. */
  changedAt: z.string().max(40),
  /** For `issued`: the certificate, PEM, possibly followed by its chain. */
  certificatePem: z.string().max(LIMITS.maxCertificatePemChars).nullable(),
  /** For `ca-rejected`: the CA's reason, to show the officer and the applicant. */
  reason: z.string().max(LIMITS.maxReasonChars).nullable(),
  /**
   * Whether the applicant's official e-mail is proven (Pasal 10): the server forwards nothing to
   * the CA before. Absent from servers before the e-mail confirmation.
   */
  emailConfirmed: z.boolean().optional(),
});
export type ApplicationStatus = z.infer<typeof applicationStatusSchema>;

export const statusResponseSchema = z.object({
  statuses: z.array(applicationStatusSchema).max(LIMITS.maxStatusIds),
  /** Ids this server holds no application of this kiosk for. */
  unknown: z.array(z.string()).max(LIMITS.maxStatusIds),
});
export type StatusResponse = z.infer<typeof statusResponseSchema>;

/** Admin: records the CA's answer for an application obtained outside the forwarding job. */
export const ADMIN_APPLICATION_OUTCOME_PATH = `${API_PREFIX}/admin/applications/:id/outcome`;
/** Runs the forwarding job once (submit what is due to the CA, poll what is due); answers its report. */
export const ADMIN_FORWARD_PATH = `${API_PREFIX}/admin/forward`;
/** The yearly supervision and evaluation report (Pasal 23): `?year=2026&format=html|csv|json&lang=id|en`. */
export const ADMIN_YEARLY_REPORT_PATH = `${API_PREFIX}/admin/reports/yearly`;

export const recordOutcomeSchema = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('issued'),
    certificatePem: z.string().min(1).max(LIMITS.maxCertificatePemChars),
  }),
  z.object({
    outcome: z.literal('ca-rejected'),
    reason: z.string().trim().min(1).max(LIMITS.maxReasonChars),
  }),
]);
export type RecordOutcomeRequest = z.infer<typeof recordOutcomeSchema>;
