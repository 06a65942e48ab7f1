// Key + CSR per certificate profile (median, p95) in Node and in Chromium, PBKDF2 at the kiosk's
// work factor, and PKCS#12 builds (modern and legacy). The Chromium figures run the kiosk's own
// code, bundled from bench/browser-keys.ts, on the kiosk's origin (a secure context).
import type { Browser } from '@playwright/test';
import { generateApplicantKeyPair } from '../src/core/certificate/keys';
import { buildPkcs12 } from '../src/core/certificate/pkcs12';
import { bundleForBrowser } from './bundle';
import { type KeyCase, keyCases, timeFullKeyRequest, timeKeyAndCsr, timePbkdf2 } from './key-cases';
import { makeSelfSignedForBench } from './self-signed';

export interface Percentiles {
  runs: number;
  medianMs: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
}

export function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  // Nearest-rank percentiles: no interpolation between two runs.
  const rank = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    runs: sorted.length,
    medianMs: round(rank(0.5)),
    p95Ms: round(rank(0.95)),
    minMs: round(sorted[0] ?? 0),
    maxMs: round(sorted.at(-1) ?? 0),
  };
}

const label = (c: KeyCase) => `${c.type}/${c.keyAlgorithm}`;

async function nodeFigures(runs: number) {
  const keyAndCsr: Record<string, Percentiles> = {};
  const fullKeyRequest: Record<string, Percentiles> = {};
  for (const c of keyCases()) {
    const n = c.keyAlgorithm === 'RSA-3072' ? Math.max(5, Math.round(runs / 3)) : runs;
    const samples: number[] = [];
    for (let i = 0; i < n; i++) samples.push(await timeKeyAndCsr(c));
    keyAndCsr[label(c)] = percentiles(samples);
    const full: number[] = [];
    for (let i = 0; i < Math.min(n, 5); i++) full.push(await timeFullKeyRequest(c));
    fullKeyRequest[label(c)] = percentiles(full);
  }
  const keys = await generateApplicantKeyPair('RSA-2048');
  const pbkdf2: number[] = [];
  for (let i = 0; i < 5; i++) pbkdf2.push(await timePbkdf2(keys));
  return { keyAndCsr, fullKeyRequest, pbkdf2_600k_aes256: percentiles(pbkdf2) };
}

async function pkcs12Figures(runs: number) {
  const { pkcs8, certificate } = await makeSelfSignedForBench();
  const out: Record<string, Percentiles> = {};
  for (const form of ['modern', 'legacy'] as const) {
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      const built = await buildPkcs12({
        privateKeyPkcs8: pkcs8,
        certificate,
        chain: [],
        password: 'sawah hijau di kaki gunung wilis',
        form,
        friendlyName: 'bench',
      });
      samples.push(performance.now() - start);
      if (!built.ok) throw new Error(`bench: PKCS#12 ${form} failed: ${built.problem}`);
    }
    out[form] = percentiles(samples);
  }
  return out;
}

type BrowserRun = {
  results: { case: KeyCase; keyAndCsr: number[]; full: number[] }[];
  pbkdf2: number[];
};

async function chromiumFigures(browser: Browser, origin: string, runs: number) {
  const script = await bundleForBrowser('bench/browser-keys.ts');
  const page = await browser.newPage();
  try {
    await page.goto(origin);
    await page.addScriptTag({ content: script });
    const raw = await page.evaluate(
      (n) => (globalThis as unknown as { sertelBench: (n: number) => Promise<BrowserRun> }).sertelBench(n),
      runs,
    );
    const keyAndCsr: Record<string, Percentiles> = {};
    const fullKeyRequest: Record<string, Percentiles> = {};
    for (const r of raw.results) {
      keyAndCsr[label(r.case)] = percentiles(r.keyAndCsr);
      fullKeyRequest[label(r.case)] = percentiles(r.full);
    }
    return { keyAndCsr, fullKeyRequest, pbkdf2_600k_aes256: percentiles(raw.pbkdf2) };
  } finally {
    await page.close();
  }
}

export async function runKeyBenchmark(options: { browser: Browser; origin: string; runs: number }) {
  const node = await nodeFigures(options.runs);
  const chromium = await chromiumFigures(options.browser, options.origin, options.runs);
  const pkcs12 = await pkcs12Figures(Math.min(options.runs, 10));
  const target = chromium.keyAndCsr['individu/RSA-2048'];
  return {
    note: 'keyAndCsr: key pair + CSR signed for the profile; fullKeyRequest adds the CSR self-check and PBKDF2 (600,000) + AES-256-CBC; pkcs12 in Node includes the 600,000-round key bag',
    target: {
      rsa2048KeyAndCsrMedianMs: 400,
      chromiumMedianMs: target?.medianMs ?? null,
      met: (target?.medianMs ?? Infinity) <= 400,
    },
    chromium,
    node,
    pkcs12Node: pkcs12,
  };
}
