/**
 * The texts an officer signs for a certificate's life after issuance (protocol/lifecycle.ts): a
 * query (the expiring list, a search, the incident register), a revocation request, an incident.
 * Keys in the schema's order; every problem listed at once, by field.
 */
import type { z } from 'zod';
import {
  type CertificateQueryPayload,
  certificateQueryPayloadSchema,
  type IncidentPayload,
  incidentPayloadSchema,
  type RevocationPayload,
  revocationPayloadSchema,
} from '../../protocol/lifecycle';
import { fail, ok, type Result } from '../lib/brand';

export interface StatementProblem {
  /** The payload's field (its first path segment); `payload` for a rule across fields. */
  field: string;
  message: string;
}

function text<T>(schema: z.ZodType<T>, payload: T): Result<string, StatementProblem[]> {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    return fail(
      parsed.error.issues.map((issue) => ({
        field: String(issue.path[0] ?? 'payload'),
        message: issue.message,
      })),
    );
  }
  return ok(JSON.stringify(payload));
}

export type QueryInput = Omit<CertificateQueryPayload, 'v' | 'type'>;

export function certificateQueryText(input: QueryInput): Result<string, StatementProblem[]> {
  return text(certificateQueryPayloadSchema, {
    v: 1,
    type: 'certificate-query',
    query: input.query,
    officerId: input.officerId,
    keyId: input.keyId,
    kioskId: input.kioskId,
    askedAt: input.askedAt,
  });
}

export type RevocationInput = Omit<RevocationPayload, 'v' | 'type'>;

export function revocationText(input: RevocationInput): Result<string, StatementProblem[]> {
  return text(revocationPayloadSchema, {
    v: 1,
    type: 'revocation',
    requestId: input.requestId,
    applicationId: input.applicationId,
    serialNumberHex: input.serialNumberHex,
    reason: input.reason,
    lostKey: input.lostKey,
    note: input.note,
    attachments: input.attachments.map((a) => ({
      kind: a.kind,
      mediaType: a.mediaType,
      byteLength: a.byteLength,
      sha256: a.sha256,
    })),
    officerId: input.officerId,
    keyId: input.keyId,
    kioskId: input.kioskId,
    requestedAt: input.requestedAt,
  });
}

export type IncidentInput = Omit<IncidentPayload, 'v' | 'type'>;

export function incidentText(input: IncidentInput): Result<string, StatementProblem[]> {
  return text(incidentPayloadSchema, {
    v: 1,
    type: 'incident',
    incidentId: input.incidentId,
    incidentType: input.incidentType,
    occurredAt: input.occurredAt,
    certificateSerialHex: input.certificateSerialHex,
    applicationId: input.applicationId,
    description: input.description,
    actionsTaken: input.actionsTaken,
    reportedTo: input.reportedTo,
    officerId: input.officerId,
    keyId: input.keyId,
    kioskId: input.kioskId,
    recordedAt: input.recordedAt,
  });
}
