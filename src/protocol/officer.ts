/**
 * The RA officers' wire format (Pasal 11, 20): officer accounts, officer enrollment on a kiosk, the
 * signed decision that travels inside an application record, the second officer's signed release,
 * and the duplicate-NIK check. Imported by the kiosk and the sync server alike.
 * Decisions and releases are signed statements (`statement.ts`); a decision names the application
 * by `applicationHash`, computed the same way on both sides.
 */
import canonicalize from 'canonicalize';
import { z } from 'zod';
import { NAMA_MAX_LENGTH } from '../core/application/application';
import { parseNip } from '../core/identity/nip';
import { bytesToHex } from '../core/lib/pem';
import { ENROLLMENT_CODE_PATTERN } from './kiosk-auth';
import { signedStatementSchema } from './statement';
import { API_PREFIX, type FramedRecord } from './sync';

// Kiosk-signed (the kiosk's device key, as every sync request).
export const OFFICER_ENROLL_PATH = `${API_PREFIX}/officers/enroll`;
/** The kiosk reports an officer it locked after too many wrong PINs. */
export const OFFICER_LOCK_PATH = `${API_PREFIX}/officers/lock`;
export const SYNC_RELEASES_PATH = `${API_PREFIX}/sync/releases`;
export const NIK_CHECK_PATH = `${API_PREFIX}/sync/nik-check`;
// Admin (bearer token).
export const ADMIN_OFFICERS_PATH = `${API_PREFIX}/admin/officers`;
export const ADMIN_OFFICER_CODES_PATH = `${API_PREFIX}/admin/officers/:id/enrollment-codes`;
export const ADMIN_OFFICER_LOCK_PATH = `${API_PREFIX}/admin/officers/:id/lock`;
export const ADMIN_OFFICER_UNLOCK_PATH = `${API_PREFIX}/admin/officers/:id/unlock`;

export const OFFICER_LIMITS = {
  maxReasons: 20,
  maxNoteChars: 500,
  maxChecklistItems: 50,
  /** Applications one release names (an officer's end-of-day review). */
  maxReleaseIds: 200,
  maxReleasesPerRequest: 20,
  maxNikHashes: 100,
  /** Any officer request body but the enrollment: 20 releases of 200 ids are ~160 KB. */
  maxRequestBytes: 256 * 1024,
} as const;

export const USERNAME_PATTERN = /^[a-z][a-z0-9._-]{2,31}$/;
export const REASON_CODE_PATTERN = /^[a-z0-9][a-z0-9-]{1,39}$/;
const HEX_SHA256 = /^[0-9a-f]{64}$/;

export const OFFICER_STATUSES = ['active', 'locked', 'disabled'] as const;
export type OfficerStatus = (typeof OFFICER_STATUSES)[number];

const nipSchema = z
  .string()
  .length(18)
  .refine((v) => parseNip(v).ok, 'not a structurally valid NIP');

export const officerSchema = z.object({
  id: z.uuid(),
  username: z.string().regex(USERNAME_PATTERN),
  nama: z.string().trim().min(1).max(NAMA_MAX_LENGTH),
  /** RA operators are PNS (Pasal 20 ayat 1), but the account may be made before the NIP is at hand. */
  nip: nipSchema.nullable(),
  status: z.enum(OFFICER_STATUSES),
});
export type Officer = z.infer<typeof officerSchema>;

/** Admin: a new officer account, with a first one-time enrollment code. */
export const createOfficerSchema = z.object({
  username: z.string().regex(USERNAME_PATTERN, '3-32 characters: lower-case letters, digits, . _ -'),
  nama: z.string().trim().min(1).max(NAMA_MAX_LENGTH),
  nip: nipSchema.nullable().optional(),
  /** How long the enrollment code stays valid; the server's default (24 h) when absent. */
  validHours: z.number().int().min(1).max(720).optional(),
});
export type CreateOfficerRequest = z.infer<typeof createOfficerSchema>;

export const officerCodeResponseSchema = z.object({
  officer: officerSchema,
  code: z.string().regex(ENROLLMENT_CODE_PATTERN),
  expiresAt: z.iso.datetime(),
});
export type OfficerCodeResponse = z.infer<typeof officerCodeResponseSchema>;

/** Admin: another one-time code for an existing officer (a second kiosk, a replaced kiosk). */
export const createOfficerCodeSchema = z.object({
  validHours: z.number().int().min(1).max(720).optional(),
});

/** Admin: why an officer is locked (kept with the account, shown by list-officers; never logged). */
export const lockOfficerSchema = z.object({ reason: z.string().trim().min(1).max(200).optional() });

/** Kiosk-signed: the officer types username and code at the kiosk; the kiosk made the key pair. */
export const officerEnrollRequestSchema = z.object({
  username: z.string().regex(USERNAME_PATTERN),
  code: z.string().regex(ENROLLMENT_CODE_PATTERN, 'not an enrollment code'),
  /** SubjectPublicKeyInfo DER of the officer's ECDSA P-256 key on this kiosk, base64. */
  publicKeySpki: z
    .string()
    .min(100)
    .max(200)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'not base64'),
});
export type OfficerEnrollRequest = z.infer<typeof officerEnrollRequestSchema>;

export const officerEnrollResponseSchema = z.object({
  officer: officerSchema,
  /** The officer's key on this kiosk: decisions name it, and only this kiosk may use it. */
  keyId: z.uuid(),
  /** The RA's key for hashing NIKs (HMAC-SHA-256), base64 of 32 bytes; see `nikHash`. */
  nikHashKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
});
export type OfficerEnrollResponse = z.infer<typeof officerEnrollResponseSchema>;

