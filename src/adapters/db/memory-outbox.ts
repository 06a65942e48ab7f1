import type {
  AnyStoredItem,
  DeviceIdentityStore,
  Enrollment,
  HandoverStore,
  KioskCounterKeyStore,
  KioskPolicyStore,
  OutboxHistoryEntry,
  OutboxItem,
  OutboxListOptions,
  OutboxState,
  OutboxStore,
  OutboxSummary,
  OutboxView,
  PurgeParts,
  RetentionStore,
  SealedOutboxItem,
  SealPendingStore,
  StoredOutboxItem,
  StoredSealedItem,
} from '../../app/ports';
import { isSealedItem, NEW_HANDOVER } from '../../app/ports';
import { withoutCounterRecipients } from '../../app/sealing/seal-application';
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
import { type ArchiveKey, newerArchiveKey } from '../../protocol/archive';
import { generateDeviceKey } from '../../protocol/kiosk-auth';

/**
 * The `OutboxStore` port over a Map, with the same state rules as the Dexie adapter: for the kiosk
 * simulator (many kiosks in one Node process) and for tests. Nothing survives the process.
 */
export interface MemoryOutbox
  extends OutboxStore,
    Omit<HandoverStore, 'get'>,
    SealPendingStore,
    RetentionStore {
  /** The stored item as it is now (a copy), or undefined. */
  get(id: string): AnyStoredItem | undefined;
  /** Every stored item in insertion order (copies). */
  all(): AnyStoredItem[];
}

/** The parts both shapes share, copied. */
function copyCommon<T extends AnyStoredItem>(item: T): T {
  return {
    ...item,
    record: structuredClone(item.record),
    rejection: item.rejection ? { ...item.rejection } : null,
    history: item.history.map((e) => ({ ...e })),
    ...(item.handover ? { handover: { ...item.handover } } : {}),
    ...(item.serverStatus ? { serverStatus: { ...item.serverStatus } } : {}),
    ...(item.release ? { release: { ...item.release } } : {}),
    ...(item.emailConfirmation ? { emailConfirmation: { ...item.emailConfirmation } } : {}),
  };
}

/** Copies so that a caller changing what it got back cannot change what is stored. */
function copy<T extends AnyStoredItem>(item: T): T {
  if (isSealedItem<AnyStoredItem>(item)) {
    const sealed: StoredSealedItem = {
      ...copyCommon(item),
      sealed: item.sealed.slice(),
      keyMaterial: item.keyMaterial && { ...item.keyMaterial },
    };
    return sealed as T;
  }
  const clear: StoredOutboxItem = {
    ...copyCommon(item as StoredOutboxItem),
    image: { ...(item as StoredOutboxItem).image },
    attachments: (item as StoredOutboxItem).attachments.map((a) => ({ ...a })),
  };
  return clear as T;
}

function summary(item: AnyStoredItem): OutboxSummary {
  if (isSealedItem<AnyStoredItem>(item)) {
    // Neither the blob nor the key material: a list needs neither.
    const { sealed, keyMaterial, ...rest } = copy(item);
    return { ...rest, sealedBytes: sealed.byteLength, hasKeyMaterial: keyMaterial !== null };
  }
  const { image, attachments, ...rest } = copy(item);
  return {
    ...rest,
    image: { mediaType: image.mediaType, bytes: image.blob.size },
    attachments: attachments.map(({ kind, mediaType, blob }) => ({ kind, mediaType, bytes: blob.size })),
  };
}

/** A seeded item keeps its history, or gets the one its state implies (tests seed synced items). */
function seeded(item: OutboxItem | SealedOutboxItem | AnyStoredItem): AnyStoredItem {
  const history: readonly OutboxHistoryEntry[] =
    'history' in item && Array.isArray(item.history)
      ? (item.history as readonly OutboxHistoryEntry[])
      : assumedHistory(
          { ...item, handedOverAt: item.handover?.handedOverAt ?? null },
          item.createdAt,
          'seeded',
        );
  return copy({ ...item, history } as AnyStoredItem);
}

