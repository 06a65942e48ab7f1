import Dexie, { type EntityTable, liveQuery } from 'dexie';
import {
  type DeviceIdentityStore,
  type Enrollment,
  type HandoverStore,
  type ImageMediaType,
  NEW_HANDOVER,
  type OutboxHistoryEntry,
  type OutboxItem,
  type OutboxLifecycleState,
  type OutboxListOptions,
  type OutboxStore,
  type OutboxSummary,
  type OutboxView,
  type StoredOutboxItem,
} from '../../app/ports';
import {
  assumedHistory,
  attemptFailedChange,
  awaitsOutcome,
  handoverChange,
  IllegalTransitionError,
  initialHistory,
  rejectedChange,
  serverStatusChange,
  syncedChange,
} from '../../core/outbox/lifecycle';
import { generateDeviceKey } from '../../protocol/kiosk-auth';

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
  | ({ id: 'enrollment' } & Enrollment);

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

/** An application row (version 3): the history as steps, the image beside it in `attachments`. */
interface ApplicationRow extends Omit<OutboxItem, 'image'> {
  history: StoredStep[];
  imageInfo: ImageInfo;
}

/** A row as versions 1 and 2 stored it (the image inline, no history), as the upgrade reads and writes it. */
interface OldApplicationRow extends Omit<OutboxItem, 'image'> {
  history?: StoredStep[];
  image?: OutboxItem['image'];
  imageInfo?: ImageInfo;
}

/** 'ektp' for now; the cover letter (surat pengantar) and other papers come later. */
type AttachmentKind = 'ektp';

interface AttachmentRow {
  id: string;
  applicationId: string;
  kind: AttachmentKind;
  mediaType: string;
  blob: Blob;
  bytes: number;
}

const attachmentId = (applicationId: string, kind: AttachmentKind) => `${applicationId}/${kind}`;

class OutboxDatabase extends Dexie {
  applications!: EntityTable<ApplicationRow, 'id'>;
  attachments!: EntityTable<AttachmentRow, 'id'>;
  meta!: EntityTable<MetaRow, 'key'>;
  device!: EntityTable<DeviceRow, 'id'>;

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
  }
}

