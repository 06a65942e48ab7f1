import Dexie, { type EntityTable, liveQuery } from 'dexie';
import {
  type AnyStoredItem,
  type DeviceIdentityStore,
  type Enrollment,
  type HandoverStore,
  type ImageMediaType,
  type KioskCounterKeyStore,
  type KioskPolicyStore,
  NEW_HANDOVER,
  type OutboxAttachment,
  type OutboxHistoryEntry,
  type OutboxItem,
  type OutboxLifecycleState,
  type OutboxListOptions,
  type OutboxState,
  type OutboxStore,
  type OutboxSummary,
  type OutboxView,
  type PurgeParts,
  type RetentionStore,
  type SealedOutboxItem,
  type SealPendingStore,
  type StoredOutboxItem,
  type StoredSealedItem,
} from '../../app/ports';
import { withoutCounterRecipients } from '../../app/sealing/seal-application';
import type { AuditEvent } from '../../core/audit/chain';
import type { AuditCheckpoint } from '../../core/audit/checkpoint';
import {
  assumedHistory,
  attemptFailedChange,
  awaitsOutcome,
  decidedChange,
  handoverChange,
  IllegalTransitionError,
  initialHistory,
  rejectedChange,
  serverStatusChange,
  syncedChange,
} from '../../core/outbox/lifecycle';
import { generateSealKeyPair } from '../../core/sealing/seal';
import { type ArchiveKey, archiveKeySchema, newerArchiveKey } from '../../protocol/archive';
import { generateDeviceKey } from '../../protocol/kiosk-auth';
import type { AttachmentMediaType, RecordAttachmentKind } from '../../protocol/sync';

interface MetaRow {
  key: string;
  value: string;
}

/** Thrown when the browser refuses to store more; the form keeps what was typed. */
export class StorageFullError extends Error {
  override name = 'StorageFullError';
}

type DeviceRow =
  | { id: 'key'; privateKey: CryptoKey; publicKeySpki: string; createdAt: string }
  | ({ id: 'enrollment' } & Enrollment)
  | { id: 'counter-key'; keyId: string; privateKey: CryptoKey; publicKey: CryptoKey; createdAt: string };

/**
 * A history step as stored: `to`, not `state`, so that a raw row has exactly one `state` key, its
 * current one (tools and the e2e suite count states in a raw dump of the database).
 */
interface StoredStep {
  to: OutboxLifecycleState;
  at: string;
  note?: string;
}

/** What an application row says about its image; the bytes live in `attachments`. */
interface ImageInfo {
  attachmentId: string;
  mediaType: ImageMediaType;
  bytes: number;
}

/** What an application row says about one of its papers; the bytes live in `attachments`. */
interface AttachmentInfo {
  attachmentId: string;
  kind: RecordAttachmentKind;
  mediaType: AttachmentMediaType;
  bytes: number;
}

/** A clear application row (version 3): the history as steps, the files beside it in `attachments`. */
interface ClearRow extends Omit<OutboxItem, 'image' | 'attachments'> {
  history: StoredStep[];
  imageInfo: ImageInfo;
  /** Absent in rows written before applications had papers: they have none. */
  attachmentInfo?: AttachmentInfo[];
  /** 1 (indexed) until the seal-pending step replaced the row with its sealed form (version 5). */
  sealPending?: 1;
  sealedInfo?: undefined;
}

/**
 * A sealed application row (version 5): the clear fields and key material; the blob's bytes in
 * `attachments` (id `<id>/sealed`), so that listing never reads them.
 */
interface SealedRow extends Omit<SealedOutboxItem, 'sealed'> {
  history: StoredStep[];
  sealedInfo: { attachmentId: string; bytes: number };
}

type ApplicationRow = ClearRow | SealedRow;

const isSealedRow = (row: ApplicationRow): row is SealedRow => row.sealedInfo !== undefined;

/** A row as versions 1 and 2 stored it (the image inline, no history), as the upgrade reads and writes it. */
interface OldApplicationRow extends Omit<OutboxItem, 'image' | 'attachments'> {
  history?: StoredStep[];
  image?: OutboxItem['image'];
  imageInfo?: ImageInfo;
}

