import type * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Issuer, issueCertificate, makeTestCa } from '../../../tests/support/test-ca';
import { toPem } from '../lib/pem';
import { checkCertificate, parseCertificates, readCsrKey } from './certificate';
import type { SubjectAttribute } from './csr';
import { createCsr } from './csr';
import { generateApplicantKeyPair } from './keys';
import type { KeyAlgorithm } from './types';

const SUBJECT: SubjectAttribute[] = [
  { type: 'C', value: 'ID' },
  { type: 'O', value: 'Pemerintah Kota Madiun' },
  { type: 'OU', value: 'Dinas Komunikasi dan Informatika' },
  { type: 'CN', value: 'BUDI SANTOSO' },
];
const NOW = new Date('2026-03-01T08:00:00Z');
const DAY = 86_400_000;

function der(certificate: pkijs.Certificate): Uint8Array {
  return new Uint8Array(certificate.toSchema().toBER(false));
}

describe.each<KeyAlgorithm>(['RSA-2048', 'ECDSA-P256'])(
  'checkCertificate for an applicant key %s',
  (algorithm) => {
    let ca: Issuer;
    let keys: CryptoKeyPair;
    let pkcs8: ArrayBuffer;
    let issued: pkijs.Certificate;

    const issue = (overrides: Partial<Parameters<typeof issueCertificate>[0]> = {}) =>
      issueCertificate({
        subject: [...SUBJECT, { type: 'serialNumber', value: 'NIP-197001012000031001' }],
        publicKey: keys.publicKey,
        issuer: ca,
        notBefore: new Date(NOW.getTime() - DAY),
        notAfter: new Date(NOW.getTime() + 365 * DAY),
        ...overrides,
      });

    beforeAll(async () => {
      ca = await makeTestCa();
      keys = await generateApplicantKeyPair(algorithm);
      pkcs8 = await crypto.subtle.exportKey('pkcs8', keys.privateKey);
      issued = await issue();
    });

    it('accepts the certificate for the key and subject, and describes it', async () => {
      const result = await checkCertificate({
        certificate: issued,
        privateKeyPkcs8: pkcs8,
        expectedSubject: [...SUBJECT].reverse().map((a) => ({ ...a, value: ` ${a.value} ` })),
        now: NOW,
        chain: [ca.certificate],
      });
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.value).toMatchObject({
        subject: SUBJECT,
        issuer: 'C=ID, O=Balai Sertifikasi Elektronik (uji), CN=Test CA',
        notBefore: new Date(NOW.getTime() - DAY).toISOString(),
        notAfter: new Date(NOW.getTime() + 365 * DAY).toISOString(),
        keyAlgorithm: algorithm === 'ECDSA-P256' ? 'EC' : 'RSA',
      });
      expect(result.value.serialNumberHex).toMatch(/^[0-9A-F]+$/);
      const fingerprint = new Uint8Array(await crypto.subtle.digest('SHA-256', der(issued).slice()));
      expect(result.value.sha256FingerprintHex).toBe(Buffer.from(fingerprint).toString('hex').toUpperCase());
    });

    it('accepts it without a chain too', async () => {
      const result = await checkCertificate({
        certificate: issued,
        privateKeyPkcs8: pkcs8,
        expectedSubject: SUBJECT,
        now: NOW,
      });
      expect(result.ok).toBe(true);
    });

    it('refuses a certificate for another key as other-key', async () => {
      const other = await generateApplicantKeyPair(algorithm);
      const certificate = await issue({ publicKey: other.publicKey });
      expect(
        await checkCertificate({ certificate, privateKeyPkcs8: pkcs8, expectedSubject: SUBJECT, now: NOW }),
      ).toEqual({ ok: false, problem: 'other-key' });
    });

    it('before the passphrase: compares with the key the CSR asked for', async () => {
      const csr = await createCsr({ subject: SUBJECT, emails: [], keys });
      const request = await readCsrKey(csr);
      if (!request.ok) throw new Error(request.problem);
      const check = (certificate: pkijs.Certificate) =>
        checkCertificate({
          certificate,
          requestSpki: request.value.spki,
          expectedSubject: SUBJECT,
          now: NOW,
        });
      expect((await check(issued)).ok).toBe(true);
      const other = await generateApplicantKeyPair(algorithm);
      expect(await check(await issue({ publicKey: other.publicKey }))).toEqual({
        ok: false,
        problem: 'other-key',
      });
    });

    it('refuses a certificate for a key of the other algorithm as other-key', async () => {
      const other = await generateApplicantKeyPair(algorithm === 'ECDSA-P256' ? 'RSA-2048' : 'ECDSA-P256');
      const certificate = await issue({ publicKey: other.publicKey });
      expect(
        await checkCertificate({ certificate, privateKeyPkcs8: pkcs8, expectedSubject: SUBJECT, now: NOW }),
      ).toEqual({ ok: false, problem: 'other-key' });
    });

    it.each([
      ['another name', { type: 'CN', value: 'BUDI SANTOSA' }],
      ['another unit', { type: 'OU', value: 'Dinas Kesehatan' }],
    ] as const)('refuses a certificate with %s as other-subject', async (_what, changed) => {
      const subject = SUBJECT.map((a) => (a.type === changed.type ? changed : a));
      const certificate = await issue({ subject });
      expect(
        await checkCertificate({ certificate, privateKeyPkcs8: pkcs8, expectedSubject: SUBJECT, now: NOW }),
      ).toEqual({ ok: false, problem: 'other-subject' });
    });

    it('refuses a certificate that lacks an attribute asked for as other-subject', async () => {
      const certificate = await issue({ subject: SUBJECT.filter((a) => a.type !== 'OU') });
      expect(
        await checkCertificate({ certificate, privateKeyPkcs8: pkcs8, expectedSubject: SUBJECT, now: NOW }),
      ).toEqual({ ok: false, problem: 'other-subject' });
    });

    it('refuses an expired and a not yet valid certificate', async () => {
      const expired = await issue({
        notBefore: new Date(NOW.getTime() - 400 * DAY),
        notAfter: new Date(NOW.getTime() - DAY),
      });
      const future = await issue({ notBefore: new Date(NOW.getTime() + DAY) });
      const check = (certificate: pkijs.Certificate) =>
        checkCertificate({ certificate, privateKeyPkcs8: pkcs8, expectedSubject: SUBJECT, now: NOW });
      expect(await check(expired)).toEqual({ ok: false, problem: 'expired' });
      expect(await check(future)).toEqual({ ok: false, problem: 'not-yet-valid' });
    });

    it('checks the key before the subject and the subject before the dates', async () => {
      const other = await generateApplicantKeyPair(algorithm);
      const everythingWrong = await issue({
        publicKey: other.publicKey,
        subject: [{ type: 'CN', value: 'SIAPA' }],
        notAfter: new Date(NOW.getTime() - DAY / 2),
      });
      const wrongSubjectExpired = await issue({
        subject: [{ type: 'CN', value: 'SIAPA' }],
        notAfter: new Date(NOW.getTime() - DAY / 2),
      });
      const check = (certificate: pkijs.Certificate) =>
        checkCertificate({ certificate, privateKeyPkcs8: pkcs8, expectedSubject: SUBJECT, now: NOW });
      expect(await check(everythingWrong)).toEqual({ ok: false, problem: 'other-key' });
      expect(await check(wrongSubjectExpired)).toEqual({ ok: false, problem: 'other-subject' });
    });

    it('refuses a chain that did not sign it as bad-chain', async () => {
      const impostor = await makeTestCa(); // same name, another key
      const stranger = await makeTestCa([{ type: 'CN', value: 'Another CA' }]);
      const check = (chain: pkijs.Certificate[]) =>
        checkCertificate({
          certificate: issued,
          privateKeyPkcs8: pkcs8,
          expectedSubject: SUBJECT,
          now: NOW,
          chain,
        });
      expect(await check([impostor.certificate])).toEqual({ ok: false, problem: 'bad-chain' });
      expect(await check([stranger.certificate])).toEqual({ ok: false, problem: 'bad-chain' });
      expect(await check([issued])).toEqual({ ok: false, problem: 'bad-chain' });
      expect((await check([issued, stranger.certificate, ca.certificate])).ok).toBe(true);
    });
  },
);

