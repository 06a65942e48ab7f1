import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpensslWorkspace, opensslWorkspace } from '../../../tests/support/openssl';
import { fromPem } from '../lib/pem';
import { generateApplicantKeyPair } from './keys';
import { decryptPrivateKey, describeEncryptedKey, encryptPrivateKey } from './pkcs8';
import type { KeyAlgorithm } from './types';

const PASSPHRASE = 'kuda-lumping-sepeda-hijau-42';
const WRONG = 'kuda-lumping-sepeda-merah-42';
const FAST = { iterations: 1000 };

let ws: OpensslWorkspace;

beforeAll(() => {
  ws = opensslWorkspace('pkcs8-openssl');
  ws.write('pass.txt', `${PASSPHRASE}\n`);
  ws.write('wrong.txt', `${WRONG}\n`);
});

afterAll(() => {
  ws.remove();
});

const openssl = (args: string[]) => ws.run(args);

function pkcs8Of(keys: CryptoKeyPair): Promise<ArrayBuffer> {
  return crypto.subtle.exportKey('pkcs8', keys.privateKey);
}

describe.each<KeyAlgorithm>(['ECDSA-P256', 'RSA-2048'])(
  'our encrypted %s key read by OpenSSL 3',
  (algorithm) => {
    let keys: CryptoKeyPair;

    beforeAll(async () => {
      keys = await generateApplicantKeyPair(algorithm);
    });

    it('opens with the right passphrase, to the same PKCS#8', async () => {
      ws.write('key.p8', await encryptPrivateKey(keys.privateKey, PASSPHRASE, FAST));
      const run = openssl(['pkcs8', '-in', 'key.p8', '-passin', 'file:pass.txt', '-out', 'plain.pem']);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const plain = fromPem('PRIVATE KEY', ws.readText('plain.pem'));
      expect(plain).toEqual(new Uint8Array(await pkcs8Of(keys)));
    });

    it('does not open with a wrong passphrase', async () => {
      ws.write('key.p8', await encryptPrivateKey(keys.privateKey, PASSPHRASE, FAST));
      const run = openssl(['pkcs8', '-in', 'key.p8', '-passin', 'file:wrong.txt', '-out', 'wrong.pem']);
      expect(run.status).not.toBe(0);
    });
  },
);

describe('the default parameters as OpenSSL sees them', () => {
  it('asn1parse shows PBES2, PBKDF2, a 16-byte salt, 600000 iterations, hmacWithSHA256, aes-256-cbc', async () => {
    const keys = await generateApplicantKeyPair('ECDSA-P256');
    const pem = await encryptPrivateKey(keys.privateKey, PASSPHRASE);
    expect(describeEncryptedKey(pem)).toMatchObject({ iterations: 600_000, saltBytes: 16 });
    ws.write('default.p8', pem);
    const parse = openssl(['asn1parse', '-in', 'default.p8']);
    expect(parse.status).toBe(0);
    const lines = parse.stdout.split('\n');
    const at = (text: string) => lines.findIndex((l) => l.includes(text));
    expect(at(':PBES2')).toBeGreaterThan(-1);
    const kdf = at(':PBKDF2');
    expect(kdf).toBeGreaterThan(at(':PBES2'));
    // The salt and the count follow the PBKDF2 OID: OCTET STRING of 16, then INTEGER 0x927C0.
    expect(lines[kdf + 2]).toMatch(/l= +16 prim: OCTET STRING/);
    expect(lines[kdf + 3]).toMatch(/prim: INTEGER +:0927C0$/);
    expect(lines[kdf + 5]).toContain(':hmacWithSHA256');
    expect(parse.stdout).toContain(':aes-256-cbc');
    const iv = lines.find((l) => l.includes(':aes-256-cbc'));
    expect(iv).toBeDefined();
    expect(lines[lines.indexOf(iv ?? '') + 1]).toMatch(/l= +16 prim: OCTET STRING/);

    const run = openssl(['pkcs8', '-in', 'default.p8', '-passin', 'file:pass.txt', '-out', 'default.pem']);
    expect(run.status).toBe(0);
  });
});

describe.each([
  [
    'RSA 2048, AES-256-CBC, hmacWithSHA256',
    ['rsa', 'rsa_keygen_bits:2048'],
    ['-v2', 'aes-256-cbc', '-v2prf', 'hmacWithSHA256'],
  ],
  [
    'P-256, AES-256-CBC, hmacWithSHA256',
    ['EC', 'ec_paramgen_curve:P-256'],
    ['-v2', 'aes-256-cbc', '-v2prf', 'hmacWithSHA256'],
  ],
  [
    'RSA 2048, AES-128-CBC, hmacWithSHA1',
    ['rsa', 'rsa_keygen_bits:2048'],
    ['-v2', 'aes-128-cbc', '-v2prf', 'hmacWithSHA1'],
  ],
  [
    'P-256, AES-192-CBC, hmacWithSHA256',
    ['EC', 'ec_paramgen_curve:P-256'],
    ['-v2', 'aes-192-cbc', '-v2prf', 'hmacWithSHA256'],
  ],
])('a key OpenSSL encrypted (%s)', (_what, [type, option], v2) => {
  let pem: string;
  let plain: Uint8Array;

  beforeAll(() => {
    const gen = openssl([
      'genpkey',
      '-algorithm',
      type ?? '',
      '-pkeyopt',
      option ?? '',
      '-out',
      'ossl-plain.pem',
    ]);
    expect(gen.status).toBe(0);
    const wrap = openssl([
      'pkcs8',
      '-topk8',
      ...v2,
      '-iter',
      '1000',
      '-in',
      'ossl-plain.pem',
      '-passout',
      'file:pass.txt',
      '-out',
      'ossl.p8',
    ]);
    expect(wrap.status).toBe(0);
    pem = ws.readText('ossl.p8');
    const der = fromPem('PRIVATE KEY', ws.readText('ossl-plain.pem'));
    if (!der) throw new Error('openssl genpkey wrote no PRIVATE KEY');
    plain = der;
  });

  it('decrypts with our code to the same PKCS#8', async () => {
    const result = await decryptPrivateKey(pem, PASSPHRASE);
    expect(result.ok).toBe(true);
    if (result.ok) expect(new Uint8Array(result.value)).toEqual(plain);
    expect(describeEncryptedKey(pem)?.iterations).toBe(1000);
  });

  it('refuses a wrong passphrase', async () => {
    expect(await decryptPrivateKey(pem, WRONG)).toEqual({ ok: false, problem: 'wrong-passphrase' });
  });
});

describe('passphrase text', () => {
  it('a key encrypted under the NFD form opens with openssl given the UTF-8 of the NFC form', async () => {
    const nfc = 'kopi café di pasar besar'.normalize('NFC');
    const keys = await generateApplicantKeyPair('ECDSA-P256');
    ws.write('nfd.p8', await encryptPrivateKey(keys.privateKey, nfc.normalize('NFD'), FAST));
    ws.write('nfc.txt', `${nfc}\n`);
    const run = openssl(['pkcs8', '-in', 'nfd.p8', '-passin', 'file:nfc.txt', '-out', 'nfd.pem']);
    expect(run.status).toBe(0);
  });
});
