import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpensslWorkspace, opensslWorkspace } from '../../../tests/support/openssl';
import { checkCertificate, parseCertificates } from './certificate';
import type { SubjectAttribute } from './csr';
import { createCsr } from './csr';
import { generateApplicantKeyPair } from './keys';

const SUBJECT: SubjectAttribute[] = [
  { type: 'C', value: 'ID' },
  { type: 'O', value: 'Pemerintah Kota Madiun' },
  { type: 'OU', value: 'Dinas Komunikasi dan Informatika' },
  { type: 'CN', value: 'BUDI SANTOSO' },
];

let ws: OpensslWorkspace;

const openssl = (args: string[]) => ws.must(args);

function certificatesIn(file: string) {
  const parsed = parseCertificates(ws.readText(file));
  if (!parsed.ok) throw new Error(`${file} is not X.509`);
  return parsed.value;
}

/** The city's CA signs a CSR as a CA would, copying the requested extensions. */
function sign(csrFile: string, certFile: string, ca = 'ca') {
  openssl([
    'x509',
    '-req',
    '-in',
    csrFile,
    '-CA',
    `${ca}.pem`,
    '-CAkey',
    `${ca}.key`,
    '-set_serial',
    `0x9${Date.now().toString(16).padStart(11, '0')}`, // high bit set: a DER sign byte
    '-copy_extensions',
    'copyall',
    '-days',
    '365',
    '-out',
    certFile,
  ]);
}

beforeAll(() => {
  ws = opensslWorkspace('certificate-openssl');
  for (const ca of ['ca', 'other-ca']) {
    openssl([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${ca}.key`,
      '-out',
      `${ca}.pem`,
      '-subj',
      `/C=ID/O=Balai Sertifikasi Elektronik (uji)/CN=${ca === 'ca' ? 'Test CA' : 'Other CA'}`,
      '-days',
      '30',
    ]);
  }
});

afterAll(() => {
  ws.remove();
});

describe('a certificate OpenSSL issues for the kiosk CSR', () => {
  let pkcs8: ArrayBuffer;

  beforeAll(async () => {
    const keys = await generateApplicantKeyPair('RSA-2048');
    pkcs8 = await crypto.subtle.exportKey('pkcs8', keys.privateKey);
    ws.write('kiosk.csr', await createCsr({ subject: SUBJECT, emails: ['budi@madiunkota.go.id'], keys }));
    sign('kiosk.csr', 'kiosk.pem');
  });

  it('is accepted with the CA as chain, and described as OpenSSL describes it', async () => {
    const [certificate] = certificatesIn('kiosk.pem');
    if (!certificate) throw new Error('no certificate');
    const result = await checkCertificate({
      certificate,
      privateKeyPkcs8: pkcs8,
      expectedSubject: SUBJECT,
      now: new Date(),
      chain: certificatesIn('ca.pem'),
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const fingerprint = openssl(['x509', '-in', 'kiosk.pem', '-noout', '-fingerprint', '-sha256']).stdout;
    expect(fingerprint.trim()).toBe(
      `sha256 Fingerprint=${result.value.sha256FingerprintHex.match(/../g)?.join(':')}`,
    );
    const serial = openssl(['x509', '-in', 'kiosk.pem', '-noout', '-serial']).stdout.trim();
    expect(serial).toBe(`serial=${result.value.serialNumberHex}`);
    expect(result.value.issuer).toBe('C=ID, O=Balai Sertifikasi Elektronik (uji), CN=Test CA');
    expect(result.value.subject).toEqual(SUBJECT);
    expect(result.value.keyAlgorithm).toBe('RSA');
  });

  it('is refused as bad-chain with another CA as chain', async () => {
    const [certificate] = certificatesIn('kiosk.pem');
    if (!certificate) throw new Error('no certificate');
    expect(
      await checkCertificate({
        certificate,
        privateKeyPkcs8: pkcs8,
        expectedSubject: SUBJECT,
        now: new Date(),
        chain: certificatesIn('other-ca.pem'),
      }),
    ).toEqual({ ok: false, problem: 'bad-chain' });
  });

  it('a certificate OpenSSL signs for another CSR (another key, same subject) is refused as other-key', async () => {
    openssl([
      'req',
      '-new',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'other.key',
      '-out',
      'other.csr',
      '-subj',
      '/C=ID/O=Pemerintah Kota Madiun/OU=Dinas Komunikasi dan Informatika/CN=BUDI SANTOSO',
    ]);
    sign('other.csr', 'other.pem');
    const [certificate] = certificatesIn('other.pem');
    if (!certificate) throw new Error('no certificate');
    expect(
      await checkCertificate({
        certificate,
        privateKeyPkcs8: pkcs8,
        expectedSubject: SUBJECT,
        now: new Date(),
        chain: certificatesIn('ca.pem'),
      }),
    ).toEqual({ ok: false, problem: 'other-key' });
  });
});