describe('checkCertificate: a chain with an intermediate', () => {
  it('accepts root ← intermediate ← leaf and refuses an intermediate the root did not sign', async () => {
    const root = await makeTestCa([{ type: 'CN', value: 'Root CA' }], {
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    });
    const intermediateKeys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const intermediateName = [{ type: 'CN' as const, value: 'Issuing CA' }];
    const intermediate = {
      name: intermediateName,
      keys: intermediateKeys,
      certificate: await issueCertificate({
        subject: intermediateName,
        publicKey: intermediateKeys.publicKey,
        issuer: root,
        ca: true,
      }),
    };
    const keys = await generateApplicantKeyPair('ECDSA-P256');
    const pkcs8 = await crypto.subtle.exportKey('pkcs8', keys.privateKey);
    const leaf = await issueCertificate({
      subject: SUBJECT,
      publicKey: keys.publicKey,
      issuer: intermediate,
    });
    const check = (chain: pkijs.Certificate[]) =>
      checkCertificate({
        certificate: leaf,
        privateKeyPkcs8: pkcs8,
        expectedSubject: SUBJECT,
        now: new Date(),
        chain,
      });
    expect((await check([intermediate.certificate, root.certificate])).ok).toBe(true);
    expect((await check([intermediate.certificate])).ok).toBe(true);
    const fakeRoot = await makeTestCa([{ type: 'CN', value: 'Root CA' }]);
    expect(await check([intermediate.certificate, fakeRoot.certificate])).toEqual({
      ok: false,
      problem: 'bad-chain',
    });
  });
});

