/*
 * The e-KTP OCR benchmark (`bench/run.ts`, section `ocr`; alone: `BENCH_ONLY=ocr npx tsx bench/run.ts`).
 *
 * A synthetic dataset with ground truth (scripts/make-ektp.ts: seeds × variants clean, photo, degraded,
 * lowres, upside-down) is read by
 *   - the kiosk's pipeline in Node (createNodeEktpReader: straightening, region OCR, parser),
 *   - the naive baseline in Node (bench/ocr-baseline.ts: one whole-image tesseract pass + label regexes),
 *   - the kiosk itself in Chromium (the built app, each image uploaded through the file input, timed
 *     from setInputFiles to the read picture and its caption: "capture to filled form"),
 *   - the baseline in Chromium (the same tesseract.js build and assets the kiosk serves, in a page of
 *     the kiosk's origin: recognition time in the browser; the regexes run in Node, they take < 1 ms),
 * on a subset for Chromium. Every figure is compared with the ground truth exactly (no normalisation).
 *
 * Environment: BENCH_OCR_SEEDS (seeds, default 40, from 2000), BENCH_OCR_BROWSER_SEEDS (the first n
 * of them read in Chromium, default 10), BENCH_OCR_VARIANTS (comma list), BENCH_STATIC_DIR (the built
 * kiosk, default dist).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import type { createWorker, Worker } from 'tesseract.js';
import {
  EKTP_VARIANTS,
  type EktpVariant,
  generateDataset,
  launchChromium,
  type ManifestImage,
} from '../scripts/make-ektp';
import { createNodeEktpReader } from '../src/adapters/ocr/node/node-reader';
import { DEFAULT_CONFIDENCE_THRESHOLD } from '../src/core/ocr/parse-ektp';
import { EKTP_FIELDS, type EktpField, type EktpFields } from '../src/core/ocr/types';
import { loadConfig } from '../sync-server/src/config';
import { createLogger } from '../sync-server/src/logger';
import { type RunningServer, startServer } from '../sync-server/src/server';
import { createBaselineReader, parseBaselineLines } from './ocr-baseline';

// ---------------------------------------------------------------------------------------------
// Targets (the issue): NIK and all-field exact rates per group, wrong-but-confident, kiosk latency.

export const OCR_TARGETS = {
  nikExactRate: { clean: 0.99, degraded: 0.97 },
  allFieldsExactRate: { clean: 0.97, degraded: 0.92 },
  wrongButConfidentRate: { max: 0.01 },
  chromiumMedianMsPerCard: { max: 2500 },
} as const;

// ---------------------------------------------------------------------------------------------
// One card as read

interface FieldOutcome {
  value: string;
  /** What the officer sees: not highlighted as unsure. */
  confident: boolean;
}

interface CardOutcome {
  image: ManifestImage;
  ms: number;
  /** The reader gave up (error, no card found, the kiosk's failure message, timeout). */
  failed: boolean;
  fields: Record<EktpField, FieldOutcome>;
  /** The kiosk's own figure ("Terbaca dalam x detik"), Chromium only. */
  kioskMs?: number;
}

/** The kiosk's rule (ApplicationForm `unsure`): a filled field below the threshold is highlighted. */
const isConfident = (value: string, confidence: number) =>
  value !== '' && !(confidence > 0 && confidence < DEFAULT_CONFIDENCE_THRESHOLD);

function outcomeFrom(fields: EktpFields, confidence: Record<EktpField, number>): CardOutcome['fields'] {
  return Object.fromEntries(
    EKTP_FIELDS.map((f) => [f, { value: fields[f], confident: isConfident(fields[f], confidence[f]) }]),
  ) as CardOutcome['fields'];
}

const unread = (): CardOutcome['fields'] =>
  Object.fromEntries(EKTP_FIELDS.map((f) => [f, { value: '', confident: false }])) as CardOutcome['fields'];

// ---------------------------------------------------------------------------------------------
// Figures

