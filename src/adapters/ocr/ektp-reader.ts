import type { ReadStage } from '../../app/ocr/read-ektp';
import type { FromWorker, ReadFailure, ReadSuccess, ToWorker } from './ocr-protocol';

export type ReadOutcome =
  | { ok: true; result: ReadSuccess }
  | { ok: false; failure: ReadFailure; message: string };

export interface EktpReader {
  read(file: Blob, onStage?: (stage: ReadStage) => void): Promise<ReadOutcome>;
  /** Loads OpenCV and both OCR engines in the background, so the first card reads fast. */
  warmUp(): void;
}

/** The main-thread side of `ocr.worker.ts`: one worker, requests matched by id. */
export function createEktpReader(): EktpReader {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve: (o: ReadOutcome) => void; onStage?: (s: ReadStage) => void }>();

  const getWorker = () => {
    if (worker) return worker;
    const w = new Worker(new URL('./ocr.worker.ts', import.meta.url));
    w.onmessage = (event: MessageEvent<FromWorker>) => {
      const message = event.data;
      const request = pending.get(message.id);
      if (!request) return;
      if (message.type === 'stage') request.onStage?.(message.stage);
      else {
        pending.delete(message.id);
        if (message.type === 'result') request.resolve({ ok: true, result: message.result });
        else if (message.type === 'failure')
          request.resolve({ ok: false, failure: message.failure, message: message.message });
      }
    };
    // A crashed worker fails every open request and is replaced on the next read.
    w.onerror = () => {
      for (const [, request] of pending)
        request.resolve({ ok: false, failure: 'engine-failed', message: 'worker crashed' });
      pending.clear();
      worker = null;
    };
    worker = w;
    return w;
  };

  const send = (message: ToWorker) => getWorker().postMessage(message);

  return {
    read(file, onStage) {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, { resolve, ...(onStage ? { onStage } : {}) });
        send({ id, type: 'read', file });
      });
    },
    warmUp() {
      const id = nextId++;
      pending.set(id, { resolve: () => undefined });
      send({ id, type: 'warm-up' });
    },
  };
}
