/**
 * The kiosk's audit chain on the wire (issue 8): new events and checkpoints, in pages, in a signed
 * request; the server answers how far it holds the chain.
 */
import { z } from 'zod';
import { type AuditDetail, canonicalJson, HASH_PATTERN } from '../core/audit/chain';
import { KIOSK_AUDIT_TYPES } from '../core/audit/kiosk-events';
import { API_PREFIX } from './sync';

export const SYNC_AUDIT_PATH = `${API_PREFIX}/sync/audit`;

export const AUDIT_LIMITS = {
  maxEventsPerRequest: 200,
  maxCheckpointsPerRequest: 50,
  /** Canonical JSON of one event's detail. */
  maxDetailChars: 2048,
  maxRequestBytes: 1024 * 1024,
} as const;

const hash = z.string().regex(HASH_PATTERN, 'a lower-case hex SHA-256');
const iso = z.iso.datetime({ offset: true });
/** Ids only (UUIDs, officer ids, short codes): never a name or a NIK. */
const subject = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'an id');
const detailValue = z.union([
  z.string().max(256),
  z.number().int().refine(Number.isSafeInteger),
  z.boolean(),
  z.null(),
  z.array(z.string().max(64)).max(50).readonly(),
]);
const detail = z
  .record(z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,31}$/), detailValue)
  .refine((d) => Object.keys(d).length <= 16, 'at most 16 detail fields')
  .refine(
    (d) => canonicalJson(d as AuditDetail).length <= AUDIT_LIMITS.maxDetailChars,
    'the detail is too large',
  );

export const auditEventSchema = z.object({
  seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  at: iso,
  type: z.enum(KIOSK_AUDIT_TYPES),
  subject: subject.nullable(),
  detail: detail.nullable(),
  prevHash: hash,
  hash,
});

export const auditCheckpointSchema = z.object({
  seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  hash,
  at: iso,
  keyFingerprint: hash,
  publicKeySpki: z
    .string()
    .min(100)
    .max(200)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'not base64'),
  signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/, 'a P-256 signature, base64url'),
});

export const auditUploadSchema = z.object({
  kioskId: z.uuid(),
  /** Consecutive, oldest first; the first follows what the server acknowledged. */
  events: z.array(auditEventSchema).min(1).max(AUDIT_LIMITS.maxEventsPerRequest),
  /** Checkpoints over events of this request; one must cover the last event. */
  checkpoints: z.array(auditCheckpointSchema).max(AUDIT_LIMITS.maxCheckpointsPerRequest),
});
export type AuditUpload = z.infer<typeof auditUploadSchema>;

export const auditUploadResponseSchema = z.object({
  /** The server holds the chain up to here; the kiosk sends from the next seq. */
  acknowledgedSeq: z.number().int().min(0),
});
export type AuditUploadResponse = z.infer<typeof auditUploadResponseSchema>;

/** The error code of an upload that does not link to the chain the server holds (an incident). */
export const AUDIT_CHAIN_BREAK = 'audit-chain-break';
