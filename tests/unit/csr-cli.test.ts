// `npm run csr` end to end, judged by OpenSSL: every certificate type and key algorithm, the
// encrypted key, a certificate from an OpenSSL CA turned into a PKCS#12 by `npm run p12`, and the
// bad input a person at a terminal gives it.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { describeEncryptedKey } from '../../src/core/certificate/pkcs8';
import { opensslWorkspace } from '../support/openssl';
import { makeOpensslCa, openssl } from '../support/openssl-ca';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PASSPHRASE = 'sawah hijau di kaki gunung wilis';
const ws = opensslWorkspace('csr-cli');
const ca = makeOpensslCa();
afterAll(() => {
  ws.remove();
  ca.remove();
});

const SUBJECT = {
  nama: 'Siti Rahayu',
  nik: '3577014501900003',
  nip: '199001052015022001',
  email: 'siti.rahayu@madiunkota.go.id',
  perangkatDaerah: 'Dinas Komunikasi dan Informatika',
  jabatan: 'Kepala Bidang Persandian',
  host: 'sipd.madiunkota.go.id',
};
ws.write('subject.json', JSON.stringify(SUBJECT));
ws.write('pass.txt', `${PASSPHRASE}\n`);
ws.write('wrong.txt', 'bukan frasa sandi yang benar\n');

function run(script: 'csr' | 'p12', args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (result.error) throw result.error;
  return result;
}

function csr(type: string, out: string, extra: string[] = [], subject = 'subject.json', pass = 'pass.txt') {
  return run('csr', [
    '--type',
    type,
    '--subject-json',
    ws.path(subject),
    '--passphrase-file',
    ws.path(pass),
    '--out',
    ws.path(out),
    ...extra,
  ]);
}

const BASE = 'C = ID, O = Pemerintah Kota Madiun, OU = Dinas Komunikasi dan Informatika';
const CASES = [
  ['individu', 'RSA-2048', `${BASE}, CN = SITI RAHAYU`, null],
  ['jabatan', 'RSA-2048', `${BASE}, title = Kepala Bidang Persandian, CN = SITI RAHAYU`, null],
  ['sistem', 'RSA-2048', `${BASE}, CN = sipd.madiunkota.go.id`, 'DNS:sipd.madiunkota.go.id'],
  ['individu', 'RSA-3072', `${BASE}, CN = SITI RAHAYU`, null],
  ['jabatan', 'ECDSA-P256', `${BASE}, title = Kepala Bidang Persandian, CN = SITI RAHAYU`, null],
  ['sistem', 'ECDSA-P256', `${BASE}, CN = sipd.madiunkota.go.id`, 'DNS:sipd.madiunkota.go.id'],
] as const;

describe.each(CASES)('npm run csr --type %s (%s)', (type, algorithm, subjectLine, dns) => {
  const out = `${type}-${algorithm}`;
  const made = csr(type, out, ['--key-algorithm', algorithm]);
  const csrPem = () => readFileSync(join(ws.path(out), 'request.csr'), 'utf8');

  it('writes request.csr and key.p8 and says so on stderr', () => {
    expect(made.status, made.stderr).toBe(0);
    expect(made.stderr).toMatch(/wrote .*request\.csr and .*key\.p8/);
    const info = describeEncryptedKey(readFileSync(join(ws.path(out), 'key.p8'), 'utf8'));
    expect(info).toMatchObject({
      iterations: 600_000,
      saltBytes: 16,
      prf: 'HMAC-SHA256',
      cipher: 'AES-256-CBC',
    });
  });

  it('is accepted by `openssl req -verify` with the profile’s subject, SAN and extensions', () => {
    const shown = openssl(['req', '-verify', '-noout', '-text'], csrPem());
    expect(shown.status).toBe(0);
    expect(shown.out).toContain('verify OK');
    expect(shown.out).toContain(`Subject: ${subjectLine}`);
    expect(shown.out).toContain('email:siti.rahayu@madiunkota.go.id');
    if (dns) expect(shown.out).toContain(dns);
    else expect(shown.out).not.toContain('DNS:');
    const keyUsage = /X509v3 Key Usage: critical\s+(.+)/.exec(shown.out)?.[1]?.trim();
    expect(keyUsage).toBe(
      algorithm.startsWith('RSA')
        ? 'Digital Signature, Non Repudiation, Key Encipherment'
        : 'Digital Signature, Non Repudiation',
    );
    const eku = /X509v3 Extended Key Usage:\s+(.+)/.exec(shown.out)?.[1]?.trim() ?? '';
    expect(eku).toContain('E-mail Protection');
    // id-kp-documentSigning (RFC 9336); OpenSSL 3.0 knows it by number only.
    expect(eku).toMatch(/1\.3\.6\.1\.5\.5\.7\.3\.36|Document Signing/);
    if (type === 'sistem') expect(eku).toContain('TLS Web Client Authentication');
    expect(shown.out).toContain(
      algorithm === 'ECDSA-P256' ? 'ASN1 OID: prime256v1' : `Public-Key: (${algorithm.slice(4)} bit)`,
    );
  });

  it('has a key that `openssl pkcs8` opens with the passphrase only, and that is the CSR’s key', () => {
    const key = join(out, 'key.p8');
    const opened = ws.run(['pkcs8', '-in', key, '-passin', 'file:pass.txt', '-out', `${out}.plain.pem`]);
    expect(opened.status, opened.stderr).toBe(0);
    expect(
      ws.run(['pkcs8', '-in', key, '-passin', 'file:wrong.txt', '-out', `${out}.x.pem`]).status,
    ).not.toBe(0);
    const keyPub = ws.must(['pkey', '-in', `${out}.plain.pem`, '-pubout']).stdout;
    expect(keyPub).toBe(openssl(['req', '-noout', '-pubkey'], csrPem()).out);
  });

  it('gets a certificate from an OpenSSL CA that `npm run p12` packs and `openssl pkcs12` reads', () => {
    ws.write(`${out}.crt`, ca.sign(csrPem()));
    ws.write('ca.pem', ca.certificatePem);
    const packed = run('p12', [
      '--key',
      join(ws.path(out), 'key.p8'),
      '--cert',
      ws.path(`${out}.crt`),
      '--chain',
      ws.path('ca.pem'),
      '--passphrase-file',
      ws.path('pass.txt'),
      '--out',
      ws.path(`${out}.p12`),
    ]);
    expect(packed.status, packed.stderr).toBe(0);
    const info = ws.run(['pkcs12', '-info', '-in', `${out}.p12`, '-passin', 'file:pass.txt', '-noout']);
    expect(info.status, info.out).toBe(0);
    expect(info.out).toContain('MAC: sha256, Iteration 2048');
    expect(info.out).toContain('PBES2, PBKDF2, AES-256-CBC, Iteration 600000, PRF hmacWithSHA256');
  });
});

