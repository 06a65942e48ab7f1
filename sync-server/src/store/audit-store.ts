/**
 * The audit chains (issue 8) as the store keeps them: each kiosk's chain with its signed
 * checkpoints, the server's own chain, and the breaks found in either. Part of `Store` (store.ts);
 * implemented in kysely-audit.ts.
 */
import type { AuditDetail, AuditEvent, ChainHead } from '../../../src/core/audit/chain';
import type { AuditCheckpoint } from '../../../src/core/audit/checkpoint';

/** One event of the server's chain; `mac` authenticates its seq and hash under the audit key. */
export interface ServerAuditEvent extends AuditEvent {
  actor: string;
  keyId: string;
  mac: string;
}

export interface NewServerAuditEvent {
  at: string;
  type: string;
  actor: string;
  subject: string | null;
  detail: AuditDetail | null;
}

export interface AuditBreak {
  /** Also the id of the incident it raised. */
  id: string;
  /** `server` or `kiosk:<id>`. */
  chain: string;
  seq: number;
  problem: string;
  description: string;
  detectedAt: string;
  source: 'upload' | 'verify';
  /** JSON of ids and hashes only; null when the break was found in the stored chain. */
  evidence: string | null;
}

/** `head-moved`: another request extended (or started) the chain first; nothing was stored. */
export type KioskAuditAppendOutcome = 'stored' | 'head-moved';

export interface AuditStore {
  /** The last stored event of the kiosk's chain; null when none is stored. */
  kioskAuditHead(kioskId: string): Promise<ChainHead | null>;
  /** Stored hashes of the kiosk's chain for `from <= seq <= to`. */
  kioskAuditHashes(kioskId: string, from: number, to: number): Promise<Map<number, string>>;
  /**
   * Stores verified events and checkpoints in one transaction, only if the chain's head is still
   * `expected` (null: the chain is still empty).
   */
  appendKioskAudit(
    kioskId: string,
    expected: ChainHead | null,
    events: readonly AuditEvent[],
    checkpoints: readonly AuditCheckpoint[],
    receivedAt: string,
  ): Promise<KioskAuditAppendOutcome>;
  /** The kiosk's events after `seq`, oldest first (by seq), at most `limit`. */
  kioskAuditEvents(kioskId: string, afterSeq: number, limit: number): Promise<AuditEvent[]>;
  kioskAuditCheckpoints(kioskId: string): Promise<AuditCheckpoint[]>;
  /** Kiosk ids with a stored chain, sorted. */
  auditedKiosks(): Promise<string[]>;
  /** Which of these device keys (SPKI base64) any enrollment registered, revoked or not. */
  knownDeviceKeys(spkis: readonly string[]): Promise<Set<string>>;
  /**
   * Appends to the server's chain under a lock on its head row (one seq per event across
   * processes); `seal` makes the event from the head it follows.
   */
  appendServerAudit(seal: (head: ChainHead) => Promise<ServerAuditEvent>): Promise<ServerAuditEvent>;
  /** The server's events after `seq`, oldest first (by seq), at most `limit`. */
  serverAuditEvents(afterSeq: number, limit: number): Promise<ServerAuditEvent[]>;
  /** Keeps a break; false when the same break (id) was already kept. */
  recordAuditBreak(entry: AuditBreak): Promise<boolean>;
  listAuditBreaks(): Promise<AuditBreak[]>;
}
