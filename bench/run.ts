// `npm run bench`: the kiosk's performance figures, written to bench/results.json.
//   - kiosk: cold start from the service worker (offline, persistent profile, Chromium), key pair +
//     CSR + encrypted key through the real form
//   - node: the key and CSR pieces in Node
//   - keys: key + CSR per certificate profile (median, p95) in Chromium and Node, PBKDF2, PKCS#12
//   - server: ingest by the sync server as its own process, on SQLite and on PostgreSQL (both durable):
//     4 kiosks push 10,000 records (BENCH_INGEST_RECORDS) with 150 KB pictures in signed batches of 10,
//     prepared beforehand (the server's capacity) and from the full kiosk simulator; records/s, batch
//     latency, peak RSS, CPU per record of the server, the load and PostgreSQL (BENCH_CPU_PROF=<dir>:
//     CPU profile of the server; BENCH_SERVER_FLAGS: extra Node flags for it; BENCH_PG_SETTINGS: extra
//     PostgreSQL settings, `name=value` separated by spaces; BENCH_INGEST_LOADS=prepared and
//     BENCH_INGEST_STORES=sqlite narrow the runs)
//   - ocr: e-KTP reading accuracy and time on a synthetic dataset, the kiosk's pipeline against a naive
//     baseline, in Node and in Chromium (bench/ocr.ts)
// BENCH_ONLY=ocr (or a comma list of kiosk,node,keys,server,ocr) runs only those sections and keeps the
// others from the existing bench/results.json.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { renderEktpPng } from '../scripts/make-ektp';
import { createCsr, type SubjectAttribute } from '../src/core/certificate/csr';
import { generateApplicantKeyPair } from '../src/core/certificate/keys';
import { encryptPrivateKey } from '../src/core/certificate/pkcs8';
import { loadConfig } from '../sync-server/src/config';
import { createLogger } from '../sync-server/src/logger';
import { type RunningServer, startServer } from '../sync-server/src/server';
import { simulate } from '../sync-server/src/simulator/simulate';
import { openStore } from '../sync-server/src/store/open';
import { CHROMIUM_ARGS, findChromium } from '../tests/support/chromium';
import { makePerson } from '../tests/support/ektp';
import { createScratchDatabase, startThrowawayPostgres } from '../tests/support/postgres';
import { freePort } from '../tests/support/service-port';
import { TEST_ADMIN_TOKEN } from '../tests/support/signed-kiosk';
import { pushPrepared } from './ingest-load';
import { percentiles, runKeyBenchmark } from './keys';
import { formatOcrSummary, runOcrBenchmark } from './ocr';
import { runOutboxBenchmark } from './outbox';

interface Stats {
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    runs: sorted.length,
    medianMs: round(median),
    minMs: round(sorted[0] ?? 0),
    maxMs: round(sorted.at(-1) ?? 0),
  };
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

async function nodeCrypto(runs: number) {
  const keygen: number[] = [];
  const csr: number[] = [];
  const encrypt: number[] = [];
  for (let i = 0; i < runs; i++) {
    const [keys, k] = await timed(() => generateApplicantKeyPair('RSA-2048'));
    const subject: SubjectAttribute[] = [
      { type: 'C', value: 'ID' },
      { type: 'O', value: 'Pemerintah Kota Madiun' },
      { type: 'OU', value: 'Dinas Komunikasi dan Informatika' },
      { type: 'CN', value: 'SITI RAHAYU' },
    ];
    const [, c] = await timed(() => createCsr({ subject, emails: ['siti@madiunkota.go.id'], keys }));
    const [, e] = await timed(() =>
      encryptPrivateKey(keys.privateKey, 'frasa sandi yang cukup panjang sekali'),
    );
    keygen.push(k);
    csr.push(c);
    encrypt.push(e);
  }
  return { rsa2048Keygen: stats(keygen), csrSign: stats(csr), pkcs8Pbkdf2_600k: stats(encrypt) };
}

