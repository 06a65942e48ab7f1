import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../lib/brand';
import { fromPem, toPem } from '../lib/pem';
import { generateApplicantKeyPair, keyGenParams } from './keys';
import { passwordBytes } from './pbes2';
import type { KeyProblem } from './pkcs8';
import {
  decryptPrivateKey,
  describeEncryptedKey,
  encryptPrivateKey,
  encryptPrivateKeyInfo,
  PBKDF2_ITERATIONS,
} from './pkcs8';
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

function okBytes(result: Result<ArrayBuffer, KeyProblem>): Uint8Array<ArrayBuffer> {
  if (!result.ok) throw new Error(`expected a key, got '${result.problem}'`);
  return new Uint8Array(result.value);
}

/** Rewrites the PBKDF2 parameters of an encrypted key, to make files no honest encoder writes. */
function withKdf(pem: string, edit: (kdf: asn1js.Sequence) => void): string {
  const bag = pkijs.PKCS8ShroudedKeyBag.fromBER(derOf(pem));
  const pbes2 = new pkijs.PBES2Params({ schema: bag.encryptionAlgorithm.algorithmParams });
  const kdf = pbes2.keyDerivationFunc.algorithmParams as asn1js.Sequence;
  edit(kdf);
  bag.encryptionAlgorithm = new pkijs.AlgorithmIdentifier({
    algorithmId: bag.encryptionAlgorithm.algorithmId,
    algorithmParams: pbes2.toSchema(),
  });
  return toPem('ENCRYPTED PRIVATE KEY', bag.toSchema().toBER(false));
}

function setIterations(pem: string, integer: asn1js.Integer): string {
  return withKdf(pem, (kdf) => {
    kdf.valueBlock.value[1] = integer;
  });
}

describe.each<KeyAlgorithm>(['ECDSA-P256', 'RSA-2048', 'RSA-3072'])(
  'encrypted PKCS#8 with %s',
  (algorithm) => {
    let keys: CryptoKeyPair;
    let plaintext: Uint8Array;
    let pem: string;

    beforeAll(async () => {
      keys = await generateApplicantKeyPair(algorithm);
      plaintext = new Uint8Array(await crypto.subtle.exportKey('pkcs8', keys.privateKey));
      pem = await encryptPrivateKey(keys.privateKey, PASSPHRASE, FAST);
    });

    it('is an ENCRYPTED PRIVATE KEY PEM protected by PBES2, PBKDF2-HMAC-SHA256, a 16-byte salt and AES-256-CBC', () => {
      expect(pem.startsWith('-----BEGIN ENCRYPTED PRIVATE KEY-----\n')).toBe(true);
      expect(describeEncryptedKey(pem)).toEqual({
        scheme: 'PBES2',
        kdf: 'PBKDF2',
        prf: 'HMAC-SHA256',
        iterations: 1000,
        saltBytes: 16,
        cipher: 'AES-256-CBC',
      });
    });

    it('decrypts with the right passphrase to the original PKCS#8, which signs for the original public key', async () => {
      const der = okBytes(await decryptPrivateKey(pem, PASSPHRASE));
      expect(der).toEqual(plaintext);
      const restored = await crypto.subtle.importKey('pkcs8', der, keyGenParams(algorithm), false, ['sign']);
      const signature = await crypto.subtle.sign(signParams(algorithm), restored, MESSAGE);
      expect(await crypto.subtle.verify(signParams(algorithm), keys.publicKey, signature, MESSAGE)).toBe(
        true,
      );
    });

    it.each([
      ['a different passphrase', 'kuda-lumping-sepeda-merah-42'],
      ['the passphrase in capitals', PASSPHRASE.toUpperCase()],
      ['the passphrase with a trailing space', `${PASSPHRASE} `],
      ['the empty passphrase', ''],
    ])('refuses %s as wrong-passphrase', async (_what, wrong) => {
      expect(await decryptPrivateKey(pem, wrong)).toEqual({ ok: false, problem: 'wrong-passphrase' });
    });

    it('refuses 300 wrong passphrases (AES-CBC padding alone would let about one through)', async () => {
      const outcomes = await Promise.all(
        Array.from({ length: 300 }, (_, i) => decryptPrivateKey(pem, `wrong passphrase number ${i}`)),
      );
      expect(outcomes.filter((o) => o.ok)).toEqual([]);
      expect(new Set(outcomes.map((o) => (o.ok ? 'ok' : o.problem)))).toEqual(new Set(['wrong-passphrase']));
    });

    it('does not contain the plaintext key', () => {
      const encrypted = Buffer.from(derOf(pem));
      expect(pem).not.toContain(Buffer.from(plaintext).toString('base64'));
      for (let start = 0; start + 32 <= plaintext.length; start++) {
        expect(encrypted.indexOf(plaintext.subarray(start, start + 32))).toBe(-1);
      }
    });

    it('uses a fresh salt and IV every time', async () => {
      const again = await encryptPrivateKey(keys.privateKey, PASSPHRASE, FAST);
      expect(again).not.toBe(pem);
      expect(okBytes(await decryptPrivateKey(again, PASSPHRASE))).toEqual(plaintext);
    });

    // Each repeat encrypts afresh: other salt and IV, so other garbled plaintexts.
    it('never throws and never returns other bytes for a truncated or bit-flipped file', {
      repeats: Number(process.env.PKCS8_DAMAGE_REPEATS ?? 2),
    }, async () => {
      const fresh = await encryptPrivateKey(keys.privateKey, PASSPHRASE, FAST);
      const der = derOf(fresh);
      const damaged: string[] = [];
      for (let length = 0; length < der.length; length += 7)
        damaged.push(toPem('ENCRYPTED PRIVATE KEY', der.slice(0, length)));
      for (let at = 0; at < der.length; at++) {
        for (const bit of [at % 8, (at + 3) % 8]) {
          const flipped = der.slice();
          flipped[at] = (flipped[at] ?? 0) ^ (1 << bit);
          damaged.push(toPem('ENCRYPTED PRIVATE KEY', flipped));
        }
      }
      for (let cut = 1; cut < fresh.length; cut += 41) damaged.push(fresh.slice(0, cut));
      const problems = new Map<string, number>();
      for (const text of damaged) {
        const result = await decryptPrivateKey(text, PASSPHRASE);
        if (result.ok) expect(new Uint8Array(result.value)).toEqual(plaintext);
        else problems.set(result.problem, (problems.get(result.problem) ?? 0) + 1);
      }
      expect(
        [...problems.keys()].every((p) =>
          ['not-pem', 'corrupt', 'unsupported', 'wrong-passphrase'].includes(p),
        ),
      ).toBe(true);
      expect(problems.get('corrupt')).toBeGreaterThan(0);
    });
  },
);

