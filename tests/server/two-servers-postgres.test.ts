/**
 * Two server processes ingesting into one PostgreSQL database at once. Every application sits in
 * two outboxes of its kiosk (same id, same content), one syncing against server A, the other
 * against server B, so the same records reach both processes at the same moment: the resend that
 * lands on the other process, and the real race of two transactions inserting one id. Meanwhile
 * one of the two processes is killed with SIGKILL at random moments and restarted. Afterwards every
 * record is stored exactly once with the content that was sent, and every acknowledged one is
 * there. `FAULT_KILLS` sets the number of kills (3 by default; e.g. 20 for a longer fault run).
 *
 * Also: two processes migrating one fresh database at the same time both start.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createMemoryOutbox } from '../../src/adapters/db/memory-outbox';
import type { OutboxItem } from '../../src/app/ports';
import type { RecordStatus } from '../../src/protocol/sync';
import { contentHash } from '../../sync-server/src/domain/ingest';
import { storeMigrations } from '../../sync-server/src/store/migrations';
import { openStore } from '../../sync-server/src/store/open';
import type { Store } from '../../sync-server/src/store/store';
import {
  type BatchExchange,
  captureApplication,
  type EnrolledKiosk,
  enrollMirroredKiosk,
  loggingTransport,
  pushUntilSynced,
  wireRecord,
} from '../support/mirrored-kiosks';
import { createScratchDatabase } from '../support/postgres';
import { serverProcess } from '../support/server-process';
import { freeServicePort } from '../support/service-port';

const KILLS = Number(process.env.FAULT_KILLS ?? 3);
const KIOSKS = 2;
const ATTACHMENT_KB = 20;
/**
 * The kiosks keep capturing while the processes are killed, so every kill lands on a running sync
 * however fast this machine is: they start with INITIAL_RECORDS, then add TOP_UP whenever an
 * outbox runs low, until the last restart (and at least MIN_RECORDS in all).
 */
const INITIAL_RECORDS = 100;
const MIN_RECORDS = 300;
const LOW_WATER = 30;
const TOP_UP = 12;
// Different batch sizes: the two copies of a record travel in overlapping, not identical, batches.
const BATCH_RECORDS = { A: 5, B: 7 } as const;
/** A connection failure may come back a little after the restarted process answered `/ready`. */
const AFTER_READY_SLACK_MS = 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const databaseUrl = inject('databaseUrl');

type Label = keyof typeof BATCH_RECORDS;

/** Other work on a loaded machine can slow a start-up well past the helper's 10 s: 30 s more. */
const READY_TIMEOUT_MS = 10_000 + 30_000;

/**
 * A server process on a port outside the ephemeral range, which notices when it exits without
 * being told to and keeps the end of its output for the failure message.
 */
interface ServerNode {
  label: Label;
  url: string;
  stopping: boolean;
  start(): Promise<void>;
  kill(): Promise<void>;
}

async function serverNode(label: Label, env: Record<string, string>, unexpectedExits: string[]) {
  let output = '';
  const server = serverProcess(await freeServicePort(), env, {
    onOutput: (text) => {
      output = (output + text).slice(-4000);
    },
    readyTimeoutMs: READY_TIMEOUT_MS,
  });
  const tail = () => (output.trim() === '' ? '(no output)' : output.trim());
  const self: ServerNode = {
    label,
    url: server.url,
    stopping: false,
    async start() {
      output = '';
      try {
        await server.start();
      } catch (error) {
        throw new Error(`server ${label}: ${String(error)}; its output: ${tail()}`);
      }
      server.process?.once('exit', (code, signal) => {
        if (!self.stopping) unexpectedExits.push(`server ${label} exited (${code ?? signal}): ${tail()}`);
      });
    },
    async kill() {
      self.stopping = true;
      await server.kill();
      self.stopping = false;
    },
  };
  return self;
}

