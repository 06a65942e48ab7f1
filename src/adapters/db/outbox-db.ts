import Dexie, { type EntityTable, liveQuery } from 'dexie';
import { type HandoverStore, NEW_HANDOVER, type OutboxItem, type OutboxStore } from '../../app/ports';

interface MetaRow {
  key: string;
  value: string;
}

/** Thrown when the browser refuses to store more; the form keeps what was typed. */
export class StorageFullError extends Error {
  override name = 'StorageFullError';
}

class OutboxDatabase extends Dexie {
  applications!: EntityTable<OutboxItem, 'id'>;
  meta!: EntityTable<MetaRow, 'key'>;

  constructor(name: string) {
    super(name);
    this.version(1).stores({
      applications: 'id, state, createdAt',
      meta: 'key',
    });
  }
}

function classify(err: unknown): never {
  if (err instanceof Error && (err.name === 'QuotaExceededError' || err.message.includes('QuotaExceeded'))) {
    throw new StorageFullError('The device storage is full', { cause: err });
  }
  throw err;
}

export function openOutbox(
  name = 'sertel-kiosk',
  newId: () => string = () => crypto.randomUUID(),
): OutboxStore & HandoverStore {
  const db = new OutboxDatabase(name);

  const list = async () => (await db.applications.orderBy('createdAt').toArray()).reverse();

  return {
    async kioskId() {
      // An install id until enrollment gives the kiosk a real identity.
      return db.transaction('rw', db.meta, async () => {
        const row = await db.meta.get('kioskId');
        if (row) return row.value;
        const value = newId();
        await db.meta.put({ key: 'kioskId', value });
        return value;
      });
    },
    async add(item) {
      await db.applications.add(item).catch(classify);
    },
    async queued() {
      const items = await db.applications.where('state').equals('queued').toArray();
      return items.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },
    list,
    subscribe(listener) {
      const subscription = liveQuery(list).subscribe({ next: listener, error: () => undefined });
      return () => subscription.unsubscribe();
    },
    async markSynced(ids, at) {
      await db.transaction('rw', db.applications, async () => {
        for (const id of ids) {
          await db.applications.update(id, {
            state: 'synced',
            syncedAt: at,
            lastError: null,
            nextAttemptAt: null,
          });
        }
      });
    },
    async get(id) {
      return (await db.applications.get(id)) ?? null;
    },
    async updateHandover(id, change) {
      return db.transaction('rw', db.applications, async () => {
        const item = await db.applications.get(id);
        if (!item) return null;
        const handover = change(item.handover ?? NEW_HANDOVER);
        await db.applications.update(id, { handover });
        return handover;
      });
    },
    async markRejected(id, rejection) {
      await db.applications.update(id, { state: 'rejected', rejection, nextAttemptAt: null });
    },
    async markAttemptFailed(ids, error, nextAttemptAt) {
      await db.transaction('rw', db.applications, async () => {
        for (const id of ids) {
          const item = await db.applications.get(id);
          if (item?.state !== 'queued') continue;
          const attempts = item.attempts + 1;
          await db.applications.update(id, {
            attempts,
            lastError: error,
            nextAttemptAt: nextAttemptAt(attempts),
          });
        }
      });
    },
  };
}
