import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { derOf, EMAILS, MATRIX, okValue, SUBJECT } from '../../../tests/support/csr-fixtures';
import { toPem } from '../lib/pem';
import { createCsr, type SubjectAttribute, verifyCsr } from './csr';
import { generateApplicantKeyPair } from './keys';

/** `openssl req -verify` reads the PEM on stdin; OpenSSL 3 reports the verification on stderr. */
function opensslReq(pem: string): { status: number | null; output: string } {
  const run = spawnSync('openssl', ['req', '-verify', '-noout', '-text'], { input: pem, encoding: 'utf8' });
  if (run.error) throw run.error;
  return { status: run.status, output: `${run.stdout}\n${run.stderr}` };
}

describe.each(MATRIX)('createCsr + verifyCsr with %s', (algorithm, keyAlgorithm, keyBits) => {
  let keys: CryptoKeyPair;
  let pem: string;

  beforeAll(async () => {
    keys = await generateApplicantKeyPair(algorithm);
    pem = await createCsr({ subject: SUBJECT, emails: EMAILS, keys });
  });

  it('writes one CERTIFICATE REQUEST PEM block', () => {
    expect(pem.startsWith('-----BEGIN CERTIFICATE REQUEST-----\n')).toBe(true);
    expect(pem.endsWith('-----END CERTIFICATE REQUEST-----\n')).toBe(true);
  });

  it('verifies and reads back the subject in order, the e-mail and the key', async () => {
    expect(await verifyCsr(pem)).toEqual({
      ok: true,
      value: {
        subject: SUBJECT,
        emails: EMAILS,
        dnsNames: [],
        // The defaults: signing for everyone, S/MIME encryption only where RFC 5480 allows it.
        keyUsage:
          keyAlgorithm === 'RSA'
            ? ['digitalSignature', 'nonRepudiation', 'keyEncipherment']
            : ['digitalSignature', 'nonRepudiation'],
        extendedKeyUsage: ['emailProtection', 'documentSigning'],
        otherExtendedKeyUsage: [],
        keyAlgorithm,
        keyBits,
      },
    });
  });

  it('carries the public key of the pair that signed it', async () => {
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
    const der = derOf(pem);
    const found = Buffer.from(der).indexOf(Buffer.from(spki));
    expect(found).toBeGreaterThan(0);
  });

  it('is refused as bad-signature when one byte of the signature is flipped', async () => {
    const der = derOf(pem);
    // The signature BIT STRING closes the request: its last byte belongs to the signature value.
    der[der.length - 1] = (der[der.length - 1] ?? 0) ^ 0x01;
    expect(await verifyCsr(toPem('CERTIFICATE REQUEST', der))).toEqual({
      ok: false,
      problem: 'bad-signature',
    });
  });

  it('is refused when the signed subject is changed after signing', async () => {
    const der = derOf(pem);
    const at = Buffer.from(der).indexOf(Buffer.from('SITI RAHAYU'));
    expect(at).toBeGreaterThan(0);
    der[at] = 'B'.charCodeAt(0); // "BITI RAHAYU": same length, still valid DER
    expect(await verifyCsr(toPem('CERTIFICATE REQUEST', der))).toEqual({
      ok: false,
      problem: 'bad-signature',
    });
  });

  it('is accepted by OpenSSL, with one RDN per attribute and the e-mail as a SAN', () => {
    const { status, output } = opensslReq(pem);
    expect(status).toBe(0);
    expect(output).toContain('verify OK');
    expect(output).toContain(
      'Subject: C = ID, O = Pemerintah Kota Madiun, OU = Dinas Komunikasi dan Informatika, CN = SITI RAHAYU',
    );
    expect(output).not.toContain(' + ');
    expect(output).toContain('email:siti.rahayu@madiunkota.go.id');
    // Key encipherment (S/MIME encryption) exists for RSA only; RFC 5480 forbids it for EC keys.
    const keyUsage = /X509v3 Key Usage: critical\s+(.+)/.exec(output)?.[1]?.trim();
    expect(keyUsage).toBe(
      keyAlgorithm === 'RSA'
        ? 'Digital Signature, Non Repudiation, Key Encipherment'
        : 'Digital Signature, Non Repudiation',
    );
    expect(output).toContain(keyAlgorithm === 'RSA' ? 'sha256WithRSAEncryption' : 'ecdsa-with-SHA256');
  });

  it('is refused by OpenSSL when its signature is broken', () => {
    const der = derOf(pem);
    der[der.length - 1] = (der[der.length - 1] ?? 0) ^ 0x01;
    const { output } = opensslReq(toPem('CERTIFICATE REQUEST', der));
    expect(output).not.toContain('verify OK');
  });
});

