/**
 * A certificate's life after issuance, on the server (Pasal 14, 15, 22, 24): the officer's signed
 * queries (certificates about to expire, the search for one, the incident register), the
 * revocation request with its papers, and incidents. Each statement is checked as a release is
 * (officer-statements.ts), then for what it says.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { z } from 'zod';
import {
  type CertificateQueryPayload,
  type CertificateRecord,
  type CorrectionPayload,
  type CorrectionResponse,
  certificateQueryPayloadSchema,
  correctionPayloadSchema,
  type ExpiringResponse,
  type IncidentPayload,
  type IncidentView,
  incidentPayloadSchema,
  LIFECYCLE_LIMITS,
  type LostKeyKind,
  type REVOCATION_ATTACHMENT_MEDIA_TYPES,
  type RevocationPayload,
  type RevocationRequest,
  type RevocationResponse,
  type RevocationState,
  type RevocationView,
  revocationPayloadSchema,
} from '../../../src/protocol/lifecycle';
import type { SignedStatement } from '../../../src/protocol/statement';
import type {
  IssuedCertificate,
  NewIncident,
  RevocationAttachment,
  StoredIncident,
  StoredRevocation,
} from '../store/lifecycle-store';
import type { Store } from '../store/store';
import { checkOfficerStatement, createOfficerLookup } from './officer-statements';

/** An expected refusal: the status, a stable code and an English message without personal data. */
export interface LifecycleRefusal {
  status: 400 | 403 | 404 | 409 | 422;
  code: string;
  message: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; refusal: LifecycleRefusal };

const refuse = (status: LifecycleRefusal['status'], code: string, message: string) =>
  ({ ok: false, refusal: { status, code, message } }) as const;

/**
 * The officer's statement of this kind, signed on `kioskId` by an active officer with that
 * kiosk's key, naming that kiosk, and made at most `maxStatementAgeMs` from the server's clock.
 */
async function checkStatement<T extends { officerId: string; keyId: string; kioskId: string }>(
  store: Store,
  statement: SignedStatement,
  schema: z.ZodType<T>,
  options: { kioskId: string; now: Date; invalidCode: string; timeOf: (payload: T) => string },
): Promise<Checked<T>> {
  const checked = await checkOfficerStatement(createOfficerLookup(store), statement, schema, options.kioskId);
  if (!checked.ok) {
    return checked.problem === 'invalid'
      ? refuse(400, options.invalidCode, `The officer's statement is not valid: ${checked.message}`)
      : refuse(403, checked.problem, `The officer's statement is refused: ${checked.message}`);
  }
  if (checked.payload.kioskId !== options.kioskId) {
    return refuse(403, 'statement-mismatch', 'The statement names another kiosk than the one that signed');
  }
  const skew = Math.abs(Date.parse(options.timeOf(checked.payload)) - options.now.getTime());
  if (!(skew <= LIFECYCLE_LIMITS.maxStatementAgeMs)) {
    return refuse(400, 'stale-statement', "The statement's time is too far from the server's clock");
  }
  return { ok: true, value: checked.payload };
}

export function checkCertificateQuery(
  store: Store,
  statement: SignedStatement,
  options: { kioskId: string; now: Date },
): Promise<Checked<CertificateQueryPayload>> {
  return checkStatement(store, statement, certificateQueryPayloadSchema, {
    ...options,
    invalidCode: 'invalid-query',
    timeOf: (p) => p.askedAt,
  });
}

const DAY_MS = 86_400_000;

