// Writes synthetic e-KTP images and their ground truth, seeded and reproducible:
//   npm run fixtures -- [--seed 1] [--count 5] [--variants clean,photo,degraded,lowres,upside-down]
//                       [--out tests/fixtures/generated] [--pages 3]
// Per seed: ektp-<seed>-<variant>.<png|jpg> and ektp-<seed>.json (person and field truth); plus
// manifest.json listing every image with its seed, variant, size, card corners and truth.
import { mkdirSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Browser, type BrowserContext, chromium, type Page } from '@playwright/test';
import type { EktpFields } from '../src/core/ocr/types';
import { CHROMIUM_ARGS, findChromium } from '../tests/support/chromium';
import { type EktpPerson, makePerson, personFields } from '../tests/support/ektp';
import {
  CARD_PX,
  degradedHtml,
  degradeParams,
  EKTP_VARIANTS,
  type EktpVariant,
  imagePageHtml,
  isEktpVariant,
  lowresParams,
  PHOTO_PX,
  photoHtml,
  photoParams,
  scanHtml,
} from '../tests/support/ektp-scene';
import { imageInfo } from '../tests/support/image-info';

export { EKTP_VARIANTS, type EktpVariant } from '../tests/support/ektp-scene';

export type MediaType = 'image/png' | 'image/jpeg';

export interface Point {
  x: number;
  y: number;
}

export interface RenderedEktp {
  image: Buffer;
  mediaType: MediaType;
  width: number;
  height: number;
  /**
   * Where the card's (sharp, un-rounded) corners landed in the image, in the card's own order:
   * top-left, top-right, bottom-right, bottom-left of the printed card (so upside-down starts
   * bottom-right of the image).
   */
  corners: [Point, Point, Point, Point];
}

type Host = Browser | BrowserContext;

/**
 * Renders one variant of the card for `seed` on an existing page, which is set to a 1600 × 1200
 * viewport if it has another (reuse the page: resizing costs a frame).
 */
export async function renderEktpOnPage(
  page: Page,
  seed: number,
  variant: EktpVariant,
): Promise<RenderedEktp> {
  const person = makePerson(seed);
  switch (variant) {
    case 'clean':
    case 'upside-down': {
      await show(page, scanHtml(person, variant === 'upside-down'));
      const image = await page.screenshot({ type: 'png', clip: { x: 0, y: 0, ...CARD_PX } });
      return { image, mediaType: 'image/png', ...CARD_PX, corners: await corners(page) };
    }
    case 'photo': {
      const params = photoParams(seed);
      await show(page, photoHtml(person, params));
      const image = await page.screenshot({ type: 'jpeg', quality: params.jpegQuality, clip: FRAME });
      return { image, mediaType: 'image/jpeg', ...PHOTO_PX, corners: await corners(page) };
    }
    case 'degraded': {
      // The photo (a near-lossless JPEG: much faster than a PNG of this size), then blurred, lit
      // unevenly, noised and compressed hard.
      await show(page, photoHtml(person, photoParams(seed)));
      const photo = await page.screenshot({ type: 'jpeg', quality: 95, clip: FRAME });
      const where = await corners(page);
      const params = degradeParams(seed);
      await show(page, degradedHtml(`data:image/jpeg;base64,${photo.toString('base64')}`, params));
      await page.evaluate(() => document.querySelector('img')?.decode());
      const image = await page.screenshot({ type: 'jpeg', quality: params.jpegQuality, clip: FRAME });
      return { image, mediaType: 'image/jpeg', ...PHOTO_PX, corners: where };
    }
    case 'lowres': {
      // The clean scan, downscaled by the browser's image filter (a low-resolution scan or upload).
      await show(page, scanHtml(person));
      const scan = await page.screenshot({ type: 'png', clip: { x: 0, y: 0, ...CARD_PX } });
      const full = await corners(page);
      const width = lowresParams(seed).width;
      const height = Math.round((width * CARD_PX.height) / CARD_PX.width);
      await showImage(page, scan, 'image/png', width, height);
      const image = await page.screenshot({ type: 'png', clip: { x: 0, y: 0, width, height } });
      const k = width / CARD_PX.width;
      const scaled = full.map(({ x, y }) => ({ x: x * k, y: y * k })) as RenderedEktp['corners'];
      return { image, mediaType: 'image/png', width, height, corners: scaled };
    }
  }
}

/** One variant of the card for `seed`, on a page of its own. */
export async function renderEktp(host: Host, seed: number, variant: EktpVariant): Promise<RenderedEktp> {
  const page = await newPage(host);
  try {
    return await renderEktpOnPage(page, seed, variant);
  } finally {
    await page.close();
  }
}

