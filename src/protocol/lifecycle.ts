/**
 * The certificate's life after issuance, on the wire (Pasal 14, 15, 22, 24): the certificates about
 * to expire and the search for one (renewal), the revocation request with its papers, and the
 * incident register. Imported by the kiosk and the sync server alike.
 *
 * Every request is kiosk-signed (the device key, as every sync request) and carries an officer's
 * signed statement (`statement.ts`): the lists hold personal data, and a revocation or an incident
 * is the officer's act. The server checks the statement as it checks a release: the key is the
 * officer's, enrolled on the signing kiosk, the officer active.
 */
import { z } from 'zod';
import { APPLICANT_CATEGORIES } from '../core/application/completeness';
import { CERTIFICATE_TYPES } from '../core/certificate/types';
import { signedStatementSchema } from './statement';
import { API_PREFIX, APPLICATION_RELATIONS, applicantSchema, LIMITS } from './sync';

// Kiosk-signed, with an officer's statement inside.
export const CERTIFICATES_EXPIRING_PATH = `${API_PREFIX}/sync/certificates/expiring`;
export const CERTIFICATES_LOOKUP_PATH = `${API_PREFIX}/sync/certificates/lookup`;
export const REVOCATIONS_PATH = `${API_PREFIX}/sync/revocations`;
export const INCIDENTS_PATH = `${API_PREFIX}/sync/incidents`;
export const INCIDENTS_LIST_PATH = `${API_PREFIX}/sync/incidents/list`;
// Public: the CA's certificate revocation list, as the certificates' CRL distribution point names it.
export const CA_CRL_PATH = `${API_PREFIX}/ca/crl`;
export const CRL_MEDIA_TYPE = 'application/pkix-crl';
// Admin (bearer token).
export const ADMIN_INCIDENTS_PATH = `${API_PREFIX}/admin/incidents`;
export const ADMIN_REVOCATIONS_PATH = `${API_PREFIX}/admin/revocations`;

export const LIFECYCLE_LIMITS = {
  /** A query or an incident: a statement and a little JSON around it. */
  maxRequestBytes: 32 * 1024,
  /** One paper of a lost-key report (a scanned police report, a signed statement). */
  maxAttachmentBytes: LIMITS.maxAttachmentBytes,
  /** The revocation request: its statement and two papers in base64. */
  maxRevocationBytes: 16 * 1024 * 1024,
  maxNoteChars: 500,
  maxDescriptionChars: 2000,
  maxActionsChars: 2000,
  maxReportedToChars: 200,
  /** Days ahead the kiosk may ask about; the server's own window (`RENEWAL_WINDOW_DAYS`) otherwise. */
  maxWindowDays: 366,
  /** Certificates one answer lists at most (expiring list, search). */
  maxCertificates: 2000,
  /** Incidents one list answers at most. */
  maxIncidents: 5000,
  /** How far a statement's time may be from the server's clock: an old query is not replayed. */
  maxStatementAgeMs: 10 * 60_000,
} as const;

/** A certificate serial as OpenSSL prints it (`openssl x509 -serial`): upper-case hex. */
export const SERIAL_HEX_PATTERN = /^[0-9A-F]{2,40}$/;
const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** RFC 5280 CRLReason values the RA may ask the CA for (Pasal 15); the CA connector's codes. */
export const REVOCATION_REASON_CODES = [
  'keyCompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
] as const;
export type RevocationReasonCode = (typeof REVOCATION_REASON_CODES)[number];

/**
 * Pasal 15 ayat 2: the private key was lost, damaged or became inaccessible. Such a request carries
 * the papers of ayat 3, is a security incident (Pasal 24) and is followed by a new application.
 */
export const LOST_KEY_KINDS = ['lost', 'damaged', 'inaccessible'] as const;
export type LostKeyKind = (typeof LOST_KEY_KINDS)[number];

/** The papers of Pasal 15 ayat 3: the report to the authorities, and the owner's statement acknowledged by the superior. */
export const REVOCATION_ATTACHMENT_KINDS = ['police-report', 'owner-statement'] as const;
export type RevocationAttachmentKind = (typeof REVOCATION_ATTACHMENT_KINDS)[number];
export const REVOCATION_ATTACHMENT_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;

