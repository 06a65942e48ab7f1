import type * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpensslWorkspace, opensslWorkspace } from '../../../tests/support/openssl';
import { type Issuer, issueCertificate, makeTestCa } from '../../../tests/support/test-ca';
import { fromPem } from '../lib/pem';
import type { SubjectAttribute } from './csr';
import { generateApplicantKeyPair } from './keys';
import { buildPkcs12, type Pkcs12Form } from './pkcs12';
import type { KeyAlgorithm } from './types';

/** Non-ASCII on purpose: the MAC (BMPString) and PBES2 (UTF-8) must both agree with OpenSSL. */
const PASSWORD = 'kopi café di pasar besar 42';
const SUBJECT: SubjectAttribute[] = [
  { type: 'C', value: 'ID' },
  { type: 'O', value: 'Pemerintah Kota Madiun' },
  { type: 'CN', value: 'BUDI SANTOSO' },
];

let ws: OpensslWorkspace;
let ca: Issuer;

beforeAll(async () => {
  ws = opensslWorkspace('pkcs12-openssl');
  ws.write('pass.txt', `${PASSWORD.normalize('NFC')}\n`);
  ws.write('wrong.txt', 'kopi cafe di pasar besar 42\n');
  ca = await makeTestCa();
});

afterAll(() => {
  ws.remove();
});

/** OpenSSL 3 as installed, default provider only (no -legacy). */
const openssl = (args: string[]) => ws.run(args);

function der(certificate: pkijs.Certificate): Uint8Array {
  return new Uint8Array(certificate.toSchema().toBER(false));
}

function pemBlocks(text: string, label: string): Uint8Array[] {
  const re = new RegExp(`-----BEGIN ${label}-----[\\s\\S]*?-----END ${label}-----`, 'g');
  return (text.match(re) ?? []).map((block) => {
    const bytes = fromPem(label, block);
    if (!bytes) throw new Error(`bad ${label} block`);
    return bytes;
  });
}

describe.each<[Pkcs12Form, KeyAlgorithm]>([
  ['modern', 'RSA-2048'],
  ['modern', 'ECDSA-P256'],
  ['legacy', 'RSA-2048'],
])('a %s PKCS#12 with an %s key, read by OpenSSL 3', (form, algorithm) => {
  let pkcs8: ArrayBuffer;
  let spki: Uint8Array;
  let certificate: pkijs.Certificate;
  const file = `${form}-${algorithm}.p12`;

  beforeAll(async () => {
    const keys = await generateApplicantKeyPair(algorithm);
    pkcs8 = await crypto.subtle.exportKey('pkcs8', keys.privateKey);
    spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
    certificate = await issueCertificate({ subject: SUBJECT, publicKey: keys.publicKey, issuer: ca });
    const built = await buildPkcs12({
      privateKeyPkcs8: pkcs8,
      certificate,
      chain: [ca.certificate],
      password: PASSWORD.normalize('NFD'),
      form,
      friendlyName: 'BUDI SANTOSO',
      iterations: 1000,
    });
    if (!built.ok) throw new Error(built.problem);
    ws.write(file, built.value);
  });

  it('-info verifies the MAC and names the expected algorithms', () => {
    const run = openssl(['pkcs12', '-info', '-in', file, '-passin', 'file:pass.txt', '-noout']);
    expect(run.out).not.toMatch(/error|invalid/i);
    expect(run.status).toBe(0);
    if (form === 'modern') {
      expect(run.out).toContain('MAC: sha256, Iteration 2048');
      expect(run.out).toContain(
        'Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 1000, PRF hmacWithSHA256',
      );
      expect(run.out).toContain(
        'PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256',
      );
    } else {
      expect(run.out).toContain('MAC: sha1, Iteration 2048');
      expect(run.out).toContain('Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048');
      expect(run.out).toContain('PKCS7 Data');
      expect(run.out).not.toMatch(/RC2/i);
    }
  });

  it('gives back the same key and certificates, with friendlyName and localKeyId', () => {
    const run = openssl(['pkcs12', '-in', file, '-passin', 'file:pass.txt', '-nodes', '-out', `${file}.pem`]);
    expect(run.status).toBe(0);
    const pem = ws.readText(`${file}.pem`);
    expect(pemBlocks(pem, 'CERTIFICATE')).toEqual([der(certificate), der(ca.certificate)]);
    expect(pemBlocks(pem, 'PRIVATE KEY')).toEqual([new Uint8Array(pkcs8)]);
    expect(pem).toContain('friendlyName: BUDI SANTOSO');
    expect(pem.match(/localKeyID: [0-9A-F ]+/g)).toHaveLength(2);

    const pub = openssl(['pkey', '-in', `${file}.pem`, '-pubout', '-out', `${file}.pub`]);
    expect(pub.status).toBe(0);
    expect(fromPem('PUBLIC KEY', ws.readText(`${file}.pub`))).toEqual(spki);
  });

  it('a wrong password fails', () => {
    const run = openssl(['pkcs12', '-info', '-in', file, '-passin', 'file:wrong.txt', '-noout']);
    expect(run.status).not.toBe(0);
    expect(run.out).toMatch(/Mac verify error|invalid password/i);
  });
});

describe('the default work factor as OpenSSL sees it', () => {
  it('modern: Iteration 600000 on the key bag, 2048 on the MAC', async () => {
    const keys = await generateApplicantKeyPair('ECDSA-P256');
    const certificate = await issueCertificate({ subject: SUBJECT, publicKey: keys.publicKey, issuer: ca });
    const built = await buildPkcs12({
      privateKeyPkcs8: await crypto.subtle.exportKey('pkcs8', keys.privateKey),
      certificate,
      chain: [ca.certificate],
      password: PASSWORD,
      form: 'modern',
    });
    if (!built.ok) throw new Error(built.problem);
    ws.write('default.p12', built.value);
    const run = openssl(['pkcs12', '-info', '-in', 'default.p12', '-passin', 'file:pass.txt', '-noout']);
    expect(run.status).toBe(0);
    expect(run.out).toContain('MAC: sha256, Iteration 2048');
    expect(run.out).toContain(
      'Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 600000, PRF hmacWithSHA256',
    );
  });
});
