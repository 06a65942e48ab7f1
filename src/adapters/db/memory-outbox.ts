import type {
  DeviceIdentityStore,
  Enrollment,
  HandoverStore,
  KioskPolicyStore,
  OutboxHistoryEntry,
  OutboxItem,
  OutboxListOptions,
  OutboxState,
  OutboxStore,
  OutboxSummary,
  OutboxView,
  StoredOutboxItem,
} from '../../app/ports';
import { NEW_HANDOVER } from '../../app/ports';
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
import { generateDeviceKey } from '../../protocol/kiosk-auth';

/**
 * The `OutboxStore` port over a Map, with the same state rules as the Dexie adapter: for the kiosk
 * simulator (many kiosks in one Node process) and for tests. Nothing survives the process.
 */
export interface MemoryOutbox extends OutboxStore, Omit<HandoverStore, 'get'> {
  /** The stored item as it is now (a copy), or undefined. */
  get(id: string): StoredOutboxItem | undefined;
  /** Every stored item in insertion order (copies). */
  all(): StoredOutboxItem[];
}

/** Copies so that a caller changing what it got back cannot change what is stored. */
function copy(item: StoredOutboxItem): StoredOutboxItem {
  return {
    ...item,
    record: structuredClone(item.record),
    image: { ...item.image },
    attachments: item.attachments.map((a) => ({ ...a })),
    rejection: item.rejection ? { ...item.rejection } : null,
    history: item.history.map((e) => ({ ...e })),
    ...(item.handover ? { handover: { ...item.handover } } : {}),
    ...(item.serverStatus ? { serverStatus: { ...item.serverStatus } } : {}),
    ...(item.release ? { release: { ...item.release } } : {}),
    ...(item.emailConfirmation ? { emailConfirmation: { ...item.emailConfirmation } } : {}),
  };
}

function summary(item: StoredOutboxItem): OutboxSummary {
  const { image, attachments, ...rest } = copy(item);
  return {
    ...rest,
    image: { mediaType: image.mediaType, bytes: image.blob.size },
    attachments: attachments.map(({ kind, mediaType, blob }) => ({ kind, mediaType, bytes: blob.size })),
  };
}

/** A seeded item keeps its history, or gets the one its state implies (tests seed synced items). */
function seeded(item: OutboxItem | StoredOutboxItem): StoredOutboxItem {
  const history: readonly OutboxHistoryEntry[] =
    'history' in item
      ? item.history
      : assumedHistory(
          { ...item, handedOverAt: item.handover?.handedOverAt ?? null },
          item.createdAt,
          'seeded',
        );
  return copy({ ...item, history });
}

export function createMemoryOutbox(
  options: { items?: readonly (OutboxItem | StoredOutboxItem)[] } = {},
): MemoryOutbox {
  const items = new Map<string, StoredOutboxItem>();
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
  const update = (id: string, change: Partial<StoredOutboxItem>) => {
    const item = items.get(id);
    if (item) items.set(id, { ...item, ...change });
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
      if (new Set(item.attachments.map((a) => a.kind)).size < item.attachments.length)
        throw new Error(`Application ${item.id} has two attachments of one kind`);
      items.set(item.id, copy({ ...item, history: initialHistory(item.createdAt, item.state) }));
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
        const change = syncedChange(items.get(id), at);
        if (change) update(id, change);
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
      const { handover, history } = handoverChange(item, item.handover ?? NEW_HANDOVER, change, entered);
      update(id, { handover: { ...handover }, history });
      changed();
      return { ...handover };
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
export function createMemoryKioskPolicy(minimum: string | null = null): KioskPolicyStore {
  let remembered = minimum;
  return {
    async minimumKioskVersion() {
      return remembered;
    },
    async saveMinimumKioskVersion(version) {
      remembered = version;
    },
  };
}
