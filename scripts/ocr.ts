// `npm run ocr -- <image>...`: reads e-KTP images with the kiosk's own pipeline and prints one JSON
// object keyed by each file's base name. An unreadable file gets an `error` entry; the rest go on.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { createNodeEktpReader } from '../src/adapters/ocr/node/node-reader';
import type { EktpField, EktpWarning } from '../src/core/ocr/types';

type Entry =
  | {
      fields: Record<EktpField, string>;
      confidence: Record<EktpField, number>;
      warnings: EktpWarning[];
      ms: number;
    }
  | { error: string; ms: number };

async function main() {
  const files = process.argv.slice(2).filter((a) => a !== '--');
  if (files.length === 0) {
    console.error('usage: npm run ocr -- <image> [<image>...]');
    process.exit(2);
  }
  const reader = await createNodeEktpReader();
  const out: Record<string, Entry> = {};
  try {
    for (const file of files) {
      const started = performance.now();
      try {
        const result = await reader.read(await readFile(file));
        const ms = Math.round(performance.now() - started);
        out[basename(file)] = result.noCard
          ? { error: 'no e-KTP found on the image', ms }
          : { fields: result.fields, confidence: result.confidence, warnings: result.warnings, ms };
      } catch (err) {
        out[basename(file)] = {
          error: err instanceof Error ? err.message : String(err),
          ms: Math.round(performance.now() - started),
        };
      }
    }
  } finally {
    await reader.close();
  }
  console.log(JSON.stringify(out, null, 2));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
