import type { ServerState } from '../../../src/core/application/server-state';
import type { CertificateType } from '../../../src/core/certificate/types';
import type { DecisionKind, OfficerStatus } from '../../../src/protocol/officer';
import type { ApplicationStatus, PreviousCertificate } from '../../../src/protocol/sync';
import type { ReportApplication } from '../report/yearly-report';
import type { ArchiveStore } from './archive-store';
import type { AuditStore } from './audit-store';
import type { ArchiveKeyStore } from './kysely-archive-keys';
import type { LifecycleStore } from './lifecycle-store';

/** An application as the server keeps it: validated, with the CSR already verified. */
export interface NewAttachment {
  kind: string;
  mediaType: string;
  data: Uint8Array;
}

export interface NewApplication {
  id: string;
  kioskId: string;
  createdAt: string;
  certificateType: CertificateType;
  nama: string;
  nik: string;
  nip: string | null;
  email: string;
  perangkatDaerah: string;
  /** The position, for a jabatan certificate; null otherwise. */
  jabatan: string | null;
  /** The system's host name, for a sistem elektronik certificate; null otherwise. */
  host: string | null;
  ektpMediaType: string;
  ektpImage: Uint8Array;
  /** The papers of Pasal 10 and the signature specimen, one per kind (none from older kiosks). */
  attachments?: NewAttachment[];
  /** pns | pppk | pejabat (Pasal 7); absent from kiosks before officer mode, as the two below. */
  category?: string;
  /** E.164 `+628…`. */
  mobile?: string;
  /** The subscriber agreement (Pasal 13 ayat 5) and the Pasal 16-17 obligations as accepted. */
  agreement?: { version: string; acceptedAt: string; obligationsAcceptedAt: string };
  ocrText: string;
  /** The e-KTP fields as confirmed at the kiosk, with confidences and warnings (JSON); null if none. */
  ektpJson: string | null;
  csrPem: string;
  encryptedPrivateKeyPem: string;
  /** SHA-256 of the canonical record (`v2:<hex>`): tells a true resend from a different record reusing an id. */
  contentHash: string;
  /**
   * The same record's hash as rows stored before `v2:` hashes have it (bare hex); asked for only
   * when such a row holds the id. Absent: compare `contentHash`.
   */
  legacyContentHash?: () => string;
  /**
   * The officer's verified decision, stored with the application in the same transaction. Absent
   * for records from kiosks before officer mode.
   */
  decision?: NewDecision;
  /** The certificate this application renews or replaces; absent for a first application. */
  previous?: PreviousCertificate;
}

/** An officer's signed decision on an application, as verified at ingest. */
export interface NewDecision {
  decision: DecisionKind;
  /** Reason codes (none for an approval). */
  reasons: string[];
  officerId: string;
  keyId: string;
  /** The officer's time of decision, from the signed payload. */
  decidedAt: string;
  /** The exact signed text and its signature: the evidence, kept as received. */
  payload: string;
  signature: string;
}

export type StoredDecision = NewDecision & { applicationId: string };

export interface StoredApplication extends Omit<NewApplication, 'decision'> {
  receivedAt: string;
  state: ServerState;
  stateChangedAt: string;
  /** Set once the CA issued the certificate (PEM, chain may follow). */
  certificatePem: string | null;
  /** The issued certificate's serial (upper-case hex, as OpenSSL prints it). */
  certificateSerialHex: string | null;
  /** The CA's reason, for `ca-rejected`. */
  stateReason: string | null;
}

/** What happened to an application after it arrived, as the CA connector or an admin reports it. */
export type OutcomeChange =
  | { state: 'sent-to-ca' }
  /** `notAfter` (ISO): the certificate's end of validity, for the duplicate-NIK check. */
  | { state: 'issued'; certificatePem: string; notAfter?: string; serialNumberHex?: string }
  | { state: 'ca-rejected'; reason: string };

export interface EventMeta {
  at: string;
  /** `kiosk:<id>`, `officer:<id>`, `admin`, `ca`: who caused the change. Never a person's data. */
  actor: string;
  /** Facts worth keeping with the event (a serial number, a CA reference); no personal data. */
  detail?: Record<string, string>;
}

/**
 * `recorded`: the state changed. `unchanged`: the application is already in exactly that state
 * (a repeated report). `illegal`: that state may not follow the current one.
 */
export type RecordOutcomeResult =
  | { status: 'recorded' }
  | { status: 'unchanged' }
  | { status: 'unknown' }
  | { status: 'illegal'; from: ServerState };

