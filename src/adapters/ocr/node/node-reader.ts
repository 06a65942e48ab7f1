/* The e-KTP reader in Node: the same pipeline as the kiosk, for tests, the CLI and benchmarks. */
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createWorker } from 'tesseract.js';
import regions from '../../../../config/regions.json';
import { type EktpResult, readEktp } from '../../../app/ocr/read-ektp';
import { createOpenCvVision, loadOpenCv } from '../opencv-vision';
import { createTesseractRecognizer } from '../tesseract-recognizer';
import { decodeImage, encodeGrayPng } from './decode';

const require = createRequire(import.meta.url);
const pkgDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

export interface NodeEktpReader {
  read(file: Buffer): Promise<EktpResult>;
  close(): Promise<void>;
}

export async function createNodeEktpReader(): Promise<NodeEktpReader> {
  // Required, not imported: under some loaders (vitest) the import namespace copies the module's
  // `then`, and awaiting the import would chase it forever.
  const { cv } = await loadOpenCv(async () => ({ cv: require('@techstark/opencv-js') as unknown }));
  const vision = createOpenCvVision(cv);
  // Both languages must sit in one folder, as the kiosk serves them (public/tesseract/lang).
  const langPath = join(tmpdir(), 'sertel-kiosk-tesseract-lang');
  const recognizer = createTesseractRecognizer({
    createWorker,
    options: { langPath: await ensureLanguageFolder(langPath), gzip: true, cacheMethod: 'none' },
    encode: encodeGrayPng,
  });
  await recognizer.warmUp();
  return {
    async read(file) {
      return readEktp(await decodeImage(file), { vision, recognizer, regions });
    },
    close: () => recognizer.terminate(),
  };
}

async function ensureLanguageFolder(folder: string): Promise<string> {
  const { mkdir, copyFile, access } = await import('node:fs/promises');
  await mkdir(folder, { recursive: true });
  for (const lang of ['ind', 'eng']) {
    const target = join(folder, `${lang}.traineddata.gz`);
    try {
      await access(target);
    } catch {
      await copyFile(
        join(pkgDir(`@tesseract.js-data/${lang}`), '4.0.0_best_int', `${lang}.traineddata.gz`),
        target,
      );
    }
  }
  return folder;
}
