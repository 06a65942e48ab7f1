import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromPem } from '../lib/pem';
import { generateApplicantKeyPair, keyGenParams } from './keys';
import { decryptPrivateKey, describeEncryptedKey, encryptPrivateKey, PBKDF2_ITERATIONS } from './pkcs8';
import type { KeyAlgorithm } from './types';

const PASSPHRASE = 'kuda-lumping-sepeda-hijau-42';
/** Enough to exercise PBKDF2 without 600,000 rounds in every test. */
const FAST = { iterations: 1000 };
const MESSAGE = new TextEncoder().encode('Permohonan sertifikat elektronik');

function signParams(algorithm: KeyAlgorithm): AlgorithmIdentifier | EcdsaParams {
  return algorithm === 'ECDSA-P256' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5' };
}

function derOf(pem: string): Uint8Array<ArrayBuffer> {
  const der = fromPem('ENCRYPTED PRIVATE KEY', pem);
  if (!der) throw new Error('not an ENCRYPTED PRIVATE KEY PEM');
  return der;
}

/** `openssl pkcs8` reads the PEM on stdin and the passphrase from the environment, never argv. */
function opensslPkcs8(pem: string, passphrase: string) {
  const run = spawnSync('openssl', ['pkcs8', '-passin', 'env:PASS'], {
    input: pem,
    encoding: 'utf8',
    env: { ...process.env, PASS: passphrase },
  });
  if (run.error) throw run.error;
  return run;
}

describe.each<KeyAlgorithm>(['ECDSA-P256', 'RSA-2048'])('encrypted PKCS#8 with %s', (algorithm) => {
  let keys: CryptoKeyPair;
  let plaintext: Uint8Array;
  let pem: string;

  beforeAll(async () => {
    keys = await generateApplicantKeyPair(algorithm);
    plaintext = new Uint8Array(await crypto.subtle.exportKey('pkcs8', keys.privateKey));
    pem = await encryptPrivateKey(keys.privateKey, PASSPHRASE, FAST);
  });

  it('is an ENCRYPTED PRIVATE KEY PEM protected by PBES2, PBKDF2-HMAC-SHA256 and AES-256-CBC', () => {
    expect(pem.startsWith('-----BEGIN ENCRYPTED PRIVATE KEY-----\n')).toBe(true);
    expect(describeEncryptedKey(pem)).toEqual({
      scheme: 'PBES2',
      kdf: 'PBKDF2',
      prf: 'HMAC-SHA256',
      iterations: 1000,
      cipher: 'AES-256-CBC',
    });
  });

  it('decrypts with the right passphrase to a key that signs for the original public key', async () => {
    const der = await decryptPrivateKey(pem, PASSPHRASE);
    const importParams = keyGenParams(algorithm);
    const restored = await crypto.subtle.importKey('pkcs8', der, importParams, false, ['sign']);
    const signature = await crypto.subtle.sign(signParams(algorithm), restored, MESSAGE);
    expect(await crypto.subtle.verify(signParams(algorithm), keys.publicKey, signature, MESSAGE)).toBe(true);
    const tampered = MESSAGE.slice();
    tampered[0] = (tampered[0] ?? 0) ^ 1;
    expect(await crypto.subtle.verify(signParams(algorithm), keys.publicKey, signature, tampered)).toBe(
      false,
    );
  });

  it.each([
    ['a different passphrase', 'kuda-lumping-sepeda-merah-42'],
    ['the passphrase in capitals', PASSPHRASE.toUpperCase()],
    ['the passphrase with a trailing space', `${PASSPHRASE} `],
    ['the empty passphrase', ''],
  ])('refuses %s', async (_what, wrong) => {
    await expect(decryptPrivateKey(pem, wrong)).rejects.toThrow();
  });

  it('refuses many wrong passphrases (AES-CBC padding alone would let some through)', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 64 }, (_, i) =>
        decryptPrivateKey(pem, `wrong passphrase number ${i}`).then(
          () => 'decrypted',
          () => 'refused',
        ),
      ),
    );
    expect(outcomes.filter((o) => o === 'decrypted')).toEqual([]);
  });

  it('does not contain the plaintext key', () => {
    const encrypted = Buffer.from(derOf(pem));
    expect(pem).not.toContain(Buffer.from(plaintext).toString('base64'));
    expect(plaintext.length).toBeGreaterThan(32);
    for (let start = 0; start + 32 <= plaintext.length; start++) {
      expect(encrypted.indexOf(plaintext.subarray(start, start + 32))).toBe(-1);
    }
  });

  it('uses a fresh salt and IV every time', async () => {
    const again = await encryptPrivateKey(keys.privateKey, PASSPHRASE, FAST);
    expect(again).not.toBe(pem);
    expect(Buffer.from(await decryptPrivateKey(again, PASSPHRASE))).toEqual(
      Buffer.from(await decryptPrivateKey(pem, PASSPHRASE)),
    );
  });

  it('opens with openssl pkcs8 and the passphrase, to the same key', () => {
    const run = opensslPkcs8(pem, PASSPHRASE);
    expect(run.status).toBe(0);
    expect(run.stdout.startsWith('-----BEGIN PRIVATE KEY-----')).toBe(true);
    expect(fromPem('PRIVATE KEY', run.stdout)).toEqual(plaintext);
  });

  it('does not open with openssl pkcs8 and a wrong passphrase', () => {
    const run = opensslPkcs8(pem, 'kuda-lumping-sepeda-merah-42');
    expect(run.status).not.toBe(0);
    expect(run.stdout).not.toContain('PRIVATE KEY');
  });
});