/** One line of an application's audit trail on the server, oldest first. */
export interface ApplicationEvent {
  /** Increases in commit order within one database. */
  seq: number;
  applicationId: string;
  at: string;
  event: string;
  actor: string;
  detail: Record<string, string> | null;
}

/**
 * `stored`: new, committed. `duplicate`: the same id with the same content was already stored
 * (a resend after a lost acknowledgement). `conflict`: the id is taken by different content.
 */
export type InsertOutcome = 'stored' | 'duplicate' | 'conflict';

/** An enrolled kiosk as the admin sees it (never with its key). */
export interface Kiosk {
  id: string;
  name: string;
  enrolledAt: string;
  revokedAt: string | null;
}

export interface KioskWithKey extends Kiosk {
  /** SubjectPublicKeyInfo DER of the device key, base64. */
  publicKeySpki: string;
}

export interface NewEnrollmentCode {
  /** SHA-256 (hex) of the normalised code: the code itself is never stored. */
  codeHash: string;
  name: string;
  createdAt: string;
  expiresAt: string;
}

export interface Enrollment {
  codeHash: string;
  kioskId: string;
  publicKeySpki: string;
  /** The moment of enrollment; a code whose expiry is not after it is expired. */
  at: string;
}

export type EnrollOutcome =
  | { status: 'enrolled'; kiosk: Kiosk }
  | { status: 'unknown' }
  | { status: 'used' }
  | { status: 'expired' };

export type RevokeOutcome = { status: 'revoked'; kiosk: Kiosk } | { status: 'unknown' };

/** An RA officer's account as the server keeps it. */
export interface StoredOfficer {
  id: string;
  username: string;
  nama: string;
  nip: string | null;
  status: OfficerStatus;
  createdAt: string;
  lockedAt: string | null;
  lockReason: string | null;
}

export interface OfficerListEntry extends StoredOfficer {
  /** Keys not revoked: the kiosks the officer can sign on now. */
  activeKeys: number;
}

export interface NewOfficerCode {
  /** SHA-256 (hex) of the normalised code, as for kiosk codes: never the code itself. */
  codeHash: string;
  createdAt: string;
  expiresAt: string;
}

export type CreateOfficerOutcome =
  | { status: 'created'; officer: StoredOfficer }
  | { status: 'username-taken' };

export type OfficerCodeOutcome =
  | { status: 'created'; officer: StoredOfficer }
  | { status: 'unknown' }
  /** Only an active officer gets a code: unlock first. */
  | { status: 'not-active'; officer: StoredOfficer };

export interface OfficerEnrollment {
  username: string;
  codeHash: string;
  /** The new key's id, chosen by the caller. */
  keyId: string;
  /** The kiosk that signed the request: the only one that may use the key. */
  kioskId: string;
  publicKeySpki: string;
  at: string;
}

/**
 * `unknown`: no such username, or the code is not one of that officer's. `not-active`: the officer
 * is locked or disabled (the code stays unused).
 */
export type OfficerEnrollOutcome =
  | { status: 'enrolled'; officer: StoredOfficer; keyId: string }
  | { status: 'unknown' }
  | { status: 'used' }
  | { status: 'expired' }
  | { status: 'not-active'; officer: StoredOfficer };

export interface OfficerKey {
  keyId: string;
  officerId: string;
  kioskId: string;
  /** SubjectPublicKeyInfo DER of the officer's ECDSA P-256 key, base64. */
  publicKeySpki: string;
  createdAt: string;
  revokedAt: string | null;
}

/**
 * `locked`: the account was active and is locked now. `unchanged`: it was locked (or disabled)
 * already; the first lock's time and reason stay. Either way no key of the officer stays valid.
 */
export type LockOfficerOutcome =
  | { status: 'locked' | 'unchanged'; officer: StoredOfficer; revokedKeys: number }
  | { status: 'unknown' };

export type UnlockOfficerOutcome =
  | { status: 'unlocked' | 'unchanged'; officer: StoredOfficer }
  | { status: 'unknown' };

export interface NewRelease {
  applicationIds: readonly string[];
  officerId: string;
  keyId: string;
  /** The officer's time of release, from the signed payload. */
  releasedAt: string;
  payload: string;
  signature: string;
  /** The server's clock: the audit events' time. */
  receivedAt: string;
  /** Refuse a release by the officer who decided (the server's two-person rule). */
  twoPersonRule: boolean;
}

export type ReleaseOutcome =
  | { applicationId: string; status: 'released' | 'already-released' }
  | {
      applicationId: string;
      status: 'refused';
      code: 'unknown-application' | 'not-approved' | 'self-release';
    };

