/**
 * The store's side of a certificate's life after issuance (Pasal 14, 15, 22-24): the certificates
 * about to expire and the search for one, revocation requests and the forwarding job's claims on
 * them, and the incident register. Part of `Store` (store.ts); implemented in kysely-lifecycle.ts.
 */
import type { ApplicantCategory } from '../../../src/core/application/completeness';
import type { ServerState } from '../../../src/core/application/server-state';
import type { CertificateType } from '../../../src/core/certificate/types';
import type {
  IncidentType,
  LostKeyKind,
  RevocationAttachmentKind,
  RevocationReasonCode,
} from '../../../src/protocol/lifecycle';
import type { ApplicationRelation } from '../../../src/protocol/sync';

/** A half-open time range, ISO 8601: `from` included, `to` excluded. */
export interface TimeRange {
  from: string;
  to: string;
}

export interface ExpiringCertificateQuery {
  /** ISO: certificates still valid at this time… */
  from: string;
  /** …and ending at or before this one. */
  until: string;
  limit: number;
}

/** An issued certificate about to expire, as the renewal list shows it (Pasal 14). */
export interface ExpiringCertificateRow {
  applicationId: string;
  nama: string;
  perangkatDaerah: string;
  certificateType: CertificateType;
  /** Upper-case hex, as OpenSSL prints it. */
  serialNumberHex: string;
  notAfter: string;
}

/** By the person (the RA's keyed NIK hash) or by the certificate's serial (upper-case hex). */
export type CertificateLookup = { nikHash: string } | { serialNumberHex: string };

/** An issued certificate with what a renewal or replacement form needs, and what became of it. */
export interface IssuedCertificate {
  applicationId: string;
  certificateType: CertificateType;
  serialNumberHex: string;
  notAfter: string | null;
  nama: string;
  nik: string;
  nip: string | null;
  email: string;
  perangkatDaerah: string;
  jabatan: string | null;
  host: string | null;
  category: ApplicantCategory | null;
  mobile: string | null;
  revocation: StoredRevocation | null;
  /** A renewal or replacement naming it that the CA did not refuse and its officer did not reject. */
  followedBy: { applicationId: string; relation: ApplicationRelation; state: ServerState } | null;
}

/**
 * The forwarding job's bookkeeping of a revocation request, as `ca_forwarding` for submissions:
 * `pending` (never tried), `claimed` (a worker holds it until the lease ends), `retry` (the CA
 * could not be reached), `done` (the CA answered), `attention` (the CA does not know the
 * certificate: an operator must look).
 */
export const REVOCATION_JOB_STATUSES = ['pending', 'claimed', 'retry', 'done', 'attention'] as const;
export type RevocationJobStatus = (typeof REVOCATION_JOB_STATUSES)[number];

export const REVOCATION_OUTCOMES = ['revoked', 'already-revoked', 'unknown-certificate'] as const;
export type RevocationOutcomeKind = (typeof REVOCATION_OUTCOMES)[number];

export interface RevocationAttachment {
  kind: RevocationAttachmentKind;
  mediaType: string;
  data: Uint8Array;
}

export interface NewIncident {
  id: string;
  type: IncidentType;
  /** ISO, normalised to UTC by the caller. */
  occurredAt: string;
  recordedAt: string;
  certificateSerialHex: string | null;
  applicationId: string | null;
  description: string;
  actionsTaken: string;
  reportedTo: string;
  /** `officer:<id>`, or `server` for one the server raised itself. */
  recordedBy: string;
  officerId: string | null;
  kioskId: string | null;
  revocationId: string | null;
  /** The officer's signed statement, kept as received; null for one the server raised. */
  payload: string | null;
  signature: string | null;
}

export interface StoredIncident extends NewIncident {
  /** The officer's name from the account, when an officer is named. */
  recordedByName: string | null;
}

export type IncidentOutcome =
  | { status: 'recorded' | 'duplicate'; incident: StoredIncident }
  /** The id is taken by a different incident. */
  | { status: 'conflict' };

