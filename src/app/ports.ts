import type { RequestEvidence } from '../core/certificate/request-evidence';
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
  serverStatus?: StoredServerStatus;
  /** The second officer's release to the CA, once the server acknowledged it (two-person rule). */
  release?: OutboxRelease;
  /**
   * The official e-mail proven at the counter with the mailed code (Pasal 10); absent when it was
   * not (the server then mails a link once the application arrives).
   */
  emailConfirmation?: OutboxEmailConfirmation;
}

/**
 * The server's report as the kiosk keeps it. With sealing on, an issued certificate's text is kept
 * only sealed (`app/sealing/sealed-certificate.ts`): `certificatePem` null, `certificateSealed` its
 * bytes in base64. Both go at the handover.
 */
export interface StoredServerStatus extends ApplicationStatus {
  certificateSealed?: string;
}

/**
 * What of an application the kiosk keeps in clear once it is sealed (issue 8): what the queue, the
 * duplicate-NIK check and the sync need, and nothing that names the applicant. The NIK only as the
 * RA's keyed hash (`nikHash`), absent when no officer's enrollment brought that key yet.
 */
export interface ClearRecord {
  id: string;
  createdAt: string;
  certificateType: ApplicationRecord['certificateType'];
  applicant: Pick<ApplicationRecord['applicant'], 'perangkatDaerah'>;
  nikHash?: string;
  agreement?: ApplicationRecord['agreement'];
  previous?: ApplicationRecord['previous'];
  /** The officer's signed decision, added after capture (it names no one). */
  decision?: SignedStatement;
}

/**
 * What the handover needs later and cannot take from a sealed blob the kiosk no longer opens: the
 * private key, still under the applicant's passphrase, and what is kept of the request it was made
 * for (its key and salted subject digests: the CSR itself names the applicant). Retention deletes
 * both (`core/outbox/retention.ts`).
 */
export interface KeyMaterial {
  encryptedPrivateKeyPem: string;
  /** Null when the CSR did not read at sealing (the handover then says `csr-unreadable`). */
  request: RequestEvidence | null;
}

/**
 * Key material as rows sealed before the request evidence existed keep it: with the CSR. Read
 * through `keyMaterialOf`, which turns it into `KeyMaterial`.
 */
export interface LegacyKeyMaterial {
  encryptedPrivateKeyPem: string;
  csrPem: string;
}

/**
 * An application as sealed at capture, what the store is to keep (issue 8): the clear fields, the
 * sealed blob (`app/sealing/seal-application.ts`) and the key material; no picture, no paper, no
 * personal field beside the blob.
 */
export interface SealedOutboxItem
  extends Omit<OutboxItem, 'record' | 'image' | 'attachments' | 'emailConfirmation'> {
  record: ClearRecord;
  /** That the e-mail was proven at the counter, and when; the address is in the blob. */
  emailConfirmation?: Pick<OutboxEmailConfirmation, 'confirmedAt'>;
  /** Bytes, not a Blob: the store can drop the counter entries inside one transaction. Empty once purged. */
  sealed: Uint8Array<ArrayBuffer>;
  /** Null once retention deleted it (`core/outbox/retention.ts`). */
  keyMaterial: KeyMaterial | LegacyKeyMaterial | null;
  /** When retention last deleted something of it; absent until then. */
  purgedAt?: string;
}

/** A sealed application as a store gives it back: with its history, as `StoredOutboxItem`. */
export interface StoredSealedItem extends SealedOutboxItem {
  history: readonly OutboxHistoryEntry[];
}

/**
 * What a store holds: sealed applications (what the kiosk captures) and clear ones (rows from
 * before sealing until the seal-pending step sealed them, and the simulator's memory twin).
 */
export type AnyStoredItem = StoredOutboxItem | StoredSealedItem;