/** The certificates ending within the window, per Perangkat Daerah (Pasal 14). */
export async function expiringCertificates(
  store: Store,
  options: { now: Date; windowDays: number },
): Promise<ExpiringResponse> {
  const until = new Date(options.now.getTime() + options.windowDays * DAY_MS).toISOString();
  const rows = await store.listExpiringCertificates({
    from: options.now.toISOString(),
    until,
    limit: LIFECYCLE_LIMITS.maxCertificates,
  });
  const groups = new Map<string, ExpiringResponse['groups'][number]>();
  for (const row of rows) {
    let group = groups.get(row.perangkatDaerah);
    if (group === undefined) {
      group = { perangkatDaerah: row.perangkatDaerah, certificates: [] };
      groups.set(row.perangkatDaerah, group);
    }
    group.certificates.push(row);
  }
  return {
    windowDays: options.windowDays,
    until,
    groups: [...groups.values()].sort((a, b) => a.perangkatDaerah.localeCompare(b.perangkatDaerah, 'id')),
  };
}

export function revocationState(revocation: Pick<StoredRevocation, 'outcome'>): RevocationState {
  switch (revocation.outcome) {
    case null:
      return 'pending';
    case 'revoked':
      return 'revoked';
    case 'already-revoked':
      return 'already-revoked';
    case 'unknown-certificate':
      return 'failed';
  }
}

export function revocationView(revocation: StoredRevocation): RevocationView {
  return {
    requestId: revocation.requestId,
    applicationId: revocation.applicationId,
    serialNumberHex: revocation.serialNumberHex,
    reason: revocation.reason,
    lostKey: revocation.lostKey,
    state: revocationState(revocation),
    requestedAt: revocation.receivedAt,
    revokedAt: revocation.revokedAt,
  };
}

export function certificateRecord(certificate: IssuedCertificate): CertificateRecord {
  return {
    applicationId: certificate.applicationId,
    certificateType: certificate.certificateType,
    serialNumberHex: certificate.serialNumberHex,
    notAfter: certificate.notAfter,
    applicant: {
      nama: certificate.nama,
      nik: certificate.nik,
      nip: certificate.nip,
      email: certificate.email,
      perangkatDaerah: certificate.perangkatDaerah,
      jabatan: certificate.jabatan,
      host: certificate.host,
      category: certificate.category,
      mobile: certificate.mobile,
    },
    revocation: certificate.revocation === null ? null : revocationView(certificate.revocation),
    followedBy: certificate.followedBy,
  };
}

export function incidentView(incident: StoredIncident): IncidentView {
  return {
    id: incident.id,
    type: incident.type,
    occurredAt: incident.occurredAt,
    recordedAt: incident.recordedAt,
    certificateSerialHex: incident.certificateSerialHex,
    applicationId: incident.applicationId,
    description: incident.description,
    actionsTaken: incident.actionsTaken,
    reportedTo: incident.reportedTo,
    recordedBy: incident.recordedBy,
    recordedByName: incident.recordedByName,
    revocationId: incident.revocationId,
  };
}

const MAGIC: Record<(typeof REVOCATION_ATTACHMENT_MEDIA_TYPES)[number], (b: Uint8Array) => boolean> = {
  'application/pdf': (b) => String.fromCharCode(...b.subarray(0, 5)) === '%PDF-',
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47,
};

/**
 * The papers exactly as the signed statement names them (kind, media type, length, SHA-256): the
 * officer's signature covers them. Null with the refusal when one is missing, extra or different.
 */
function checkPapers(
  payload: RevocationPayload,
  papers: RevocationRequest['attachments'],
): Checked<RevocationAttachment[]> {
  if (
    papers.length !== payload.attachments.length ||
    new Set(papers.map((p) => p.kind)).size !== papers.length
  ) {
    return refuse(400, 'attachment-mismatch', 'The papers sent are not the papers the officer signed');
  }
  const out: RevocationAttachment[] = [];
  for (const ref of payload.attachments) {
    const paper = papers.find((p) => p.kind === ref.kind);
    if (paper === undefined || paper.mediaType !== ref.mediaType) {
      return refuse(400, 'attachment-mismatch', `The paper ${ref.kind} is not the one the officer signed`);
    }
    const bytes = Buffer.from(paper.dataBase64, 'base64');
    // Canonical base64 only: one text per file.
    if (bytes.toString('base64') !== paper.dataBase64) {
      return refuse(400, 'invalid-attachment', `The paper ${ref.kind} is not canonical base64`);
    }
    if (
      bytes.byteLength !== ref.byteLength ||
      createHash('sha256').update(bytes).digest('hex') !== ref.sha256
    ) {
      return refuse(400, 'attachment-mismatch', `The paper ${ref.kind} is not the one the officer signed`);
    }
    if (!MAGIC[ref.mediaType](bytes)) {
      return refuse(400, 'invalid-attachment', `The paper ${ref.kind} is not a ${ref.mediaType} file`);
    }
    out.push({ kind: ref.kind, mediaType: ref.mediaType, data: new Uint8Array(bytes) });
  }
  return { ok: true, value: out };
}

