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
  /** Readiness: resolves when the database answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