export interface StoredRelease {
  applicationId: string;
  officerId: string;
  keyId: string;
  releasedAt: string;
  payload: string;
  signature: string;
}

/** The duplicate-NIK check's counts for one keyed NIK hash. */
export interface NikCount {
  hash: string;
  openApplications: number;
  validCertificates: number;
}

/**
 * The forwarding job's bookkeeping for one application. `claimed`: a worker holds it until the
 * lease ends; `retry`: the CA could not be reached, try again after `nextAttemptAt`; `submitted`:
 * the CA has it under `caReference`, ask again at `nextPollAt`; `done`: the CA answered;
 * `attention`: an answer the RA cannot use (an unknown reference, a certificate that does not fit):
 * an operator must look.
 */
export const FORWARDING_STATUSES = ['claimed', 'retry', 'submitted', 'done', 'attention'] as const;
export type ForwardingStatus = (typeof FORWARDING_STATUSES)[number];

export interface Forwarding {
  applicationId: string;
  status: ForwardingStatus;
  attempts: number;
  caReference: string | null;
  submittedAt: string | null;
  pollAttempts: number;
  nextAttemptAt: string | null;
  nextPollAt: string | null;
  lastError: string | null;
}

/** One worker's hold on some applications: only the holder of `token` may settle them. */
export interface ForwardingClaim {
  token: string;
  at: string;
  /** When the hold lapses and another worker may take the applications over. */
  leaseUntil: string;
  limit: number;
}

export interface ClaimedSubmission {
  application: StoredApplication;
  /** Submissions tried so far, this one included. */
  attempts: number;
}

export type SubmissionSettlement =
  | { applicationId: string; outcome: 'accepted'; caReference: string }
  | { applicationId: string; outcome: 'refused'; reason: string }
  | { applicationId: string; outcome: 'retry'; error: string; nextAttemptAt: string };

export interface ClaimedPoll {
  applicationId: string;
  caReference: string;
  csrPem: string;
  /** Polls that found it pending so far. */
  pollAttempts: number;
}

export type PollSettlement =
  | { applicationId: string; outcome: 'pending'; nextPollAt: string }
  | {
      applicationId: string;
      outcome: 'issued';
      /** The holder's certificate followed by its chain. */
      certificatePem: string;
      notAfter: string;
      serialNumberHex: string;
    }
  | { applicationId: string; outcome: 'rejected'; reason: string }
  | { applicationId: string; outcome: 'attention'; error: string };

/**
 * The state of an application's confirmation mail as the store keeps it (hashes only, never the
 * code or the token): what a failed send puts back.
 */
export interface EmailChallengeSnapshot {
  /** Lower case. */
  email: string;
  codeHash: string | null;
  tokenHash: string | null;
  sentAt: string | null;
  expiresAt: string | null;
  wrongAttempts: number;
  nextMailAt: string | null;
  usedAt: string | null;
  requestedBy: string | null;
}

/** How often an application may be mailed (`EMAIL_LIMITS` in src/protocol/email.ts). */
export interface EmailMailLimits {
  /** A code mail only this long after the application's last mail. */
  minIntervalMs: number;
  maxCodeMails: number;
  maxLinkMails: number;
}

/**
 * The next confirmation mail of an application, reserved before it is sent. `code`: asked for by a
 * kiosk, carries a code and a link; `link`: sent by the server's sweep, a link only.
 */
export interface EmailMailReservation {
  kind: 'code' | 'link';
  applicationId: string;
  /** Lower case. */
  email: string;
  /** HMAC-SHA-256 (hex) of the code; null for a link-only mail. */
  codeHash: string | null;
  /** SHA-256 (hex) of the link's token. */
  tokenHash: string;
  at: string;
  expiresAt: string;
  /** `kiosk:<id>` or `server`. */
  requestedBy: string;
  limits: EmailMailLimits;
}

/**
 * `reserved`: the mail may go; its code and token replace the application's earlier ones.
 * `previous` is what `cancelEmailMail` puts back if it cannot be sent. `not-due`: a link mail is not
 * due (already mailed and not expired, or the link mails are used up).
 */
export type EmailReservationOutcome =
  | { status: 'reserved'; mailsLeft: number; previous: EmailChallengeSnapshot | null }
  | { status: 'already-confirmed'; confirmedAt: string }
  | { status: 'too-soon'; retryAt: string }
  | { status: 'limit-reached' }
  | { status: 'not-due' };