const LOST_KEY_WORDS: Record<LostKeyKind, string> = {
  lost: 'hilang',
  damaged: 'rusak',
  inaccessible: 'tidak dapat diakses',
};

/**
 * The incident a lost, damaged or inaccessible key raises by itself (Pasal 15 ayat 2, 24). The
 * register is read by the RA's staff: its texts are Indonesian, and hold no personal data beyond
 * the certificate's serial.
 */
function lostKeyIncident(payload: RevocationPayload, lostKey: LostKeyKind, receivedAt: string): NewIncident {
  return {
    id: randomUUID(),
    type: 'key-loss',
    occurredAt: payload.requestedAt,
    recordedAt: receivedAt,
    certificateSerialHex: payload.serialNumberHex,
    applicationId: payload.applicationId,
    description: `Kunci privat pemilik sertifikat ${payload.serialNumberHex} ${LOST_KEY_WORDS[lostKey]} (Pasal 15 ayat 2); laporan kepada pihak berwajib dan surat pernyataan pemilik yang diketahui atasan terlampir pada permintaan pencabutan.`,
    actionsTaken: `Permintaan pencabutan (${payload.reason}) dicatat dan diteruskan ke CA; pemilik mengajukan permohonan pengganti.`,
    reportedTo: 'Diskominfo Kota Madiun (Otoritas Pendaftaran); BSrE',
    recordedBy: `officer:${payload.officerId}`,
    officerId: payload.officerId,
    kioskId: payload.kioskId,
    revocationId: payload.requestId,
    payload: null,
    signature: null,
  };
}

/**
 * A revocation request as the officer signed it at the counter: the certificate must be the one
 * the server recorded for that application, the papers those the statement names. Stored with its
 * event (and, for a lost key, its incident) for the forwarding job to send to the CA.
 */
export async function requestRevocation(
  store: Store,
  request: RevocationRequest,
  options: { kioskId: string; now: Date },
): Promise<Checked<RevocationResponse>> {
  const checked = await checkStatement(store, request.revocation, revocationPayloadSchema, {
    ...options,
    invalidCode: 'invalid-revocation',
    timeOf: (p) => p.requestedAt,
  });
  if (!checked.ok) return checked;
  const payload = checked.value;
  const papers = checkPapers(payload, request.attachments);
  if (!papers.ok) return papers;
  const application = await store.getApplication(payload.applicationId);
  if (
    application === null ||
    application.state !== 'issued' ||
    application.certificateSerialHex !== payload.serialNumberHex
  ) {
    return refuse(404, 'unknown-certificate', 'No issued certificate has this serial for this application');
  }
  const receivedAt = options.now.toISOString();
  const outcome = await store.recordRevocation({
    requestId: payload.requestId,
    applicationId: payload.applicationId,
    serialNumberHex: payload.serialNumberHex,
    reason: payload.reason,
    lostKey: payload.lostKey,
    note: payload.note,
    officerId: payload.officerId,
    keyId: payload.keyId,
    kioskId: payload.kioskId,
    payload: request.revocation.payload,
    signature: request.revocation.signature,
    requestedAt: payload.requestedAt,
    receivedAt,
    attachments: papers.value,
    incident: payload.lostKey === null ? null : lostKeyIncident(payload, payload.lostKey, receivedAt),
  });
  if (outcome.status === 'conflict') {
    return refuse(409, 'id-conflict', 'Another revocation request has this request id');
  }
  return {
    ok: true,
    value: {
      status: outcome.status,
      revocation: revocationView(outcome.revocation),
      incidentId: outcome.revocation.incidentId,
    },
  };
}

