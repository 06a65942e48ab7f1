/**
 * The server killed with SIGKILL at random moments while simulated kiosks push batches, then
 * restarted: every acknowledged record is stored exactly once, nothing is lost, and what was not
 * acknowledged is sent again and stored once. `FAULT_KILLS` sets how many kills (5 in `npm test`,
 * 50 in `npm run test:faults`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { simulate } from '../../sync-server/src/simulator/simulate';
import { openStore } from '../../sync-server/src/store/open';
import { createScratchDatabase } from '../support/postgres';
import { serverProcess } from '../support/server-process';
import { freeServicePort } from '../support/service-port';
import { TEST_ADMIN_TOKEN } from '../support/signed-kiosk';

const KILLS = Number(process.env.FAULT_KILLS ?? 5);
/**
 * Each kill comes after 1 to 4 acknowledged batches (of 5 records) since the last restart, at a
 * random moment in the batch after that, so it always lands on a running sync however fast the
 * server is; this leaves work for every kill and for the end (checked below).
 */
const RECORDS = 200 + KILLS * 40;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Target {
  kind: 'sqlite' | 'postgres';
  env: Record<string, string>;
  storeOptions: { dataDir: string; databaseUrl?: string };
  dispose(): Promise<void>;
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function sqliteTarget(): Promise<Target> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sertel-kill-'));
  return {
    kind: 'sqlite',
    env: { DATA_DIR: dataDir },
    storeOptions: { dataDir },
    dispose: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

async function postgresTarget(adminUrl: string): Promise<Target> {
  const database = await createScratchDatabase(adminUrl, 'kill');
  const dataDir = mkdtempSync(join(tmpdir(), 'sertel-kill-pg-'));
  return {
    kind: 'postgres',
    env: { DATA_DIR: dataDir, DATABASE_URL: database.url },
    storeOptions: { dataDir, databaseUrl: database.url },
    dispose: async () => {
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const databaseUrl = inject('databaseUrl');
const targets: (() => Promise<Target>)[] = [sqliteTarget];
if (databaseUrl !== null) targets.push(() => postgresTarget(databaseUrl));

describe.each(targets.map((make) => [make]))('SIGKILL during ingest (%#: sqlite, postgres)', (makeTarget) => {
  it(`loses and duplicates nothing across ${KILLS} kills`, { timeout: 60_000 + KILLS * 15_000 }, async () => {
    const target = await makeTarget();
    cleanups.push(target.dispose);
    // Restarted on the same port after every kill: a port outside the ephemeral range.
    const server = serverProcess(await freeServicePort(), target.env);
    cleanups.push(server.kill);
    await server.start();

    let capturing = true;
    let kills = 0;
    let lastKillAt = 0;
    let acknowledgedBatches = 0;
    const killer = (async () => {
      while (capturing) await sleep(20);
      while (kills < KILLS) {
        // Some progress first, then a random moment: mid-batch, between batches, during a commit.
        const due = acknowledgedBatches + 1 + Math.floor(Math.random() * 4);
        while (acknowledgedBatches < due) await sleep(2);
        await sleep(Math.random() * 40);
        await server.kill();
        lastKillAt = performance.now();
        kills++;
        await server.start();
      }
    })();
    const result = await simulate({
      url: server.url,
      adminToken: TEST_ADMIN_TOKEN,
      kiosks: 2,
      records: RECORDS,
      attachmentKb: 40,
      batchRecords: 5,
      // Sooner retries than in the field (2 s doubling to 5 min): what is under test is what
      // arrives across the kills, and 50 restarts are not spent waiting on back-off.
      backoff: { baseMs: 200, maxMs: 2_000 },
      timeoutMs: 30_000 + KILLS * 12_000,
      onReady: () => {
        capturing = false;
      },
      onBatch: ({ status }) => {
        if (status === 200) acknowledgedBatches++;
      },
    });
    const endedAt = performance.now();
    await killer;
    // Every kill hit a running sync (not an idle server after the work was done), and the kiosks
    // rode them out: some batches failed and were sent again.
    expect(kills).toBe(KILLS);
    expect(lastKillAt).toBeLessThan(endedAt);
    expect(result.retries).toBeGreaterThan(0);
    // After the last restart, whatever was still waiting gets through.
    expect(result.acknowledged).toBe(RECORDS);
    expect(result.rejected).toBe(0);
    await server.kill();

    const store = await openStore(target.storeOptions);
    try {
      expect(await store.countApplications()).toBe(RECORDS);
      for (const kiosk of result.kiosks) {
        for (const id of kiosk.acknowledged) {
          const stored = await store.getApplication(id);
          expect(stored?.kioskId, id).toBe(kiosk.kioskId);
        }
      }
    } finally {
      await store.close();
    }
  });
});