export function createMemoryOutbox(
  options: { items?: readonly (OutboxItem | SealedOutboxItem | AnyStoredItem)[] } = {},
): MemoryOutbox {
  const items = new Map<string, AnyStoredItem>();
  for (const item of options.items ?? []) items.set(item.id, seeded(item));
  const listeners = new Map<(view: OutboxView) => void, OutboxListOptions | undefined>();

  /** Newest first, as the kiosk's outbox screen shows it. */
  const newestFirst = () => [...items.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const list = ({ state, limit, idPrefix }: OutboxListOptions = {}) => {
    const prefix = idPrefix?.toLowerCase();
    const matching = newestFirst().filter(
      (i) =>
        (state === undefined || i.state === state) &&
        (prefix === undefined || i.id.toLowerCase().startsWith(prefix)),
    );
    return matching.slice(0, limit ?? matching.length).map(summary);
  };
  const view = (options?: OutboxListOptions): OutboxView => {
    const all = [...items.values()];
    const count = (state: OutboxState) => all.filter((i) => i.state === state).length;
    return {
      items: list(options),
      counts: {
        held: count('held'),
        queued: count('queued'),
        synced: count('synced'),
        rejected: count('rejected'),
      },
    };
  };
  const changed = () => {
    for (const [listener, options] of listeners) listener(view(options));
  };
  const update = (id: string, change: Partial<StoredOutboxItem> | Partial<StoredSealedItem>) => {
    const item = items.get(id);
    if (item) items.set(id, { ...item, ...change } as AnyStoredItem);
  };
  const inCaptureOrder = (state: OutboxState) =>
    [...items.values()]
      .filter((i) => i.state === state)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .map(copy);

  return {
    async add(item) {
      if (item.state !== 'queued' && item.state !== 'held')
        throw new IllegalTransitionError(null, item.state);
      if (items.has(item.id)) throw new Error(`An item with id ${item.id} is already stored`);
      if (
        !isSealedItem<OutboxItem | SealedOutboxItem>(item) &&
        new Set(item.attachments.map((a) => a.kind)).size < item.attachments.length
      )
        throw new Error(`Application ${item.id} has two attachments of one kind`);
      items.set(
        item.id,
        copy({ ...item, history: initialHistory(item.createdAt, item.state) } as AnyStoredItem),
      );
      changed();
    },
    async held() {
      return inCaptureOrder('held');
    },
    async decide(id, decision, at) {
      const item = items.get(id);
      // Throws for anything but a held item, before anything changes.
      const change = decidedChange(item, at);
      if (!item) return;
      update(id, { ...change, record: { ...structuredClone(item.record), decision: { ...decision } } });
      changed();
    },
    async queued() {
      return inCaptureOrder('queued');
    },
    async list(options) {
      return list(options);
    },
    async markSynced(ids, at) {
      for (const id of ids) {
        // A repeated acknowledgement changes nothing.
        const item = items.get(id);
        const change = syncedChange(item, at);
        if (!item || !change) continue;
        if (isSealedItem<AnyStoredItem>(item)) {
          // The counter entries go with the acknowledgement: only the archive opens it from now on.
          update(id, { ...change, sealed: withoutCounterRecipients(item.sealed) ?? item.sealed });
        } else update(id, change);
      }
      changed();
    },
    async markRejected(id, rejection, at) {
      const change = rejectedChange(items.get(id), rejection, at);
      if (!change) return;
      update(id, change);
      changed();
    },
    async markAttemptFailed(ids, error, nextAttemptAt) {
      for (const id of ids) {
        const change = attemptFailedChange(items.get(id), error, nextAttemptAt);
        if (change) update(id, change);
      }
      changed();
    },
    async unsynced() {
      const waiting = [...items.values()].filter((i) => i.state === 'held' || i.state === 'queued');
      const oldest = waiting.map((i) => i.createdAt).sort()[0];
      return { count: waiting.length, oldestCreatedAt: oldest ?? null };
    },
    async awaitingOutcome() {
      return [...items.values()]
        .filter((i) => i.state === 'synced' && awaitsOutcome(i.history))
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
        .map((i) => i.id);
    },
    async applyServerStatus(status, at) {
      const change = serverStatusChange(items.get(status.id), status, at);
      if (change === null) return false;
      update(status.id, change);
      changed();
      return true;
    },
    async markReleased(ids, release) {
      for (const id of ids) {
        if (items.get(id)?.release === undefined) update(id, { release: { ...release } });
      }
      changed();
    },
    async updateHandover(id, change, entered) {
      const item = items.get(id);
      if (!item) return null;
      // Checked before the change: a refused transition writes nothing.
      const { handover, history, serverStatus } = handoverChange(
        item,
        item.handover ?? NEW_HANDOVER,
        change,
        entered,
      );
      update(id, { handover: { ...handover }, history, ...(serverStatus ? { serverStatus } : {}) });
      changed();
      return { ...handover };
    },
    async purge(id, parts, at) {
      const item = items.get(id);
      const done: PurgeParts = { sealedBlob: false, privateKey: false };
      if (!item || !isSealedItem<AnyStoredItem>(item)) return done;
      done.sealedBlob = parts.sealedBlob && item.sealed.byteLength > 0;
      done.privateKey = parts.privateKey && item.keyMaterial !== null;
      if (!done.sealedBlob && !done.privateKey) return done;
      items.set(id, {
        ...item,
        ...(done.sealedBlob ? { sealed: new Uint8Array(0) } : {}),
        ...(done.privateKey ? { keyMaterial: null } : {}),
        purgedAt: at,
      });
      changed();
      return done;
    },
    async pendingSeal(limit = 20) {
      // Every clear item is pending (the simulator never runs the step: it keeps them clear).
      return [...items.values()]
        .filter((i): i is StoredOutboxItem => !isSealedItem<AnyStoredItem>(i))
        .slice(0, limit)
        .map(copy);
    },
    async saveSealed(id, sealed) {
      const item = items.get(id);
      if (!item || isSealedItem<AnyStoredItem>(item)) return false;
      const { image: _image, attachments: _attachments, record, ...rest } = item;
      const bytes =
        item.state === 'synced' ? (withoutCounterRecipients(sealed.sealed) ?? sealed.sealed) : sealed.sealed;
      items.set(
        id,
        copy({
          ...rest,
          record: { ...sealed.record, ...(record.decision ? { decision: { ...record.decision } } : {}) },
          sealed: bytes,
          keyMaterial: sealed.keyMaterial && { ...sealed.keyMaterial },
        }),
      );
      changed();
      return true;
    },
    subscribe(listener, options) {
      listeners.set(listener, options);
      listener(view(options));
      return () => {
        listeners.delete(listener);
      };
    },
    get(id) {
      const item = items.get(id);
      return item ? copy(item) : undefined;
    },
    all() {
      return [...items.values()].map(copy);
    },
  };
}

/** A device identity held in memory: a simulated kiosk's key and enrollment. */
export function createMemoryIdentity(): DeviceIdentityStore {
  let key: Promise<{ privateKey: CryptoKey; publicKeySpki: string }> | null = null;
  let enrollment: Enrollment | null = null;
  return {
    async enrollment() {
      return enrollment;
    },
    deviceKey() {
      key ??= generateDeviceKey();
      return key;
    },
    async saveEnrollment(value) {
      enrollment = { ...value };
    },
    async forgetEnrollment() {
      enrollment = null;
      key = null;
    },
  };
}

/** The server's policy as last heard, held in memory (tests, simulated kiosks). */
export function createMemoryKioskPolicy(
  minimum: string | null = null,
  archive: ArchiveKey | null = null,
): KioskPolicyStore {
  let remembered = minimum;
  let archiveKey = archive;
  return {
    async minimumKioskVersion() {
      return remembered;
    },
    async saveMinimumKioskVersion(version) {
      remembered = version;
    },
    async archiveKey() {
      return archiveKey && { ...archiveKey };
    },
    async saveArchiveKey(key) {
      archiveKey = newerArchiveKey(archiveKey, key);
    },
  };
}

/** The kiosk's fallback counter key, in memory (the kiosk simulator and tests). */
export function createMemoryKioskCounterKey(): KioskCounterKeyStore {
  let key: Promise<{ keyId: string; privateKey: CryptoKey; publicKey: CryptoKey }> | null = null;
  return {
    kioskCounterKey() {
      key ??= generateSealKeyPair().then(({ privateKey, publicKey }) => ({
        keyId: `kiosk-counter-${crypto.randomUUID()}`,
        privateKey,
        publicKey,
      }));
      return key;
    },
  };
}