/**
 * An incident the officer records (Pasal 22, 24). A named application must exist and, with a
 * serial too, hold that certificate; a serial alone finds its application when the RA issued it.
 */
export async function recordOfficerIncident(
  store: Store,
  statement: SignedStatement,
  options: { kioskId: string; now: Date },
): Promise<Checked<{ status: 'recorded' | 'duplicate'; incident: IncidentView }>> {
  const checked = await checkStatement<IncidentPayload>(store, statement, incidentPayloadSchema, {
    ...options,
    invalidCode: 'invalid-incident',
    timeOf: (p) => p.recordedAt,
  });
  if (!checked.ok) return checked;
  const payload = checked.value;
  let applicationId = payload.applicationId;
  if (applicationId !== null) {
    const application = await store.getApplication(applicationId);
    if (application === null) return refuse(404, 'unknown-application', 'No application has this id');
    if (
      payload.certificateSerialHex !== null &&
      application.certificateSerialHex !== payload.certificateSerialHex
    ) {
      return refuse(422, 'serial-mismatch', 'The application does not hold a certificate with this serial');
    }
  } else if (payload.certificateSerialHex !== null) {
    const [found] = await store.findIssuedCertificates({ serialNumberHex: payload.certificateSerialHex }, 1);
    applicationId = found?.applicationId ?? null;
  }
  const outcome = await store.recordIncident({
    id: payload.incidentId,
    type: payload.incidentType,
    occurredAt: payload.occurredAt,
    recordedAt: options.now.toISOString(),
    certificateSerialHex: payload.certificateSerialHex,
    applicationId,
    description: payload.description,
    actionsTaken: payload.actionsTaken,
    reportedTo: payload.reportedTo,
    recordedBy: `officer:${payload.officerId}`,
    officerId: payload.officerId,
    kioskId: payload.kioskId,
    revocationId: null,
    payload: statement.payload,
    signature: statement.signature,
  });
  if (outcome.status === 'conflict') return refuse(409, 'id-conflict', 'Another incident has this id');
  return { ok: true, value: { status: outcome.status, incident: incidentView(outcome.incident) } };
}

/**
 * An officer's correction of an applicant's data (issue 8): checked as every officer statement,
 * then stored sealed beside the record; reads apply it, the record itself is never edited.
 */
export async function recordOfficerCorrection(
  store: Store,
  statement: SignedStatement,
  options: { kioskId: string; now: Date },
): Promise<Checked<CorrectionResponse & { applicationId: string; officerId: string }>> {
  const checked = await checkStatement<CorrectionPayload>(store, statement, correctionPayloadSchema, {
    ...options,
    invalidCode: 'invalid-correction',
    timeOf: (p) => p.correctedAt,
  });
  if (!checked.ok) return checked;
  const payload = checked.value;
  const outcome = await store.recordCorrection({
    id: payload.correctionId,
    applicationId: payload.applicationId,
    officerId: payload.officerId,
    keyId: payload.keyId,
    at: options.now.toISOString(),
    fields: payload.fields,
    reason: payload.reason,
    payload: statement.payload,
    signature: statement.signature,
  });
  if (outcome === 'unknown-application')
    return refuse(404, 'unknown-application', 'No application has this id');
  if (outcome === 'purged') {
    return refuse(
      409,
      'purged',
      'The personal data of this application was deleted after its retention period',
    );
  }
  return {
    ok: true,
    value: {
      status: outcome,
      correctionId: payload.correctionId,
      applicationId: payload.applicationId,
      officerId: payload.officerId,
    },
  };
}
