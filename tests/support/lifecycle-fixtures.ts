/**
 * An officer's lifecycle statements as the kiosk makes them (src/core/lifecycle/statements.ts),
 * signed with a test officer's key, and the papers of a lost-key report. For the server tests.
 */
import { createHash, randomUUID } from 'node:crypto';
import { certificateQueryText, incidentText, revocationText } from '../../src/core/lifecycle/statements';
import type {
  CertificateQueryPayload,
  CertificateQueryRequest,
  IncidentPayload,
  IncidentRequest,
  LostKeyKind,
  RevocationAttachmentKind,
  RevocationReasonCode,
  RevocationRequest,
} from '../../src/protocol/lifecycle';
import { signStatement } from '../../src/protocol/statement';
import type { TestOfficer } from './officer-fixtures';
import { tinyPng } from './wire-records';

/** A small but real PDF (what a scanned report is sent as). */
export function tinyPdf(label = 'Laporan kehilangan'): Uint8Array {
  return new Uint8Array(
    Buffer.from(
      `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% ${label}\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
      'latin1',
    ),
  );
}

export interface TestPaper {
  kind: RevocationAttachmentKind;
  mediaType: 'application/pdf' | 'image/png' | 'image/jpeg';
  bytes: Uint8Array;
}

/** The papers of Pasal 15 ayat 3: the police report (PDF) and the owner's statement (a photo). */
export function lostKeyPapers(): TestPaper[] {
  return [
    { kind: 'police-report', mediaType: 'application/pdf', bytes: tinyPdf() },
    { kind: 'owner-statement', mediaType: 'image/png', bytes: tinyPng() },
  ];
}

function unwrap(result: { ok: true; value: string } | { ok: false; problem: unknown }): string {
  if (!result.ok) throw new Error(`statement not valid: ${JSON.stringify(result.problem)}`);
  return result.value;
}

const iso = (at: Date | number | undefined) => new Date(at ?? Date.now()).toISOString();

export async function signedQuery(
  officer: TestOfficer,
  query: CertificateQueryPayload['query'],
  options: { at?: Date | number; kioskId?: string } = {},
): Promise<CertificateQueryRequest> {
  const text = unwrap(
    certificateQueryText({
      query,
      officerId: officer.officerId,
      keyId: officer.keyId,
      kioskId: options.kioskId ?? officer.kioskId,
      askedAt: iso(options.at),
    }),
  );
  return { kioskId: officer.kioskId, query: await signStatement(officer.privateKey, text) };
}

export interface RevocationFields {
  applicationId: string;
  serialNumberHex: string;
  reason?: RevocationReasonCode;
  lostKey?: LostKeyKind | null;
  note?: string;
  papers?: TestPaper[];
  requestId?: string;
  at?: Date | number;
  /** Sent instead of the papers the statement names (a swapped file). */
  sentPapers?: TestPaper[];
}

export async function revocationRequest(
  officer: TestOfficer,
  fields: RevocationFields,
): Promise<RevocationRequest> {
  const papers = fields.papers ?? [];
  const text = unwrap(
    revocationText({
      requestId: fields.requestId ?? randomUUID(),
      applicationId: fields.applicationId,
      serialNumberHex: fields.serialNumberHex,
      reason: fields.reason ?? 'keyCompromise',
      lostKey: fields.lostKey ?? null,
      note: fields.note ?? '',
      attachments: papers.map((p) => ({
        kind: p.kind,
        mediaType: p.mediaType,
        byteLength: p.bytes.byteLength,
        sha256: createHash('sha256').update(p.bytes).digest('hex'),
      })),
      officerId: officer.officerId,
      keyId: officer.keyId,
      kioskId: officer.kioskId,
      requestedAt: iso(fields.at),
    }),
  );
  return {
    kioskId: officer.kioskId,
    revocation: await signStatement(officer.privateKey, text),
    attachments: (fields.sentPapers ?? papers).map((p) => ({
      kind: p.kind,
      mediaType: p.mediaType,
      dataBase64: Buffer.from(p.bytes).toString('base64'),
    })),
  };
}

export async function incidentRequest(
  officer: TestOfficer,
  fields: Partial<Omit<IncidentPayload, 'v' | 'type' | 'officerId' | 'keyId' | 'kioskId'>> & {
    at?: Date | number;
  },
): Promise<IncidentRequest> {
  const text = unwrap(
    incidentText({
      incidentId: fields.incidentId ?? randomUUID(),
      incidentType: fields.incidentType ?? 'authentication',
      occurredAt: fields.occurredAt ?? iso(fields.at),
      certificateSerialHex: fields.certificateSerialHex ?? null,
      applicationId: fields.applicationId ?? null,
      description:
        fields.description ?? 'Tanda tangan elektronik pada surat keluar tidak dapat diverifikasi.',
      actionsTaken: fields.actionsTaken ?? 'Dilaporkan ke BSrE; pemilik diminta memeriksa perangkatnya.',
      reportedTo: fields.reportedTo ?? 'Diskominfo; BSrE',
      officerId: officer.officerId,
      keyId: officer.keyId,
      kioskId: officer.kioskId,
      recordedAt: fields.recordedAt ?? iso(fields.at),
    }),
  );
  return { kioskId: officer.kioskId, incident: await signStatement(officer.privateKey, text) };
}