/** The e-KTP picture, or one of the application's papers (no paper kind is called 'ektp'). */
type FileKind = 'ektp' | RecordAttachmentKind;

interface FileRow {
  id: string;
  applicationId: string;
  kind: FileKind;
  mediaType: string;
  blob: Blob;
  bytes: number;
}

/** A sealed application's blob, as bytes (not a Blob): `markSynced` rewrites it inside its transaction. */
interface SealedFileRow {
  id: string;
  applicationId: string;
  kind: 'sealed';
  sealed: Uint8Array<ArrayBuffer>;
  bytes: number;
}

type AttachmentRow = FileRow | SealedFileRow;

const attachmentId = (applicationId: string, kind: FileKind | 'sealed') => `${applicationId}/${kind}`;

/** `meta` key of the server's minimum kiosk version, as last heard (issue 8 guardrails). */
const MINIMUM_KIOSK_VERSION_KEY = 'minimumKioskVersion';
/** `meta` key of the newest RA archive key heard from `GET /archive/key` (JSON). */
const ARCHIVE_KEY_KEY = 'archiveKey';

/** The archive key kept in `meta`; a row that no longer parses counts as none (it is public data). */
async function readArchiveKey(db: OutboxDatabase): Promise<ArchiveKey | null> {
  const row = await db.meta.get(ARCHIVE_KEY_KEY);
  if (!row) return null;
  try {
    const parsed = archiveKeySchema.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export class OutboxDatabase extends Dexie {
  applications!: EntityTable<ApplicationRow, 'id'>;
  attachments!: EntityTable<AttachmentRow, 'id'>;
  meta!: EntityTable<MetaRow, 'key'>;
  device!: EntityTable<DeviceRow, 'id'>;
  audit!: EntityTable<AuditEvent, 'seq'>;
  auditCheckpoints!: EntityTable<AuditCheckpoint, 'seq'>;

  constructor(name: string) {
    super(name);
    // Append-only: a kiosk in the field may skip versions, Dexie runs every upgrade in between.
    this.version(1).stores({
      applications: 'id, state, createdAt',
      meta: 'key',
    });
    this.version(2)
      .stores({ device: 'id' })
      .upgrade(async (tx) => {
        // The install id stood in for a kiosk identity until enrollment existed.
        await tx.table('meta').delete('kioskId');
      });
    // [state+createdAt] lists one state in time order without sorting in memory.
    this.version(3)
      .stores({
        applications: 'id, state, createdAt, [state+createdAt]',
        attachments: 'id, applicationId',
      })
      .upgrade(async (tx) => {
        const upgradedAt = new Date().toISOString();
        const applications = tx.table<OldApplicationRow, string>('applications');
        const attachments = tx.table<AttachmentRow, string>('attachments');
        for (const row of await applications.toArray()) {
          const { image, ...rest } = row;
          const history =
            row.history ??
            toSteps(
              assumedHistory(
                { ...row, handedOverAt: row.handover?.handedOverAt ?? null },
                upgradedAt,
                'reconstructed by the version-3 upgrade',
              ),
            );
          if (!image) {
            await applications.put({ ...rest, history });
            continue;
          }
          const id = attachmentId(row.id, 'ektp');
          await attachments.put(attachmentRow(row.id, image));
          await applications.put({
            ...rest,
            history,
            imageInfo: { attachmentId: id, mediaType: image.mediaType, bytes: image.blob.size },
          });
        }
      });
    // The tamper-evident audit chain (issue 8): events and signed checkpoints, by seq.
    this.version(4).stores({ audit: 'seq', auditCheckpoints: 'seq' });
    // Sealed records (issue 8). Sealing awaits WebCrypto, which would let IndexedDB commit the
    // upgrade transaction half way: the upgrade only marks the clear rows, and the seal-pending step
    // (`app/sealing/seal-pending.ts`) seals them once an archive key is there. No row is lost.
    this.version(5)
      .stores({ applications: 'id, state, createdAt, [state+createdAt], sealPending' })
      .upgrade(async (tx) => {
        await tx
          .table<ApplicationRow, string>('applications')
          .toCollection()
          .modify((row) => {
            if (!isSealedRow(row)) row.sealPending = 1;
          });
      });
  }
}

function attachmentRow(
  applicationId: string,
  file: OutboxItem['image'] | OutboxAttachment,
  kind: FileKind = 'ektp',
): FileRow {
  return {
    id: attachmentId(applicationId, kind),
    applicationId,
    kind,
    mediaType: file.mediaType,
    blob: file.blob,
    bytes: file.blob.size,
  };
}

function toSteps(history: readonly OutboxHistoryEntry[]): StoredStep[] {
  return history.map(({ state, at, note }) =>
    note === undefined ? { to: state, at } : { to: state, at, note },
  );
}

function fromSteps(steps: readonly StoredStep[]): OutboxHistoryEntry[] {
  return steps.map(({ to, at, note }) => (note === undefined ? { state: to, at } : { state: to, at, note }));
}

function sealedFileRow(applicationId: string, sealed: Uint8Array<ArrayBuffer>): SealedFileRow {
  return {
    id: attachmentId(applicationId, 'sealed'),
    applicationId,
    kind: 'sealed',
    sealed,
    bytes: sealed.byteLength,
  };
}

/** What the lifecycle rules read of a row: its history as entries. */
function lifecycleOf(row: ApplicationRow | undefined) {
  return row && { state: row.state, attempts: row.attempts, history: fromSteps(row.history) };
}

/** A lifecycle change as a row stores it: a history as steps. */
function storedChange<C extends { history?: readonly OutboxHistoryEntry[] }>(
  change: C,
): Omit<C, 'history'> & { history?: StoredStep[] } {
  const { history, ...rest } = change;
  return history === undefined ? rest : { ...rest, history: toSteps(history) };
}

function withoutStorage(row: ClearRow): Omit<OutboxItem, 'image' | 'attachments'> {
  const {
    history: _history,
    imageInfo: _imageInfo,
    attachmentInfo: _attachmentInfo,
    sealPending: _sealPending,
    sealedInfo: _sealedInfo,
    ...item
  } = row;
  return item;
}

function toSummary(row: ApplicationRow): OutboxSummary {
  if (isSealedRow(row)) {
    // Neither the blob nor the key material: a list needs neither.
    const { history, sealedInfo, keyMaterial, ...rest } = row;
    return {
      ...rest,
      history: fromSteps(history),
      sealedBytes: sealedInfo.bytes,
      hasKeyMaterial: keyMaterial !== null,
    };
  }
  const { mediaType, bytes } = row.imageInfo;
  return {
    ...withoutStorage(row),
    history: fromSteps(row.history),
    image: { mediaType, bytes },
    attachments: (row.attachmentInfo ?? []).map(({ kind, mediaType, bytes }) => ({ kind, mediaType, bytes })),
  };
}

/** The ids of every file of the row, the picture first. */
function fileIds(row: ApplicationRow): string[] {
  if (isSealedRow(row)) return [row.sealedInfo.attachmentId];
  return [row.imageInfo.attachmentId, ...(row.attachmentInfo ?? []).map((a) => a.attachmentId)];
}

// A lost file must not stop the queue: sent empty, the server refuses this record alone and the
// officer sees why.
const blobOf = (file: AttachmentRow | undefined, mediaType: string) =>
  file && file.kind !== 'sealed' ? file.blob : new Blob([], { type: mediaType });

function toStored(row: ApplicationRow, files: ReadonlyMap<string, AttachmentRow>): AnyStoredItem {
  if (isSealedRow(row)) {
    const { history, sealedInfo, ...rest } = row;
    const file = files.get(sealedInfo.attachmentId);
    const stored: StoredSealedItem = {
      ...rest,
      history: fromSteps(history),
      // A lost blob is sent empty, as a lost file: the server refuses this record alone.
      sealed: file?.kind === 'sealed' ? file.sealed : new Uint8Array(0),
    };
    return stored;
  }
  const found = files.get(row.imageInfo.attachmentId);
  const picture = found?.kind === 'sealed' ? undefined : found;
  const image: OutboxItem['image'] = {
    mediaType: (picture?.mediaType as ImageMediaType | undefined) ?? row.imageInfo.mediaType,
    blob: blobOf(picture, row.imageInfo.mediaType),
  };
  const attachments = (row.attachmentInfo ?? []).map(
    (info): OutboxAttachment => ({
      kind: info.kind,
      mediaType: info.mediaType,
      blob: blobOf(files.get(info.attachmentId), info.mediaType),
    }),
  );
  return { ...withoutStorage(row), history: fromSteps(row.history), image, attachments };
}

function isQuotaError(err: unknown): boolean {
  // Dexie wraps the browser's error (`inner`); a failed transaction may carry it as `cause`.
  let current = err;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current.name === 'QuotaExceededError' || current.message.includes('QuotaExceeded')) return true;
    current = (current as Error & { inner?: unknown }).inner ?? current.cause;
  }
  return false;
}