export interface GroupStats {
  cards: number;
  failures: number;
  /** Cards whose NIK was read exactly. */
  nikExactRate: number;
  /** Fields read exactly, over all fields of all cards. */
  allFieldsExactRate: number;
  /** Cards with all 17 fields exact. */
  cardsAllExactRate: number;
  /** Fields filled, wrong and not highlighted as unsure, over all fields. */
  wrongButConfidentRate: number;
  /** Fields highlighted as unsure (the officer must confirm them), over all fields. */
  flaggedRate: number;
  /** Fields left empty, over all fields. */
  emptyRate: number;
  msMedian: number;
  msP95: number;
  /** The kiosk's own reading time (its caption), Chromium only. */
  kioskMsMedian?: number;
  perFieldExactRate?: Record<EktpField, number>;
}

export interface ReaderFigures {
  groups: { clean: GroupStats; degraded: GroupStats; all: GroupStats };
  variants: Partial<Record<EktpVariant, GroupStats>>;
  /** Wrong fields nobody would be warned about, counted per field over all cards. */
  wrongButConfidentByField: Partial<Record<EktpField, number>>;
  /** A few of them (synthetic data), for whoever tunes the reader. */
  wrongButConfidentExamples: { file: string; field: EktpField; read: string; truth: string }[];
}

const round = (n: number, digits = 4) => Math.round(n * 10 ** digits) / 10 ** digits;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  if (s.length === 0) return 0;
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

function groupStats(cards: CardOutcome[], withPerField: boolean): GroupStats {
  const n = cards.length;
  const fieldsTotal = Math.max(1, n * EKTP_FIELDS.length);
  let exact = 0;
  let wrongConfident = 0;
  let flagged = 0;
  let empty = 0;
  let allExact = 0;
  let nikExact = 0;
  const perField = Object.fromEntries(EKTP_FIELDS.map((f) => [f, 0])) as Record<EktpField, number>;
  for (const card of cards) {
    let cardExact = true;
    for (const f of EKTP_FIELDS) {
      const { value, confident } = card.fields[f];
      const ok = value === card.image.truth[f];
      if (ok) {
        exact++;
        perField[f]++;
      } else {
        cardExact = false;
        if (confident && value !== '') wrongConfident++;
      }
      if (value === '') empty++;
      else if (!confident) flagged++;
    }
    if (cardExact) allExact++;
    if (card.fields.nik.value === card.image.truth.nik) nikExact++;
  }
  const ms = cards.map((c) => c.ms).sort((a, b) => a - b);
  const kiosk = cards.flatMap((c) => (c.kioskMs === undefined ? [] : [c.kioskMs]));
  return {
    cards: n,
    failures: cards.filter((c) => c.failed).length,
    nikExactRate: round(nikExact / Math.max(1, n)),
    allFieldsExactRate: round(exact / fieldsTotal),
    cardsAllExactRate: round(allExact / Math.max(1, n)),
    wrongButConfidentRate: round(wrongConfident / fieldsTotal),
    flaggedRate: round(flagged / fieldsTotal),
    emptyRate: round(empty / fieldsTotal),
    msMedian: Math.round(median(ms)),
    msP95: Math.round(percentile(ms, 0.95)),
    ...(kiosk.length > 0 ? { kioskMsMedian: Math.round(median(kiosk)) } : {}),
    ...(withPerField
      ? {
          perFieldExactRate: Object.fromEntries(
            EKTP_FIELDS.map((f) => [f, round(perField[f] / Math.max(1, n), 3)]),
          ) as Record<EktpField, number>,
        }
      : {}),
  };
}

function figures(cards: CardOutcome[]): ReaderFigures {
  const clean = cards.filter((c) => c.image.variant === 'clean');
  const degraded = cards.filter((c) => c.image.variant !== 'clean');
  const variants: ReaderFigures['variants'] = {};
  for (const v of EKTP_VARIANTS) {
    const these = cards.filter((c) => c.image.variant === v);
    if (these.length > 0) variants[v] = groupStats(these, false);
  }
  const examples = cards
    .flatMap((c) =>
      EKTP_FIELDS.filter(
        (f) => c.fields[f].confident && c.fields[f].value !== '' && c.fields[f].value !== c.image.truth[f],
      ).map((f) => ({ file: c.image.file, field: f, read: c.fields[f].value, truth: c.image.truth[f] })),
    )
    .slice(0, 12);
  const byField: Partial<Record<EktpField, number>> = {};
  for (const c of cards)
    for (const f of EKTP_FIELDS)
      if (c.fields[f].confident && c.fields[f].value !== '' && c.fields[f].value !== c.image.truth[f])
        byField[f] = (byField[f] ?? 0) + 1;
  return {
    groups: {
      clean: groupStats(clean, true),
      degraded: groupStats(degraded, true),
      all: groupStats(cards, false),
    },
    variants,
    wrongButConfidentByField: byField,
    wrongButConfidentExamples: examples,
  };
}

