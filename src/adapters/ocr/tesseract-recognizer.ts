import { type createWorker, type ImageLike, OEM, PSM, type Worker, type WorkerOptions } from 'tesseract.js';
import type { ReadMode, TextRecognizer } from '../../app/ocr/ports';
import type { Rect } from '../../core/ocr/layout';
import type { GrayImage } from '../../core/ocr/quality';
import type { OcrLine } from '../../core/ocr/types';

export interface TesseractRecognizer extends TextRecognizer {
  /** Starts both engines now, so the first card does not pay for it. */
  warmUp(): Promise<void>;
  terminate(): Promise<void>;
}

export interface TesseractDeps {
  createWorker: typeof createWorker;
  /** Where the engine, its core and the language data come from (never a CDN). */
  options: Partial<WorkerOptions>;
  /** Turns grey pixels into an image file the engine can decode (PNG). */
  encode(image: GrayImage): Promise<ImageLike>;
}

/**
 * Two engines with fixed settings: one reads text blocks (header, label column) in Indonesian
 * and English, the other reads one line of digits (the NIK). Fixed settings mean no
 * setParameters between reads, and the two run in parallel on the kiosk's two cores.
 */
export function createTesseractRecognizer(deps: TesseractDeps): TesseractRecognizer {
  let text: Promise<Worker> | null = null;
  let digits: Promise<Worker> | null = null;
  const encoded = new WeakMap<GrayImage, Promise<ImageLike>>();

  const start = (langs: string, parameters: Record<string, string>) => {
    const worker = deps.createWorker(langs, OEM.LSTM_ONLY, deps.options).then(async (w) => {
      await w.setParameters(parameters);
      return w;
    });
    return worker;
  };
  const textWorker = () => {
    text ??= start('ind+eng', {
      tessedit_pageseg_mode: PSM.SINGLE_BLOCK,
      preserve_interword_spaces: '1',
      user_defined_dpi: '300',
    });
    text.catch(() => {
      text = null;
    });
    return text;
  };
  const digitWorker = () => {
    digits ??= start('eng', {
      tessedit_pageseg_mode: PSM.SINGLE_LINE,
      // The label stays in: a digits-only whitelist makes tesseract report confidence 0.
      tessedit_char_whitelist: '0123456789NIK: ',
      user_defined_dpi: '300',
    });
    digits.catch(() => {
      digits = null;
    });
    return digits;
  };

  // One job at a time per engine: tesseract.js queues anyway, this keeps the order explicit.
  const queues = new Map<'text' | 'digits', Promise<unknown>>();
  const run = <T>(engine: 'text' | 'digits', job: () => Promise<T>): Promise<T> => {
    const next = (queues.get(engine) ?? Promise.resolve()).then(job, job);
    queues.set(
      engine,
      next.catch(() => undefined),
    );
    return next;
  };

  return {
    async readLines(image: GrayImage, region: Rect, mode: ReadMode): Promise<OcrLine[]> {
      let file = encoded.get(image);
      if (!file) {
        file = deps.encode(image);
        encoded.set(image, file);
      }
      const input = await file;
      const engine = mode === 'digits' ? 'digits' : 'text';
      return run(engine, async () => {
        const worker = await (engine === 'digits' ? digitWorker() : textWorker());
        const { data } = await worker.recognize(input, { rectangle: region }, { text: true, blocks: true });
        const lines = (data.blocks ?? []).flatMap((b) => b.paragraphs.flatMap((p) => p.lines));
        return lines
          .map((line) => ({
            text: line.text.replace(/\s+$/u, ''),
            confidence: line.confidence / 100,
            words: line.words.map((w) => ({ text: w.text, confidence: w.confidence / 100 })),
          }))
          .filter((line) => line.text.trim() !== '');
      });
    },
    async warmUp() {
      await Promise.all([textWorker(), digitWorker()]);
    },
    async terminate() {
      const workers = await Promise.allSettled(
        [text, digits].filter((w): w is Promise<Worker> => w !== null),
      );
      text = null;
      digits = null;
      await Promise.all(workers.map((w) => (w.status === 'fulfilled' ? w.value.terminate() : undefined)));
    },
  };
}