/** The `clean` variant: a flat 1012 × 638 PNG scan. */
export async function renderEktpPng(host: Host, seed: number): Promise<Buffer> {
  return (await renderEktp(host, seed, 'clean')).image;
}

/** Re-encodes a PNG (or JPEG) as JPEG through Chromium, at its own size. */
export async function toJpeg(host: Host, image: Buffer, quality = 90): Promise<Buffer> {
  const info = imageInfo(image);
  const page = await newPage(host, info);
  try {
    await showImage(page, image, info.type === 'png' ? 'image/png' : 'image/jpeg', info.width, info.height);
    return await page.screenshot({
      type: 'jpeg',
      quality,
      clip: { x: 0, y: 0, width: info.width, height: info.height },
    });
  } finally {
    await page.close();
  }
}

/**
 * Writes a frame for Chromium's fake camera (`--use-file-for-fake-video-capture=<path>`): a single
 * JPEG in a file named `*.mjpeg`. A PNG is re-encoded through Chromium first: `host` is used when
 * given, otherwise a headless Chromium is started for it.
 */
export async function writeFakeCameraFile(image: Buffer, path: string, host?: Host): Promise<void> {
  if (!path.endsWith('.mjpeg'))
    throw new Error(`Chromium's fake camera wants a *.mjpeg file name, not ${path}`);
  const info = imageInfo(image);
  let jpeg = image;
  if (info.type !== 'jpeg') {
    if (host) {
      jpeg = await toJpeg(host, image);
    } else {
      const browser = await launchChromium();
      try {
        jpeg = await toJpeg(browser, image);
      } finally {
        await browser.close();
      }
    }
  }
  await writeFile(path, jpeg);
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) {
    throw new Error(
      'Chromium not found: install Debian chromium (apt-get install chromium) or set CHROMIUM_PATH',
    );
  }
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

export interface ManifestImage {
  file: string;
  seed: number;
  variant: EktpVariant;
  mediaType: MediaType;
  width: number;
  height: number;
  corners: RenderedEktp['corners'];
  truth: EktpFields;
}

export interface Manifest {
  generator: 'scripts/make-ektp.ts';
  seeds: number[];
  variants: EktpVariant[];
  images: ManifestImage[];
}

export interface DatasetTimings {
  totalMs: number;
  /** Per variant: images rendered and summed render time (pages work in parallel). */
  perVariant: Partial<Record<EktpVariant, { count: number; ms: number; imagesPerSecond: number }>>;
}

export interface GenerateOptions {
  seeds: readonly number[];
  variants?: readonly EktpVariant[];
  out: string;
  /** An existing browser or context to use; otherwise one is launched and closed. */
  host?: Host;
  /** Pages rendering at once (default 3). */
  pages?: number;
}

export const imageFileName = (seed: number, variant: EktpVariant, mediaType: MediaType) =>
  `ektp-${seed}-${variant}.${mediaType === 'image/png' ? 'png' : 'jpg'}`;

/** Renders every seed × variant into `out`, with per-seed truth files and a manifest. */
export async function generateDataset(
  options: GenerateOptions,
): Promise<{ manifest: Manifest; timings: DatasetTimings }> {
  const variants = [...(options.variants ?? EKTP_VARIANTS)];
  const seeds = [...options.seeds];
  const out = resolve(options.out);
  mkdirSync(out, { recursive: true });
  const started = performance.now();
  const ownBrowser = options.host ? null : await launchChromium();
  const host: Host = options.host ?? (ownBrowser as Browser);
  // One context for all pages when handed a Browser: pages of one context start quickly.
  const context = 'newContext' in host ? await host.newContext({ viewport: VIEWPORT }) : host;
  const jobs = seeds.flatMap((seed) => variants.map((variant) => ({ seed, variant })));
  const results = new Map<string, ManifestImage>();
  const perVariant: DatasetTimings['perVariant'] = {};
  try {
    for (const seed of seeds) {
      const person: EktpPerson = makePerson(seed);
      const json = { seed, person, fields: personFields(person) };
      writeFileSync(join(out, `ektp-${seed}.json`), `${JSON.stringify(json, null, 2)}\n`);
    }
    let next = 0;
    const worker = async () => {
      const page = await context.newPage();
      try {
        for (let job = jobs[next++]; job; job = jobs[next++]) {
          const t0 = performance.now();
          const r = await renderEktpOnPage(page, job.seed, job.variant);
          const ms = performance.now() - t0;
          const file = imageFileName(job.seed, job.variant, r.mediaType);
          await writeFile(join(out, file), r.image);
          const v = perVariant[job.variant] ?? { count: 0, ms: 0, imagesPerSecond: 0 };
          v.count++;
          v.ms += ms;
          perVariant[job.variant] = v;
          results.set(`${job.seed}/${job.variant}`, {
            file,
            seed: job.seed,
            variant: job.variant,
            mediaType: r.mediaType,
            width: r.width,
            height: r.height,
            corners: r.corners,
            truth: personFields(makePerson(job.seed)),
          });
        }
      } finally {
        await page.close();
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.pages ?? 3, jobs.length)) }, worker));
  } finally {
    if (context !== host) await (context as BrowserContext).close();
    await ownBrowser?.close();
  }
  for (const v of Object.values(perVariant))
    v.imagesPerSecond = Math.round((v.count / (v.ms / 1000)) * 10) / 10;
  const manifest: Manifest = {
    generator: 'scripts/make-ektp.ts',
    seeds,
    variants,
    images: jobs.flatMap(({ seed, variant }) => results.get(`${seed}/${variant}`) ?? []),
  };
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { manifest, timings: { totalMs: Math.round(performance.now() - started), perVariant } };
}