describe('decryptPrivateKey: damage that still parses', () => {
  it('a flipped bit inside an RSA prime is reported as corrupt, not returned', async () => {
    // Encrypt a key whose plaintext is already damaged, as a bit flip in the ciphertext can make it.
    const keys = await generateApplicantKeyPair('RSA-2048');
    const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', keys.privateKey));
    const info = pkijs.PrivateKeyInfo.fromBER(pkcs8);
    const rsa = info.parsedKey as pkijs.RSAPrivateKey;
    const prime = new Uint8Array(rsa.prime1.valueBlock.valueHexView);
    const at = Buffer.from(pkcs8).indexOf(Buffer.from(prime.subarray(1, 40)));
    expect(at).toBeGreaterThan(0);
    pkcs8[at + 20] = (pkcs8[at + 20] ?? 0) ^ 0x10;
    const pem = toPem('ENCRYPTED PRIVATE KEY', await encryptPrivateKeyInfo(pkcs8, PASSPHRASE, FAST));
    expect(await decryptPrivateKey(pem, PASSPHRASE)).toEqual({ ok: false, problem: 'corrupt' });
  });

  it('an EC key whose public point does not belong to the scalar is reported as corrupt', async () => {
    const [a, b] = await Promise.all([
      generateApplicantKeyPair('ECDSA-P256'),
      generateApplicantKeyPair('ECDSA-P256'),
    ]);
    const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', a.privateKey));
    const otherPoint = new Uint8Array(await crypto.subtle.exportKey('raw', b.publicKey));
    const ownPoint = new Uint8Array(await crypto.subtle.exportKey('raw', a.publicKey));
    const at = Buffer.from(pkcs8).indexOf(Buffer.from(ownPoint));
    expect(at).toBeGreaterThan(0);
    pkcs8.set(otherPoint, at);
    const pem = toPem('ENCRYPTED PRIVATE KEY', await encryptPrivateKeyInfo(pkcs8, PASSPHRASE, FAST));
    expect(await decryptPrivateKey(pem, PASSPHRASE)).toEqual({ ok: false, problem: 'corrupt' });
  });
});

