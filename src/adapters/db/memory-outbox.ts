import type { DeviceIdentityStore, Enrollment, OutboxItem, OutboxStore } from '../../app/ports';
import { bytesToBase64 } from '../../core/lib/pem';
import { DEVICE_KEY_ALGORITHM } from '../../protocol/kiosk-auth';

/**
 * The `OutboxStore` port over a Map, with the same state rules as the Dexie adapter: for the kiosk
 * simulator (many kiosks in one Node process) and for tests. Nothing survives the process.
 */
export interface MemoryOutbox extends OutboxStore {
  /** The stored item as it is now (a copy), or undefined. */
  get(id: string): OutboxItem | undefined;
  /** Every stored item in insertion order (copies). */
  all(): OutboxItem[];
}

/** Copies so that a caller changing what it got back cannot change what is stored. */
function copy(item: OutboxItem): OutboxItem {
  return {
    ...item,
    record: structuredClone(item.record),
    image: { ...item.image },
    rejection: item.rejection ? { ...item.rejection } : null,
  };
}

export function createMemoryOutbox(options: { items?: readonly OutboxItem[] } = {}): MemoryOutbox {
  const items = new Map<string, OutboxItem>();
  for (const item of options.items ?? []) items.set(item.id, copy(item));
  const listeners = new Set<(items: OutboxItem[]) => void>();

  /** Newest first, as the kiosk's outbox screen shows it. */
  const list = () => [...items.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).map(copy);
  const changed = () => {
    for (const listener of listeners) listener(list());
  };
  const update = (id: string, change: Partial<OutboxItem>) => {
    const item = items.get(id);
    if (item) items.set(id, { ...item, ...change });
  };

  return {
    async add(item) {
      if (items.has(item.id)) throw new Error(`An item with id ${item.id} is already stored`);
      items.set(item.id, copy(item));
      changed();
    },
    async queued() {
      return [...items.values()]
        .filter((i) => i.state === 'queued')
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
        .map(copy);
    },
    async list() {
      return list();
    },
    async markSynced(ids, at) {
      for (const id of ids)
        update(id, { state: 'synced', syncedAt: at, lastError: null, nextAttemptAt: null });
      changed();
    },
    async markRejected(id, rejection) {
      update(id, { state: 'rejected', rejection: { ...rejection }, nextAttemptAt: null });
      changed();
    },
    async markAttemptFailed(ids, error, nextAttemptAt) {
      for (const id of ids) {
        const item = items.get(id);
        if (item?.state !== 'queued') continue;
        const attempts = item.attempts + 1;
        update(id, { attempts, lastError: error, nextAttemptAt: nextAttemptAt(attempts) });
      }
      changed();
    },
    subscribe(listener) {
      listeners.add(listener);
      listener(list());
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
      key ??= (async () => {
        const pair = (await crypto.subtle.generateKey(DEVICE_KEY_ALGORITHM, false, [
          'sign',
          'verify',
        ])) as CryptoKeyPair;
        const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
        return { privateKey: pair.privateKey, publicKeySpki: bytesToBase64(spki) };
      })();
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