function attachmentRow(applicationId: string, image: OutboxItem['image']): AttachmentRow {
  return {
    id: attachmentId(applicationId, 'ektp'),
    applicationId,
    kind: 'ektp',
    mediaType: image.mediaType,
    blob: image.blob,
    bytes: image.blob.size,
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

function withoutStorage(row: ApplicationRow): Omit<OutboxItem, 'image'> {
  const { history: _history, imageInfo: _imageInfo, ...item } = row;
  return item;
}

function toSummary(row: ApplicationRow): OutboxSummary {
  const { mediaType, bytes } = row.imageInfo;
  return { ...withoutStorage(row), history: fromSteps(row.history), image: { mediaType, bytes } };
}

function toStored(row: ApplicationRow, attachment: AttachmentRow | undefined): StoredOutboxItem {
  const image: OutboxItem['image'] = attachment
    ? { mediaType: attachment.mediaType as ImageMediaType, blob: attachment.blob }
    : {
        // A lost image must not stop the queue: sent empty, the server refuses this record alone and
        // the officer sees why.
        mediaType: row.imageInfo.mediaType,
        blob: new Blob([], { type: row.imageInfo.mediaType }),
      };
  return { ...withoutStorage(row), history: fromSteps(row.history), image };
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

export function openOutbox(name = 'sertel-kiosk'): OutboxStore & HandoverStore & DeviceIdentityStore {
  const db = new OutboxDatabase(name);

  const byState = (state: string) =>
    db.applications.where('[state+createdAt]').between([state, Dexie.minKey], [state, Dexie.maxKey]);

  const list = async ({ state, limit }: OutboxListOptions = {}): Promise<OutboxSummary[]> => {
    // Only application rows are read: the images stay in `attachments`.
    const newestFirst = state ? byState(state).reverse() : db.applications.orderBy('createdAt').reverse();
    const rows = await (limit === undefined ? newestFirst : newestFirst.limit(limit)).toArray();
    return rows.map(toSummary);
  };

  return {
    async enrollment() {
      const row = await db.device.get('enrollment');
      return row?.id === 'enrollment'
        ? { kioskId: row.kioskId, name: row.name, enrolledAt: row.enrolledAt }
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
    async forgetEnrollment() {
      await db.device.bulkDelete(['enrollment', 'key']);
    },
    async add(item) {
      if (item.state !== 'queued') throw new IllegalTransitionError(null, item.state);
      const { image, ...rest } = item;
      const row: ApplicationRow = {
        ...rest,
        history: toSteps(initialHistory(item.createdAt)),
        imageInfo: {
          attachmentId: attachmentId(item.id, 'ektp'),
          mediaType: image.mediaType,
          bytes: image.blob.size,
        },
      };
      // One transaction: a quota error on the image leaves no record without its picture.
      await db
        .transaction('rw', db.applications, db.attachments, async () => {
          await db.applications.add(row);
          await db.attachments.add(attachmentRow(item.id, image));
        })
        .catch(classify);
    },
    async queued() {
      return db.transaction('r', db.applications, db.attachments, async () => {
        const rows = await byState('queued').toArray();
        const attachments = await db.attachments.bulkGet(rows.map((r) => r.imageInfo.attachmentId));
        return rows.map((row, i) => toStored(row, attachments[i]));
      });
    },
    list: (options) => list(options),
    subscribe(listener, options) {
      const view = async (): Promise<OutboxView> => {
        // Counts come from the state index alone: no row is read for them.
        const [items, queued, synced, rejected] = await Promise.all([
          list(options),
          db.applications.where('state').equals('queued').count(),
          db.applications.where('state').equals('synced').count(),
          db.applications.where('state').equals('rejected').count(),
        ]);
        return { items, counts: { queued, synced, rejected } };
      };
      const subscription = liveQuery(view).subscribe({ next: listener, error: () => undefined });
      return () => subscription.unsubscribe();
    },
    async markSynced(ids, at) {
      await db.transaction('rw', db.applications, async () => {
        for (const id of ids) {
          const row = await db.applications.get(id);
          // A repeated acknowledgement (another tab, a replay) changes nothing.
          const change = syncedChange(lifecycleOf(row), at);
          if (row && change) await db.applications.put({ ...row, ...storedChange(change) });
        }
      });
    },
    async get(id) {
      return db.transaction('r', db.applications, db.attachments, async () => {
        const row = await db.applications.get(id);
        if (!row) return null;
        return toStored(row, await db.attachments.get(row.imageInfo.attachmentId));
      });
    },
    async updateHandover(id, change, entered) {
      return db.transaction('rw', db.applications, async () => {
        const row = await db.applications.get(id);
        if (!row) return null;
        // Checked before the change: a refused transition writes nothing.
        const { handover, history } = handoverChange(
          { history: fromSteps(row.history) },
          row.handover ?? NEW_HANDOVER,
          change,
          entered,
        );
        await db.applications.put({ ...row, handover, history: toSteps(history) });
        return handover;
      });
    },
    async markRejected(id, rejection, at) {
      await db.transaction('rw', db.applications, async () => {
        const row = await db.applications.get(id);
        const change = rejectedChange(lifecycleOf(row), rejection, at);
        if (row && change) await db.applications.put({ ...row, ...storedChange(change) });
      });
    },
    async awaitingOutcome() {
      const rows = await byState('synced').toArray();
      return rows.filter((row) => awaitsOutcome(fromSteps(row.history))).map((row) => row.id);
    },
    async applyServerStatus(status, at) {
      return db.transaction('rw', db.applications, async () => {
        const row = await db.applications.get(status.id);
        const change = serverStatusChange(lifecycleOf(row), status, at);
        if (!row || change === null) return false;
        await db.applications.put({ ...row, ...storedChange(change) });
        return true;
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