/** The kinds of incident and problem of Pasal 22 and 24. */
export const INCIDENT_TYPES = [
  'key-loss',
  'key-compromise',
  'authentication',
  'authenticity',
  'repudiation',
  'other',
] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];

const serialSchema = z.string().regex(SERIAL_HEX_PATTERN, 'a certificate serial in upper-case hex');
const isoSchema = z.iso.datetime({ offset: true });
/** Who signs, on which kiosk: every officer statement names them, and the server checks all three. */
const signer = { officerId: z.uuid(), keyId: z.uuid(), kioskId: z.uuid() };

export const expiringQuerySchema = z.strictObject({
  kind: z.literal('expiring'),
  /** Absent: the server's window. */
  withinDays: z.number().int().min(1).max(LIFECYCLE_LIMITS.maxWindowDays).optional(),
});
/** By the person (the RA's keyed NIK hash, as the duplicate-NIK check) or by the certificate's serial. */
export const lookupQuerySchema = z.union([
  z.strictObject({ kind: z.literal('lookup'), nikHash: z.string().regex(HEX_SHA256) }),
  z.strictObject({ kind: z.literal('lookup'), serialNumberHex: serialSchema }),
]);
export const incidentsQuerySchema = z
  .strictObject({ kind: z.literal('incidents'), from: isoSchema, to: isoSchema })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), { message: 'from must be before to', path: ['to'] });
export type ExpiringQuery = z.infer<typeof expiringQuerySchema>;
export type LookupQuery = z.infer<typeof lookupQuerySchema>;
export type IncidentsQuery = z.infer<typeof incidentsQuerySchema>;

/** What the officer asks the server; signed so that only an officer at an enrolled kiosk reads the answer. */
export const certificateQueryPayloadSchema = z.strictObject({
  v: z.literal(1),
  type: z.literal('certificate-query'),
  query: z.union([expiringQuerySchema, lookupQuerySchema, incidentsQuerySchema]),
  ...signer,
  askedAt: isoSchema,
});
export type CertificateQueryPayload = z.infer<typeof certificateQueryPayloadSchema>;

/** A paper of the revocation request as the statement names it: by length and SHA-256. */
export const revocationPaperRefSchema = z.strictObject({
  kind: z.enum(REVOCATION_ATTACHMENT_KINDS),
  mediaType: z.enum(REVOCATION_ATTACHMENT_MEDIA_TYPES),
  byteLength: z.number().int().min(1).max(LIFECYCLE_LIMITS.maxAttachmentBytes),
  sha256: z.string().regex(HEX_SHA256),
});
export type RevocationPaperRef = z.infer<typeof revocationPaperRefSchema>;

/** The officer's revocation request (Pasal 15 ayat 1-3), verified at the counter. */
export const revocationPayloadSchema = z
  .strictObject({
    v: z.literal(1),
    type: z.literal('revocation'),
    /** Made by the kiosk; the idempotency key here and at the CA. */
    requestId: z.uuid(),
    applicationId: z.uuid(),
    serialNumberHex: serialSchema,
    reason: z.enum(REVOCATION_REASON_CODES),
    /** Set for a lost, damaged or inaccessible key (ayat 2); null for any other request. */
    lostKey: z.enum(LOST_KEY_KINDS).nullable(),
    note: z.string().max(LIFECYCLE_LIMITS.maxNoteChars),
    attachments: z.array(revocationPaperRefSchema).max(REVOCATION_ATTACHMENT_KINDS.length),
    ...signer,
    requestedAt: isoSchema,
  })
  .refine((p) => new Set(p.attachments.map((a) => a.kind)).size === p.attachments.length, {
    message: 'one paper per kind',
    path: ['attachments'],
  })
  .refine(
    (p) =>
      p.lostKey === null || REVOCATION_ATTACHMENT_KINDS.every((k) => p.attachments.some((a) => a.kind === k)),
    {
      message: 'a lost, damaged or inaccessible key needs the police report and the owner statement',
      path: ['attachments'],
    },
  );
export type RevocationPayload = z.infer<typeof revocationPayloadSchema>;