/** Kiosk-signed: this kiosk locked an officer after too many wrong PINs; the server locks the account. */
export const officerLockRequestSchema = z.object({
  kioskId: z.uuid(),
  officerId: z.uuid(),
  keyId: z.uuid(),
  lockedAt: z.iso.datetime({ offset: true }),
});
export type OfficerLockRequest = z.infer<typeof officerLockRequestSchema>;

export { type SignedStatement, signedStatementSchema, signStatement, verifyStatement } from './statement';

export const DECISIONS = ['approved', 'rejected'] as const;
export type DecisionKind = (typeof DECISIONS)[number];

/** What the officer signs at the counter (Pasal 11 ayat 2-3). */
export const decisionPayloadSchema = z
  .object({
    v: z.literal(1),
    type: z.literal('decision'),
    applicationId: z.uuid(),
    /** `applicationHash` of the record as captured: a changed record no longer matches. */
    applicationHash: z.string().regex(HEX_SHA256),
    decision: z.enum(DECISIONS),
    /** Codes from the configured list; at least one for a rejection, none for an approval. */
    reasons: z.array(z.string().regex(REASON_CODE_PATTERN)).max(OFFICER_LIMITS.maxReasons),
    note: z.string().max(OFFICER_LIMITS.maxNoteChars),
    /** The checklist items the officer ticked (codes, see core/officer/checklist). */
    checklist: z.array(z.string().regex(REASON_CODE_PATTERN)).max(OFFICER_LIMITS.maxChecklistItems),
    officerId: z.uuid(),
    keyId: z.uuid(),
    kioskId: z.uuid(),
    decidedAt: z.iso.datetime({ offset: true }),
  })
  .refine((d) => (d.decision === 'rejected' ? d.reasons.length > 0 : d.reasons.length === 0), {
    message: 'a rejection needs at least one reason and an approval has none',
    path: ['reasons'],
  });
export type DecisionPayload = z.infer<typeof decisionPayloadSchema>;

/** The second officer's release of approved applications to the CA (two-person rule). */
export const releasePayloadSchema = z.object({
  v: z.literal(1),
  type: z.literal('release'),
  applicationIds: z.array(z.uuid()).min(1).max(OFFICER_LIMITS.maxReleaseIds),
  officerId: z.uuid(),
  keyId: z.uuid(),
  kioskId: z.uuid(),
  releasedAt: z.iso.datetime({ offset: true }),
});
export type ReleasePayload = z.infer<typeof releasePayloadSchema>;

export const releaseRequestSchema = z.object({
  kioskId: z.uuid(),
  releases: z.array(signedStatementSchema).min(1).max(OFFICER_LIMITS.maxReleasesPerRequest),
});
export type ReleaseRequest = z.infer<typeof releaseRequestSchema>;

export const RELEASE_STATUSES = ['released', 'already-released', 'refused'] as const;

export const releaseResponseSchema = z.object({
  /** One per application id named, in the order of the releases and their ids. */
  results: z.array(
    z.object({
      applicationId: z.string(),
      status: z.enum(RELEASE_STATUSES),
      /** For `refused`: a stable code (`self-release`, `not-approved`, `unknown-application`, …). */
      code: z.string().optional(),
      message: z.string().optional(),
    }),
  ),
  /** Releases refused as a whole (bad signature, unknown or locked officer), by their index. */
  refused: z.array(z.object({ index: z.number().int(), code: z.string(), message: z.string() })),
});
export type ReleaseResponse = z.infer<typeof releaseResponseSchema>;

/** Kiosk-signed: is any of these NIKs (keyed hashes) already in an open application or certificate? */
export const nikCheckRequestSchema = z.object({
  kioskId: z.uuid(),
  hashes: z.array(z.string().regex(HEX_SHA256)).min(1).max(OFFICER_LIMITS.maxNikHashes),
});
export type NikCheckRequest = z.infer<typeof nikCheckRequestSchema>;

export const nikCheckResponseSchema = z.object({
  results: z.array(
    z.object({
      hash: z.string(),
      /** Applications not yet issued, refused or rejected (any kiosk). */
      openApplications: z.number().int().min(0),
      /** Issued certificates not yet expired. */
      validCertificates: z.number().int().min(0),
    }),
  ),
});
export type NikCheckResponse = z.infer<typeof nikCheckResponseSchema>;

const utf8 = new TextEncoder();

/** A record as the decision names it: everything the applicant gave, without the decision itself. */
export type HashedRecord = Omit<FramedRecord, 'decision'>;

/**
 * SHA-256 (hex) of the record in RFC 8785 canonical JSON, attachments by their digests, without
 * its `decision`: the kiosk computes it before the officer signs, the server again on arrival.
 */
export async function applicationHash(record: HashedRecord & { decision?: unknown }): Promise<string> {
  const { decision: _decision, ...hashed } = record;
  const text = canonicalize(hashed);
  if (text === undefined) throw new Error('the record cannot be put in canonical JSON');
  return bytesToHex(new Uint8Array(await crypto.subtle.digest('SHA-256', utf8.encode(text))));
}

/**
 * The keyed hash by which kiosks and the server find a NIK without keeping it in clear where it is
 * not needed: HMAC-SHA-256 under the RA's key, hex.
 */
export async function nikHash(key: CryptoKey, nik: string): Promise<string> {
  return bytesToHex(new Uint8Array(await crypto.subtle.sign('HMAC', key, utf8.encode(nik))));
}

/** The RA's NIK key from its base64 form (officer enrollment), usable only to sign (hash). */
export function importNikHashKey(base64: string): Promise<CryptoKey> {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}
