import { createWorker, OEM, type Worker } from 'tesseract.js';
import type { OcrEngine, OcrProgress } from '../../app/ports';

/**
 * tesseract.js with every file from this origin (precached by the service worker): without these
 * paths it would fetch the engine and language data from a CDN and fail offline.
 */
export function createTesseractEngine(base = import.meta.env.BASE_URL): OcrEngine {
  const root = new URL(`${base}tesseract/`, window.location.href).href;
  let listener: ((p: OcrProgress) => void) | undefined;
  let worker: Promise<Worker> | null = null;

  const getWorker = () => {
    worker ??= createWorker('ind+eng', OEM.LSTM_ONLY, {
      workerPath: `${root}worker.min.js`,
      corePath: root,
      langPath: `${root}lang`,
      gzip: true,
      cacheMethod: 'none',
      workerBlobURL: false,
      logger: (m: { status: string; progress: number }) =>
        listener?.({ status: m.status, progress: m.progress }),
    }).then(async (w) => {
      await w.setParameters({ user_defined_dpi: '300' });
      return w;
    });
    // A failed start must not poison every later attempt.
    worker.catch(() => {
      worker = null;
    });
    return worker;
  };

  let queue: Promise<unknown> = Promise.resolve();
  return {
    recognize(image, onProgress) {
      const job = queue.then(async () => {
        listener = onProgress;
        try {
          const w = await getWorker();
          const { data } = await w.recognize(image);
          return { text: data.text, confidence: data.confidence / 100 };
        } finally {
          listener = undefined;
        }
      });
      queue = job.catch(() => undefined);
      return job;
    },
  };
}