export interface NewRevocation {
  requestId: string;
  applicationId: string;
  serialNumberHex: string;
  reason: RevocationReasonCode;
  lostKey: LostKeyKind | null;
  note: string;
  officerId: string;
  keyId: string;
  kioskId: string;
  /** The signed statement, kept as received, and its signature: the evidence. */
  payload: string;
  signature: string;
  /** The officer's time, from the statement. */
  requestedAt: string;
  /** The server's clock. */
  receivedAt: string;
  attachments: RevocationAttachment[];
  /** Raised in the same transaction (a lost key is a security incident, Pasal 24). */
  incident: NewIncident | null;
}

export interface StoredRevocation {
  requestId: string;
  applicationId: string;
  serialNumberHex: string;
  reason: RevocationReasonCode;
  lostKey: LostKeyKind | null;
  note: string;
  officerId: string;
  kioskId: string;
  requestedAt: string;
  receivedAt: string;
  status: RevocationJobStatus;
  outcome: RevocationOutcomeKind | null;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  /** The CA's time of revocation. */
  revokedAt: string | null;
  incidentId: string | null;
  /** The signed statement as received. */
  payload: string;
}

export type RevocationRecordOutcome =
  | { status: 'requested' | 'duplicate' | 'already-requested'; revocation: StoredRevocation }
  /** The request id is taken by a different request. */
  | { status: 'conflict' };

export interface ClaimedRevocation {
  requestId: string;
  applicationId: string;
  serialNumberHex: string;
  reason: RevocationReasonCode;
  /** Tries so far, this one included. */
  attempts: number;
}

export type RevocationSettlement =
  | { requestId: string; outcome: 'revoked' | 'already-revoked'; revokedAt: string }
  | { requestId: string; outcome: 'unknown-certificate'; error: string }
  | { requestId: string; outcome: 'retry'; error: string; nextAttemptAt: string };

/** A lease on some revocation requests, as `ForwardingClaim` in store.ts. */
export interface RevocationClaim {
  token: string;
  at: string;
  leaseUntil: string;
  limit: number;
}

export interface LifecycleStore {
  /**
   * Issued certificates ending within the query's range: only each person's latest of each type,
   * none that a renewal or replacement already follows (unless refused), none revoked or asked to
   * be revoked. Ordered by Perangkat Daerah, then soonest end.
   */
  listExpiringCertificates(query: ExpiringCertificateQuery): Promise<ExpiringCertificateRow[]>;
  /** Issued certificates by the person or by serial, newest end first. */
  findIssuedCertificates(lookup: CertificateLookup, limit: number): Promise<IssuedCertificate[]>;
  /**
   * Records a revocation request with its papers, its event and its incident in one transaction.
   * One request per certificate: a second request for the same serial answers `already-requested`
   * with the first; the same request again answers `duplicate`. The caller has checked that the
   * application holds this issued certificate.
   */
  recordRevocation(revocation: NewRevocation): Promise<RevocationRecordOutcome>;
  getRevocation(requestId: string): Promise<StoredRevocation | null>;
  getRevocationAttachments(requestId: string): Promise<RevocationAttachment[]>;
  /**
   * Revocation requests received or revoked within the range, oldest request first (the yearly
   * report counts those with `revokedAt` in its period).
   */
  listRevocations(range: TimeRange): Promise<StoredRevocation[]>;
  /** When the CA last revoked something the RA asked for (ISO), or null: the CRL cache's key. */
  latestRevocationAt(): Promise<string | null>;
  /**
   * Takes up to `limit` revocation requests due for the CA (never tried, due for a retry, or held
   * by a worker whose lease lapsed). Two workers never hold the same request: PostgreSQL skips rows
   * another worker has locked, and the update re-checks the hold.
   */
  claimForRevocation(claim: RevocationClaim): Promise<ClaimedRevocation[]>;
  /**
   * The CA's answers, each with its event on the application, in one transaction; requests no
   * longer held under `token` are left alone. Returns how many were settled.
   */
  settleRevocations(token: string, settlements: readonly RevocationSettlement[], at: string): Promise<number>;
  /** Records an incident (and its event on the application it names); the same id again is `duplicate`. */
  recordIncident(incident: NewIncident): Promise<IncidentOutcome>;
  /** Incidents that occurred within the range, oldest first, at most `limit` (default: all). */
  listIncidents(range: TimeRange & { limit?: number }): Promise<StoredIncident[]>;
}
