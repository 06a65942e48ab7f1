import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, renderEktp } from '../../scripts/make-ektp';
import { createNodeEktpReader, type NodeEktpReader } from '../../src/adapters/ocr/node/node-reader';
import { DEFAULT_CONFIDENCE_THRESHOLD } from '../../src/core/ocr/parse-ektp';
import { EKTP_FIELDS } from '../../src/core/ocr/types';
import { makePerson, personFields } from '../support/ektp';

/** The kiosk's reading pipeline in Node, on a few generated cards (accuracy is the benchmark's job). */
describe('the e-KTP reader in Node', () => {
  let browser: Browser;
  let reader: NodeEktpReader;
  const dir = mkdtempSync(join(tmpdir(), 'sertel-ocr-'));

  beforeAll(async () => {
    [browser, reader] = await Promise.all([launchChromium(), createNodeEktpReader()]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([browser.close(), reader.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    [41, 'clean'],
    [42, 'photo'],
    [43, 'degraded'],
    [44, 'upside-down'],
  ] as const)(
    'card %i (%s): the NIK exact, every other field right or flagged',
    async (seed, variant) => {
      const { image } = await renderEktp(browser, seed, variant);
      const result = await reader.read(image);
      const truth = personFields(makePerson(seed));
      expect(result.fields.nik).toBe(truth.nik);
      const silentlyWrong = EKTP_FIELDS.filter(
        (f) => result.fields[f] !== truth[f] && result.confidence[f] >= DEFAULT_CONFIDENCE_THRESHOLD,
      );
      expect(silentlyWrong).toEqual([]);
      expect(result.upsideDown).toBe(variant === 'upside-down');
    },
    60_000,
  );

  it('npm run ocr prints one JSON entry per file and goes on past unreadable ones', async () => {
    const good = join(dir, 'card.png');
    const bad = join(dir, 'scan.pdf');
    writeFileSync(good, (await renderEktp(browser, 45, 'clean')).image);
    writeFileSync(bad, '%PDF-1.4\n%%EOF\n');
    const { stdout } = await promisify(execFile)(
      'npx',
      ['tsx', 'scripts/ocr.ts', good, bad, join(dir, 'missing.jpg')],
      {
        timeout: 90_000,
      },
    );
    const out = JSON.parse(stdout) as Record<
      string,
      { fields?: Record<string, string>; error?: string; ms: number }
    >;
    expect(Object.keys(out)).toEqual(['card.png', 'scan.pdf', 'missing.jpg']);
    expect(out['card.png']?.fields?.nik).toBe(personFields(makePerson(45)).nik);
    expect(out['card.png']?.ms).toBeGreaterThan(0);
    expect(out['scan.pdf']?.error).toMatch(/not a JPEG, PNG or WebP/);
    expect(out['missing.jpg']?.error).toMatch(/ENOENT|no such file/);
  }, 120_000);
});