export interface EmailMailCancellation {
  kind: EmailMailReservation['kind'];
  applicationId: string;
  /** The reservation's token hash: nothing changes if another reservation replaced it meanwhile. */
  tokenHash: string;
  previous: EmailChallengeSnapshot | null;
  /** When the sweep may try this application again (link mails); null: as before. */
  retryAt: string | null;
}

export interface EmailCodeAttempt {
  applicationId: string;
  /** Lower case. */
  email: string;
  codeHash: string;
  at: string;
  maxWrongCodes: number;
  /** Who typed it, for the audit trail: `kiosk:<id>`. */
  actor: string;
}

export type EmailCodeOutcome =
  | { status: 'confirmed'; confirmedAt: string }
  | { status: 'wrong-code'; attemptsLeft: number }
  | { status: 'locked' }
  | { status: 'expired' }
  | { status: 'no-code' };

export type EmailLinkOutcome =
  | { status: 'confirmed'; applicationId: string; confirmedAt: string }
  | { status: 'expired'; applicationId: string }
  | { status: 'invalid' };

/** An address proven for an application: kept by application id and address, arrived or not. */
export interface EmailConfirmation {
  applicationId: string;
  /** Lower case. */
  email: string;
  confirmedAt: string;
  /** `code` (typed at the kiosk), `link` (the link in the mail), or what a caller names. */
  via: string;
}

/**
 * `LifecycleStore` (lifecycle-store.ts): expiring certificates, revocation requests and the
 * forwarding job's claims on them, the incident register (`listRevocations`, `listIncidents` by
 * time range for the yearly report).
 */
