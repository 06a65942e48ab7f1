import type {
  HandoverCryptoInput,
  HandoverCryptoOutput,
  HandoverCryptoProblem,
} from '../../app/handover-crypto';
import type { KeyRequestInput, KeyRequestOutput, KeyRequestProblem, KeyStage } from '../../app/key-request';
import type { Result } from '../../core/lib/brand';

/** Messages to `crypto.worker.ts`; every request carries an id its answers repeat. */
export type ToCryptoWorker =
  | { id: number; type: 'make-key-request'; input: KeyRequestInput }
  | { id: number; type: 'handover'; input: HandoverCryptoInput };

export type FromCryptoWorker =
  | { id: number; type: 'stage'; stage: KeyStage }
  | { id: number; type: 'key-request'; result: Result<KeyRequestOutput, KeyRequestProblem> }
  | { id: number; type: 'handover'; result: Result<HandoverCryptoOutput, HandoverCryptoProblem> }
  /** Only the error's name crosses: a message could quote the passphrase or key material. */
  | { id: number; type: 'error'; name: string };