describe('encryptPrivateKey: passphrase text', () => {
  let keys: CryptoKeyPair;

  beforeAll(async () => {
    keys = await generateApplicantKeyPair('ECDSA-P256');
  });

  const nfc = 'kopi café di pasar besar'.normalize('NFC');
  const nfd = nfc.normalize('NFD');

  it('the two forms differ as typed', () => {
    expect(nfd).not.toBe(nfc);
  });

  it.each([
    ['NFC', 'NFD', nfc, nfd],
    ['NFD', 'NFC', nfd, nfc],
  ])('a key encrypted under the %s form opens with the %s form', async (_a, _b, encryptWith, decryptWith) => {
    const pem = await encryptPrivateKey(keys.privateKey, encryptWith, FAST);
    await expect(decryptPrivateKey(pem, decryptWith)).resolves.toBeInstanceOf(ArrayBuffer);
  });

  it('opens with openssl given the UTF-8 of the NFC form', async () => {
    const pem = await encryptPrivateKey(keys.privateKey, nfd, FAST);
    const run = opensslPkcs8(pem, nfc);
    expect(run.status).toBe(0);
    expect(run.stdout.startsWith('-----BEGIN PRIVATE KEY-----')).toBe(true);
  });
});

describe('encryptPrivateKey: work factor', () => {
  it(`uses ${PBKDF2_ITERATIONS.toLocaleString('en')} PBKDF2 iterations by default`, async () => {
    const keys = await generateApplicantKeyPair('ECDSA-P256');
    const pem = await encryptPrivateKey(keys.privateKey, PASSPHRASE);
    expect(describeEncryptedKey(pem)?.iterations).toBe(600_000);
  });
});

describe('describeEncryptedKey / decryptPrivateKey: bad input', () => {
  it.each([
    ['plain text', 'not a key'],
    ['an unencrypted key', '-----BEGIN PRIVATE KEY-----\nAQID\n-----END PRIVATE KEY-----\n'],
    [
      'random bytes',
      '-----BEGIN ENCRYPTED PRIVATE KEY-----\nAQIDBAUGBwgJ\n-----END ENCRYPTED PRIVATE KEY-----\n',
    ],
  ])('describeEncryptedKey gives null for %s', (_what, pem) => {
    expect(describeEncryptedKey(pem)).toBeNull();
  });

  it('decryptPrivateKey throws on something that is not an encrypted key', async () => {
    await expect(
      decryptPrivateKey('-----BEGIN PRIVATE KEY-----\nAQID\n-----END PRIVATE KEY-----\n', PASSPHRASE),
    ).rejects.toThrow();
  });
});