function classify(err: unknown): never {
  if (isQuotaError(err)) throw new StorageFullError('The device storage is full', { cause: err });
  throw err;
}

export function openOutbox(
  name = 'sertel-kiosk',
): OutboxStore &
  HandoverStore &
  DeviceIdentityStore &
  KioskPolicyStore &
  KioskCounterKeyStore &
  SealPendingStore &
  RetentionStore {
  const db = new OutboxDatabase(name);

  const byState = (state: string) =>
    db.applications.where('[state+createdAt]').between([state, Dexie.minKey], [state, Dexie.maxKey]);

  /** The rows with their files; call inside a transaction over both tables. */
  const withFiles = async (rows: ApplicationRow[]): Promise<AnyStoredItem[]> => {
    const found = await db.attachments.bulkGet(rows.flatMap(fileIds));
    const files = new Map(found.flatMap((file) => (file ? [[file.id, file] as const] : [])));
    return rows.map((row) => toStored(row, files));
  };

  const inCaptureOrder = (state: 'held' | 'queued') =>
    db.transaction('r', db.applications, db.attachments, async () =>
      withFiles(await byState(state).toArray()),
    );

  const list = async ({ state, limit, idPrefix }: OutboxListOptions = {}): Promise<OutboxSummary[]> => {
    if (idPrefix !== undefined) {
      // The primary key finds the few candidates; the rest of the options apply to those.
      const rows = await db.applications.where('id').startsWithIgnoreCase(idPrefix).toArray();
      const matching = rows
        .filter((row) => state === undefined || row.state === state)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      return matching.slice(0, limit ?? matching.length).map(toSummary);
    }
    // Only application rows are read: the images stay in `attachments`.
    const newestFirst = state ? byState(state).reverse() : db.applications.orderBy('createdAt').reverse();
    const rows = await (limit === undefined ? newestFirst : newestFirst.limit(limit)).toArray();
    return rows.map(toSummary);
  };

  return {
    async enrollment() {
      const row = await db.device.get('enrollment');
      return row?.id === 'enrollment'
        ? {
            kioskId: row.kioskId,
            name: row.name,
            enrolledAt: row.enrolledAt,
            ...(row.archiveKey === undefined ? {} : { archiveKey: row.archiveKey }),
          }
        : null;
    },
    async deviceKey() {
      const existing = await db.device.get('key');
      if (existing?.id === 'key')
        return { privateKey: existing.privateKey, publicKeySpki: existing.publicKeySpki };
      // Made outside the transaction (WebCrypto would let it auto-commit), then kept only if no
      // other tab stored one first.
      const { privateKey, publicKeySpki } = await generateDeviceKey();
      const row: DeviceRow = { id: 'key', privateKey, publicKeySpki, createdAt: new Date().toISOString() };
      return db.transaction('rw', db.device, async () => {
        const raced = await db.device.get('key');
        if (raced?.id === 'key') return { privateKey: raced.privateKey, publicKeySpki: raced.publicKeySpki };
        await db.device.put(row);
        return { privateKey, publicKeySpki };
      });
    },
    async saveEnrollment(enrollment) {
      await db.device.put({ id: 'enrollment', ...enrollment });
    },
    async kioskCounterKey() {
      const pick = (row: DeviceRow | undefined) =>
        row?.id === 'counter-key'
          ? { keyId: row.keyId, privateKey: row.privateKey, publicKey: row.publicKey }
          : null;
      const existing = pick(await db.device.get('counter-key'));
      if (existing) return existing;
      // Made outside the transaction, as the device key; the first tab's key wins.
      const pair = await generateSealKeyPair();
      const row: DeviceRow = {
        id: 'counter-key',
        keyId: `kiosk-counter-${crypto.randomUUID()}`,
        privateKey: pair.privateKey,
        publicKey: pair.publicKey,
        createdAt: new Date().toISOString(),
      };
      return db.transaction('rw', db.device, async () => {
        const raced = pick(await db.device.get('counter-key'));
        if (raced) return raced;
        await db.device.put(row);
        return { keyId: row.keyId, privateKey: row.privateKey, publicKey: row.publicKey };
      });
    },
    async forgetEnrollment() {
      await db.device.bulkDelete(['enrollment', 'key']);
    },
    async add(item) {
      if (item.state !== 'queued' && item.state !== 'held')
        throw new IllegalTransitionError(null, item.state);
      if ('sealed' in item) {
        const { sealed, ...clear } = item;
        const row: SealedRow = {
          ...clear,
          history: toSteps(initialHistory(item.createdAt, item.state)),
          sealedInfo: { attachmentId: attachmentId(item.id, 'sealed'), bytes: sealed.byteLength },
        };
        await db
          .transaction('rw', db.applications, db.attachments, async () => {
            await db.applications.add(row);
            await db.attachments.add(sealedFileRow(item.id, sealed.slice()));
          })
          .catch(classify);
        return;
      }
      const { image, attachments, ...rest } = item;
      if (new Set(attachments.map((a) => a.kind)).size < attachments.length)
        throw new Error(`Application ${item.id} has two attachments of one kind`);
      const row: ClearRow = {
        ...rest,
        // A clear row waits for the seal-pending step (only tests and old rows are clear).
        sealPending: 1,
        history: toSteps(initialHistory(item.createdAt, item.state)),
        imageInfo: {
          attachmentId: attachmentId(item.id, 'ektp'),
          mediaType: image.mediaType,
          bytes: image.blob.size,
        },
        attachmentInfo: attachments.map((a) => ({
          attachmentId: attachmentId(item.id, a.kind),
          kind: a.kind,
          mediaType: a.mediaType,
          bytes: a.blob.size,
        })),
      };
      // One transaction: a quota error on any file leaves no record without its files.
      await db
        .transaction('rw', db.applications, db.attachments, async () => {
          await db.applications.add(row);
          await db.attachments.add(attachmentRow(item.id, image));
          for (const attachment of attachments)
            await db.attachments.add(attachmentRow(item.id, attachment, attachment.kind));
        })
        .catch(classify);
    },
    held: () => inCaptureOrder('held'),
    async decide(id, decision, at) {
      await db.transaction('rw', db.applications, async () => {
        const row = await db.applications.get(id);
        // Throws for anything but a held row: the transaction aborts and nothing is written.
        const change = decidedChange(lifecycleOf(row), at);
        if (!row) return;
        await db.applications.put({
          ...row,
          record: { ...row.record, decision: { ...decision } },
          ...storedChange(change),
        } as ApplicationRow);
      });
    },
    queued: () => inCaptureOrder('queued'),
    list: (options) => list(options),
    subscribe(listener, options) {
      const view = async (): Promise<OutboxView> => {
        // Counts come from the state index alone: no row is read for them.
        const count = (state: OutboxState) => db.applications.where('state').equals(state).count();
        const [items, held, queued, synced, rejected] = await Promise.all([
          list(options),
          count('held'),
          count('queued'),
          count('synced'),
          count('rejected'),
        ]);
        return { items, counts: { held, queued, synced, rejected } };
      };
      const subscription = liveQuery(view).subscribe({ next: listener, error: () => undefined });
      return () => subscription.unsubscribe();
    },
    async markSynced(ids, at) {
      await db.transaction('rw', db.applications, db.attachments, async () => {
        for (const id of ids) {
          const row = await db.applications.get(id);
          // A repeated acknowledgement (another tab, a replay) changes nothing.
          const change = syncedChange(lifecycleOf(row), at);
          if (!row || !change) continue;
          await db.applications.put({ ...row, ...storedChange(change) } as ApplicationRow);
          if (!isSealedRow(row)) continue;
          // Same transaction, plain byte work: the counter entries go with the acknowledgement.
          const file = await db.attachments.get(row.sealedInfo.attachmentId);
          const dropped = file?.kind === 'sealed' ? withoutCounterRecipients(file.sealed) : null;
          if (dropped) await db.attachments.put(sealedFileRow(id, dropped));
        }
      });
    },
    async purge(id, parts, at) {
      return db.transaction('rw', db.applications, db.attachments, async () => {
        const row = await db.applications.get(id);
        const done: PurgeParts = { sealedBlob: false, privateKey: false };
        if (!row || !isSealedRow(row)) return done;
        done.sealedBlob = parts.sealedBlob && row.sealedInfo.bytes > 0;
        done.privateKey = parts.privateKey && row.keyMaterial !== null;
        if (!done.sealedBlob && !done.privateKey) return done;
        if (done.sealedBlob) await db.attachments.delete(row.sealedInfo.attachmentId);
        const purged: SealedRow = {
          ...row,
          ...(done.sealedBlob ? { sealedInfo: { ...row.sealedInfo, bytes: 0 } } : {}),
          ...(done.privateKey ? { keyMaterial: null } : {}),
          purgedAt: at,
        };
        await db.applications.put(purged);
        return done;
      });
    },
    async pendingSeal(limit = 20) {
      return db.transaction('r', db.applications, db.attachments, async () => {
        const rows = await db.applications.where('sealPending').equals(1).limit(limit).toArray();
        const stored = await withFiles(rows.filter((row) => !isSealedRow(row)));
        return stored.filter((item): item is StoredOutboxItem => !('sealed' in item));
      });
    },
    async saveSealed(id, sealed) {
      return db.transaction('rw', db.applications, db.attachments, async () => {
        const row = await db.applications.get(id);
        if (!row || isSealedRow(row)) return false;
        const {
          imageInfo: _imageInfo,
          attachmentInfo: _attachmentInfo,
          sealPending: _sealPending,
          sealedInfo: _sealedInfo,
          record,
          ...rest
        } = row;
        // A decision taken while the blob was being sealed is kept (the blob never holds one).
        const clear = { ...sealed.record, ...(record.decision ? { decision: { ...record.decision } } : {}) };
        // An acknowledged application keeps no counter entry.
        const bytes =
          row.state === 'synced' ? (withoutCounterRecipients(sealed.sealed) ?? sealed.sealed) : sealed.sealed;
        const next: SealedRow = {
          ...rest,
          record: clear,
          keyMaterial: sealed.keyMaterial && { ...sealed.keyMaterial },
          sealedInfo: { attachmentId: attachmentId(id, 'sealed'), bytes: bytes.byteLength },
        };
        await db.attachments.bulkDelete(fileIds(row));
        await db.attachments.put(sealedFileRow(id, bytes));
        await db.applications.put(next);
        return true;
      });
    },
    async get(id) {
      return db.transaction('r', db.applications, db.attachments, async () => {
        const row = await db.applications.get(id);
        if (!row) return null;
        const [stored] = await withFiles([row]);
        return stored ?? null;
      });
    },
    async updateHandover(id, change, entered) {
      return db.transaction('rw', db.applications, async () => {
        const row = await db.applications.get(id);
        if (!row) return null;
        // Checked before the change: a refused transition writes nothing.
        const { handover, history, serverStatus } = handoverChange(
          {
            history: fromSteps(row.history),
            ...(row.serverStatus ? { serverStatus: row.serverStatus } : {}),
          },
          row.handover ?? NEW_HANDOVER,
          change,
          entered,
        );
        await db.applications.put({
          ...row,
          handover,
          history: toSteps(history),
          ...(serverStatus ? { serverStatus } : {}),
        });
        return handover;
      });
    },
    async markRejected(id, rejection, at) {
      await db.transaction('rw', db.applications, async () => {
        const row = await db.applications.get(id);
        const change = rejectedChange(lifecycleOf(row), rejection, at);
        if (row && change) await db.applications.put({ ...row, ...storedChange(change) } as ApplicationRow);
      });
    },
    async unsynced() {
      // Counts from the state index, the oldest from [state+createdAt]: no row is read in full.
      return db.transaction('r', db.applications, async () => {
        const states = ['held', 'queued'] as const;
        const [counts, oldest] = await Promise.all([
          Promise.all(states.map((state) => db.applications.where('state').equals(state).count())),
          Promise.all(states.map((state) => byState(state).first())),
        ]);
        const times = oldest.flatMap((row) => (row ? [row.createdAt] : [])).sort();
        return { count: counts.reduce((sum, n) => sum + n, 0), oldestCreatedAt: times[0] ?? null };
      });
    },
    async minimumKioskVersion() {
      return (await db.meta.get(MINIMUM_KIOSK_VERSION_KEY))?.value ?? null;
    },
    async saveMinimumKioskVersion(version) {
      if (version === null) await db.meta.delete(MINIMUM_KIOSK_VERSION_KEY);
      else await db.meta.put({ key: MINIMUM_KIOSK_VERSION_KEY, value: version });
    },
    async archiveKey() {
      const [heard, enrolled] = await Promise.all([readArchiveKey(db), db.device.get('enrollment')]);
      const fromEnrollment = enrolled?.id === 'enrollment' ? (enrolled.archiveKey ?? null) : null;
      if (heard === null) return fromEnrollment && { ...fromEnrollment };
      return fromEnrollment === null ? heard : newerArchiveKey(heard, fromEnrollment);
    },
    async saveArchiveKey(key) {
      await db.transaction('rw', db.meta, async () => {
        const kept = await readArchiveKey(db);
        const newest = newerArchiveKey(kept, key);
        if (newest !== kept) await db.meta.put({ key: ARCHIVE_KEY_KEY, value: JSON.stringify(newest) });
      });
    },
    async awaitingOutcome() {
      const rows = await byState('synced').toArray();
      return rows.filter((row) => awaitsOutcome(fromSteps(row.history))).map((row) => row.id);
    },
    async applyServerStatus(status, at) {
      return db.transaction('rw', db.applications, async () => {
        const row = await db.applications.get(status.id);
        const lifecycle = lifecycleOf(row);
        const change = serverStatusChange(
          lifecycle && { ...lifecycle, serverStatus: row?.serverStatus },
          status,
          at,
        );
        if (!row || change === null) return false;
        await db.applications.put({ ...row, ...storedChange(change) } as ApplicationRow);
        return true;
      });
    },
    async markReleased(ids, release) {
      // Not indexed, so no schema version: rows written before releases existed simply lack it.
      await db.transaction('rw', db.applications, async () => {
        for (const id of ids) {
          const row = await db.applications.get(id);
          if (row && !row.release) await db.applications.put({ ...row, release: { ...release } });
        }
      });
    },
    async markAttemptFailed(ids, error, nextAttemptAt) {
      await db.transaction('rw', db.applications, async () => {
        for (const id of ids) {
          const row = await db.applications.get(id);
          const change = attemptFailedChange(lifecycleOf(row), error, nextAttemptAt);
          if (row && change) await db.applications.put({ ...row, ...change });
        }
      });
    },
  };
}