function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function query<R extends pg.QueryResultRow>(url: string, text: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe.skipIf(databaseUrl === null)('two server processes, one PostgreSQL', () => {
  const adminUrl = databaseUrl ?? '';

  it('two processes migrating one fresh database at the same time both start', {
    timeout: 120_000,
  }, async () => {
    const expected = Object.keys(storeMigrations('postgres')).sort();
    for (let round = 0; round < 3; round++) {
      const database = await createScratchDatabase(adminUrl, 'twomig');
      cleanups.push(() => database.drop());
      const unexpectedExits: string[] = [];
      const nodes = await Promise.all(
        (['A', 'B'] as const).map(async (label) => {
          const env = { DATA_DIR: scratchDir('sertel-two-mig-'), DATABASE_URL: database.url };
          return serverNode(label, env, unexpectedExits);
        }),
      );
      for (const each of nodes) cleanups.push(() => each.kill());
      // Started together: both run their migrations against the empty database at once.
      await Promise.all(nodes.map((each) => each.start()));
      for (const each of nodes) {
        const ready = await fetch(`${each.url}/api/v1/ready`);
        expect(ready.status, each.label).toBe(200);
      }
      const applied = await query<{ name: string }>(
        database.url,
        'select name from kysely_migration order by name',
      );
      expect(applied.map((row) => row.name)).toEqual(expected);
      expect(unexpectedExits).toEqual([]);
      for (const each of nodes) await each.kill();
      await database.drop();
    }

    // A tighter race than two process start-ups: several stores migrating in the same instant.
    const database = await createScratchDatabase(adminUrl, 'twomig');
    cleanups.push(() => database.drop());
    const dataDir = scratchDir('sertel-two-mig-');
    const opened = await Promise.allSettled(
      Array.from({ length: 6 }, () => openStore({ databaseUrl: database.url, dataDir })),
    );
    const stores = opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failures = opened.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
    await Promise.all(stores.map((store: Store) => store.close()));
    expect(failures).toEqual([]);
    const applied = await query<{ name: string }>(
      database.url,
      'select name from kysely_migration order by name',
    );
    expect(applied.map((row) => row.name)).toEqual(expected);
  });

  it(`stores every record exactly once while two processes ingest and ${KILLS} SIGKILLs hit them`, {
    timeout: 90_000 + KILLS * 15_000,
  }, async () => {
    const database = await createScratchDatabase(adminUrl, 'two');
    cleanups.push(() => database.drop());
    const unexpectedExits: string[] = [];
    const make = async (label: Label) => {
      const env = { DATA_DIR: scratchDir(`sertel-two-${label}-`), DATABASE_URL: database.url };
      return serverNode(label, env, unexpectedExits);
    };
    const a = await make('A');
    const b = await make('B');
    const nodes = [a, b];
    for (const each of nodes) cleanups.push(() => each.kill());
    await Promise.all(nodes.map((each) => each.start()));

    // Enrollment lives in the shared database: a code made at one process is redeemed at the other.
    const kiosks: EnrolledKiosk[] = [];
    for (let k = 0; k < KIOSKS; k++) {
      const [codeAt, enrollAt] = k % 2 === 0 ? [a, b] : [b, a];
      kiosks.push(await enrollMirroredKiosk(codeAt.url, enrollAt.url, `Loket ganda ${k + 1}`));
    }

    // Every kiosk keeps each application in two outboxes: one syncs with A, the other with B.
    const outboxes = kiosks.flatMap((kiosk) =>
      (['A', 'B'] as const).map((label) => ({ label, kiosk, outbox: createMemoryOutbox() })),
    );
    const items: OutboxItem[] = [];
    const kioskOf = new Map<string, string>();
    const epoch = Date.now() - 30 * 86_400_000;
    const capture = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const n = items.length;
        const kiosk = kiosks[n % KIOSKS];
        if (kiosk === undefined) throw new Error('no kiosk');
        const item = await captureApplication(n, ATTACHMENT_KB, epoch);
        items.push(item);
        kioskOf.set(item.id, kiosk.kioskId);
        for (const each of outboxes) if (each.kiosk === kiosk) await each.outbox.add(item);
      }
    };
    await capture(INITIAL_RECORDS);

    const log: BatchExchange[] = [];
    const killWindows: { label: Label; killAt: number; readyAt: number }[] = [];
    const deadline = performance.now() + 60_000 + KILLS * 12_000;
    let killing = true;
    let producing = true;
    let pushing = true;
    const pushers = Promise.all(
      outboxes.map(({ label, kiosk, outbox }) =>
        pushUntilSynced({
          outbox,
          identity: kiosk.identity,
          transport: loggingTransport(label, label === 'A' ? a.url : b.url, kiosk.identity, log),
          batchRecords: BATCH_RECORDS[label],
          deadline,
          moreComing: () => producing,
        }),
      ),
    ).finally(() => {
      pushing = false;
    });
    const producer = (async () => {
      while ((killing || items.length < MIN_RECORDS) && pushing) {
        const backlogs = await Promise.all(
          outboxes.map(async ({ outbox }) => (await outbox.queued()).length),
        );
        if (Math.min(...backlogs) < LOW_WATER) await capture(TOP_UP);
        await sleep(100);
      }
    })().finally(() => {
      producing = false;
    });
    // Random moments; the victim alternates (from a random first one) so that both processes die.
    const first = Math.random() < 0.5 ? 0 : 1;
    let kills = 0;
    const killer = (async () => {
      while (kills < KILLS && pushing) {
        await sleep(100 + Math.random() * 1500);
        const victim = nodes[(first + kills) % 2];
        if (victim === undefined || !pushing) break;
        const killAt = performance.now();
        await victim.kill();
        kills++;
        await victim.start();
        killWindows.push({ label: victim.label, killAt, readyAt: performance.now() });
      }
    })().finally(() => {
      killing = false;
    });
    const [passes] = await Promise.all([pushers, producer, killer]);

    expect(unexpectedExits).toEqual([]);
    expect(kills).toBe(KILLS);
    // Every copy of every record was acknowledged by the server it went to; nothing refused.
    const notSynced = outboxes.flatMap(({ label, outbox }) =>
      outbox
        .all()
        .filter((item) => item.state !== 'synced')
        .map((item) => `${label} ${item.id} ${item.state} ${item.lastError ?? ''}`),
    );
    expect(notSynced).toEqual([]);

    // Every kill hit a running sync: the victim's kiosks failed to reach it while it was down…
    const networkErrors = log.filter((e) => e.outcome.kind === 'network-error');
    const inWindow = (e: BatchExchange, w: (typeof killWindows)[number]) =>
      w.label === e.server && e.endedAt >= w.killAt && e.endedAt <= w.readyAt + AFTER_READY_SLACK_MS;
    const unnoticedKills = killWindows.filter((w) => !networkErrors.some((e) => inWindow(e, w)));
    expect(unnoticedKills).toEqual([]);
    if (KILLS > 0) expect(passes.some((p) => p.failedPasses > 0)).toBe(true);
    // …and those are the only failures: no connection failure outside a kill, no error answer.
    const outsideKills = networkErrors
      .filter((e) => !killWindows.some((w) => inWindow(e, w)))
      .map((e) => `${e.server} ${e.outcome.kind === 'network-error' ? e.outcome.message : ''}`);
    expect(outsideKills).toEqual([]);
    const badAnswers = log.flatMap((e) =>
      e.outcome.kind === 'response' && (e.outcome.status !== 200 || e.outcome.results === null)
        ? [`${e.server} HTTP ${e.outcome.status} ${JSON.stringify(e.outcome.body)}`]
        : [],
    );
    expect(badAnswers).toEqual([]);

    // Per record: never more than one 'stored' answer over both processes, and only 'stored' or
    // 'duplicate' answers at all.
    const answers = new Map<string, { server: string; status: RecordStatus }[]>();
    for (const exchange of log) {
      if (exchange.outcome.kind !== 'response' || exchange.outcome.results === null) continue;
      for (const [id, status] of exchange.outcome.results) {
        const list = answers.get(id) ?? [];
        list.push({ server: exchange.server, status });
        answers.set(id, list);
      }
    }
    const summarise = ([id, list]: [string, { server: string; status: RecordStatus }[]]) =>
      `${id}: ${list.map((x) => `${x.server}=${x.status}`).join(' ')}`;
    const storedTwice = [...answers].filter(
      ([, list]) => list.filter((x) => x.status === 'stored').length > 1,
    );
    expect(storedTwice.map(summarise)).toEqual([]);
    const otherAnswers = [...answers].filter(([, list]) =>
      list.some((x) => x.status !== 'stored' && x.status !== 'duplicate'),
    );
    expect(otherAnswers.map(summarise)).toEqual([]);

    // The race really happened: both processes inserted records, and copies of one record were
    // in flight at A and at B at the same time.
    const storedBy = (label: Label) =>
      [...answers.values()].filter((list) => list.some((x) => x.server === label && x.status === 'stored'))
        .length;
    expect(storedBy('A')).toBeGreaterThan(0);
    expect(storedBy('B')).toBeGreaterThan(0);
    const exchangesOf = new Map<string, BatchExchange[]>();
    for (const exchange of log) {
      for (const id of exchange.ids) exchangesOf.set(id, [...(exchangesOf.get(id) ?? []), exchange]);
    }
    const overlapping = [...exchangesOf.values()].filter((list) => {
      const atA = list.filter((e) => e.server === 'A');
      const atB = list.filter((e) => e.server === 'B');
      return atA.some((x) => atB.some((y) => x.startedAt < y.endedAt && y.startedAt < x.endedAt));
    }).length;
    expect(overlapping).toBeGreaterThan(0);

    for (const each of nodes) await each.kill();

    // The database: exactly the records captured, each once, each with the content sent.
    const expected = new Map<string, { kioskId: string; hash: string; imageSha: string }>();
    for (const item of items) {
      const kioskId = kioskOf.get(item.id);
      if (kioskId === undefined) throw new Error(`no kiosk for ${item.id}`);
      expected.set(item.id, {
        kioskId,
        hash: contentHash(kioskId, await wireRecord(item)),
        imageSha: sha256Hex(new Uint8Array(await item.image.blob.arrayBuffer())),
      });
    }
    const repeated = await query<{ id: string; n: number }>(
      database.url,
      'select id, count(*)::int as n from applications group by id having count(*) <> 1',
    );
    expect(repeated).toEqual([]);
    const heldRows = await query<{ id: string; kiosk_id: string; content_hash: string }>(
      database.url,
      'select a.id, a.kiosk_id, a.content_hash from applications a join application_archive s on s.application_id = a.id',
    );
    // The picture is in the sealed archive (issue 8): read back through a store, which opens it.
    const reader = await openStore({ databaseUrl: database.url, dataDir: scratchDir('sertel-two-read-') });
    const rows: { id: string; kiosk_id: string; content_hash: string; image_sha: string }[] = [];
    try {
      for (const row of heldRows) {
        const held = await reader.getApplication(row.id);
        rows.push({ ...row, image_sha: sha256Hex(held?.ektpImage ?? new Uint8Array()) });
      }
    } finally {
      await reader.close();
    }
    expect(rows.length).toBe(items.length);
    expect(rows.map((row) => row.id).sort()).toEqual([...expected.keys()].sort());
    const wrongContent = rows.filter((row) => {
      const want = expected.get(row.id);
      return !(
        want !== undefined &&
        want.kioskId === row.kiosk_id &&
        want.hash === row.content_hash &&
        want.imageSha === row.image_sha
      );
    });
    expect(wrongContent.map((row) => row.id)).toEqual([]);
    const storedIds = new Set(rows.map((row) => row.id));
    const acknowledged = outboxes.flatMap(({ outbox }) =>
      outbox
        .all()
        .filter((item) => item.state === 'synced')
        .map((item) => item.id),
    );
    // Each application sits in two outboxes.
    expect(acknowledged.length).toBe(2 * items.length);
    expect(acknowledged.filter((id) => !storedIds.has(id))).toEqual([]);
  });
});