describe('parseCertificates', () => {
  let ca: Issuer;
  let keys: CryptoKeyPair;
  let leaf: pkijs.Certificate;

  beforeAll(async () => {
    ca = await makeTestCa();
    keys = await generateApplicantKeyPair('ECDSA-P256');
    leaf = await issueCertificate({ subject: SUBJECT, publicKey: keys.publicKey, issuer: ca });
  });

  it('reads one PEM, several PEM blocks with text around them, and DER', () => {
    const one = parseCertificates(toPem('CERTIFICATE', der(leaf)));
    expect(one.ok && one.value.map(der)).toEqual([der(leaf)]);
    const bundle = `subject=BUDI\n${toPem('CERTIFICATE', der(leaf))}issuer=CA\r\n${toPem('CERTIFICATE', der(ca.certificate))}`;
    const two = parseCertificates(bundle);
    expect(two.ok && two.value.map(der)).toEqual([der(leaf), der(ca.certificate)]);
    const fromDer = parseCertificates(der(leaf));
    expect(fromDer.ok && fromDer.value.map(der)).toEqual([der(leaf)]);
    const pemBytes = parseCertificates(new TextEncoder().encode(toPem('CERTIFICATE', der(leaf))));
    expect(pemBytes.ok && pemBytes.value.length).toBe(1);
  });

  it('refuses anything that is not X.509 as not-x509, without throwing', async () => {
    const csr = await createCsr({ subject: SUBJECT, emails: ['budi@madiunkota.go.id'], keys });
    const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', keys.privateKey));
    const certDer = der(leaf);
    const inputs: (string | Uint8Array)[] = [
      csr,
      toPem('PRIVATE KEY', pkcs8),
      pkcs8,
      '',
      new Uint8Array(0),
      'not a certificate',
      crypto.getRandomValues(new Uint8Array(300)),
      new Uint8Array([0x30, ...crypto.getRandomValues(new Uint8Array(300))]),
      certDer.slice(0, certDer.length - 1),
      certDer.slice(0, 100),
      new Uint8Array([...certDer, 0]),
      toPem('CERTIFICATE', certDer.slice(0, 200)),
      toPem('CERTIFICATE', pkcs8),
      `${toPem('CERTIFICATE', certDer)}${toPem('CERTIFICATE', certDer.slice(0, 50))}`,
    ];
    for (const input of inputs) expect(parseCertificates(input)).toEqual({ ok: false, problem: 'not-x509' });
    for (let at = 0; at < certDer.length; at++) {
      const flipped = certDer.slice();
      flipped[at] = (flipped[at] ?? 0) ^ (1 << (at % 8));
      expect(() => parseCertificates(flipped)).not.toThrow();
    }
    for (let cut = 0; cut < certDer.length; cut += 5) {
      expect(parseCertificates(certDer.slice(0, cut)).ok).toBe(false);
    }
  });

  it('readCsrKey gives the subject and the key a certificate must carry', async () => {
    const csr = await createCsr({ subject: SUBJECT, emails: ['budi@madiunkota.go.id'], keys });
    const read = await readCsrKey(csr);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.value.subject).toEqual(SUBJECT);
    expect(new Uint8Array(read.value.spki)).toEqual(
      new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey)),
    );
    expect(new Uint8Array(read.value.spki)).toEqual(
      new Uint8Array(leaf.subjectPublicKeyInfo.toSchema().toBER(false)),
    );
    expect(await readCsrKey('garbage')).toEqual({ ok: false, problem: 'not-pem' });
  });
});
