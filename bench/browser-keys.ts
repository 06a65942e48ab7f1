// Bundled by bench/keys.ts and run inside Chromium on the kiosk's origin: the same code the
// kiosk's crypto worker runs, timed with the browser's own WebCrypto.
import { generateApplicantKeyPair } from '../src/core/certificate/keys';
import { type KeyCase, keyCases, timeFullKeyRequest, timeKeyAndCsr, timePbkdf2 } from './key-cases';

async function run(runs: number) {
  const results: { case: KeyCase; keyAndCsr: number[]; full: number[] }[] = [];
  for (const c of keyCases()) {
    const keyAndCsr: number[] = [];
    const full: number[] = [];
    const n = c.keyAlgorithm === 'RSA-3072' ? Math.max(5, Math.round(runs / 3)) : runs;
    for (let i = 0; i < n; i++) keyAndCsr.push(await timeKeyAndCsr(c));
    for (let i = 0; i < Math.min(n, 5); i++) full.push(await timeFullKeyRequest(c));
    results.push({ case: c, keyAndCsr, full });
  }
  const keys = await generateApplicantKeyPair('RSA-2048');
  const pbkdf2: number[] = [];
  for (let i = 0; i < 5; i++) pbkdf2.push(await timePbkdf2(keys));
  return { results, pbkdf2 };
}

(globalThis as { sertelBench?: typeof run }).sertelBench = run;
