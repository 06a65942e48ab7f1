/**
 * Shared fixtures of the CSR tests (kiosk and server side): the applicant's subject and e-mail, the
 * key algorithms with what each must produce, and small readers of a request.
 */
import type { SubjectAttribute } from '../../src/core/certificate/csr';
import type { KeyAlgorithm } from '../../src/core/certificate/types';
import type { Result } from '../../src/core/lib/brand';
import { fromPem } from '../../src/core/lib/pem';
import { openssl } from './openssl-ca';

export const SUBJECT: SubjectAttribute[] = [
  { type: 'C', value: 'ID' },
  { type: 'O', value: 'Pemerintah Kota Madiun' },
  { type: 'OU', value: 'Dinas Komunikasi dan Informatika' },
  { type: 'CN', value: 'SITI RAHAYU' },
];
export const EMAILS = ['siti.rahayu@madiunkota.go.id'];

/** What each allowed algorithm must produce, from its name. */
export const MATRIX: [KeyAlgorithm, 'RSA' | 'EC', number][] = [
  ['RSA-2048', 'RSA', 2048],
  ['RSA-3072', 'RSA', 3072],
  ['ECDSA-P256', 'EC', 256],
];

export function derOf(pem: string): Uint8Array<ArrayBuffer> {
  const der = fromPem('CERTIFICATE REQUEST', pem);
  if (!der) throw new Error('not a CERTIFICATE REQUEST PEM');
  return der;
}

export function okValue<T, E>(result: Result<T, E>): T {
  if (!result.ok) throw new Error(`expected a valid value, got problem ${String(result.problem)}`);
  return result.value;
}

/** Whether `openssl req -verify` accepts the request PEM and says "verify OK". */
export function opensslVerifiesCsr(pem: string): boolean {
  const { status, out } = openssl(['req', '-verify', '-noout'], pem);
  return status === 0 && out.includes('verify OK');
}