export interface Store extends LifecycleStore, ArchiveKeyStore, AuditStore, ArchiveStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Creates or upgrades the schema; safe to call on every start and from several processes. */
  migrate(): Promise<void>;
  /**
   * Inserts a batch in one transaction and returns one outcome per record, in order. When it
   * resolves, the stored records are durable (committed).
   */
  insertApplications(records: NewApplication[], receivedAt: string): Promise<InsertOutcome[]>;
  getApplication(id: string): Promise<StoredApplication | null>;
  countApplications(): Promise<number>;
  /**
   * Moves an application to a later state and appends the event in one transaction; a concurrent
   * report of the same change is recorded once.
   */
  recordOutcome(id: string, change: OutcomeChange, meta: EventMeta): Promise<RecordOutcomeResult>;
  /** The current state of those of `ids` that this kiosk delivered; the others are left out. */
  applicationStatuses(kioskId: string, ids: readonly string[]): Promise<ApplicationStatus[]>;
  /** The application's audit trail, oldest first. */
  listApplicationEvents(id: string): Promise<ApplicationEvent[]>;
  /** Application counts per state; states without applications are absent. */
  countApplicationsByState(): Promise<Record<string, number>>;

  createEnrollmentCode(code: NewEnrollmentCode): Promise<void>;
  /**
   * Uses the code and registers the kiosk in one transaction. A code enrolls exactly one kiosk,
   * even when several processes race for it.
   */
  enrollKiosk(enrollment: Enrollment): Promise<EnrollOutcome>;
  getKiosk(id: string): Promise<KioskWithKey | null>;
  /** Revoking a revoked kiosk keeps the first revocation time. */
  revokeKiosk(id: string, at: string): Promise<RevokeOutcome>;
  /** Every kiosk, oldest enrollment first. */
  listKiosks(): Promise<Kiosk[]>;
  /** `replayed` when this kiosk already used this nonce (the primary key decides, atomically). */
  recordNonce(kioskId: string, nonce: string, seenAt: string): Promise<'new' | 'replayed'>;
  /** Forgets nonces seen before `before`; returns how many. */
  pruneNonces(before: string): Promise<number>;
  /**
   * The content hash each of `ids` is stored with; ids not stored are absent. Lets a resend be
   * answered `duplicate` before its decision is checked against today's officer accounts.
   */
  heldContentHashes(ids: readonly string[]): Promise<Map<string, string>>;
  getDecision(applicationId: string): Promise<StoredDecision | null>;

  /**
   * The RA's key for hashing NIKs (32 bytes): made once, by whichever process asks first, and the
   * same for every process on this database.
   */
  nikHashKey(): Promise<Uint8Array>;
  /**
   * Per hash, in request order: applications not in a final state (not issued, refused by the CA
   * or rejected by their officer), and issued certificates whose validity ends after `now`.
   */
  countByNikHash(hashes: readonly string[], now: string): Promise<NikCount[]>;

  /** Creates the account and its first enrollment code in one transaction. */
  createOfficer(officer: StoredOfficer, code: NewOfficerCode): Promise<CreateOfficerOutcome>;
  createOfficerCode(officerId: string, code: NewOfficerCode): Promise<OfficerCodeOutcome>;
  getOfficer(id: string): Promise<StoredOfficer | null>;
  getOfficerByUsername(username: string): Promise<StoredOfficer | null>;
  /** Every officer, by username. */
  listOfficers(): Promise<OfficerListEntry[]>;
  /**
   * Uses the code and registers the key in one transaction: a code enrolls exactly one key, even
   * when several processes race for it, and never for a locked officer.
   */
  enrollOfficer(enrollment: OfficerEnrollment): Promise<OfficerEnrollOutcome>;
  getOfficerKey(keyId: string): Promise<OfficerKey | null>;
  /** Locks the account, revokes all its keys and drops its unused codes, in one transaction. */
  lockOfficer(id: string, lock: { at: string; reason: string }): Promise<LockOfficerOutcome>;
  /** Back to active; the keys revoked by the lock stay revoked (the officer enrolls again). */
  unlockOfficer(id: string): Promise<UnlockOfficerOutcome>;
  /**
   * Records one release statement, per application id in order, in one transaction: an
   * application is released once, whoever races for it.
   */
  recordRelease(release: NewRelease): Promise<ReleaseOutcome[]>;
  getRelease(applicationId: string): Promise<StoredRelease | null>;

  /**
   * Takes up to `limit` applications that may go to the CA (received, approved, released, their
   * e-mail confirmed (Pasal 10); never tried, due for a retry, or held by a worker whose lease lapsed) for the claim's holder. Two
   * workers never hold the same application: PostgreSQL skips rows another worker has locked, and
   * a conditional upsert re-checks the hold.
   */
  claimForSubmission(claim: ForwardingClaim): Promise<ClaimedSubmission[]>;
  /**
   * Records the CA's answers to a submission, each with the application's new state and its event
   * in the same transaction. Applications no longer held under `token` are left alone (the lease
   * lapsed and another worker took them over). Returns how many were settled.
   */
  settleSubmissions(token: string, settlements: readonly SubmissionSettlement[], at: string): Promise<number>;
  /** Takes up to `limit` submitted applications whose next poll is due, as above. */
  claimForPolling(claim: ForwardingClaim): Promise<ClaimedPoll[]>;
  settlePolls(token: string, settlements: readonly PollSettlement[], at: string): Promise<number>;
  getForwarding(applicationId: string): Promise<Forwarding | null>;
  /** Forwarding rows per status; statuses without rows are absent. */
  countForwardingByStatus(): Promise<Partial<Record<ForwardingStatus, number>>>;

  /**
   * The RA's key for hashing e-mail codes (32 bytes): made once, by whichever process asks first.
   * Never leaves the server (unlike the NIK hash key, which officers' kiosks hold).
   */
  emailCodeKey(): Promise<Uint8Array>;
  /**
   * Reserves the application's next confirmation mail under its limits, atomically: of two
   * processes racing, one reserves. Nothing is reserved for an address already confirmed.
   */
  reserveEmailMail(reservation: EmailMailReservation): Promise<EmailReservationOutcome>;
  /** Puts back what a reservation replaced, when its mail could not be sent. */
  cancelEmailMail(cancellation: EmailMailCancellation): Promise<void>;
  /**
   * Checks a typed code: a wrong one is counted atomically, the right one confirms the address
   * once (the code is used up), with an `email-confirmed` event for the application.
   */
  verifyEmailCode(attempt: EmailCodeAttempt): Promise<EmailCodeOutcome>;
  /** The link in a mail: confirms its application's address, as a right code does. */
  confirmEmailLink(tokenHash: string, at: string): Promise<EmailLinkOutcome>;
  /** Records a confirmation (idempotent: the first one stays), with its event. */
  recordEmailConfirmation(confirmation: EmailConfirmation & { actor: string }): Promise<EmailConfirmation>;
  /** The confirmation of this address (any case) for this application, or null. */
  getEmailConfirmation(applicationId: string, email: string): Promise<EmailConfirmation | null>;
  /**
   * Applications that arrived approved and unconfirmed and may get a link mail now (never mailed,
   * or their last link expired and link mails are left), oldest first: the sweep's work.
   */
  emailsAwaitingMail(query: {
    at: string;
    limit: number;
    maxLinkMails: number;
  }): Promise<{ applicationId: string; email: string }[]>;

  /**
   * Every application as the yearly report counts it (Pasal 23): Perangkat Daerah, type, decision,
   * certificate dates; no personal data.
   */
  listReportApplications(): Promise<ReportApplication[]>;

  /** Readiness: resolves when the database answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