async function startKioskServer(dataDir: string, databaseUrl?: string): Promise<RunningServer> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    STATIC_DIR: 'dist',
    LOG_LEVEL: 'silent',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  return startServer(config, createLogger('silent'));
}

async function browserFigures(runs: number) {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium not found: run node scripts/ensure-chromium.mjs');
  const dataDir = mkdtempSync(join(tmpdir(), 'sertel-bench-'));
  const profile = join(dataDir, 'profile');
  const server = await startKioskServer(dataDir);
  const launch = () => chromium.launchPersistentContext(profile, { executablePath, args: CHROMIUM_ARGS });
  try {
    // First visit: install the service worker and precache everything.
    let context = await launch();
    let page = context.pages()[0] ?? (await context.newPage());
    await page.goto(server.url);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    const ektp = await renderEktpPng(context, 7);
    await context.close();

    const coldStart: number[] = [];
    for (let i = 0; i < runs; i++) {
      context = await launch();
      await context.setOffline(true);
      page = context.pages()[0] ?? (await context.newPage());
      const start = performance.now();
      await page.goto(server.url);
      await page.getByRole('heading', { name: 'Permohonan Sertifikat Elektronik' }).waitFor();
      coldStart.push(performance.now() - start);
      await context.close();
    }

    // Key pair + CSR + encrypted key + outbox write, as the applicant waits for it.
    context = await launch();
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(server.url);
    const person = makePerson(7);
    const submit: number[] = [];
    const ocr: number[] = [];
    for (let i = 0; i < runs; i++) {
      await page.getByLabel('Individu').check();
      await page.getByLabel('Nama lengkap (sesuai e-KTP)').fill(person.nama);
      await page.getByLabel('NIK (16 digit)').fill(person.nik);
      await page.getByLabel('E-mail dinas').fill('bench@madiunkota.go.id');
      await page.getByLabel('Perangkat Daerah').selectOption({ index: 1 });
      const ocrStart = performance.now();
      await page
        .getByLabel('Foto atau pindaian e-KTP')
        .setInputFiles({ name: 'ektp.png', mimeType: 'image/png', buffer: ektp });
      await page
        .locator('figure.ektp-picture figcaption', { hasText: 'Terbaca dalam' })
        .waitFor({ timeout: 120_000 });
      ocr.push(performance.now() - ocrStart);
      // Fields the reading was unsure of must be confirmed before the form can be saved.
      for (const box of await page.getByRole('checkbox', { name: 'Sudah saya periksa' }).all())
        await box.check();
      await page.getByLabel('Frasa sandi', { exact: true }).fill('sawah hijau di kaki gunung wilis');
      await page.getByLabel('Ulangi frasa sandi').fill('sawah hijau di kaki gunung wilis');
      const start = performance.now();
      await page.getByRole('button', { name: 'Buat kunci dan simpan permohonan' }).click();
      await page.getByTestId('application-number').waitFor({ timeout: 60_000 });
      submit.push(performance.now() - start);
      await page.getByRole('button', { name: 'Isi permohonan baru' }).click();
    }
    await context.close();
    return {
      coldStartOffline: stats(coldStart),
      ocrFullCardFirstColdThenWarm: stats(ocr),
      keypairCsrEncryptSave: stats(submit),
    };
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Key figures in a plain (non-persistent) Chromium on the kiosk's origin, and in Node. */
async function keyFigures(runs: number) {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium not found: run node scripts/ensure-chromium.mjs');
  const dataDir = mkdtempSync(join(tmpdir(), 'sertel-bench-keys-'));
  const server = await startKioskServer(dataDir);
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    return await runKeyBenchmark({ browser, origin: server.url, runs });
  } finally {
    await browser.close();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** What an e-KTP picture weighs as the kiosk sends it: a JPEG of about 150 KB. */
const INGEST_ATTACHMENT_KB = 150;
const INGEST_KIOSKS = 4;
/** The kiosk's own batch size (`syncOutbox`'s default): the figures are what a kiosk would see. */
const INGEST_BATCH_RECORDS = 10;
/** Issue 5's targets on this 2-core machine, with every signature and CSR verified. */
const INGEST_TARGETS = { recordsPerSecond: 1000, peakRssMiB: 200 } as const;

/** A /proc/<pid>/status field in KiB (VmRSS, VmHWM), or null once the process is gone. */
function procStatusKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return match?.[1] ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/**
 * The fields of /proc/<pid>/stat after the command name (which is in parentheses and may contain
 * spaces): index 0 is field 3 (state). Throws once the process is gone.
 */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** CPU seconds (user + system) a process has used so far. */
function procCpuSeconds(pid: number): number {
  const fields = statFields(pid);
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  return ticks / 100; // USER_HZ is 100 on Linux
}

/**
 * CPU seconds of a process and every child it has now, plus the children that ended and were
 * waited for: a PostgreSQL cluster from its postmaster (backends, WAL writer, checkpointer).
 */
function processTreeCpuSeconds(rootPid: number): number {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    let fields: string[];
    try {
      fields = statFields(pid);
    } catch {
      continue; // ended meanwhile
    }
    if (pid !== rootPid && Number(fields[1]) !== rootPid) continue; // ppid is field 4
    ticks += Number(fields[11]) + Number(fields[12]);
    if (pid === rootPid) ticks += Number(fields[13]) + Number(fields[14]); // cutime, cstime
  }
  return ticks / 100;
}

/** Busy and total jiffies of the whole machine (all CPUs), from /proc/stat. */
function machineJiffies(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SERVER_BUNDLE = 'dist-server/main.mjs';

interface SpawnedServer {
  url: string;
  pid: number;
  /** Resident set size now, MiB (sampled every 100 ms while the server runs). */
  sampledPeakRssMiB(): number;
  /** SIGTERM (graceful: finishes requests, closes the store, writes a CPU profile); the kernel's RSS peak. */
  stop(): Promise<{ peakRssMiB: number }>;
}

/**
 * The sync server as it runs in production: its own Node process, its own event loop, measured from
 * outside. `BENCH_CPU_PROF=<dir>` writes a V8 CPU profile of the server into that folder.
 */
async function spawnServer(env: { dataDir: string; databaseUrl?: string }): Promise<SpawnedServer> {
  // Fresh from the sources: `npx tsx bench/run.ts` runs without `npm run build`.
  const built = spawnSync(process.execPath, ['scripts/build-server.mjs'], { cwd: ROOT, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`npm run build:server failed\n${built.stderr}`);
  const port = await freePort();
  const staticDir = mkdtempSync(join(tmpdir(), 'sertel-bench-static-'));
  const profileDir = process.env.BENCH_CPU_PROF;
  const { DATABASE_URL: _inherited, ...inherited } = process.env;
  const child = spawn(
    process.execPath,
    [
      ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []),
      ...(process.env.BENCH_SERVER_FLAGS ? process.env.BENCH_SERVER_FLAGS.split(' ') : []),
      // The production build (`npm run build:server`), as `npm run server` runs it.
      SERVER_BUNDLE,
    ],
    {
      cwd: ROOT,
      env: {
        ...inherited,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: env.dataDir,
        STATIC_DIR: staticDir,
        ADMIN_TOKEN: TEST_ADMIN_TOKEN,
        LOG_LEVEL: 'warn',
        // As `npm run server` starts it: two malloc arenas instead of eight per core keep the
        // native memory of the request buffers from spreading (30-40 MB less at peak).
        MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
        ...(env.databaseUrl ? { DATABASE_URL: env.databaseUrl } : {}),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error('the sync server process did not start');
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let peakKiB = 0;
  const sampler = setInterval(() => {
    peakKiB = Math.max(peakKiB, procStatusKiB(pid, 'VmRSS') ?? 0);
  }, 100);
  const url = `http://127.0.0.1:${port}`;
  const fail = async (message: string): Promise<never> => {
    clearInterval(sampler);
    child.kill('SIGKILL');
    rmSync(staticDir, { recursive: true, force: true });
    throw new Error(`${message}\n${stderr}`);
  };
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) await fail(`the sync server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/api/v1/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 300) await fail('the sync server did not become ready');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const mib = (kib: number) => Math.round((kib / 1024) * 10) / 10;
  return {
    url,
    pid,
    sampledPeakRssMiB: () => mib(peakKiB),
    async stop() {
      clearInterval(sampler);
      // VmHWM is the kernel's own high-water mark: no peak between two samples is missed.
      const hwm = procStatusKiB(pid, 'VmHWM') ?? peakKiB;
      child.kill('SIGTERM');
      const code = await exited;
      rmSync(staticDir, { recursive: true, force: true });
      if (code !== 0) throw new Error(`the sync server exited with ${code}\n${stderr}`);
      return { peakRssMiB: mib(Math.max(hwm, peakKiB)) };
    },
  };
}

/** The outbox in a persistent Chromium profile (IndexedDB on disk), against the real server. */
async function outboxFigures() {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium not found: run node scripts/ensure-chromium.mjs');
  const dataDir = mkdtempSync(join(tmpdir(), 'sertel-bench-outbox-'));
  const server = await startKioskServer(dataDir);
  const context = await chromium.launchPersistentContext(join(dataDir, 'profile'), {
    executablePath,
    args: CHROMIUM_ARGS,
  });
  try {
    return await runOutboxBenchmark(context, server);
  } finally {
    await context.close();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * One ingest run into a fresh store: `simulator` pushes with the kiosk's whole sync code (outbox,
 * batching, retries) through `simulate()`; `prepared` sends batches made before the clock with the
 * same code, signed at send time (bench/ingest-load.ts), so the clock measures mostly the server.
 */
async function ingestRun(
  records: number,
  load: 'simulator' | 'prepared',
  database?: { url: string; postmasterPid: number },
) {
  const databaseUrl = database?.url;
  const dataDir = mkdtempSync(join(tmpdir(), 'sertel-bench-ingest-'));
  try {
    const server = await spawnServer({ dataDir, ...(databaseUrl ? { databaseUrl } : {}) });
    const batchMs: number[] = [];
    let failedBatches = 0;
    // Set from the loads' onReady callback: TypeScript cannot see that assignment, so a holder object.
    const marks: {
      pushStart?: {
        serverCpu: number;
        databaseCpu: number;
        clientCpu: NodeJS.CpuUsage;
        machine: ReturnType<typeof machineJiffies>;
      };
    } = {};
    let result: { sent: number; acknowledged: number; rejected: number; retries: number; durationMs: number };
    let pushRssMiB = 0;
    // Both loads make every key pair, CSR and encrypted key first, then start their clock: the
    // figures below cover the push phase only.
    const markStart = () => {
      marks.pushStart = {
        serverCpu: procCpuSeconds(server.pid),
        databaseCpu: database ? processTreeCpuSeconds(database.postmasterPid) : 0,
        clientCpu: process.cpuUsage(),
        machine: machineJiffies(),
      };
    };
    const onBatch = ({ ms, status }: { ms: number; status: number | null }) => {
      if (status === 200) batchMs.push(ms);
      else failedBatches++;
    };
    const common = {
      url: server.url,
      adminToken: TEST_ADMIN_TOKEN,
      kiosks: INGEST_KIOSKS,
      records,
      attachmentKb: INGEST_ATTACHMENT_KB,
      batchRecords: INGEST_BATCH_RECORDS,
      onBatch,
    };
    try {
      result =
        load === 'prepared'
          ? { rejected: 0, retries: 0, ...(await pushPrepared({ ...common, onReady: markStart })) }
          : await simulate({
              ...common,
              timeoutMs: 30 * 60_000,
              onReady: markStart,
            });
      pushRssMiB = server.sampledPeakRssMiB();
    } catch (error) {
      await server.stop().catch(() => undefined);
      throw error;
    }
    const start = marks.pushStart;
    if (start === undefined) throw new Error('simulate() did not report the start of its push phase');
    const serverCpuSeconds = procCpuSeconds(server.pid) - start.serverCpu;
    const databaseCpuSeconds = database
      ? processTreeCpuSeconds(database.postmasterPid) - start.databaseCpu
      : null;
    const client = process.cpuUsage(start.clientCpu);
    const machine = machineJiffies();
    const stopped = await server.stop();

    const store = await openStore({ dataDir, databaseUrl });
    let stored: number;
    try {
      stored = await store.countApplications();
    } finally {
      await store.close();
    }
    if (result.acknowledged !== records || result.rejected !== 0 || stored !== records) {
      throw new Error(
        `ingest: ${result.acknowledged} of ${records} acknowledged, ${result.rejected} rejected, ${stored} stored`,
      );
    }
    const seconds = result.durationMs / 1000;
    // Nearest rank, as every figure in results.json.
    const latency = percentiles(batchMs);
    const perRecordMs = (cpuSeconds: number) => Math.round((cpuSeconds * 1000 * 100) / records) / 100;
    const clientCpuSeconds = (client.user + client.system) / 1e6;
    return {
      recordsPerSecond: Math.round(records / seconds),
      pushSeconds: Math.round(seconds * 10) / 10,
      batches: batchMs.length,
      failedBatches,
      retries: result.retries,
      batchLatencyMs: { p50: latency.medianMs, p95: latency.p95Ms, max: latency.maxMs },
      peakRssMiB: stopped.peakRssMiB,
      // The same from 100 ms samples of VmRSS, as a cross-check of the high-water mark.
      sampledPeakRssMiB: pushRssMiB,
      /** CPU time per record: the server process, and the simulated kiosks (same machine). */
      serverCpuMsPerRecord: perRecordMs(serverCpuSeconds),
      kioskSimulatorCpuMsPerRecord: perRecordMs(clientCpuSeconds),
      // PostgreSQL's own processes on the same two cores (SQLite's work is in the server's figure).
      ...(databaseCpuSeconds === null ? {} : { postgresCpuMsPerRecord: perRecordMs(databaseCpuSeconds) }),
      machineBusyPercent: Math.round(
        ((machine.busy - start.machine.busy) / Math.max(1, machine.total - start.machine.total)) * 100,
      ),
      meetsTargets: {
        recordsPerSecond: records / seconds >= INGEST_TARGETS.recordsPerSecond,
        peakRss: stopped.peakRssMiB < INGEST_TARGETS.peakRssMiB,
      },
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function serverFigures() {
  const records = Number(process.env.BENCH_INGEST_RECORDS ?? 10_000);
  if (!Number.isInteger(records) || records < INGEST_KIOSKS)
    throw new Error(`BENCH_INGEST_RECORDS must be a whole number of at least ${INGEST_KIOSKS}`);
  // Each run into an empty store: a fresh SQLite folder, or a fresh database in the cluster.
  const run = async (load: 'prepared' | 'simulator', cluster?: { url: string; pid(): number }) => {
    console.log(`bench: ingest of ${records} records into ${cluster ? 'PostgreSQL' : 'SQLite'}, ${load}…`);
    if (!cluster) return ingestRun(records, load);
    const database = await createScratchDatabase(cluster.url, `ingest_${load}`);
    try {
      return await ingestRun(records, load, { url: database.url, postmasterPid: cluster.pid() });
    } finally {
      await database.drop();
    }
  };
  // BENCH_INGEST_LOADS=prepared and BENCH_INGEST_STORES=sqlite narrow a run while tuning; the figures
  // written are then partial, and say so by what is missing.
  const loads = (process.env.BENCH_INGEST_LOADS ?? 'prepared,simulator').split(',');
  const stores = (process.env.BENCH_INGEST_STORES ?? 'sqlite,postgres').split(',');
  const both = async (cluster?: { url: string; pid(): number }) => ({
    ...(loads.includes('prepared') ? { prepared: await run('prepared', cluster) } : {}),
    ...(loads.includes('simulator') ? { simulator: await run('simulator', cluster) } : {}),
  });
  const sqlite = stores.includes('sqlite') ? await both() : undefined;
  let postgres: Awaited<ReturnType<typeof both>> | undefined;
  if (stores.includes('postgres')) {
    const pg = await startThrowawayPostgres({
      durable: true,
      settings: (process.env.BENCH_PG_SETTINGS ?? '').split(' ').filter((s) => s !== ''),
    });
    try {
      postgres = await both(pg);
    } finally {
      await pg.stop();
    }
  }
  return {
    records,
    kiosks: INGEST_KIOSKS,
    batchRecords: INGEST_BATCH_RECORDS,
    attachmentKb: INGEST_ATTACHMENT_KB,
    targets: INGEST_TARGETS,
    note:
      'The sync server runs as its own process from its production bundle (LOG_LEVEL=warn), on the same 2-core ' +
      'machine as the load. Every request signature, record schema, picture digest and CSR is verified and each ' +
      'batch is acknowledged after a durable commit (SQLite WAL synchronous=FULL; PostgreSQL with fsync). ' +
      '"prepared": 4 kiosks send batches made before the clock with the kiosk code (binary frames), signed at ' +
      'send time, each waiting for its acknowledgement; this measures the server. "simulator": the full kiosk ' +
      'sync code (outbox, batching, retries) pushes during the clock and competes with the server for the two ' +
      'cores. records/s and batch latency cover the push phase only (key pairs and CSRs are made before it); ' +
      'batch latency is the signed round trip as the kiosk sees it; peak RSS is the server high-water mark.',
    sqlite,
    postgres,
  };
}

const SECTIONS = ['kiosk', 'node', 'keys', 'outbox', 'server', 'ocr'] as const;
type Section = (typeof SECTIONS)[number];
const RESULTS = 'bench/results.json';

function sectionsToRun(): Section[] {
  const only = process.env.BENCH_ONLY?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!only || only.length === 0) return [...SECTIONS];
  const unknown = only.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown.length > 0)
    throw new Error(`BENCH_ONLY: unknown ${unknown.join(', ')}; known: ${SECTIONS.join(', ')}`);
  return only as Section[];
}

async function main() {
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  const sections = sectionsToRun();
  const partial = sections.length < SECTIONS.length;
  // A partial run keeps the other sections of the last full run.
  const previous: Record<string, unknown> =
    partial && existsSync(RESULTS)
      ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as Record<string, unknown>)
      : {};
  const fresh: Record<string, unknown> = {};
  if (sections.includes('node')) {
    console.log('bench: crypto in Node…');
    fresh.node = await nodeCrypto(runs);
  }
  if (sections.includes('kiosk')) {
    console.log('bench: kiosk in Chromium…');
    fresh.kiosk = await browserFigures(runs);
  }
  if (sections.includes('keys')) {
    console.log('bench: keys, CSRs and PKCS#12 per profile…');
    fresh.keys = await keyFigures(runs * 6);
  }
  if (sections.includes('outbox')) {
    console.log('bench: the outbox in Chromium (10,000 stored, 1,000 synced)…');
    fresh.outbox = await outboxFigures();
  }
  if (sections.includes('server')) {
    console.log('bench: server ingest…');
    fresh.server = await serverFigures();
  }
  let ocr: Awaited<ReturnType<typeof runOcrBenchmark>> | null = null;
  if (sections.includes('ocr')) {
    console.log('bench: e-KTP OCR…');
    ocr = await runOcrBenchmark();
    fresh.ocr = ocr;
  }
  const results: Record<string, unknown> = {
    ...previous,
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
    },
  };
  delete results.lastRunSections;
  for (const section of SECTIONS) {
    const value = fresh[section] ?? previous[section];
    delete results[section];
    if (value !== undefined) results[section] = value;
  }
  // Which sections this run measured (the others, if any, are from an earlier run).
  results.lastRunSections = sections;
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  const { ocr: _ocr, ...rest } = fresh;
  if (Object.keys(rest).length > 0) console.log(JSON.stringify(rest, null, 2));
  if (ocr) console.log(formatOcrSummary(ocr));
  console.log(`bench: wrote ${RESULTS} (${sections.join(', ')})`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