/** An entry of the incident register (Pasal 22, 24). */
export const incidentPayloadSchema = z.strictObject({
  v: z.literal(1),
  type: z.literal('incident'),
  /** Made by the kiosk: a resend is recognised by it. */
  incidentId: z.uuid(),
  incidentType: z.enum(INCIDENT_TYPES),
  occurredAt: isoSchema,
  certificateSerialHex: serialSchema.nullable(),
  applicationId: z.uuid().nullable(),
  description: z.string().trim().min(1).max(LIFECYCLE_LIMITS.maxDescriptionChars),
  actionsTaken: z.string().trim().max(LIFECYCLE_LIMITS.maxActionsChars),
  reportedTo: z.string().trim().max(LIFECYCLE_LIMITS.maxReportedToChars),
  ...signer,
  recordedAt: isoSchema,
});
export type IncidentPayload = z.infer<typeof incidentPayloadSchema>;

export const certificateQueryRequestSchema = z.object({ kioskId: z.uuid(), query: signedStatementSchema });
export type CertificateQueryRequest = z.infer<typeof certificateQueryRequestSchema>;

/** A paper travelling with the revocation request, base64 (canonical, no line breaks). */
export const revocationPaperSchema = z.object({
  kind: z.enum(REVOCATION_ATTACHMENT_KINDS),
  mediaType: z.enum(REVOCATION_ATTACHMENT_MEDIA_TYPES),
  dataBase64: z
    .string()
    .min(4)
    .max(Math.ceil(LIFECYCLE_LIMITS.maxAttachmentBytes / 3) * 4)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'not base64'),
});
export const revocationRequestSchema = z.object({
  kioskId: z.uuid(),
  revocation: signedStatementSchema,
  attachments: z.array(revocationPaperSchema).max(REVOCATION_ATTACHMENT_KINDS.length),
});
export type RevocationRequest = z.infer<typeof revocationRequestSchema>;

export const incidentRequestSchema = z.object({ kioskId: z.uuid(), incident: signedStatementSchema });
export type IncidentRequest = z.infer<typeof incidentRequestSchema>;

/** A certificate as the expiring list shows it. */
export const expiringCertificateSchema = z.object({
  applicationId: z.uuid(),
  nama: z.string(),
  perangkatDaerah: z.string(),
  certificateType: z.enum(CERTIFICATE_TYPES),
  serialNumberHex: serialSchema,
  notAfter: z.string(),
});
export type ExpiringCertificate = z.infer<typeof expiringCertificateSchema>;

export const expiringResponseSchema = z.object({
  windowDays: z.number().int().min(1),
  /** ISO: certificates ending before this are listed (and after the server's now). */
  until: z.string(),
  /** Per Perangkat Daerah (by name), each soonest first. */
  groups: z.array(
    z.object({ perangkatDaerah: z.string(), certificates: z.array(expiringCertificateSchema) }),
  ),
});
export type ExpiringResponse = z.infer<typeof expiringResponseSchema>;

export const REVOCATION_STATES = ['pending', 'revoked', 'already-revoked', 'failed'] as const;
export type RevocationState = (typeof REVOCATION_STATES)[number];

/** A revocation request and what became of it at the CA. */
export const revocationViewSchema = z.object({
  requestId: z.uuid(),
  applicationId: z.uuid(),
  serialNumberHex: serialSchema,
  reason: z.enum(REVOCATION_REASON_CODES),
  lostKey: z.enum(LOST_KEY_KINDS).nullable(),
  /** `pending` until the forwarding job has the CA's answer. */
  state: z.enum(REVOCATION_STATES),
  /** The server's time of arrival. */
  requestedAt: z.string(),
  /** The CA's time of revocation. */
  revokedAt: z.string().nullable(),
});
export type RevocationView = z.infer<typeof revocationViewSchema>;

/** Everything a renewal or replacement form needs of an issued certificate and its application. */
export const certificateRecordSchema = z.object({
  applicationId: z.uuid(),
  certificateType: z.enum(CERTIFICATE_TYPES),
  serialNumberHex: serialSchema,
  notAfter: z.string().nullable(),
  applicant: z.object({
    nama: z.string(),
    nik: z.string(),
    nip: z.string().nullable(),
    email: z.string(),
    perangkatDaerah: z.string(),
    jabatan: z.string().nullable(),
    host: z.string().nullable(),
    category: z.enum(APPLICANT_CATEGORIES).nullable(),
    mobile: z.string().nullable(),
  }),
  revocation: revocationViewSchema.nullable(),
  /** The renewal or replacement that follows it and was not refused, if any. */
  followedBy: z
    .object({ applicationId: z.uuid(), relation: z.enum(APPLICATION_RELATIONS), state: z.string() })
    .nullable(),
});
export type CertificateRecord = z.infer<typeof certificateRecordSchema>;

