/// <reference lib="webworker" />
/*
 * Key generation, CSR, PBKDF2 and PKCS#12 off the main thread: the form keeps answering touches
 * while RSA primes are searched and 600,000 PBKDF2 rounds run. The applicant's private key lives
 * only here, and only until it is encrypted.
 */
// First: zod must not probe for eval under the kiosk's CSP.
import '../zod-jitless';
import { buildHandoverPackage } from '../../app/handover-crypto';
import { makeKeyRequest } from '../../app/key-request';
import type { FromCryptoWorker, ToCryptoWorker } from './crypto-protocol';

declare const self: DedicatedWorkerGlobalScope;

const reply = (message: FromCryptoWorker) => self.postMessage(message);

self.onmessage = async (event: MessageEvent<ToCryptoWorker>) => {
  const message = event.data;
  try {
    if (message.type === 'make-key-request') {
      const result = await makeKeyRequest(message.input, (stage) =>
        reply({ id: message.id, type: 'stage', stage }),
      );
      reply({ id: message.id, type: 'key-request', result });
    } else {
      const result = await buildHandoverPackage(message.input);
      reply({ id: message.id, type: 'handover', result });
    }
  } catch (err) {
    reply({ id: message.id, type: 'error', name: err instanceof Error ? err.name : 'Error' });
  }
};
