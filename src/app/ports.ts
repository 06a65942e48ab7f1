import type { ApplicationRecord, SyncBatchRequest } from '../protocol/sync';

export type OutboxState = 'queued' | 'synced' | 'rejected';

/** One application in the kiosk's outbox; the image stays a Blob until it is sent. */
export interface OutboxItem {
  id: string;
  state: OutboxState;
  createdAt: string;
  record: Omit<ApplicationRecord, 'ektpImage'>;
  image: { mediaType: ApplicationRecord['ektpImage']['mediaType']; blob: Blob };
  attempts: number;
  /** ISO time before which the syncer leaves the item alone (back-off); null: any time. */
  nextAttemptAt: string | null;
  lastError: string | null;
  syncedAt: string | null;
  /** The server's reason when it refused the record (it stays on the kiosk for the officer). */
  rejection: { code: string; message: string } | null;
  /** Absent until someone first tries to hand the certificate over. */
  handover?: HandoverState;
}

/** Handover of the issued certificate (Pasal 13 ayat 6), with the wrong-passphrase lock. */
export interface HandoverState {
  wrongAttempts: number;
  /** Set when the tries ran out; only an officer clears it. */
  lockedAt: string | null;
  /** The last officer unlock, for the record. */
  unlockedAt: string | null;
  handedOverAt: string | null;
  /** Serial (hex) and expiry of the certificate handed over. */
  serialNumberHex: string | null;
  notAfter: string | null;
  form: 'modern' | 'legacy' | null;
}

export const NEW_HANDOVER: HandoverState = {
  wrongAttempts: 0,
  lockedAt: null,
  unlockedAt: null,
  handedOverAt: null,
  serialNumberHex: null,
  notAfter: null,
  form: null,
};

export interface HandoverStore {
  get(id: string): Promise<OutboxItem | null>;
  /** Reads, changes and writes the handover state in one transaction: tries in two tabs both count. */
  updateHandover(
    id: string,
    change: (current: HandoverState) => HandoverState,
  ): Promise<HandoverState | null>;
}

/** The kiosk's identity at the server, once an administrator's code enrolled it. */
export interface Enrollment {
  kioskId: string;
  name: string;
  enrolledAt: string;
}

/**
 * The device key (ECDSA P-256, non-extractable: it signs but can never be read out) and the
 * enrollment it was registered under.
 */
export interface DeviceIdentityStore {
  enrollment(): Promise<Enrollment | null>;
  /** The device key pair, made on first use and kept; the public half as SPKI DER, base64. */
  deviceKey(): Promise<{ privateKey: CryptoKey; publicKeySpki: string }>;
  saveEnrollment(enrollment: Enrollment): Promise<void>;
  /** After a revocation: the next enrollment starts with a new key. */
  forgetEnrollment(): Promise<void>;
}

export interface OutboxStore {
  /** Durable when it resolves: the application is never held only in memory. */
  add(item: OutboxItem): Promise<void>;
  /** Queued items in capture order, oldest first. */
  queued(): Promise<OutboxItem[]>;
  list(): Promise<OutboxItem[]>;
  markSynced(ids: string[], at: string): Promise<void>;
  markRejected(id: string, rejection: { code: string; message: string }): Promise<void>;
  markAttemptFailed(ids: string[], error: string, nextAttemptAt: (attempts: number) => string): Promise<void>;
  /** Calls back with the whole list now and after every change, from any tab; returns the unsubscribe. */
  subscribe(listener: (items: OutboxItem[]) => void): () => void;
}

export type TransportResult =
  | { kind: 'response'; status: number; body: unknown }
  | { kind: 'network-error'; message: string };

export interface SyncTransport {
  sendBatch(batch: SyncBatchRequest): Promise<TransportResult>;
}
