import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubjectAttribute } from '../../src/core/certificate/csr';
import { createCsr } from '../../src/core/certificate/csr';
import { generateApplicantKeyPair } from '../../src/core/certificate/keys';
import { encryptPrivateKey } from '../../src/core/certificate/pkcs8';
import { toPem } from '../../src/core/lib/pem';
import { type Issuer, issueCertificate, makeTestCa } from '../support/test-ca';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PASSPHRASE = 'kuda-lumping-sepeda-hijau-42';
const SUBJECT: SubjectAttribute[] = [
  { type: 'C', value: 'ID' },
  { type: 'O', value: 'Pemerintah Kota Madiun' },
  { type: 'CN', value: 'BUDI SANTOSO' },
];
const DAY = 86_400_000;

// Made at load: the it.each table below names files in it.
const dir = mkdtempSync(join(tmpdir(), 'p12-cli-'));
let ca: Issuer;

const path = (name: string) => join(dir, name);
const certPem = (certificate: pkijs.Certificate) => toPem('CERTIFICATE', certificate.toSchema().toBER(false));

function p12(args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/p12.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (run.error) throw run.error;
  return run;
}

function expectOneLineError(run: ReturnType<typeof p12>, code: number, message: RegExp) {
  expect(run.status).toBe(code);
  expect(run.stderr).toMatch(message);
  expect(run.stderr.trim().split('\n')[0]).toMatch(/^p12: /);
  expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

const standard = (overrides: Record<string, string> = {}) => {
  const args = {
    '--key': path('key.p8'),
    '--cert': path('cert.pem'),
    '--chain': path('ca.pem'),
    '--passphrase-file': path('pass.txt'),
    '--out': path('out.p12'),
    ...overrides,
  };
  return Object.entries(args).flat();
};

beforeAll(async () => {
  ca = await makeTestCa();
  const keys = await generateApplicantKeyPair('RSA-2048');
  const other = await generateApplicantKeyPair('RSA-2048');
  writeFileSync(path('key.p8'), await encryptPrivateKey(keys.privateKey, PASSPHRASE, { iterations: 1000 }));
  writeFileSync(path('pass.txt'), `${PASSPHRASE}\n`);
  writeFileSync(path('wrong.txt'), 'kuda-lumping-sepeda-merah-42\n');
  writeFileSync(path('ca.pem'), certPem(ca.certificate));
  writeFileSync(
    path('cert.pem'),
    certPem(await issueCertificate({ subject: SUBJECT, publicKey: keys.publicKey, issuer: ca })),
  );
  writeFileSync(
    path('other.pem'),
    certPem(await issueCertificate({ subject: SUBJECT, publicKey: other.publicKey, issuer: ca })),
  );
  writeFileSync(
    path('expired.pem'),
    certPem(
      await issueCertificate({
        subject: SUBJECT,
        publicKey: keys.publicKey,
        issuer: ca,
        notBefore: new Date(Date.now() - 400 * DAY),
        notAfter: new Date(Date.now() - DAY),
      }),
    ),
  );
  writeFileSync(path('request.csr'), await createCsr({ subject: SUBJECT, emails: [], keys }));
  writeFileSync(
    path('damaged.p8'),
    '-----BEGIN ENCRYPTED PRIVATE KEY-----\nAQIDBAUGBwgJ\n-----END ENCRYPTED PRIVATE KEY-----\n',
  );
}, 60_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run p12', () => {
  it('writes a PKCS#12 that openssl pkcs12 reads with the passphrase', () => {
    const run = p12([...standard(), '--name', 'BUDI SANTOSO']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /^wrote .*out\.p12 \(modern\): CN=BUDI SANTOSO, serial [0-9A-F]+, valid until /,
    );
    const info = spawnSync(
      'openssl',
      ['pkcs12', '-info', '-in', path('out.p12'), '-passin', `file:${path('pass.txt')}`, '-noout'],
      {
        encoding: 'utf8',
      },
    );
    expect(info.status).toBe(0);
    expect(`${info.stdout}${info.stderr}`).toContain('MAC: sha256, Iteration 2048');
  });

  it('writes the legacy form with --legacy', () => {
    const run = p12([...standard({ '--out': path('legacy.p12') }), '--legacy']);
    expect(run.status).toBe(0);
    const info = spawnSync(
      'openssl',
      ['pkcs12', '-info', '-in', path('legacy.p12'), '-passin', `file:${path('pass.txt')}`, '-noout'],
      {
        encoding: 'utf8',
      },
    );
    expect(info.status).toBe(0);
    expect(`${info.stdout}${info.stderr}`).toContain('pbeWithSHA1And3-KeyTripleDES-CBC');
  });

  it('a wrong passphrase: exit 1 and one clear line, nothing written', () => {
    const run = p12(standard({ '--passphrase-file': path('wrong.txt'), '--out': path('wrong.p12') }));
    expectOneLineError(run, 1, /wrong passphrase/);
    expect(existsSync(path('wrong.p12'))).toBe(false);
  });

  it('a certificate for another key: exit 1', () => {
    const run = p12(standard({ '--cert': path('other.pem'), '--out': path('other.p12') }));
    expectOneLineError(run, 1, /is for another key than/);
    expect(existsSync(path('other.p12'))).toBe(false);
  });

  it.each([
    [
      'a missing key file',
      { '--key': path('missing.p8') },
      /cannot read the key .*missing\.p8: no such file/,
    ],
    ['a damaged key', { '--key': path('damaged.p8') }, /is damaged/],
    ['a CSR given as the certificate', { '--cert': path('request.csr') }, /is not an X\.509 certificate/],
    ['an expired certificate', { '--cert': path('expired.pem') }, /expired on \d{4}-\d{2}-\d{2}/],
    ['a chain that did not issue it', { '--chain': path('other.pem') }, /was not issued by the chain/],
  ])('%s: exit 1', (_what, overrides, message) => {
    expectOneLineError(p12(standard({ ...overrides, '--out': path('bad.p12') })), 1, message);
    expect(existsSync(path('bad.p12'))).toBe(false);
  });

  it('usage errors: exit 2', () => {
    expectOneLineError(p12([]), 2, /are required\nusage: npm run p12/);
    expectOneLineError(p12([...standard(), '--bogus']), 2, /Unknown option '--bogus'/);
  });
});
