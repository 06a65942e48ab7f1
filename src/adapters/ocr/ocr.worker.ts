/// <reference lib="webworker" />
/*
 * The e-KTP reader in a Web Worker: decoding, card finding (OpenCV) and OCR (tesseract, in its
 * own nested workers) all happen off the kiosk's main thread, so the screen stays responsive.
 */
import { createWorker } from 'tesseract.js';
import regions from '../../../config/regions.json';
import type { RgbaImage } from '../../app/ocr/ports';
import { readEktp } from '../../app/ocr/read-ektp';
import { isCompleteImageFile } from '../../core/ocr/image-file';
import type { GrayImage } from '../../core/ocr/quality';
import {
  type FromWorker,
  MAX_INPUT_BYTES,
  READABLE_TYPES,
  type ReadFailure,
  type ToWorker,
} from './ocr-protocol';
import { createOpenCvVision, loadOpenCv } from './opencv-vision';
import { createTesseractRecognizer } from './tesseract-recognizer';

declare const self: DedicatedWorkerGlobalScope;

/** Larger photos are scaled down first: more pixels only cost time. */
const MAX_SIDE = 2400;

class ReadError extends Error {
  constructor(
    readonly failure: ReadFailure,
    message: string,
  ) {
    super(message);
  }
}

const base = new URL('/tesseract/', self.location.origin).href;
const recognizer = createTesseractRecognizer({
  createWorker,
  options: {
    workerPath: `${base}worker.min.js`,
    corePath: base,
    langPath: `${base}lang`,
    gzip: true,
    cacheMethod: 'none',
    workerBlobURL: false,
  },
  encode: async (image: GrayImage) => toCanvas(image).convertToBlob({ type: 'image/png' }),
});
const vision = loadOpenCv(async () => {
  importScripts(`${base}opencv.js`);
  // In a worker the script leaves its factory, not the module, on `self.cv`. The module is a
  // thenable: wrapped, so that returning it does not make the promise chase `then` forever.
  const factory = (self as unknown as { cv: unknown }).cv;
  return { cv: typeof factory === 'function' ? (factory as () => unknown)() : factory };
}).then(({ cv }) => createOpenCvVision(cv));

function toCanvas(image: GrayImage | RgbaImage): OffscreenCanvas {
  const canvas = new OffscreenCanvas(image.width, image.height);
  const context = canvas.getContext('2d');
  if (!context) throw new ReadError('engine-failed', 'no 2D canvas in this worker');
  const pixels = context.createImageData(image.width, image.height);
  if (image.data.length === image.width * image.height) {
    for (let i = 0, j = 0; i < image.data.length; i++, j += 4) {
      const v = image.data[i] ?? 0;
      pixels.data[j] = v;
      pixels.data[j + 1] = v;
      pixels.data[j + 2] = v;
      pixels.data[j + 3] = 255;
    }
  } else {
    pixels.data.set(image.data);
  }
  context.putImageData(pixels, 0, 0);
  return canvas;
}

async function decode(file: Blob): Promise<RgbaImage> {
  if (!(READABLE_TYPES as readonly string[]).includes(file.type)) {
    throw new ReadError('unsupported-type', `unsupported type ${file.type || 'unknown'}`);
  }
  if (file.size > MAX_INPUT_BYTES) throw new ReadError('too-large', `${file.size} bytes`);
  if (!isCompleteImageFile(new Uint8Array(await file.arrayBuffer()), file.type)) {
    throw new ReadError('corrupt', 'the image file is incomplete');
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new ReadError('corrupt', 'the image could not be decoded');
  }
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  if (!context) throw new ReadError('engine-failed', 'no 2D canvas in this worker');
  context.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  return { width, height, data: context.getImageData(0, 0, width, height).data };
}

const post = (message: FromWorker) => self.postMessage(message);

self.onmessage = async (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.type === 'warm-up') {
    try {
      await Promise.all([vision, recognizer.warmUp()]);
      post({ id: message.id, type: 'ready' });
    } catch (err) {
      post({ id: message.id, type: 'failure', failure: 'engine-failed', message: String(err) });
    }
    return;
  }
  const started = performance.now();
  try {
    const image = await decode(message.file);
    const result = await readEktp(image, { vision: await vision, recognizer, regions }, (stage) =>
      post({ id: message.id, type: 'stage', stage }),
    );
    if (result.noCard) throw new ReadError('no-card', 'no e-KTP found on the image');
    const card = await toCanvas(result.color).convertToBlob({ type: 'image/jpeg', quality: 0.9 });
    post({
      id: message.id,
      type: 'result',
      result: {
        fields: result.fields,
        confidence: result.confidence,
        warnings: result.warnings,
        card,
        upsideDown: result.upsideDown,
        cardFound: result.cardFound,
        text: result.text,
        ms: Math.round(performance.now() - started),
      },
    });
  } catch (err) {
    const failure = err instanceof ReadError ? err.failure : 'engine-failed';
    post({
      id: message.id,
      type: 'failure',
      failure,
      message: err instanceof Error ? err.message : String(err),
    });
  }
};