// ---------------------------------------------------------------------------------------------
// Readers

type Progress = (message: string) => void;

async function timedLoop(
  label: string,
  images: ManifestImage[],
  log: Progress,
  /** `ms` when the reader times itself (Chromium: the upload only, not the retake before it). */
  readOne: (image: ManifestImage) => Promise<Omit<CardOutcome, 'image' | 'ms'> & { ms?: number }>,
): Promise<CardOutcome[]> {
  const out: CardOutcome[] = [];
  const started = performance.now();
  for (const [i, image] of images.entries()) {
    const t0 = performance.now();
    let result: Omit<CardOutcome, 'image' | 'ms'> & { ms?: number };
    try {
      result = await readOne(image);
    } catch (err) {
      log(`  ${label}: ${image.file}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
      result = { failed: true, fields: unread() };
    }
    const { ms = performance.now() - t0, ...rest } = result;
    out.push({ image, ms, ...rest });
    if ((i + 1) % 25 === 0 || i + 1 === images.length)
      log(`  ${label}: ${i + 1}/${images.length} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  return out;
}

async function nodePipeline(dir: string, images: ManifestImage[], log: Progress): Promise<CardOutcome[]> {
  const reader = await createNodeEktpReader();
  try {
    const first = images[0];
    if (first) await reader.read(readFileSync(join(dir, first.file))); // warm-up, not counted
    return await timedLoop('node pipeline', images, log, async (image) => {
      const result = await reader.read(readFileSync(join(dir, image.file)));
      if (result.noCard) return { failed: true, fields: unread() };
      return { failed: false, fields: outcomeFrom(result.fields, result.confidence) };
    });
  } finally {
    await reader.close();
  }
}

async function nodeBaseline(dir: string, images: ManifestImage[], log: Progress): Promise<CardOutcome[]> {
  const reader = await createBaselineReader();
  try {
    const first = images[0];
    if (first) await reader.read(readFileSync(join(dir, first.file)));
    return await timedLoop('node baseline', images, log, async (image) => {
      const result = await reader.read(readFileSync(join(dir, image.file)));
      return { failed: false, fields: outcomeFrom(result.fields, result.confidence) };
    });
  } finally {
    await reader.close();
  }
}

/** The kiosk page, one upload after another (retake between cards: every field is replaced). */
async function chromiumPipeline(
  browser: Browser,
  url: string,
  dir: string,
  images: ManifestImage[],
  log: Progress,
): Promise<CardOutcome[]> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  try {
    const page = await context.newPage();
    const open = async () => {
      await page.goto(url);
      await page.getByRole('heading', { name: 'Permohonan Sertifikat Elektronik' }).waitFor();
    };
    await open();
    const caption = page.locator('figure.ektp-picture figcaption', { hasText: 'Terbaca dalam' });
    const failure = page.getByTestId('ektp-failure');
    const upload = async (image: ManifestImage) => {
      const retake = page.getByRole('button', { name: 'Ambil ulang' });
      if (await retake.isVisible()) {
        await retake.click();
        await page.locator('figure.ektp-picture').waitFor({ state: 'detached' });
        await failure.waitFor({ state: 'detached' });
      }
      const buffer = readFileSync(join(dir, image.file));
      // Timed in the page: Playwright polls a waiting locator only every 500 ms after the first
      // few tries, which would add up to half a second to every card. The observer notes the moment
      // the reading is in the DOM (the picture, its caption and the fields are set in one update).
      await page.evaluate(() => {
        // No named functions in here: tsx would wrap them in a helper the page does not have.
        const g = globalThis as unknown as BenchPage;
        g.benchEnd = undefined;
        const observer = new MutationObserver(() => {
          const read = Array.from(document.querySelectorAll('figure.ektp-picture figcaption')).some((e) =>
            e.textContent?.includes('Terbaca dalam'),
          );
          if (!read && document.querySelector('[data-testid="ektp-failure"]') === null) return;
          g.benchEnd = performance.now();
          observer.disconnect();
        });
        observer.observe(document.body, { childList: true, subtree: true, characterData: true });
        g.benchStart = performance.now();
      });
      const wall = performance.now();
      await page
        .getByLabel('Foto atau pindaian e-KTP')
        .setInputFiles({ name: image.file, mimeType: image.mediaType, buffer });
      // Either outcome: a read card (picture and caption) or the failure message.
      await caption.or(failure).first().waitFor({ timeout: 90_000 });
      await page.getByRole('img', { name: 'Gambar e-KTP yang dibaca' }).or(failure).first().waitFor();
      const inPage = await page.evaluate(() => {
        const g = globalThis as unknown as BenchPage;
        return g.benchEnd !== undefined && g.benchStart !== undefined ? g.benchEnd - g.benchStart : null;
      });
      return inPage ?? performance.now() - wall;
    };
    const first = images[0];
    if (first) await upload(first); // warm-up: the engines started at page load, the first read JITs
    return await timedLoop('chromium pipeline', images, log, async (image) => {
      let ms: number;
      try {
        ms = await upload(image);
      } catch (err) {
        await open(); // a stuck reading: start over on a fresh page for the next card
        throw err;
      }
      if (await failure.isVisible()) return { failed: true, fields: unread(), ms };
      const read = await readForm(page);
      const seconds = /Terbaca dalam ([\d.,]+)/.exec((await caption.textContent()) ?? '')?.[1];
      const kioskMs = seconds ? Number(seconds.replace(',', '.')) * 1000 : undefined;
      return { failed: false, fields: read, ms, ...(kioskMs === undefined ? {} : { kioskMs }) };
    });
  } finally {
    await context.close();
  }
}

async function readForm(page: Page): Promise<CardOutcome['fields']> {
  const rows = await page.evaluate(
    (fields) => {
      return fields.map((f) => {
        const input = document.getElementById(`ektp-${f}`);
        const box = document.querySelector(`[data-testid="ektp-field-${f}"]`);
        return {
          value: input instanceof HTMLInputElement ? input.value : '',
          unsure: box?.getAttribute('data-unsure') === 'true',
        };
      });
    },
    [...EKTP_FIELDS],
  );
  return Object.fromEntries(
    EKTP_FIELDS.map((f, i) => {
      const row = rows[i] ?? { value: '', unsure: false };
      return [f, { value: row.value, confident: row.value !== '' && !row.unsure }];
    }),
  ) as CardOutcome['fields'];
}

interface BenchPage {
  benchStart?: number;
  benchEnd?: number | undefined;
}

interface BenchGlobal {
  Tesseract?: { createWorker: typeof createWorker };
  benchWorker?: Worker;
}

const require = createRequire(import.meta.url);
const pkgDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/**
 * The baseline in Chromium: tesseract.js's browser build, with the worker, cores and language data
 * the kiosk serves (/tesseract/), in a page of the kiosk's origin without its service worker.
 */
async function chromiumBaseline(
  browser: Browser,
  url: string,
  dir: string,
  images: ManifestImage[],
  log: Progress,
): Promise<CardOutcome[]> {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    const script = readFileSync(join(pkgDir('tesseract.js'), 'dist', 'tesseract.min.js'), 'utf8');
    const base = new URL('/__bench/', url).href;
    await page.route(`${base}**`, (route) =>
      route.request().url().endsWith('.js')
        ? route.fulfill({ contentType: 'text/javascript', body: script })
        : route.fulfill({
            contentType: 'text/html',
            body: '<!doctype html><title>baseline</title><script src="/__bench/tesseract.min.js"></script>',
          }),
    );
    await page.goto(`${base}baseline.html`);
    await page.evaluate(async () => {
      const g = globalThis as unknown as BenchGlobal;
      if (!g.Tesseract) throw new Error('tesseract.js did not load');
      g.benchWorker = await g.Tesseract.createWorker('ind+eng', 1, {
        workerPath: '/tesseract/worker.min.js',
        corePath: '/tesseract/',
        langPath: '/tesseract/lang',
        gzip: true,
        cacheMethod: 'none',
        workerBlobURL: false,
      });
    });
    const recognize = (image: ManifestImage) => {
      const dataUrl = `data:${image.mediaType};base64,${readFileSync(join(dir, image.file)).toString('base64')}`;
      return page.evaluate(async (src) => {
        const worker = (globalThis as unknown as BenchGlobal).benchWorker;
        if (!worker) throw new Error('no worker');
        const { data } = await worker.recognize(src, {}, { text: true, blocks: true });
        return (data.blocks ?? [])
          .flatMap((b) => b.paragraphs.flatMap((p) => p.lines))
          .map((l) => ({ text: l.text.replace(/\s+$/u, ''), confidence: l.confidence / 100 }))
          .filter((l) => l.text.trim() !== '');
      }, dataUrl);
    };
    const first = images[0];
    if (first) await recognize(first);
    return await timedLoop('chromium baseline', images, log, async (image) => {
      const { fields, confidence } = parseBaselineLines(await recognize(image));
      return { failed: false, fields: outcomeFrom(fields, confidence) };
    });
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The run

export interface OcrBenchOptions {
  seeds?: number[];
  variants?: EktpVariant[];
  /** Seeds also read in Chromium (default: the first 10). */
  browserSeeds?: number[];
  /** The built kiosk served to Chromium (default dist). */
  staticDir?: string;
  log?: Progress;
}

export type TargetChecks = {
  nikClean: boolean;
  nikDegraded: boolean;
  allFieldsClean: boolean;
  allFieldsDegraded: boolean;
  wrongButConfident: boolean;
};

function check(f: ReaderFigures): TargetChecks {
  const { clean, degraded } = f.groups;
  return {
    nikClean: clean.nikExactRate >= OCR_TARGETS.nikExactRate.clean,
    nikDegraded: degraded.nikExactRate >= OCR_TARGETS.nikExactRate.degraded,
    allFieldsClean: clean.allFieldsExactRate >= OCR_TARGETS.allFieldsExactRate.clean,
    allFieldsDegraded: degraded.allFieldsExactRate >= OCR_TARGETS.allFieldsExactRate.degraded,
    wrongButConfident:
      clean.wrongButConfidentRate <= OCR_TARGETS.wrongButConfidentRate.max &&
      degraded.wrongButConfidentRate <= OCR_TARGETS.wrongButConfidentRate.max,
  };
}

function newestMtime(path: string): number {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(
    info.mtimeMs,
    ...readdirSync(path).map((name) => (name === 'node_modules' ? 0 : newestMtime(join(path, name)))),
  );
}

async function startKiosk(staticDir: string, dataDir: string): Promise<RunningServer> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    STATIC_DIR: staticDir,
    LOG_LEVEL: 'silent',
  });
  return startServer(config, createLogger('silent'));
}

