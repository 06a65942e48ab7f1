/**
 * The texts an officer signs for a certificate's life after issuance (protocol/lifecycle.ts): a
 * query (the expiring list, a search, the incident register), a revocation request, an incident,
 * a correction of an applicant's data. Keys in the schema's order; every problem listed at once,
 * by field.
 */
import type { z } from 'zod';
import {
  type CertificateQueryPayload,
  type CorrectionPayload,
  certificateQueryPayloadSchema,
  correctionPayloadSchema,
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

/** `nested`: an object key whose members are named by their own key (a correction's `fields.nip` as `nip`). */
function text<T>(schema: z.ZodType<T>, payload: T, nested?: string): Result<string, StatementProblem[]> {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    return fail(
      parsed.error.issues.map((issue) => {
        const [first, second] = issue.path;
        const field = first === nested && second !== undefined ? second : first;
        return { field: String(field ?? 'payload'), message: issue.message };
      }),
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

export type CorrectionInput = Omit<CorrectionPayload, 'v' | 'type'>;

export function correctionText(input: CorrectionInput): Result<string, StatementProblem[]> {
  const fields = input.fields;
  return text(
    correctionPayloadSchema,
    {
      v: 1,
      type: 'correction',
      correctionId: input.correctionId,
      applicationId: input.applicationId,
      // Only the fields given, in the schema's order: an absent one is not corrected.
      fields: {
        ...(fields.nama === undefined ? {} : { nama: fields.nama }),
        ...(fields.nip === undefined ? {} : { nip: fields.nip }),
        ...(fields.jabatan === undefined ? {} : { jabatan: fields.jabatan }),
        ...(fields.mobile === undefined ? {} : { mobile: fields.mobile }),
      },
      reason: input.reason,
      officerId: input.officerId,
      keyId: input.keyId,
      kioskId: input.kioskId,
      correctedAt: input.correctedAt,
    },
    'fields',
  );
}
