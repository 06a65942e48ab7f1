import { createCsr, verifyCsr } from '../core/certificate/csr';
import { generateApplicantKeyPair } from '../core/certificate/keys';
import { encryptPrivateKey } from '../core/certificate/pkcs8';
import { type CsrMismatch, type CsrRequest, compareCsr } from '../core/certificate/profile';
import type { Result } from '../core/lib/brand';
import { fail, ok } from '../core/lib/brand';

export const KEY_STAGES = ['keypair', 'csr', 'verify', 'encrypt'] as const;
export type KeyStage = (typeof KEY_STAGES)[number];

export interface KeyRequestInput {
  request: CsrRequest;
  passphrase: string;
  /** Only tests and benchmarks lower it; applications always get the full PBKDF2 work factor. */
  pbkdf2Iterations?: number;
}

export interface KeyRequestOutput {
  csrPem: string;
  encryptedPrivateKeyPem: string;
}

export type KeyRequestProblem =
  | { reason: 'csr-invalid' }
  | { reason: 'csr-mismatch'; mismatches: CsrMismatch[] };

/** Where the key pair is made: a worker on the kiosk, in-process in Node (tests, the `csr` command). */
export interface KeyMaker {
  make(
    input: KeyRequestInput,
    onStage?: (stage: KeyStage) => void,
  ): Promise<Result<KeyRequestOutput, KeyRequestProblem>>;
}

/**
 * Makes the key pair, the CSR and the encrypted key. The private key exists only inside this
 * function as a CryptoKey and leaves it only as PKCS#8 encrypted under the passphrase.
 */
export async function makeKeyRequest(
  input: KeyRequestInput,
  onStage: (stage: KeyStage) => void = () => {},
): Promise<Result<KeyRequestOutput, KeyRequestProblem>> {
  const { request } = input;
  onStage('keypair');
  const keys = await generateApplicantKeyPair(request.keyAlgorithm);
  onStage('csr');
  const csrPem = await createCsr({
    subject: request.subject,
    emails: request.emails,
    dnsNames: request.dnsNames,
    keyUsage: request.keyUsage,
    extendedKeyUsage: request.extendedKeyUsage,
    keys,
  });
  // Proof, before anything is stored, that the CSR is well formed, signed by this key and asks for
  // exactly what the application says: the same check the server repeats on arrival.
  onStage('verify');
  const check = await verifyCsr(csrPem);
  if (!check.ok) return fail({ reason: 'csr-invalid' });
  const mismatches = compareCsr(check.value, request);
  if (mismatches.length > 0) return fail({ reason: 'csr-mismatch', mismatches });
  onStage('encrypt');
  const encryptedPrivateKeyPem = await encryptPrivateKey(keys.privateKey, input.passphrase, {
    ...(input.pbkdf2Iterations ? { iterations: input.pbkdf2Iterations } : {}),
  });
  return ok({ csrPem, encryptedPrivateKeyPem });
}

export const inProcessKeyMaker: KeyMaker = { make: makeKeyRequest };
