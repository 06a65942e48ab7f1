/** Kiosk audit chains for server tests: built and signed the way the kiosk builds them. */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { type AuditEvent, type ChainHead, GENESIS, nextEvent } from '../../src/core/audit/chain';
import { type AuditCheckpoint, signCheckpoint } from '../../src/core/audit/checkpoint';
import { KIOSK_CHECKPOINT_EVERY, type KioskAuditType } from '../../src/core/audit/kiosk-events';
import { openStore, SQLITE_FILE_NAME } from '../../sync-server/src/store/open';
import type { Store } from '../../sync-server/src/store/store';
import { createScratchDatabase } from './postgres';
import type { TestKiosk } from './signed-kiosk';

const TYPES: KioskAuditType[] = ['captured', 'decided', 'synced', 'officer-login'];

/**
 * Events `head.seq + 1` to `head.seq + count`, a checkpoint every `KIOSK_CHECKPOINT_EVERY` and one
 * on the last event, signed with the kiosk's device key.
 */
export async function kioskChainPage(
  kiosk: Pick<TestKiosk, 'privateKey' | 'publicKeySpki'>,
  count: number,
  head: ChainHead = GENESIS,
): Promise<{ events: AuditEvent<KioskAuditType>[]; checkpoints: AuditCheckpoint[] }> {
  const events: AuditEvent<KioskAuditType>[] = [];
  const checkpoints: AuditCheckpoint[] = [];
  let previous = head;
  for (let i = 0; i < count; i++) {
    const seq = previous.seq + 1;
    const type = TYPES[seq % TYPES.length] ?? 'captured';
    const event = await nextEvent(previous, {
      at: new Date(Date.UTC(2026, 2, 1, 8, 0, seq)).toISOString(),
      type,
      subject: type === 'synced' ? null : randomUUID(),
      detail: type === 'synced' ? { ids: [randomUUID()] } : null,
    });
    events.push(event);
    if (seq % KIOSK_CHECKPOINT_EVERY === 0 || i === count - 1) {
      checkpoints.push(await signCheckpoint(event, event.at, kiosk));
    }
    previous = event;
  }
  return { events, checkpoints };
}

/** A store plus raw SQL on its database, for tamper tests (`?` placeholders in both dialects). */
export interface RawStoreTarget {
  kind: Store['kind'];
  store: Store;
  dataDir: string;
  databaseUrl?: string;
  sql(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  dispose(): Promise<void>;
}

export function rawStoreTargets(postgresAdminUrl: string | null): {
  kind: Store['kind'];
  create(): Promise<RawStoreTarget>;
}[] {
  const sqlite = {
    kind: 'sqlite' as const,
    async create(): Promise<RawStoreTarget> {
      const dataDir = mkdtempSync(join(tmpdir(), 'sertel-audit-'));
      const store = await openStore({ dataDir });
      const raw = new Database(join(dataDir, SQLITE_FILE_NAME));
      return {
        kind: 'sqlite',
        store,
        dataDir,
        async sql(text, params = []) {
          const statement = raw.prepare(text);
          if (statement.reader) return statement.all(...params) as Record<string, unknown>[];
          statement.run(...params);
          return [];
        },
        async dispose() {
          raw.close();
          await store.close();
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
  };
  if (postgresAdminUrl === null) return [sqlite];
  const postgres = {
    kind: 'postgres' as const,
    async create(): Promise<RawStoreTarget> {
      const database = await createScratchDatabase(postgresAdminUrl, 'audit');
      const dataDir = mkdtempSync(join(tmpdir(), 'sertel-audit-pg-'));
      const store = await openStore({ databaseUrl: database.url, dataDir });
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      return {
        kind: 'postgres',
        store,
        dataDir,
        databaseUrl: database.url,
        async sql(text, params = []) {
          let n = 0;
          const result = await client.query(
            text.replace(/\?/g, () => `$${++n}`),
            params,
          );
          return result.rows as Record<string, unknown>[];
        },
        async dispose() {
          await client.end();
          await store.close();
          await database.drop();
          if (existsSync(dataDir)) rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
  };
  return [sqlite, postgres];
}