// ---------------------------------------------------------------------------------------------

/**
 * Every scene is drawn at the top-left of one 1600 × 1200 viewport and cut out with `clip`: resizing
 * a page between screenshots races Chromium's software compositor, which then repeats one tile of
 * the old frame over the new one.
 */
const VIEWPORT = PHOTO_PX;
const FRAME = { x: 0, y: 0, ...PHOTO_PX };

async function ensureViewport(page: Page, min: { width: number; height: number } = VIEWPORT) {
  const size = page.viewportSize();
  const want = { width: Math.max(VIEWPORT.width, min.width), height: Math.max(VIEWPORT.height, min.height) };
  if (size?.width === want.width && size.height === want.height) return;
  await page.setViewportSize(want);
  // Let a frame at the new size through before anything is drawn.
  await page.setContent('<!doctype html><title>resize</title>');
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

/** A page already at the right size when the host is a Browser (a context keeps its own viewport). */
function newPage(host: Host, min: { width: number; height: number } = VIEWPORT): Promise<Page> {
  if (!('newContext' in host)) return host.newPage();
  return host.newPage({
    viewport: { width: Math.max(VIEWPORT.width, min.width), height: Math.max(VIEWPORT.height, min.height) },
  });
}

async function show(page: Page, html: string) {
  await ensureViewport(page);
  await page.setContent(html, { waitUntil: 'load' });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

async function showImage(page: Page, image: Buffer, mediaType: MediaType, width: number, height: number) {
  await ensureViewport(page, { width, height });
  await page.setContent(imagePageHtml(`data:${mediaType};base64,${image.toString('base64')}`, width, height));
  await page.evaluate(async () => {
    const img = document.querySelector('img');
    if (img) await img.decode();
  });
}

async function corners(page: Page): Promise<RenderedEktp['corners']> {
  const points = await page.evaluate(() =>
    [0, 1, 2, 3].map((i) => {
      const r = document.querySelector(`.corner[data-corner="${i}"]`)?.getBoundingClientRect();
      return { x: Math.round((r?.x ?? Number.NaN) * 10) / 10, y: Math.round((r?.y ?? Number.NaN) * 10) / 10 };
    }),
  );
  return points as RenderedEktp['corners'];
}

function parseList(value: string): EktpVariant[] {
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = list.filter((v) => !isEktpVariant(v));
  if (bad.length > 0)
    throw new Error(`unknown variant(s) ${bad.join(', ')}; known: ${EKTP_VARIANTS.join(', ')}`);
  return list as EktpVariant[];
}

async function main() {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '1' },
      count: { type: 'string', default: '5' },
      variants: { type: 'string', default: EKTP_VARIANTS.join(',') },
      out: { type: 'string', default: 'tests/fixtures/generated' },
      pages: { type: 'string', default: '3' },
    },
  });
  const first = Number(values.seed);
  const count = Number(values.count);
  if (!Number.isInteger(first) || !Number.isInteger(count) || count < 1) {
    throw new Error('--seed and --count must be integers, --count at least 1');
  }
  const seeds = Array.from({ length: count }, (_, i) => first + i);
  const { manifest, timings } = await generateDataset({
    seeds,
    variants: parseList(values.variants),
    out: values.out,
    pages: Number(values.pages),
  });
  const rates = Object.entries(timings.perVariant)
    .map(([v, t]) => `${v} ${t.imagesPerSecond}/s`)
    .join(', ');
  console.log(
    `wrote ${manifest.images.length} synthetic e-KTP images (${count} seeds) to ${resolve(values.out)} in ${(timings.totalMs / 1000).toFixed(1)} s (per page: ${rates})`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
