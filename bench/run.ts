// `npm run bench`: the kiosk's performance figures, written to bench/results.json.
//   - kiosk: cold start from the service worker (offline, persistent profile, Chromium), key pair +
//     CSR + encrypted key through the real form
//   - node: the key and CSR pieces in Node
//   - keys: key + CSR per certificate profile (median, p95) in Chromium and Node, PBKDF2, PKCS#12
//   - server: ingest of 1,000 records over HTTP, on SQLite and on PostgreSQL (both durable)
//   - ocr: e-KTP reading accuracy and time on a synthetic dataset, the kiosk's pipeline against a naive
//     baseline, in Node and in Chromium (bench/ocr.ts)
// BENCH_ONLY=ocr (or a comma list of kiosk,node,keys,server,ocr) runs only those sections and keeps the
// others from the existing bench/results.json.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { renderEktpPng } from '../scripts/make-ektp';
import { createCsr, type SubjectAttribute } from '../src/core/certificate/csr';
import { generateApplicantKeyPair } from '../src/core/certificate/keys';
import { encryptPrivateKey } from '../src/core/certificate/pkcs8';
import type { ApplicationRecord } from '../src/protocol/sync';
import { SYNC_BATCHES_PATH } from '../src/protocol/sync';
import { loadConfig } from '../sync-server/src/config';
import { createLogger } from '../sync-server/src/logger';
import { type RunningServer, startServer } from '../sync-server/src/server';
import { CHROMIUM_ARGS, findChromium } from '../tests/support/chromium';
import { makePerson } from '../tests/support/ektp';
import { startThrowawayPostgres } from '../tests/support/postgres';
import {
  enrollTestKioskViaAdmin,
  signedHeaders,
  TEST_ADMIN_TOKEN,
  urlFetcher,
} from '../tests/support/signed-kiosk';
import { makeWireRecord } from '../tests/support/wire-records';
import { runKeyBenchmark } from './keys';
import { formatOcrSummary, runOcrBenchmark } from './ocr';

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
    // The ingest figures enroll a kiosk through the admin API, as a deployment would.
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
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

async function ingest(
  server: RunningServer,
  total: number,
  batchSize: number,
): Promise<Stats & { recordsPerSecond: number }> {
  // Twenty real applicants, reused with fresh ids: the server verifies every CSR it receives.
  const templates: ApplicationRecord[] = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      makeWireRecord({ applicant: { nama: `PEGAWAI UJI ${String.fromCharCode(65 + i)}` } }),
    ),
  );
  const image = Buffer.alloc(150_000, 7);
  image.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const dataBase64 = image.toString('base64');
  const batches: ApplicationRecord[][] = [];
  for (let i = 0; i < total; i += batchSize) {
    batches.push(
      Array.from({ length: Math.min(batchSize, total - i) }, (_, j) => {
        const template = templates[(i + j) % templates.length] as ApplicationRecord;
        return { ...template, id: crypto.randomUUID(), ektpImage: { mediaType: 'image/png', dataBase64 } };
      }),
    );
  }
  const kiosk = await enrollTestKioskViaAdmin(urlFetcher(server.url), 'Bench');
  const perBatch: number[] = [];
  const start = performance.now();
  for (const records of batches) {
    // Signing (a SHA-256 of the body and one ECDSA signature) is part of every real round trip.
    const [response, ms] = await timed(async () => {
      const body = Buffer.from(JSON.stringify({ kioskId: kiosk.kioskId, records }));
      return fetch(new URL(SYNC_BATCHES_PATH, server.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await signedHeaders(kiosk, body)) },
        body,
      });
    });
    if (!response.ok) throw new Error(`ingest failed: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as { results: { status: string }[] };
    if (body.results.some((r) => r.status !== 'stored')) throw new Error('ingest: a record was not stored');
    perBatch.push(ms);
  }
  const totalMs = performance.now() - start;
  if ((await server.store.countApplications()) !== total) throw new Error('ingest: wrong record count');
  return { ...stats(perBatch), recordsPerSecond: Math.round((total / totalMs) * 1000) };
}

async function serverFigures() {
  const total = 1000;
  const batchSize = 50;
  const sqliteDir = mkdtempSync(join(tmpdir(), 'sertel-bench-sqlite-'));
  const sqliteServer = await startKioskServer(sqliteDir);
  let sqlite: Awaited<ReturnType<typeof ingest>>;
  try {
    sqlite = await ingest(sqliteServer, total, batchSize);
  } finally {
    await sqliteServer.close();
    rmSync(sqliteDir, { recursive: true, force: true });
  }
  const pg = await startThrowawayPostgres({ durable: true });
  const pgDir = mkdtempSync(join(tmpdir(), 'sertel-bench-pg-'));
  let postgres: Awaited<ReturnType<typeof ingest>>;
  try {
    const pgServer = await startKioskServer(pgDir, pg.url);
    try {
      postgres = await ingest(pgServer, total, batchSize);
    } finally {
      await pgServer.close();
    }
  } finally {
    await pg.stop();
    rmSync(pgDir, { recursive: true, force: true });
  }
  return {
    records: total,
    batchSize,
    imageBytesPerRecord: 150_000,
    note: 'per-batch figures are HTTP round trips of 50 records incl. schema + CSR verification and a durable commit',
    sqlite,
    postgres,
  };
}

const SECTIONS = ['kiosk', 'node', 'keys', 'server', 'ocr'] as const;
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