describe('npm run csr: bad input gets one clear line and writes nothing', () => {
  function expectRefusal(result: ReturnType<typeof run>, code: number, message: RegExp) {
    expect(result.status).toBe(code);
    expect(result.stderr).toMatch(/^csr: /);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }

  it.each([
    [
      'an unknown type',
      ['--type', 'pribadi', '--subject-json', 'x', '--passphrase-file', 'y', '--out', 'z'],
      2,
      /unknown --type pribadi/,
    ],
    ['no --out', ['--type', 'individu', '--subject-json', 'x', '--passphrase-file', 'y'], 2, /usage:/],
    ['an unknown option', ['--typo', 'x'], 2, /Unknown option/],
  ])('%s', (_what, args, code, message) => {
    expectRefusal(run('csr', args), code, message);
  });

  it('a passphrase file that does not exist', () => {
    expectRefusal(
      csr('individu', 'missing-pass', [], 'subject.json', 'nope.txt'),
      1,
      /cannot read the passphrase file/,
    );
  });

  it('a short passphrase, one with the NIK, and a long but guessable one', () => {
    ws.write('short.txt', 'pendek\n');
    ws.write('nik.txt', 'rumah 3577014501900003 saya\n');
    ws.write('weak.txt', 'aaaaaaaaaaaaaaaaaaaa\n');
    expectRefusal(csr('individu', 'short', [], 'subject.json', 'short.txt'), 1, /shorter than 15 characters/);
    expectRefusal(csr('individu', 'nik', [], 'subject.json', 'nik.txt'), 1, /personal/);
    expectRefusal(csr('individu', 'weak', [], 'subject.json', 'weak.txt'), 1, /too weak \(strength 0 of 4/);
  });

  it('a subject file that is not JSON, lacks the host for a system, or has a bad NIK', () => {
    ws.write('broken.json', '{"nama": ');
    ws.write('nohost.json', JSON.stringify({ ...SUBJECT, host: undefined }));
    ws.write('badnik.json', JSON.stringify({ ...SUBJECT, nik: '1234' }));
    expectRefusal(csr('individu', 'broken', [], 'broken.json'), 1, /not valid JSON/);
    expectRefusal(csr('sistem', 'nohost', [], 'nohost.json'), 1, /host \(required\)/);
    expectRefusal(csr('individu', 'badnik', [], 'badnik.json'), 1, /nik \(wrong-length\)/);
  });

  it('never overwrites an existing key.p8 without --force', () => {
    const first = csr('individu', 'twice', ['--key-algorithm', 'ECDSA-P256']);
    expect(first.status).toBe(0);
    const before = readFileSync(join(ws.path('twice'), 'key.p8'), 'utf8');
    expectRefusal(csr('individu', 'twice', ['--key-algorithm', 'ECDSA-P256']), 1, /pass --force/);
    expect(readFileSync(join(ws.path('twice'), 'key.p8'), 'utf8')).toBe(before);
    expect(csr('individu', 'twice', ['--key-algorithm', 'ECDSA-P256', '--force']).status).toBe(0);
    expect(readFileSync(join(ws.path('twice'), 'key.p8'), 'utf8')).not.toBe(before);
  });
});

// Written by the test itself, so no fixture can drift from the command.
writeFileSync(ws.path('README'), 'scratch for tests/unit/csr-cli.test.ts\n');