export const lookupResponseSchema = z.object({ certificates: z.array(certificateRecordSchema) });
export type LookupResponse = z.infer<typeof lookupResponseSchema>;

export const revocationResponseSchema = z.object({
  /** `requested`: new; `duplicate`: this very request again; `already-requested`: another request for this certificate came first (shown). */
  status: z.enum(['requested', 'duplicate', 'already-requested']),
  revocation: revocationViewSchema,
  /** The incident a lost-key request raised (Pasal 24). */
  incidentId: z.uuid().nullable(),
});
export type RevocationResponse = z.infer<typeof revocationResponseSchema>;

export const incidentViewSchema = z.object({
  id: z.uuid(),
  type: z.enum(INCIDENT_TYPES),
  occurredAt: z.string(),
  recordedAt: z.string(),
  certificateSerialHex: z.string().nullable(),
  applicationId: z.string().nullable(),
  description: z.string(),
  actionsTaken: z.string(),
  reportedTo: z.string(),
  /** `officer:<id>` or `server` (raised by a lost-key revocation). */
  recordedBy: z.string(),
  /** The officer's name, when an officer recorded it or requested the revocation that raised it. */
  recordedByName: z.string().nullable(),
  revocationId: z.string().nullable(),
});
export type IncidentView = z.infer<typeof incidentViewSchema>;

export const incidentResponseSchema = z.object({
  status: z.enum(['recorded', 'duplicate']),
  incident: incidentViewSchema,
});
export type IncidentResponse = z.infer<typeof incidentResponseSchema>;

export const incidentListResponseSchema = z.object({
  incidents: z.array(incidentViewSchema),
  /** True when there were more than `maxIncidents`: narrow the range. */
  truncated: z.boolean(),
});
export type IncidentListResponse = z.infer<typeof incidentListResponseSchema>;

/**
 * An officer's correction of an applicant's data (issue 8, the right to rectification): a new
 * signed statement stored beside the record, never an edit of it. Only these fields; the NIK, the
 * e-mail address and the certificate request are not corrected this way (a new application is).
 */
export const CORRECTIONS_PATH = `${API_PREFIX}/sync/corrections`;
export const CORRECTABLE_FIELDS = ['nama', 'nip', 'jabatan', 'mobile'] as const;
export const correctionFieldsSchema = z
  .strictObject({
    nama: applicantSchema.shape.nama.optional(),
    nip: applicantSchema.shape.nip.optional(),
    jabatan: applicantSchema.shape.jabatan,
    mobile: applicantSchema.shape.mobile,
  })
  .refine((f) => Object.keys(f).length > 0, { message: 'at least one field to correct' });
export type CorrectionFields = z.infer<typeof correctionFieldsSchema>;

export const correctionPayloadSchema = z.strictObject({
  v: z.literal(1),
  type: z.literal('correction'),
  /** Made by the kiosk: a resend is recognised by it. */
  correctionId: z.uuid(),
  applicationId: z.uuid(),
  fields: correctionFieldsSchema,
  reason: z.string().trim().min(1).max(LIFECYCLE_LIMITS.maxNoteChars),
  ...signer,
  correctedAt: isoSchema,
});
export type CorrectionPayload = z.infer<typeof correctionPayloadSchema>;

/** Every statement kind of this module, for the officer session's check before it signs. */
export const lifecyclePayloadSchema = z.union([
  certificateQueryPayloadSchema,
  revocationPayloadSchema,
  incidentPayloadSchema,
  correctionPayloadSchema,
]);
export type LifecyclePayload = z.infer<typeof lifecyclePayloadSchema>;

export const correctionRequestSchema = z.object({ kioskId: z.uuid(), correction: signedStatementSchema });
export type CorrectionRequest = z.infer<typeof correctionRequestSchema>;
export const correctionResponseSchema = z.object({
  status: z.enum(['recorded', 'duplicate']),
  correctionId: z.string(),
});
export type CorrectionResponse = z.infer<typeof correctionResponseSchema>;
