import Dexie, { type EntityTable, liveQuery } from 'dexie';
import {
  type DeviceIdentityStore,
  type Enrollment,
  type HandoverStore,
  NEW_HANDOVER,
  type OutboxItem,
  type OutboxStore,
} from '../../app/ports';
import { bytesToBase64 } from '../../core/lib/pem';
import { DEVICE_KEY_ALGORITHM } from '../../protocol/kiosk-auth';

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

class OutboxDatabase extends Dexie {
  applications!: EntityTable<OutboxItem, 'id'>;
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
  }
}

function classify(err: unknown): never {
  if (err instanceof Error && (err.name === 'QuotaExceededError' || err.message.includes('QuotaExceeded'))) {
    throw new StorageFullError('The device storage is full', { cause: err });
  }
  throw err;
}

export function openOutbox(name = 'sertel-kiosk'): OutboxStore & HandoverStore & DeviceIdentityStore {
  const db = new OutboxDatabase(name);

  const list = async () => (await db.applications.orderBy('createdAt').toArray()).reverse();

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
      const pair = (await crypto.subtle.generateKey(DEVICE_KEY_ALGORITHM, false, [
        'sign',
        'verify',
      ])) as CryptoKeyPair;
      const publicKeySpki = bytesToBase64(
        new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey)),
      );
      const row: DeviceRow = {
        id: 'key',
        privateKey: pair.privateKey,
        publicKeySpki,
        createdAt: new Date().toISOString(),
      };
      return db.transaction('rw', db.device, async () => {
        const raced = await db.device.get('key');
        if (raced?.id === 'key') return { privateKey: raced.privateKey, publicKeySpki: raced.publicKeySpki };
        await db.device.put(row);
        return { privateKey: pair.privateKey, publicKeySpki };
      });
    },
    async saveEnrollment(enrollment) {
      await db.device.put({ id: 'enrollment', ...enrollment });
    },
    async forgetEnrollment() {
      await db.device.bulkDelete(['enrollment', 'key']);
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