const seedList = (first: number, count: number) => Array.from({ length: count }, (_, i) => first + i);

export async function runOcrBenchmark(options: OcrBenchOptions = {}) {
  const log = options.log ?? ((m: string) => console.log(m));
  const seeds = options.seeds ?? seedList(2000, Number(process.env.BENCH_OCR_SEEDS ?? 40));
  const variants =
    options.variants ??
    (process.env.BENCH_OCR_VARIANTS
      ? (process.env.BENCH_OCR_VARIANTS.split(',').map((v) => v.trim()) as EktpVariant[])
      : [...EKTP_VARIANTS]);
  const browserSeeds =
    options.browserSeeds ?? seeds.slice(0, Number(process.env.BENCH_OCR_BROWSER_SEEDS ?? 10));
  const staticDir = resolve(options.staticDir ?? process.env.BENCH_STATIC_DIR ?? 'dist');
  const runSeconds: Record<string, number> = {};
  const phase = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      runSeconds[name] = Math.round((performance.now() - t0) / 100) / 10;
    }
  };
  // Node reads the current src/, Chromium the build: say when they may differ.
  const stale = newestMtime(resolve('src')) > statSync(join(staticDir, 'index.html')).mtimeMs;
  if (stale) log(`bench ocr: note: ${staticDir} is older than src/ (npm run build for the current code)`);
  const started = performance.now();
  const work = mkdtempSync(join(tmpdir(), 'sertel-bench-ocr-'));
  try {
    const dataset = join(work, 'images');
    log(`bench ocr: generating ${seeds.length} seeds × ${variants.length} variants…`);
    const { manifest } = await phase('generate', () => generateDataset({ seeds, variants, out: dataset }));
    const images = manifest.images;

    log(`bench ocr: kiosk pipeline in Node (${images.length} images)…`);
    const nodeP = await phase('nodePipeline', () => nodePipeline(dataset, images, log));
    log(`bench ocr: baseline in Node (${images.length} images)…`);
    const nodeB = await phase('nodeBaseline', () => nodeBaseline(dataset, images, log));

    const subset = images.filter((i) => browserSeeds.includes(i.seed));
    const browser = await launchChromium();
    const server = await startKiosk(staticDir, join(work, 'server'));
    let chromeP: CardOutcome[];
    let chromeB: CardOutcome[] | string;
    try {
      log(`bench ocr: the kiosk in Chromium (${subset.length} images)…`);
      chromeP = await phase('chromiumPipeline', () =>
        chromiumPipeline(browser, server.url, dataset, subset, log),
      );
      log(`bench ocr: baseline in Chromium (${subset.length} images)…`);
      try {
        chromeB = await phase('chromiumBaseline', () =>
          chromiumBaseline(browser, server.url, dataset, subset, log),
        );
      } catch (err) {
        chromeB = `not run: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
      }
    } finally {
      await server.close();
      await browser.close();
    }
    runSeconds.total = Math.round((performance.now() - started) / 100) / 10;

    const inSubset = (c: CardOutcome) => browserSeeds.includes(c.image.seed);
    const subsetGroups = (cards: CardOutcome[]) => ({
      clean: groupStats(
        cards.filter((c) => inSubset(c) && c.image.variant === 'clean'),
        false,
      ),
      degraded: groupStats(
        cards.filter((c) => inSubset(c) && c.image.variant !== 'clean'),
        false,
      ),
    });
    const node = {
      pipeline: figures(nodeP),
      baseline: figures(nodeB),
      /** The same readers on the Chromium subset only: Node and Chromium side by side. */
      onChromiumSubset: { pipeline: subsetGroups(nodeP), baseline: subsetGroups(nodeB) },
    };
    const chromium = {
      pipeline: figures(chromeP),
      baseline: typeof chromeB === 'string' ? chromeB : figures(chromeB),
    };
    const medianOk = chromium.pipeline.groups.all.msMedian <= OCR_TARGETS.chromiumMedianMsPerCard.max;
    const nodeChecks = check(node.pipeline);
    return {
      date: new Date().toISOString(),
      dataset: {
        generator: 'scripts/make-ektp.ts',
        seeds: { first: seeds[0], count: seeds.length },
        variants,
        images: images.length,
        chromiumSubset: {
          seeds: { first: browserSeeds[0], count: browserSeeds.length },
          variants,
          images: subset.length,
        },
      },
      confidenceThreshold: DEFAULT_CONFIDENCE_THRESHOLD,
      definitions: {
        groups: 'clean = variant clean; degraded = photo + degraded + lowres + upside-down; all = both',
        exact: 'read value === ground truth (manifest truth), no normalisation',
        allFieldsExactRate: 'exact fields / (cards × 17)',
        cardsAllExactRate: 'cards with all 17 fields exact / cards',
        wrongButConfidentRate:
          'fields filled, wrong and not highlighted as unsure / (cards × 17); Node: the kiosk rule (unsure = 0 < confidence < threshold), Chromium: data-unsure="false"',
        flaggedRate: 'filled fields highlighted as unsure / (cards × 17)',
        failures: 'no reading (error, no card found, the kiosk failure message); all fields count as empty',
        msNode: 'reader.read(buffer) wall time, after one warm-up read',
        msChromium:
          'pipeline: setInputFiles → picture, "Terbaca dalam" caption and fields in the DOM (capture to filled form), page clock, warm page; kioskMsMedian is the kiosk\'s own caption figure (0.1 s steps); baseline: recognize() in the page, incl. passing the image',
      },
      node,
      chromium,
      targets: OCR_TARGETS,
      /** The kiosk pipeline: accuracy on the full set in Node, latency in Chromium. */
      met: { ...nodeChecks, medianCaptureToFilledForm: medianOk },
      metBy: {
        nodePipeline: nodeChecks,
        nodeBaseline: check(node.baseline),
        chromiumPipeline: { ...check(chromium.pipeline), medianCaptureToFilledForm: medianOk },
        ...(typeof chromium.baseline === 'string'
          ? {}
          : {
              chromiumBaseline: {
                ...check(chromium.baseline),
                // Recognition time only (no form): not "capture to filled form".
                medianMsPerCard:
                  chromium.baseline.groups.all.msMedian <= OCR_TARGETS.chromiumMedianMsPerCard.max,
              },
            }),
      },
      build: { staticDir, olderThanSrc: stale },
      runSeconds,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export type OcrBenchResults = Awaited<ReturnType<typeof runOcrBenchmark>>;

// ---------------------------------------------------------------------------------------------
// Summary

const pct = (r: number) => `${(r * 100).toFixed(1)}%`.padStart(7);
const ms = (n: number) => String(n).padStart(6);

export function formatOcrSummary(r: OcrBenchResults): string {
  const readers: [string, ReaderFigures | string][] = [
    ['node pipeline', r.node.pipeline],
    ['node baseline', r.node.baseline],
    ['chromium pipeline', r.chromium.pipeline],
    ['chromium baseline', r.chromium.baseline],
  ];
  const head = `${'reader / group'.padEnd(30)}${[
    'cards',
    'fail',
    'NIK',
    'fields',
    'cards',
    'wrong+',
    'flagged',
    'median',
    'p95',
  ]
    .map((h) => h.padStart(7))
    .join('')}`;
  const row = (name: string, g: GroupStats) =>
    `${name.padEnd(30)}${String(g.cards).padStart(7)}${String(g.failures).padStart(7)}${pct(g.nikExactRate)}${pct(
      g.allFieldsExactRate,
    )}${pct(g.cardsAllExactRate)}${pct(g.wrongButConfidentRate)}${pct(g.flaggedRate)} ${ms(g.msMedian)}${ms(g.msP95)}`;
  const lines = [
    `OCR (${r.dataset.images} images; Chromium ${r.dataset.chromiumSubset.images}; threshold ${r.confidenceThreshold}; NIK/fields/cards = exact rates, wrong+ = wrong but not flagged, ms per card)`,
    head,
  ];
  for (const [name, f] of readers) {
    if (typeof f === 'string') {
      lines.push(`${name.padEnd(30)}${f}`);
      continue;
    }
    lines.push(row(`${name} clean`, f.groups.clean), row(`${name} degraded`, f.groups.degraded));
    for (const [v, g] of Object.entries(f.variants)) if (v !== 'clean') lines.push(row(`  ${v}`, g));
    if (name === 'chromium pipeline') {
      const same = r.node.onChromiumSubset.pipeline;
      lines.push(
        row('  (node, same cards) clean', same.clean),
        row('  (node, same cards) degraded', same.degraded),
      );
    }
  }
  const met = Object.entries(r.met)
    .map(([k, v]) => `${k} ${v ? 'yes' : 'NO'}`)
    .join(', ');
  lines.push(`targets met (kiosk pipeline): ${met}`);
  lines.push(
    `run: ${Object.entries(r.runSeconds)
      .map(([k, v]) => `${k} ${v} s`)
      .join(', ')}${r.build.olderThanSrc ? ` — note: ${r.build.staticDir} is older than src/` : ''}`,
  );
  return lines.join('\n');
}
