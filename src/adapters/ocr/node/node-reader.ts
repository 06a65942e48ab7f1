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
  const recognizer = createTesseractRecognizer({
    createWorker,
    options: { langPath: await tesseractLanguageFolder(), gzip: true, cacheMethod: 'none' },
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

/**
 * Both languages in one folder, as the kiosk serves them (public/tesseract/lang): tesseract.js looks
 * for `<langPath>/<lang>.traineddata.gz`. Re-copied when the packaged file changes size (an upgrade).
 */
export async function tesseractLanguageFolder(
  folder = join(tmpdir(), 'sertel-kiosk-tesseract-lang'),
): Promise<string> {
  const { mkdir, copyFile, stat } = await import('node:fs/promises');
  await mkdir(folder, { recursive: true });
  for (const lang of ['ind', 'eng']) {
    const source = join(pkgDir(`@tesseract.js-data/${lang}`), '4.0.0_best_int', `${lang}.traineddata.gz`);
    const target = join(folder, `${lang}.traineddata.gz`);
    const have = await stat(target).catch(() => null);
    if (!have || have.size !== (await stat(source)).size) await copyFile(source, target);
  }
  return folder;
}
