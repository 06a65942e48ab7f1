import type { OutboxHistoryEntry, OutboxLifecycleState } from '../core/outbox/lifecycle';
import type { ArchiveKey } from '../protocol/archive';
import type { SignedStatement } from '../protocol/statement';
import type {
  ApplicationRecord,
  ApplicationStatus,
  AttachmentMediaType,
  RecordAttachmentKind,
  StatusRequest,
  SyncBatch,
} from '../protocol/sync';

export type { OutboxHistoryEntry, OutboxLifecycleState };

/**
 * Where the record is on its way to the server; the sync code and the stores' `state` index use it.
 * `held`: captured, waiting for the officer at the counter; never sent until decided.
 * The rest of the application's life (handover, later the CA's answer) is in the history.
 */
export type OutboxState = 'held' | 'queued' | 'synced' | 'rejected';

export type ImageMediaType = ApplicationRecord['ektpImage']['mediaType'];

/** A paper of the application (a letter, a decree, the signature specimen); at most one per kind. */
export interface OutboxAttachment {
  kind: RecordAttachmentKind;
  mediaType: AttachmentMediaType;
  blob: Blob;
}

/**
 * One application as a use case hands it to `OutboxStore.add`; the files stay Blobs until they are
 * sent. The store keeps the files beside the record and starts the history itself.
 */
export interface OutboxItem {
  id: string;
  state: OutboxState;
  createdAt: string;
  record: Omit<ApplicationRecord, 'ektpImage'>;
  /** The e-KTP picture. */
  image: { mediaType: ImageMediaType; blob: Blob };
  /** One per kind, in any order (the batch puts them in `RECORD_ATTACHMENT_KINDS` order). */
  attachments: OutboxAttachment[];
  attempts: number;
  /** ISO time before which the syncer leaves the item alone (back-off); null: any time. */
  nextAttemptAt: string | null;
  lastError: string | null;
  syncedAt: string | null;
  /** The server's reason when it refused the record (it stays on the kiosk for the officer). */
  rejection: { code: string; message: string } | null;
  /** Absent until someone first tries to hand the certificate over. */
  handover?: HandoverState;
  /** What the server last reported (the issued certificate, the CA's reason); absent until then. */
  serverStatus?: ApplicationStatus;
  /** The second officer's release to the CA, once the server acknowledged it (two-person rule). */
  release?: OutboxRelease;
  /**
   * The official e-mail proven at the counter with the mailed code (Pasal 10); absent when it was
   * not (the server then mails a link once the application arrives).
   */
  emailConfirmation?: OutboxEmailConfirmation;
}

/** The address as confirmed (lower case) and when the server confirmed it. */
export interface OutboxEmailConfirmation {
  email: string;
  confirmedAt: string;
}

/** Who released an approved application, and when (the release statement's `releasedAt`). */
export interface OutboxRelease {
  releasedAt: string;
  officerId: string;
}

/** An application as a store gives it back: with every lifecycle state it entered, oldest first. */
export interface StoredOutboxItem extends OutboxItem {
  /** Appended by the store methods that change state, never rewritten. */
  history: readonly OutboxHistoryEntry[];
}

/**
 * An application as the outbox lists it: everything but the file bytes, so that listing thousands
 * of applications never reads their pictures and papers.
 */
export interface OutboxSummary extends Omit<StoredOutboxItem, 'image' | 'attachments'> {
  image: { mediaType: ImageMediaType; bytes: number };
  attachments: { kind: RecordAttachmentKind; mediaType: AttachmentMediaType; bytes: number }[];
}

/** What the outbox screen shows: one page of applications and the counts for the whole outbox. */
export interface OutboxView {
  items: OutboxSummary[];
  counts: Record<OutboxState, number>;
}

export interface OutboxListOptions {
  /** Only applications in this state. */
  state?: OutboxState;
  /** At most this many, newest first. */
  limit?: number;
  /** Only applications whose id starts with this, in any case (an application number's `idPrefixOf`). */
  idPrefix?: string;
}

/** Handover of the issued certificate (Pasal 13 ayat 6), with the wrong-passphrase lock. */
export interface HandoverState {
  wrongAttempts: number;
  /** Set when the tries ran out; only an officer clears it. */
  lockedAt: string | null;
  /** The last officer unlock, for the record. */
  unlockedAt: string | null;
  handedOverAt: string | null;
  /** Serial (hex) and validity of the certificate handed over, for the receipt printed again later. */
  serialNumberHex: string | null;
  /** Null in handovers recorded before the kiosk kept it (rows that old may lack the key entirely). */
  notBefore: string | null;
  notAfter: string | null;
  form: 'modern' | 'legacy' | null;
}

export const NEW_HANDOVER: HandoverState = {
  wrongAttempts: 0,
  lockedAt: null,
  unlockedAt: null,
  handedOverAt: null,
  serialNumberHex: null,
  notBefore: null,
  notAfter: null,
  form: null,
};

