/**
 * The kiosk's record of the revocations it requested (app/lifecycle/ports.ts): in its own IndexedDB
 * database, beside the outbox and the officers' keys, and an in-memory twin for tests. It holds no
 * personal data: ids, the serial, the reason and the CA's answer.
 */
import Dexie, { type EntityTable } from 'dexie';
import type { RevocationLog, RevocationLogEntry } from '../../app/lifecycle/ports';

class LifecycleDatabase extends Dexie {
  revocations!: EntityTable<RevocationLogEntry, 'applicationId'>;

  constructor(name: string) {
    super(name);
    // Append-only versions, as in outbox-db: a kiosk may skip versions.
    this.version(1).stores({ revocations: 'applicationId, requestId' });
  }
}

export class DexieRevocationLog implements RevocationLog {
  private readonly db: LifecycleDatabase;

  constructor(options: { databaseName?: string } = {}) {
    this.db = new LifecycleDatabase(options.databaseName ?? 'sertel-lifecycle');
  }

  async save(entry: RevocationLogEntry): Promise<void> {
    // A plain copy: a reactive proxy cannot be cloned into IndexedDB.
    await this.db.revocations.put({ ...entry });
  }

  async forApplication(applicationId: string): Promise<RevocationLogEntry | null> {
    return (await this.db.revocations.get(applicationId)) ?? null;
  }

  close(): void {
    this.db.close();
  }
}

export function createMemoryRevocationLog(): RevocationLog & { all(): RevocationLogEntry[] } {
  const entries = new Map<string, RevocationLogEntry>();
  return {
    async save(entry) {
      entries.set(entry.applicationId, structuredClone(entry));
    },
    async forApplication(applicationId) {
      const entry = entries.get(applicationId);
      return entry === undefined ? null : structuredClone(entry);
    },
    all: () => [...entries.values()],
  };
}
