import { beforeAll, describe, expect, it } from 'vitest';
import { opensslVerifiesCsr } from '../../../tests/support/csr-fixtures';
import { seededRandom } from '../../../tests/support/ektp';
import { fromPem, toPem } from '../lib/pem';
import { createCsr, verifyCsr } from './csr';
import { generateApplicantKeyPair } from './keys';
import type { KeyAlgorithm } from './types';

/**
 * The server's CSR intake is `verifyCsr`: whatever arrives, it must answer (never throw), and any
 * request it accepts must be one OpenSSL accepts too. Mutations are seeded, so a failure replays.
 */
const CASES_PER_KEY = 1500;

function mutate(der: Uint8Array, random: () => number): Uint8Array {
  const bytes = Array.from(der);
  const at = () => Math.floor(random() * bytes.length);
  const kind = Math.floor(random() * 6);
  switch (kind) {
    case 0: // flip one bit
      bytes[at()] = (bytes[at()] ?? 0) ^ (1 << Math.floor(random() * 8));
      break;
    case 1: // overwrite a byte, often a length or tag
      bytes[at()] = Math.floor(random() * 256);
      break;
    case 2: // insert a byte
      bytes.splice(at(), 0, Math.floor(random() * 256));
      break;
    case 3: // delete a run
      bytes.splice(at(), 1 + Math.floor(random() * 8));
      break;
    case 4: // truncate
      bytes.length = at();
      break;
    default: {
      // duplicate a slice somewhere else
      const from = at();
      const slice = bytes.slice(from, from + 1 + Math.floor(random() * 16));
      bytes.splice(at(), 0, ...slice);
    }
  }
  return Uint8Array.from(bytes);
}

function mutatePem(pem: string, random: () => number): string {
  const chars = [...pem];
  const at = Math.floor(random() * chars.length);
  const noise = ['', '\n', ' ', '=', '-', '*', 'A', '\r\n', '-----END CERTIFICATE REQUEST-----'];
  chars.splice(at, Math.floor(random() * 3), noise[Math.floor(random() * noise.length)] ?? '');
  return chars.join('');
}

describe.each(['RSA-2048', 'ECDSA-P256'] as KeyAlgorithm[])('verifyCsr under mutation (%s)', (algorithm) => {
  let pem: string;
  let der: Uint8Array;

  beforeAll(async () => {
    const keys = await generateApplicantKeyPair(algorithm);
    pem = await createCsr({
      subject: [
        { type: 'C', value: 'ID' },
        { type: 'O', value: 'Pemerintah Kota Madiun' },
        { type: 'CN', value: 'SITI RAHAYU' },
      ],
      emails: ['siti.rahayu@madiunkota.go.id'],
      keys,
    });
    der = fromPem('CERTIFICATE REQUEST', pem) ?? new Uint8Array();
  });

  it(`answers ${CASES_PER_KEY} mutated requests without throwing, and accepts only what OpenSSL accepts`, async () => {
    const random = seededRandom(algorithm === 'RSA-2048' ? 2026 : 1125);
    const accepted = new Set<string>();
    let refused = 0;
    for (let i = 0; i < CASES_PER_KEY; i++) {
      const candidate =
        i % 5 === 0 ? mutatePem(pem, random) : toPem('CERTIFICATE REQUEST', mutate(der, random));
      const result = await verifyCsr(candidate);
      if (result.ok) accepted.add(candidate);
      else refused++;
    }
    // Most mutations break the request; the few that survive (e.g. PEM whitespace) must be sound.
    expect(refused).toBeGreaterThan(CASES_PER_KEY * 0.8);
    const disagreements = [...accepted].filter((candidate) => !opensslVerifiesCsr(candidate));
    expect(disagreements).toEqual([]);
  }, 120_000);
});