export interface HandoverStore {
  get(id: string): Promise<StoredOutboxItem | null>;
  /**
   * Reads, changes and writes the handover state in one transaction: tries in two tabs both count.
   * With `enter`, the same transaction appends that state to the history; a state that may not
   * follow the current one throws `IllegalTransitionError` and changes nothing.
   */
  updateHandover(
    id: string,
    change: (current: HandoverState) => HandoverState,
    enter?: OutboxHistoryEntry & { state: 'handed-over' },
  ): Promise<HandoverState | null>;
}

/** The kiosk's identity at the server, once an administrator's code enrolled it. */
export interface Enrollment {
  kioskId: string;
  name: string;
  enrolledAt: string;
  /** The RA archive key records are sealed to (issue 8); absent from servers before it. */
  archiveKey?: ArchiveKey;
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
  /**
   * Durable when it resolves: the application is never held only in memory. Record, image and
   * attachments are written together or not at all. Only a `held` item (history: captured, at
   * `createdAt`) or a `queued` one (captured → queued) may be added, with one attachment per kind;
   * anything else throws and stores nothing.
   */
  add(item: OutboxItem): Promise<void>;
  /** Held items in capture order, oldest first, with their files (what the officer checks). */
  held(): Promise<StoredOutboxItem[]>;
  /**
   * The officer's signed decision on a held item: kept as `record.decision`, history decided then
   * queued at `at`, state queued (the syncer sends it from now on). Any other item, or none, throws
   * `IllegalTransitionError` and changes nothing.
   */
  decide(id: string, decision: SignedStatement, at: string): Promise<void>;
  /** Queued items in capture order, oldest first, with their files (the syncer sends them). */
  queued(): Promise<StoredOutboxItem[]>;
  /** Newest first, without file bytes. */
  list(options?: OutboxListOptions): Promise<OutboxSummary[]>;
  /** Queued items become synced (history: `synced`); others are left as they are (a repeated ack). */
  markSynced(ids: string[], at: string): Promise<void>;
  /** A queued item becomes rejected (history: `rejected`, noted with the code); others are left. */
  markRejected(id: string, rejection: { code: string; message: string }, at: string): Promise<void>;
  markAttemptFailed(ids: string[], error: string, nextAttemptAt: (attempts: number) => string): Promise<void>;
  /** Ids of delivered applications still waiting for the CA's answer, in capture order. */
  awaitingOutcome(): Promise<string[]>;
  /**
   * How many applications the server has not acknowledged yet (held and queued) and when the oldest
   * of them was captured: what the capture guardrails read. From the indexes, no file read.
   */
  unsynced(): Promise<UnsyncedSummary>;
  /**
   * Keeps what the server reports and enters the matching state (history note `server`); true when
   * something changed. A report that tells nothing new, or that may not follow, changes nothing.
   */
  applyServerStatus(status: ApplicationStatus, at: string): Promise<boolean>;
  /**
   * Remembers the server's acknowledgement of a release on each application that has none yet; an
   * application already released keeps its first release, and state and history are left alone.
   */
  markReleased(ids: string[], release: OutboxRelease): Promise<void>;
  /**
   * Calls back with a view (the items `options` select, and how many there are in each state) now
   * and after every change, from any tab; returns the unsubscribe. A page, not the whole outbox: a
   * field kiosk may hold thousands of applications.
   */
  subscribe(listener: (view: OutboxView) => void, options?: OutboxListOptions): () => void;
}

/** Applications not acknowledged by the server (held and queued); null: there are none. */
export interface UnsyncedSummary {
  count: number;
  oldestCreatedAt: string | null;
}

/**
 * What the kiosk last heard of the server's policy (`GET /api/v1/kiosk-policy`), kept so that the
 * software-version guardrail holds offline.
 */
export interface KioskPolicyStore {
  /** The oldest kiosk version the server accepts, as last heard; null: none or never heard. */
  minimumKioskVersion(): Promise<string | null>;
  /** Null forgets it (the server dropped its minimum). */
  saveMinimumKioskVersion(version: string | null): Promise<void>;
}

export type TransportResult =
  | { kind: 'response'; status: number; body: unknown }
  | { kind: 'network-error'; message: string };

export interface SyncTransport {
  /** Sends the records with their pictures as raw bytes (a binary batch, signed). */
  sendBatch(batch: SyncBatch): Promise<TransportResult>;
  /** Asks what became of delivered applications (signed like a batch). */
  fetchStatuses(request: StatusRequest): Promise<TransportResult>;
}

/** What the browser says about its storage for this origin, in bytes. */
export interface StorageEstimate {
  usage: number;
  quota: number;
}

/** The browser's storage manager; every answer is null where the browser cannot give one. */
export interface StorageInspector {
  estimate(): Promise<StorageEstimate | null>;
  /** Whether the browser promised not to evict the outbox under storage pressure. */
  persisted(): Promise<boolean | null>;
  /** Asks for that promise (Chromium grants it to installed or much-used sites without asking). */
  persist(): Promise<boolean | null>;
}