/** True for a sealed application (the personal data only inside `sealed`). */
export function isSealedItem<T extends { record: unknown }>(
  item: T,
): item is Extract<T, { sealed: Uint8Array<ArrayBuffer> }> {
  return 'sealed' in item;
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
export interface ClearOutboxSummary extends Omit<StoredOutboxItem, 'image' | 'attachments'> {
  image: { mediaType: ImageMediaType; bytes: number };
  attachments: { kind: RecordAttachmentKind; mediaType: AttachmentMediaType; bytes: number }[];
}

/**
 * A sealed application as the outbox lists it: the clear fields only, the blob by its size; no key
 * material (nothing that lists needs it, and the CSR names the applicant).
 */
export interface SealedOutboxSummary extends Omit<StoredSealedItem, 'sealed' | 'keyMaterial'> {
  /** 0 once retention deleted the blob. */
  sealedBytes: number;
  /** False once retention deleted the key material. */
  hasKeyMaterial: boolean;
}

export type OutboxSummary = ClearOutboxSummary | SealedOutboxSummary;

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
  get(id: string): Promise<AnyStoredItem | null>;
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

/**
 * The kiosk's fallback counter key (issue 8): applications captured while no officer is enrolled on
 * this kiosk are sealed to it, and any officer session opens them. Weaker than an officer's key: it
 * sits in IndexedDB non-extractable but unwrapped, so whoever runs code in this browser profile can
 * use it (not read it out) until the counter entries are dropped on the server's acknowledgement.
 */
export interface KioskCounterKeyStore {
  /** Made on first use and kept; the private half non-extractable. */
  kioskCounterKey(): Promise<{ keyId: string; privateKey: CryptoKey; publicKey: CryptoKey }>;
}

export interface OutboxStore {
  /**
   * Durable when it resolves: the application is never held only in memory. Record, image and
   * attachments are written together or not at all. Only a `held` item (history: captured, at
   * `createdAt`) or a `queued` one (captured → queued) may be added, with one attachment per kind;
   * anything else throws and stores nothing.
   */
  add(item: OutboxItem | SealedOutboxItem): Promise<void>;
  /** Held items in capture order, oldest first, with their files or sealed blob (what the officer checks). */
  held(): Promise<AnyStoredItem[]>;
  /**
   * The officer's signed decision on a held item: kept as `record.decision`, history decided then
   * queued at `at`, state queued (the syncer sends it from now on). Any other item, or none, throws
   * `IllegalTransitionError` and changes nothing.
   */
  decide(id: string, decision: SignedStatement, at: string): Promise<void>;
  /** Queued items in capture order, oldest first, with their files (the syncer sends them). */
  queued(): Promise<AnyStoredItem[]>;
  /** Newest first, without file bytes. */
  list(options?: OutboxListOptions): Promise<OutboxSummary[]>;
  /**
   * Queued items become synced (history: `synced`); others are left as they are (a repeated ack).
   * A sealed item loses its counter entries in the same transaction (`withoutCounterRecipients`):
   * from then on nothing on the kiosk opens it.
   */
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
  applyServerStatus(status: StoredServerStatus, at: string): Promise<boolean>;
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

/**
 * Clear applications waiting to be sealed (rows from before the outbox sealed, which Dexie's
 * version-5 upgrade marked, since it cannot seal inside the upgrade): `app/sealing/seal-pending.ts`.
 */
export interface SealPendingStore {
  /** Up to `limit` clear rows still to be sealed, with their files. */
  pendingSeal(limit?: number): Promise<StoredOutboxItem[]>;
  /**
   * Swaps a clear row for its sealed form in one transaction (state, history and bookkeeping kept,
   * a decision taken meanwhile kept, the counter entries dropped when it is already synced, the
   * clear files deleted); false when the row is gone or already sealed.
   */
  saveSealed(
    id: string,
    sealed: Pick<SealedOutboxItem, 'record' | 'sealed' | 'keyMaterial'>,
  ): Promise<boolean>;
}

/** What retention deletes of one application (`core/outbox/retention.ts`'s verdict). */
export interface PurgeParts {
  sealedBlob: boolean;
  privateKey: boolean;
}

export interface RetentionStore {
  /**
   * Deletes the parts asked for of a sealed application (the blob; the key material) in one
   * transaction and sets `purgedAt`; answers what was deleted now (nothing for a clear row, or a
   * part already gone).
   */
  purge(id: string, parts: PurgeParts, at: string): Promise<PurgeParts>;
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
  /**
   * The newest RA archive key heard (issue 8, sealed records): from `GET /archive/key` or the
   * enrollment, whichever is newer; null when the kiosk never reached the server.
   */
  archiveKey(): Promise<ArchiveKey | null>;
  /** Keeps the key unless the one kept is newer (an older answer never rolls a rotation back). */
  saveArchiveKey(key: ArchiveKey): Promise<void>;
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
