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
