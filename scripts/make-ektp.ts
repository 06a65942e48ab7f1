// Writes synthetic e-KTP images (PNG) and their ground truth (JSON), seeded and reproducible:
//   npm run fixtures -- [--seed 1] [--count 5] [--out tests/fixtures/generated]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Browser, type BrowserContext, chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../tests/support/chromium';
import { ektpHtml, makePerson } from '../tests/support/ektp';

export async function renderEktpPng(browser: Browser | BrowserContext, seed: number): Promise<Buffer> {
  const page = await browser.newPage();
  try {
    await page.setViewportSize({ width: 1100, height: 700 });
    await page.setContent(ektpHtml(makePerson(seed)));
    return await page.locator('#card').screenshot({ type: 'png' });
  } finally {
    await page.close();
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '1' },
      count: { type: 'string', default: '5' },
      out: { type: 'string', default: 'tests/fixtures/generated' },
    },
  });
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium not found: install Debian chromium or set CHROMIUM_PATH');
  const out = resolve(values.out);
  mkdirSync(out, { recursive: true });
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const first = Number(values.seed);
    for (let seed = first; seed < first + Number(values.count); seed++) {
      writeFileSync(join(out, `ektp-${seed}.png`), await renderEktpPng(browser, seed));
      writeFileSync(join(out, `ektp-${seed}.json`), `${JSON.stringify(makePerson(seed), null, 2)}\n`);
    }
  } finally {
    await browser.close();
  }
  console.log(`wrote ${values.count} synthetic e-KTP images to ${out}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
