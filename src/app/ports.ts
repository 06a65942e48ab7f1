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

export interface OutboxStore {
  kioskId(): Promise<string>;
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
