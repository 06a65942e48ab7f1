import type { ServerState } from '../../../src/core/application/server-state';
import type { CertificateType } from '../../../src/core/certificate/types';
import type { ApplicationStatus } from '../../../src/protocol/sync';

/** An application as the server keeps it: validated, with the CSR already verified. */
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
}

export interface StoredApplication extends NewApplication {
  receivedAt: string;
  state: ServerState;
  stateChangedAt: string;
  /** Set once the CA issued the certificate (PEM, chain may follow). */
  certificatePem: string | null;
  /** The CA's reason, for `ca-rejected`. */
  stateReason: string | null;
}

/** What happened to an application after it arrived, as the CA connector or an admin reports it. */
export type OutcomeChange =
  | { state: 'sent-to-ca' }
  | { state: 'issued'; certificatePem: string }
  | { state: 'ca-rejected'; reason: string };

export interface EventMeta {
  at: string;
  /** `kiosk:<id>`, `admin`, `ca`: who caused the change. Never a person's data. */
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

export interface Store {
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
  /** Readiness: resolves when the database answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
