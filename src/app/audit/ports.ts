import type { AuditDetail, AuditEvent, AuditProblem } from '../../core/audit/chain';
import type { AuditCheckpoint } from '../../core/audit/checkpoint';
import type { KioskAuditType } from '../../core/audit/kiosk-events';
import type { AuditUpload } from '../../protocol/audit';
import type { TransportResult } from '../ports';

export type KioskAuditEvent = AuditEvent<KioskAuditType>;

/** What use cases record. Appends are serialised: two tabs never make two events with one seq. */
export interface AuditLog {
  /** `subject`: an application, officer or kiosk id; `detail`: ids, counts, codes. Never personal data. */
  append(
    type: KioskAuditType,
    subject?: string | null,
    detail?: AuditDetail | null,
  ): Promise<KioskAuditEvent>;
}

/** The whole chain on the kiosk: what the uploader reads and the local verifier checks. */
export interface AuditTrail extends AuditLog {
  /** Events after `seq`, oldest first, at most `limit`. */
  eventsAfter(seq: number, limit: number): Promise<KioskAuditEvent[]>;
  /** Checkpoints with `from <= seq <= to`, oldest first. */
  checkpoints(from: number, to: number): Promise<AuditCheckpoint[]>;
  /** Signs a checkpoint over the event at `seq` unless one exists; null when there is no such event. */
  checkpointAt(seq: number): Promise<AuditCheckpoint | null>;
  /** The last seq this kiosk enrollment's server acknowledged (0: none). */
  acknowledged(kioskId: string): Promise<number>;
  setAcknowledged(kioskId: string, seq: number): Promise<void>;
  /** Links, hashes and checkpoint signatures of the whole local chain. */
  verify(): Promise<AuditProblem[]>;
}

/** Sends a page of the chain in a request signed with the device key. */
export interface AuditTransport {
  sendAudit(upload: AuditUpload): Promise<TransportResult>;
}
