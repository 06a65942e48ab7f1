import type { HandoverCrypto } from '../../app/handover-crypto';
import type { KeyMaker, KeyStage } from '../../app/key-request';
import type { FromCryptoWorker, ToCryptoWorker } from './crypto-protocol';

export class CryptoWorkerError extends Error {
  override name = 'CryptoWorkerError';
}

type Pending = { resolve: (m: FromCryptoWorker) => void; onStage?: (s: KeyStage) => void };

/** The main-thread side of `crypto.worker.ts`: one warm worker, requests matched by id. */
export function createCryptoWorkerClient(): KeyMaker & HandoverCrypto {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  const getWorker = () => {
    if (worker) return worker;
    const w = new Worker(new URL('./crypto.worker.ts', import.meta.url));
    w.onmessage = (event: MessageEvent<FromCryptoWorker>) => {
      const message = event.data;
      const request = pending.get(message.id);
      if (!request) return;
      if (message.type === 'stage') {
        request.onStage?.(message.stage);
        return;
      }
      pending.delete(message.id);
      request.resolve(message);
    };
    // A crashed worker fails what it was doing and is replaced on the next request.
    w.onerror = (event) => {
      event.preventDefault();
      for (const [id, request] of pending) request.resolve({ id, type: 'error', name: 'WorkerCrashed' });
      pending.clear();
      worker = null;
    };
    worker = w;
    return w;
  };

  const call = (message: ToCryptoWorker, onStage?: (s: KeyStage) => void) =>
    new Promise<FromCryptoWorker>((resolve) => {
      pending.set(message.id, { resolve, ...(onStage ? { onStage } : {}) });
      getWorker().postMessage(message);
    });

  return {
    async make(input, onStage) {
      const answer = await call({ id: nextId++, type: 'make-key-request', input }, onStage);
      if (answer.type === 'key-request') return answer.result;
      throw new CryptoWorkerError(
        `key generation failed in the worker (${answer.type === 'error' ? answer.name : answer.type})`,
      );
    },
    async buildPackage(input) {
      const answer = await call({ id: nextId++, type: 'handover', input });
      if (answer.type === 'handover') return answer.result;
      throw new CryptoWorkerError(
        `handover failed in the worker (${answer.type === 'error' ? answer.name : answer.type})`,
      );
    },
  };
}
