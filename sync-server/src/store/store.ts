import type { CertificateType } from '../../../src/core/certificate/types';

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
  /** SHA-256 (hex) of the canonical record: tells a true resend from a different record reusing an id. */
  contentHash: string;
}

export interface StoredApplication extends NewApplication {
  receivedAt: string;
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