describe('createCsr + verifyCsr: one key, many requests', () => {
  let keys: CryptoKeyPair;

  beforeAll(async () => {
    keys = await generateApplicantKeyPair('ECDSA-P256');
  });

  it('reads back several e-mails in order', async () => {
    const emails = ['siti.rahayu@madiunkota.go.id', 'siti@dinkes.madiunkota.go.id'];
    const pem = await createCsr({ subject: SUBJECT, emails, keys });
    expect(okValue(await verifyCsr(pem)).emails).toEqual(emails);
  });

  it('has no e-mail when none is given', async () => {
    const pem = await createCsr({ subject: SUBJECT, emails: [], keys });
    expect(okValue(await verifyCsr(pem)).emails).toEqual([]);
  });

  it('keeps non-ASCII names and a title', async () => {
    const subject: SubjectAttribute[] = [
      { type: 'C', value: 'ID' },
      { type: 'O', value: 'Pemerintah Kota Madiun' },
      { type: 'title', value: 'Kepala Dinas' },
      { type: 'CN', value: 'JOSÉ RAMÍREZ' },
    ];
    const pem = await createCsr({ subject, emails: EMAILS, keys });
    expect(okValue(await verifyCsr(pem)).subject).toEqual(subject);
    const { status, output } = opensslReq(pem);
    expect(status).toBe(0);
    expect(output).toContain('verify OK');
  });

  it.each<[string, SubjectAttribute[]]>([
    ['no CN', SUBJECT.filter((a) => a.type !== 'CN')],
    ['a blank CN', [...SUBJECT.filter((a) => a.type !== 'CN'), { type: 'CN', value: '   ' }]],
  ])('refuses a request with %s as no-common-name', async (_what, subject) => {
    const pem = await createCsr({ subject, emails: EMAILS, keys });
    expect(await verifyCsr(pem)).toEqual({ ok: false, problem: 'no-common-name' });
  });
});

describe('verifyCsr: bad input', () => {
  /** Fixed pseudo-random bytes, so the test does not depend on luck. */
  const noise = Uint8Array.from({ length: 300 }, (_, i) => (i * 167 + 13) % 251);

  it.each([
    ['an empty string', ''],
    ['plain text', 'this is not a certificate request'],
    ['a certificate instead of a request', toPem('CERTIFICATE', noise)],
    [
      'a PEM with bad padding',
      '-----BEGIN CERTIFICATE REQUEST-----\nAB=C\n-----END CERTIFICATE REQUEST-----\n',
    ],
  ])('%s → not-pem', async (_what, pem) => {
    expect(await verifyCsr(pem)).toEqual({ ok: false, problem: 'not-pem' });
  });

  it('random bytes inside a CERTIFICATE REQUEST PEM → malformed', async () => {
    expect(await verifyCsr(toPem('CERTIFICATE REQUEST', noise))).toEqual({ ok: false, problem: 'malformed' });
  });

  it('a truncated request → malformed', async () => {
    const keys = await generateApplicantKeyPair('ECDSA-P256');
    const der = derOf(await createCsr({ subject: SUBJECT, emails: EMAILS, keys }));
    const truncated = der.subarray(0, Math.floor(der.length / 2));
    expect(await verifyCsr(toPem('CERTIFICATE REQUEST', truncated))).toEqual({
      ok: false,
      problem: 'malformed',
    });
  });

  it('an RSA-1024 key → unsupported-key', async () => {
    const weak = await crypto.subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 1024,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      },
      true,
      ['sign', 'verify'],
    );
    const pem = await createCsr({ subject: SUBJECT, emails: EMAILS, keys: weak });
    expect(await verifyCsr(pem)).toEqual({ ok: false, problem: 'unsupported-key' });
  });

  it('an ECDSA P-384 key → unsupported-key (P-256 only)', async () => {
    const other = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, [
      'sign',
      'verify',
    ]);
    const pem = await createCsr({ subject: SUBJECT, emails: EMAILS, keys: other });
    expect(await verifyCsr(pem)).toEqual({ ok: false, problem: 'unsupported-key' });
  });
});