describe('decryptPrivateKey: absurd parameters are refused before any work', () => {
  let pem: string;

  beforeAll(async () => {
    const keys = await generateApplicantKeyPair('ECDSA-P256');
    pem = await encryptPrivateKey(keys.privateKey, PASSPHRASE, FAST);
  });

  it.each([
    ['10,000,001 iterations', new asn1js.Integer({ value: 10_000_001 })],
    ['2^31 - 1 iterations', new asn1js.Integer({ value: 2 ** 31 - 1 })],
    ['2^80 iterations', new asn1js.Integer({ valueHex: new Uint8Array([1, ...new Array(10).fill(0)]) })],
    ['0 iterations', new asn1js.Integer({ value: 0 })],
    ['-1 iterations', new asn1js.Integer({ value: -1 })],
  ])('%s → unsupported, at once', async (_what, integer) => {
    const started = performance.now();
    expect(await decryptPrivateKey(setIterations(pem, integer), PASSPHRASE)).toEqual({
      ok: false,
      problem: 'unsupported',
    });
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('a 65-byte salt → unsupported; a 64-byte one is merely a wrong key', async () => {
    const salt = (n: number) =>
      withKdf(pem, (kdf) => {
        kdf.valueBlock.value[0] = new asn1js.OctetString({ valueHex: new Uint8Array(n) });
      });
    expect(await decryptPrivateKey(salt(65), PASSPHRASE)).toEqual({ ok: false, problem: 'unsupported' });
    expect(await decryptPrivateKey(salt(64), PASSPHRASE)).toEqual({ ok: false, problem: 'wrong-passphrase' });
  });

  it('a wrong keyLength → corrupt; an unknown PRF → unsupported', async () => {
    const keyLength = withKdf(pem, (kdf) => {
      kdf.valueBlock.value.splice(2, 0, new asn1js.Integer({ value: 16 }));
    });
    expect(await decryptPrivateKey(keyLength, PASSPHRASE)).toEqual({ ok: false, problem: 'corrupt' });
    const md5Prf = withKdf(pem, (kdf) => {
      kdf.valueBlock.value[2] = new pkijs.AlgorithmIdentifier({
        algorithmId: '1.2.840.113549.2.5',
        algorithmParams: new asn1js.Null(),
      }).toSchema();
    });
    expect(await decryptPrivateKey(md5Prf, PASSPHRASE)).toEqual({ ok: false, problem: 'unsupported' });
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
    expect((await decryptPrivateKey(pem, decryptWith)).ok).toBe(true);
  });

  it('a key written by the earlier pkijs-based encoder still opens', async () => {
    const pkcs8 = await crypto.subtle.exportKey('pkcs8', keys.privateKey);
    const bag = new pkijs.PKCS8ShroudedKeyBag({ parsedValue: pkijs.PrivateKeyInfo.fromBER(pkcs8) });
    await bag.makeInternalValues({
      password: passwordBytes(PASSPHRASE).buffer,
      contentEncryptionAlgorithm: { name: 'AES-CBC', length: 256 } as pkijs.ContentEncryptionAlgorithm,
      hmacHashAlgorithm: 'SHA-256',
      iterationCount: 1000,
    });
    const pem = toPem('ENCRYPTED PRIVATE KEY', bag.toSchema().toBER(false));
    expect(describeEncryptedKey(pem)?.saltBytes).toBe(64);
    expect(okBytes(await decryptPrivateKey(pem, PASSPHRASE))).toEqual(new Uint8Array(pkcs8));
  });
});

describe('encryptPrivateKey: work factor', () => {
  it(`uses ${PBKDF2_ITERATIONS.toLocaleString('en')} PBKDF2 iterations and a 16-byte salt by default`, async () => {
    const keys = await generateApplicantKeyPair('ECDSA-P256');
    const pem = await encryptPrivateKey(keys.privateKey, PASSPHRASE);
    expect(describeEncryptedKey(pem)).toMatchObject({
      iterations: 600_000,
      saltBytes: 16,
      prf: 'HMAC-SHA256',
    });
    expect((await decryptPrivateKey(pem, PASSPHRASE)).ok).toBe(true);
  });

  it('refuses to write an iteration count it would refuse to read', async () => {
    const keys = await generateApplicantKeyPair('ECDSA-P256');
    await expect(encryptPrivateKey(keys.privateKey, PASSPHRASE, { iterations: 0 })).rejects.toThrow(
      RangeError,
    );
    await expect(encryptPrivateKey(keys.privateKey, PASSPHRASE, { iterations: 10_000_001 })).rejects.toThrow(
      RangeError,
    );
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

  it.each([
    ['plain text', 'not a key', 'not-pem'],
    ['an unencrypted key', '-----BEGIN PRIVATE KEY-----\nAQID\n-----END PRIVATE KEY-----\n', 'not-pem'],
    [
      'random bytes',
      '-----BEGIN ENCRYPTED PRIVATE KEY-----\nAQIDBAUGBwgJ\n-----END ENCRYPTED PRIVATE KEY-----\n',
      'corrupt',
    ],
  ])('decryptPrivateKey reports %s as %s', async (_what, pem, problem) => {
    expect(await decryptPrivateKey(pem, PASSPHRASE)).toEqual({ ok: false, problem });
  });
});
