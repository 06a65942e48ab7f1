// The key + CSR cases the benchmark times, shared by the Node run and the Chromium bundle.
import { certificateProfiles as profiles } from '../src/app/certificate-profiles';
import { makeKeyRequest } from '../src/app/key-request';
import { createCsr } from '../src/core/certificate/csr';
import { generateApplicantKeyPair } from '../src/core/certificate/keys';
import { encryptPrivateKey, PBKDF2_ITERATIONS } from '../src/core/certificate/pkcs8';
import { renderProfile } from '../src/core/certificate/profile';
import {
  CERTIFICATE_TYPES,
  type CertificateType,
  KEY_ALGORITHMS,
  type KeyAlgorithm,
} from '../src/core/certificate/types';

export const SUBJECT_DATA = {
  nama: 'SITI RAHAYU',
  email: 'siti.rahayu@madiunkota.go.id',
  perangkatDaerah: 'Dinas Komunikasi dan Informatika',
  nip: '199001052015022001',
  jabatan: 'Kepala Bidang Persandian',
  host: 'sipd.madiunkota.go.id',
};

export interface KeyCase {
  type: CertificateType;
  keyAlgorithm: KeyAlgorithm;
}

/** Every profile with its configured algorithm, plus every algorithm on the individu profile. */
export function keyCases(): KeyCase[] {
  const cases: KeyCase[] = CERTIFICATE_TYPES.map((type) => ({
    type,
    keyAlgorithm: profiles.profiles[type].keyAlgorithm,
  }));
  for (const keyAlgorithm of KEY_ALGORITHMS) {
    if (!cases.some((c) => c.type === 'individu' && c.keyAlgorithm === keyAlgorithm))
      cases.push({ type: 'individu', keyAlgorithm });
  }
  return cases;
}

/** Key pair + CSR (signed, verified and compared with the profile), timed in milliseconds. */
export async function timeKeyAndCsr(c: KeyCase): Promise<number> {
  const request = renderProfile(profiles, c.type, SUBJECT_DATA, c.keyAlgorithm);
  if (!request.ok)
    throw new Error(`bench case ${c.type}/${c.keyAlgorithm}: ${JSON.stringify(request.problem)}`);
  const start = performance.now();
  const keys = await generateApplicantKeyPair(c.keyAlgorithm);
  const pem = await createCsr({ ...request.value, keys });
  const elapsed = performance.now() - start;
  if (!pem.startsWith('-----BEGIN CERTIFICATE REQUEST-----')) throw new Error('bench: no CSR');
  return elapsed;
}

/** The whole kiosk step for one applicant: key, CSR, self-check, PBKDF2 600k + AES encryption. */
export async function timeFullKeyRequest(c: KeyCase): Promise<number> {
  const request = renderProfile(profiles, c.type, SUBJECT_DATA, c.keyAlgorithm);
  if (!request.ok) throw new Error('bench: profile');
  const start = performance.now();
  const made = await makeKeyRequest({
    request: request.value,
    passphrase: 'sawah hijau di kaki gunung wilis',
  });
  const elapsed = performance.now() - start;
  if (!made.ok) throw new Error('bench: key request failed its check');
  return elapsed;
}

/** PBKDF2-HMAC-SHA256 at the kiosk's work factor, with the AES-256-CBC wrap around it. */
export async function timePbkdf2(keys: CryptoKeyPair): Promise<number> {
  const start = performance.now();
  await encryptPrivateKey(keys.privateKey, 'sawah hijau di kaki gunung wilis', {
    iterations: PBKDF2_ITERATIONS,
  });
  return performance.now() - start;
}
