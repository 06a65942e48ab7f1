import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateProfiles } from '../../../../src/app/certificate-profiles';
import {
  checkCertificate,
  parseCertificates,
  readCsrKey,
} from '../../../../src/core/certificate/certificate';
import { createCsr } from '../../../../src/core/certificate/csr';
import { generateApplicantKeyPair } from '../../../../src/core/certificate/keys';
import { decryptPrivateKey, describeEncryptedKey } from '../../../../src/core/certificate/pkcs8';
import { renderProfile } from '../../../../src/core/certificate/profile';
import type { CertificateType, KeyAlgorithm } from '../../../../src/core/certificate/types';
import { fromPem, toPem } from '../../../../src/core/lib/pem';
import { okValue } from '../../../../tests/support/csr-fixtures';
import { type OpensslWorkspace, opensslWorkspace } from '../../../../tests/support/openssl';
import { CaError, type CaRequest } from '../connector';
import { createDevCa, type DevCa, type DevCaOptions } from './dev-ca';
import { DEV_CA_DB_FILE, DevCaDb } from './dev-ca-db';

const PASSPHRASE = 'kata sandi CA pengembangan';
/** Low on purpose: the 600,000 default costs ~0.2 s per key. */
const KEY_ITERATIONS = 1000;
const CRL_URL = 'http://pki.madiunkota.go.id/dev/issuing.crl';

const APPLICANT = {
  nama: 'SITI RAHAYU',
  nik: '3577014505900003',
  nip: '199005152015032001',
  email: 'siti.rahayu@madiunkota.go.id',
  perangkatDaerah: 'Dinas Komunikasi dan Informatika',
  jabatan: 'Kepala Bidang Persandian',
  host: 'layanan.madiunkota.go.id',
};
type Applicant = typeof APPLICANT;

function options(overrides: Partial<DevCaOptions> = {}): DevCaOptions {
  return {
    dir: null,
    passphrase: PASSPHRASE,
    profiles: certificateProfiles,
    keyIterations: KEY_ITERATIONS,
    ...overrides,
  };
}

/** A CSR made the way the kiosk makes it: the profile rendered from the data, a fresh key. */
async function csrFor(type: CertificateType, algorithm: KeyAlgorithm, data: Applicant = APPLICANT) {
  const rendered = okValue(
    renderProfile(
      certificateProfiles,
      type,
      {
        nama: data.nama,
        email: data.email,
        perangkatDaerah: data.perangkatDaerah,
        nip: data.nip,
        jabatan: type === 'jabatan' ? data.jabatan : null,
        host: type === 'sistem-elektronik' ? data.host : null,
      },
      algorithm,
    ),
  );
  const keys = await generateApplicantKeyPair(algorithm);
  return createCsr({ ...rendered, keys });
}

function caRequest(type: CertificateType, csrPem: string, data: Applicant = APPLICANT): CaRequest {
  return {
    applicationId: randomUUID(),
    certificateType: type,
    csrPem,
    nama: data.nama,
    nik: data.nik,
    nip: data.nip,
    email: data.email,
    perangkatDaerah: data.perangkatDaerah,
    jabatan: type === 'jabatan' ? data.jabatan : null,
    host: type === 'sistem-elektronik' ? data.host : null,
    mobile: null,
    attachments: [],
  };
}

function only<T>(items: readonly T[]): T {
  expect(items).toHaveLength(1);
  const [item] = items;
  if (item === undefined) throw new Error('no item');
  return item;
}

/** Submits, polls and fetches one request on a CA without delay; returns the issued certificate. */
async function issue(ca: DevCa, request: CaRequest) {
  const submitted = await ca.submit([request]);
  expect(submitted.refused).toEqual([]);
  const { caReference } = only(submitted.accepted);
  expect(await ca.poll([caReference])).toEqual([{ caReference, status: 'issued' }]);
  return only(await ca.fetchCertificates([caReference]));
}

function certificateOf(pem: string): pkijs.Certificate {
  const parsed = parseCertificates(pem);
  if (!parsed.ok) throw new Error('not a certificate');
  return only(parsed.value);
}

/** As the RA would send it: lower-case hex of the serial's bytes. */
function serialHexOf(pem: string): string {
  return Buffer.from(certificateOf(pem).serialNumber.valueBlock.valueHexView).toString('hex');
}

function expectCaError(error: unknown, kind: CaError['kind']): void {
  expect(error).toBeInstanceOf(CaError);
  expect((error as CaError).kind).toBe(kind);
}

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dev-ca-test-'));
  tempDirs.push(dir);
  return dir;
}

let ws: OpensslWorkspace;

beforeAll(() => {
  ws = opensslWorkspace('dev-ca');
});

afterAll(() => {
  ws.remove();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('the dev CA certificates', () => {
  let ca: DevCa;

  beforeAll(async () => {
    ca = await createDevCa(options({ crlUrl: CRL_URL }));
    ws.write('root.pem', ca.rootCertificatePem);
    ws.write('issuing.pem', ca.issuingCertificatePem);
  });

  afterAll(() => ca.close());

  it('are a self-signed root and an issuing CA it signed, as OpenSSL reads them', () => {
    expect(ws.run(['verify', '-CAfile', 'root.pem', 'issuing.pem']).out).toContain('issuing.pem: OK');
    const root = ws.must(['x509', '-in', 'root.pem', '-noout', '-text']).out;
    expect(root).toContain(
      'Subject: C = ID, O = Pemerintah Kota Madiun (pengembangan), CN = Sertel Dev Root CA',
    );
    expect(root).toContain(
      'Issuer: C = ID, O = Pemerintah Kota Madiun (pengembangan), CN = Sertel Dev Root CA',
    );
    expect(root).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE\n/);
    expect(root).toMatch(/X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign\n/);
    expect(root).toContain('X509v3 Subject Key Identifier');
    expect(root).toContain('ASN1 OID: prime256v1');

    const issuing = ws.must(['x509', '-in', 'issuing.pem', '-noout', '-text']).out;
    expect(issuing).toContain(
      'Subject: C = ID, O = Pemerintah Kota Madiun (pengembangan), CN = Sertel Dev Issuing CA',
    );
    expect(issuing).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE, pathlen:0\n/);
    expect(issuing).toMatch(/X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign\n/);
    // The issuing CA's AKI is the root's SKI.
    const rootSki = /X509v3 Subject Key Identifier:\s+([0-9A-F:]+)/.exec(root)?.[1];
    expect(rootSki).toBeDefined();
    expect(issuing).toMatch(new RegExp(`X509v3 Authority Key Identifier:\\s+(keyid:)?${rootSki}`));
    expect(issuing).toContain('Signature Algorithm: ecdsa-with-SHA256');
  });

  const matrix: [CertificateType, KeyAlgorithm][] = [
    ['individu', 'RSA-2048'],
    ['individu', 'ECDSA-P256'],
    ['jabatan', 'RSA-2048'],
    ['jabatan', 'ECDSA-P256'],
    ['sistem-elektronik', 'RSA-2048'],
    ['sistem-elektronik', 'ECDSA-P256'],
  ];

  it.each(matrix)(
    'issue a %s certificate for a %s key that OpenSSL verifies and reads as the profile',
    async (type, algorithm) => {
      const csrPem = await csrFor(type, algorithm);
      const issued = await issue(ca, caRequest(type, csrPem));
      expect(issued.chainPem).toEqual([ca.issuingCertificatePem, ca.rootCertificatePem]);
      const file = `${type}-${algorithm}.pem`;
      ws.write(file, issued.certificatePem);
      expect(ws.run(['verify', '-CAfile', 'root.pem', '-untrusted', 'issuing.pem', file]).out).toContain(
        `${file}: OK`,
      );

      const text = ws.must(['x509', '-in', file, '-noout', '-text']).out;
      const subject = {
        individu:
          'C = ID, O = Pemerintah Kota Madiun, OU = Dinas Komunikasi dan Informatika, CN = SITI RAHAYU',
        jabatan:
          'C = ID, O = Pemerintah Kota Madiun, OU = Dinas Komunikasi dan Informatika, title = Kepala Bidang Persandian, CN = SITI RAHAYU',
        'sistem-elektronik':
          'C = ID, O = Pemerintah Kota Madiun, OU = Dinas Komunikasi dan Informatika, CN = layanan.madiunkota.go.id',
      }[type];
      expect(text).toContain(`Subject: ${subject}\n`);
      expect(text).toContain(
        'Issuer: C = ID, O = Pemerintah Kota Madiun (pengembangan), CN = Sertel Dev Issuing CA',
      );
      const keyUsage = algorithm.startsWith('RSA')
        ? 'Digital Signature, Non Repudiation, Key Encipherment'
        : 'Digital Signature, Non Repudiation';
      expect(text).toMatch(new RegExp(`X509v3 Key Usage: critical\\s+${keyUsage}\\n`));
      const eku = /X509v3 Extended Key Usage:\s+(.+)\n/.exec(text)?.[1] ?? '';
      expect(eku).toContain('E-mail Protection');
      expect(eku).toMatch(/1\.3\.6\.1\.5\.5\.7\.3\.36|Document Signing/);
      expect(eku.includes('TLS Web Client Authentication')).toBe(type === 'sistem-elektronik');
      const san = /X509v3 Subject Alternative Name:\s+(.+)\n/.exec(text)?.[1];
      expect(san).toBe(
        type === 'sistem-elektronik'
          ? 'email:siti.rahayu@madiunkota.go.id, DNS:layanan.madiunkota.go.id'
          : 'email:siti.rahayu@madiunkota.go.id',
      );
      expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE\n/);
      expect(text).toContain('X509v3 Authority Key Identifier');
      expect(text).toContain('X509v3 Subject Key Identifier');
      expect(text).toContain(`URI:${CRL_URL}`);
      expect(text).toContain('Signature Algorithm: ecdsa-with-SHA256');

      // Two years to the second, from now.
      const certificate = certificateOf(issued.certificatePem);
      const lifetime = certificate.notAfter.value.getTime() - certificate.notBefore.value.getTime();
      expect(lifetime).toBe(730 * 86_400_000);
      expect(Math.abs(certificate.notBefore.value.getTime() - Date.now())).toBeLessThan(10_000);
      // The serial: 16 bytes, positive without a sign byte.
      const serial = certificate.serialNumber.valueBlock.valueHexView;
      expect(serial).toHaveLength(16);
      expect(serial[0]).toBeGreaterThan(0);
      expect(serial[0]).toBeLessThan(0x80);

      // The RA's own check at handover accepts it for the CSR's key, with the chain.
      const key = okValue(await readCsrKey(csrPem));
      const checked = await checkCertificate({
        certificate,
        requestSpki: key.spki,
        expectedSubject: key.subject,
        now: new Date(),
        chain: issued.chainPem.map(certificateOf),
      });
      expect(checked.ok).toBe(true);
    },
  );
});

describe('dev CA submissions', () => {
  let ca: DevCa;
  let ecdsaCsr: string;

  beforeAll(async () => {
    ca = await createDevCa(options());
    ecdsaCsr = await csrFor('individu', 'ECDSA-P256');
  });

  afterAll(() => ca.close());

  it('answers a repeated application id with the first reference and issues one certificate', async () => {
    const request = caRequest('individu', ecdsaCsr);
    const first = await ca.submit([request]);
    const { caReference } = only(first.accepted);
    // Again in a later call, and twice within one batch (a retry after a lost answer).
    const again = await ca.submit([request]);
    const batch = await ca.submit([request, { ...request }]);
    expect(again).toEqual(first);
    expect(batch.accepted).toEqual([first.accepted[0], first.accepted[0]]);

    const log = (await ca.submissionLog()).filter((e) => e.applicationId === request.applicationId);
    expect(log.map((e) => [e.caReference, e.repeat])).toEqual([
      [caReference, false],
      [caReference, true],
      [caReference, true],
      [caReference, true],
    ]);
    // Issuance happens once, even for concurrent polls and fetches.
    const [fetchedA, fetchedB] = await Promise.all([
      ca.fetchCertificates([caReference]),
      ca.fetchCertificates([caReference]),
    ]);
    const later = await ca.fetchCertificates([caReference]);
    expect(only(fetchedA).certificatePem).toBe(only(later).certificatePem);
    expect(only(fetchedB).certificatePem).toBe(only(later).certificatePem);
  });

  it('answers each request of a batch, accepted or refused, in one call', async () => {
    const good = caRequest('individu', ecdsaCsr);
    const wrongType = caRequest('jabatan', ecdsaCsr);
    const result = await ca.submit([good, wrongType]);
    expect(result.accepted.map((a) => a.applicationId)).toEqual([good.applicationId]);
    expect(result.refused).toEqual([
      // An individu subject has no title: the jabatan profile's subject does not fit.
      { applicationId: wrongType.applicationId, reason: 'the CSR does not fit the jabatan profile: subject' },
    ]);
  });

  it('refuses a CSR whose subject does not fit the profile built from the request', async () => {
    const request = caRequest('individu', ecdsaCsr, { ...APPLICANT, nama: 'BUDI SANTOSO' });
    const result = await ca.submit([request]);
    expect(result.accepted).toEqual([]);
    expect(only(result.refused)).toEqual({
      applicationId: request.applicationId,
      reason: 'the CSR does not fit the individu profile: subject',
    });
    // The reason names fields, never the applicant's data.
    expect(only(result.refused).reason).not.toMatch(/SITI|BUDI|3577/);
    // A refusal is final and idempotent too.
    expect(await ca.submit([request])).toEqual(result);
  });

  it('refuses a request that lacks what its profile needs', async () => {
    const request = { ...caRequest('jabatan', await csrFor('jabatan', 'ECDSA-P256')), jabatan: null };
    expect(only((await ca.submit([request])).refused).reason).toBe(
      'the request lacks jabatan, which the jabatan profile needs',
    );
  });

  it('refuses a tampered CSR', async () => {
    const der = fromPem('CERTIFICATE REQUEST', ecdsaCsr);
    if (!der) throw new Error('no DER');
    // One letter of the common name changed after signing: same length, still well-formed.
    const at = Buffer.from(der).indexOf('SITI RAHAYU');
    expect(at).toBeGreaterThan(0);
    der[at + 3] = 'A'.charCodeAt(0);
    const request = caRequest('individu', toPem('CERTIFICATE REQUEST', der));
    expect(only((await ca.submit([request])).refused).reason).toBe('the CSR signature does not verify');
    const garbage = caRequest('individu', 'not a CSR');
    expect(only((await ca.submit([garbage])).refused).reason).toBe(
      'the CSR is not a PEM CERTIFICATE REQUEST',
    );
  });

  it('accepts an OpenSSL-made CSR that fits, and refuses one with an attribute the profile lacks', async () => {
    ws.must(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'applicant.key']);
    const base = '/C=ID/O=Pemerintah Kota Madiun/OU=Dinas Komunikasi dan Informatika/CN=SITI RAHAYU';
    const makeCsr = (subject: string, out: string, extra: string[] = []) => {
      ws.must([
        'req',
        '-new',
        '-key',
        'applicant.key',
        '-subj',
        subject,
        ...extra,
        '-addext',
        'keyUsage=critical,digitalSignature,nonRepudiation',
        '-addext',
        'extendedKeyUsage=emailProtection,1.3.6.1.5.5.7.3.36',
        '-addext',
        `subjectAltName=email:${APPLICANT.email}`,
        '-out',
        out,
      ]);
      return ws.readText(out);
    };
    const fits = caRequest('individu', makeCsr(base, 'fits.csr'));
    // The NIK smuggled in as serialNumber: the CSR summary has no name for it, the CA must still see it.
    const extra = caRequest('individu', makeCsr(`${base}/serialNumber=${APPLICANT.nik}`, 'extra.csr'));
    const multiValued = caRequest(
      'individu',
      makeCsr(
        '/C=ID/O=Pemerintah Kota Madiun+OU=Dinas Komunikasi dan Informatika/CN=SITI RAHAYU',
        'multi.csr',
        ['-multivalue-rdn'],
      ),
    );
    const result = await ca.submit([fits, extra, multiValued]);
    expect(result.accepted.map((a) => a.applicationId)).toEqual([fits.applicationId]);
    expect(result.refused).toEqual([
      {
        applicationId: extra.applicationId,
        reason: 'the CSR subject must hold only the profile attributes, one per RDN',
      },
      {
        applicationId: multiValued.applicationId,
        reason: 'the CSR subject must hold only the profile attributes, one per RDN',
      },
    ]);
  });

  it('answers unknown references: unknown when polled, a refused call when fetched', async () => {
    const { caReference } = only((await ca.submit([caRequest('individu', ecdsaCsr)])).accepted);
    expect(await ca.poll(['DEV-nope', caReference])).toEqual([
      { caReference: 'DEV-nope', status: 'unknown' },
      { caReference, status: 'issued' },
    ]);
    const error = await ca.fetchCertificates([caReference, 'DEV-nope']).catch((e: unknown) => e);
    expectCaError(error, 'refused');
    expect((error as CaError).message).toContain('DEV-nope');
    expect((error as CaError).retryable).toBe(false);
  });
});

describe('dev CA timing and failures', () => {
  it('keeps a request pending until delayMs has passed on the injected clock', async () => {
    let clock = new Date('2026-03-02T01:00:00.250Z');
    const ca = await createDevCa(options({ delayMs: 60_000, now: () => clock }));
    try {
      const { caReference } = only(
        (await ca.submit([caRequest('individu', await csrFor('individu', 'ECDSA-P256'))])).accepted,
      );
      expect(await ca.poll([caReference])).toEqual([{ caReference, status: 'pending' }]);
      expect(await ca.fetchCertificates([caReference])).toEqual([]);
      clock = new Date(clock.getTime() + 59_999);
      expect(await ca.poll([caReference])).toEqual([{ caReference, status: 'pending' }]);
      clock = new Date(clock.getTime() + 1);
      const issued = only(await ca.fetchCertificates([caReference]));
      const certificate = certificateOf(issued.certificatePem);
      expect(certificate.notBefore.value.toISOString()).toBe('2026-03-02T01:01:00.000Z');
      expect(certificate.notAfter.value.toISOString()).toBe('2028-03-01T01:01:00.000Z');
      expect(await ca.poll([caReference])).toEqual([{ caReference, status: 'issued' }]);
      // Issued once: a later fetch returns the stored certificate, not a new one.
      clock = new Date(clock.getTime() + 3_600_000);
      expect(only(await ca.fetchCertificates([caReference])).certificatePem).toBe(issued.certificatePem);
    } finally {
      await ca.close();
    }
  });

  it('with failureRate 1 throws CaError on every call without acting', async () => {
    const dir = tempDir();
    const working = await createDevCa(options({ dir }));
    const failing = await createDevCa(options({ dir, failureRate: 1 }));
    try {
      const issued = await issue(working, caRequest('individu', await csrFor('individu', 'ECDSA-P256')));
      const serialNumberHex = serialHexOf(issued.certificatePem);
      const before = await working.submissionLog();
      const request = caRequest('individu', await csrFor('individu', 'ECDSA-P256'));
      const calls: [string, () => Promise<unknown>][] = [
        ['submit', () => failing.submit([request])],
        ['poll', () => failing.poll([issued.caReference])],
        ['fetchCertificates', () => failing.fetchCertificates([issued.caReference])],
        ['revoke', () => failing.revoke({ serialNumberHex, reason: 'keyCompromise', requestId: 'r-1' })],
        ['fetchCrl', () => failing.fetchCrl()],
      ];
      for (const [name, call] of calls) {
        const error = await call().then(
          () => new Error(`${name} did not fail`),
          (e: unknown) => e,
        );
        expectCaError(error, 'unavailable');
        expect((error as CaError).retryable).toBe(true);
      }
      // Nothing was submitted, revoked or numbered: the working instance does each for the first time.
      expect(await working.submissionLog()).toEqual(before);
      await working.submit([request]);
      const entries = (await working.submissionLog()).filter(
        (e) => e.applicationId === request.applicationId,
      );
      expect(entries.map((e) => e.repeat)).toEqual([false]);
      const revoked = await working.revoke({ serialNumberHex, reason: 'superseded', requestId: 'r-2' });
      expect(revoked.status).toBe('revoked');
      const crl = crlOf((await working.fetchCrl()).der);
      expect(crlNumberOf(crl)).toBe(1);
    } finally {
      await failing.close();
      await working.close();
    }
  });

  it('draws the failure from the injected random source at the given rate', async () => {
    const draws = [0.29, 0.3, 0.99];
    const ca = await createDevCa(options({ failureRate: 0.3, random: () => draws.shift() ?? 1 }));
    try {
      await expect(ca.poll([])).rejects.toBeInstanceOf(CaError);
      await expect(ca.poll([])).resolves.toEqual([]);
      await expect(ca.poll([])).resolves.toEqual([]);
    } finally {
      await ca.close();
    }
  });

  it('throws CaError after close', async () => {
    const ca = await createDevCa(options());
    await ca.close();
    const error = await ca.poll([]).catch((e: unknown) => e);
    expectCaError(error, 'unavailable');
  });
});

/** CaCrl.der may sit on any ArrayBufferLike; pkijs reads a BufferSource. */
function crlOf(der: Uint8Array): pkijs.CertificateRevocationList {
  return pkijs.CertificateRevocationList.fromBER(der.slice());
}

function crlNumberOf(crl: pkijs.CertificateRevocationList): number {
  const extension = crl.crlExtensions?.extensions.find((e) => e.extnID === '2.5.29.20');
  if (!extension) throw new Error('no CRL number');
  const parsed = pkijs.Extension.fromBER(extension.toSchema().toBER(false));
  return Number((parsed.parsedValue as { valueBlock: { valueDec: number } }).valueBlock.valueDec);
}

describe('dev CA revocation', () => {
  let ca: DevCa;
  const issued: Record<'compromised' | 'superseded' | 'good', { pem: string; serial: string }> = {
    compromised: { pem: '', serial: '' },
    superseded: { pem: '', serial: '' },
    good: { pem: '', serial: '' },
  };

  beforeAll(async () => {
    ca = await createDevCa(options());
    ws.write('rev-root.pem', ca.rootCertificatePem);
    ws.write('rev-issuing.pem', ca.issuingCertificatePem);
    for (const name of ['compromised', 'superseded', 'good'] as const) {
      const { certificatePem } = await issue(
        ca,
        caRequest('individu', await csrFor('individu', 'ECDSA-P256')),
      );
      issued[name] = { pem: certificatePem, serial: serialHexOf(certificatePem) };
      ws.write(`${name}.pem`, certificatePem);
    }
  });

  afterAll(() => ca.close());

  it('revokes a certificate it issued once, and knows no other serial', async () => {
    const first = await ca.revoke({
      serialNumberHex: issued.compromised.serial,
      reason: 'keyCompromise',
      requestId: 'rev-1',
    });
    expect(first.status).toBe('revoked');
    // The same serial again, spelled as OpenSSL prints it: the first time stands.
    const again = await ca.revoke({
      serialNumberHex: issued.compromised.serial.toUpperCase(),
      reason: 'superseded',
      requestId: 'rev-2',
    });
    expect(again).toEqual({ ...first, status: 'already-revoked' });
    expect(
      await ca.revoke({
        // Another first digit: a serial this CA never issued (whatever the good one starts with).
        serialNumberHex: `${issued.good.serial.startsWith('7') ? '6' : '7'}${issued.good.serial.slice(1)}`,
        reason: 'superseded',
        requestId: 'rev-3',
      }),
    ).toEqual({ status: 'unknown-certificate' });
    // The CA's own certificates are not end-entity certificates it can revoke here.
    expect(
      await ca.revoke({
        serialNumberHex: serialHexOf(ca.issuingCertificatePem),
        reason: 'keyCompromise',
        requestId: 'rev-4',
      }),
    ).toEqual({ status: 'unknown-certificate' });
    expect(
      await ca.revoke({
        serialNumberHex: issued.superseded.serial,
        reason: 'superseded',
        requestId: 'rev-5',
      }),
    ).toMatchObject({ status: 'revoked' });
    const badSerial = await ca
      .revoke({ serialNumberHex: 'xyz', reason: 'superseded', requestId: 'rev-6' })
      .catch((e: unknown) => e);
    expectCaError(badSerial, 'refused');
  });

  it('publishes a v2 CRL that OpenSSL reads and enforces', async () => {
    const crl = await ca.fetchCrl();
    ws.write('crl.der', crl.der);
    const text = ws.must(['crl', '-inform', 'DER', '-in', 'crl.der', '-noout', '-text']).out;
    expect(text).toContain('Version 2 (0x1)');
    expect(text).toContain(
      'Issuer: C = ID, O = Pemerintah Kota Madiun (pengembangan), CN = Sertel Dev Issuing CA',
    );
    expect(text).toContain('X509v3 Authority Key Identifier');
    expect(text).toContain('Signature Algorithm: ecdsa-with-SHA256');
    const entries = text.split('Serial Number: ').slice(1);
    expect(entries).toHaveLength(2);
    const entry = (serial: string) => entries.find((e) => e.startsWith(serial.toUpperCase())) ?? '';
    expect(entry(issued.compromised.serial)).toMatch(/X509v3 CRL Reason Code:\s+Key Compromise/);
    expect(entry(issued.superseded.serial)).toMatch(/X509v3 CRL Reason Code:\s+Superseded/);
    expect(entry(issued.good.serial)).toBe('');

    const parsed = crlOf(crl.der);
    expect(parsed.thisUpdate.value.toISOString()).toBe(crl.thisUpdate);
    expect(parsed.nextUpdate?.value.toISOString()).toBe(crl.nextUpdate);
    expect(Date.parse(crl.nextUpdate ?? '') - Date.parse(crl.thisUpdate)).toBe(86_400_000);
    const number = crlNumberOf(parsed);
    const next = crlOf((await ca.fetchCrl()).der);
    expect(crlNumberOf(next)).toBeGreaterThan(number);

    ws.must(['crl', '-inform', 'DER', '-in', 'crl.der', '-out', 'crl.pem']);
    const verify = (file: string) =>
      ws.run([
        'verify',
        '-crl_check',
        '-CRLfile',
        'crl.pem',
        '-CAfile',
        'rev-root.pem',
        '-untrusted',
        'rev-issuing.pem',
        file,
      ]);
    const revoked = verify('compromised.pem');
    expect(revoked.status).not.toBe(0);
    expect(revoked.out).toContain('certificate revoked');
    expect(verify('good.pem').out).toContain('good.pem: OK');
  });
});

describe('dev CA storage', () => {
  it('loads the same CA after a restart and never reuses a serial', async () => {
    const dir = tempDir();
    const first = await createDevCa(options({ dir }));
    const before = await issue(first, caRequest('individu', await csrFor('individu', 'ECDSA-P256')));
    const revokedSerial = serialHexOf(before.certificatePem);
    await first.revoke({ serialNumberHex: revokedSerial, reason: 'keyCompromise', requestId: 'r' });
    const firstCrl = crlNumberOf(crlOf((await first.fetchCrl()).der));
    await first.close();

    const second = await createDevCa(options({ dir }));
    try {
      expect(second.rootCertificatePem).toBe(first.rootCertificatePem);
      expect(second.issuingCertificatePem).toBe(first.issuingCertificatePem);
      expect(await second.poll([before.caReference])).toEqual([
        { caReference: before.caReference, status: 'issued' },
      ]);
      expect(only(await second.fetchCertificates([before.caReference])).certificatePem).toBe(
        before.certificatePem,
      );
      const after = await issue(second, caRequest('individu', await csrFor('individu', 'ECDSA-P256')));
      expect(serialHexOf(after.certificatePem)).not.toBe(revokedSerial);
      const crl = crlOf((await second.fetchCrl()).der);
      expect(crlNumberOf(crl)).toBe(firstCrl + 1);
      expect(
        crl.revokedCertificates?.map((r) =>
          Buffer.from(r.userCertificate.valueBlock.valueHexView).toString('hex'),
        ),
      ).toEqual([revokedSerial]);
    } finally {
      await second.close();
    }

    // Every serial ever used is kept: a draw that repeats one (the CA's own included) draws again.
    const db = new DevCaDb(dir);
    try {
      const used = [
        revokedSerial,
        serialHexOf(first.rootCertificatePem),
        serialHexOf(first.issuingCertificatePem),
      ];
      const draws = [...used, '0123456789abcdef0123456789abcdef'];
      expect(db.reserveSerial(() => draws.shift() ?? '', null, new Date().toISOString())).toBe(
        '0123456789abcdef0123456789abcdef',
      );
      expect(draws).toEqual([]);
      for (const serial of used) expect(db.hasSerial(serial)).toBe(true);
    } finally {
      db.close();
    }
  });

  it('refuses to start with a wrong passphrase, naming the problem', async () => {
    const dir = tempDir();
    await (await createDevCa(options({ dir }))).close();
    await expect(createDevCa(options({ dir, passphrase: 'bukan kata sandinya' }))).rejects.toThrow(
      /wrong passphrase/,
    );
    // The right one still opens it.
    await (await createDevCa(options({ dir }))).close();
  });

  it('stores the CA keys only as encrypted PKCS#8 that opens with the passphrase alone', async () => {
    const dir = tempDir();
    const ca = await createDevCa(options({ dir }));
    await ca.close();
    const file = join(dir, DEV_CA_DB_FILE);
    const db = new Database(file, { readonly: true });
    const row = db
      .prepare('SELECT root_key_pem AS root, issuing_key_pem AS issuing FROM authority')
      .get() as {
      root: string;
      issuing: string;
    };
    db.close();
    for (const pem of [row.root, row.issuing]) {
      expect(pem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
      expect(describeEncryptedKey(pem)).toMatchObject({
        scheme: 'PBES2',
        prf: 'HMAC-SHA256',
        iterations: KEY_ITERATIONS,
        cipher: 'AES-256-CBC',
      });
      expect(await decryptPrivateKey(pem, 'salah')).toEqual({ ok: false, problem: 'wrong-passphrase' });
      expect((await decryptPrivateKey(pem, PASSPHRASE)).ok).toBe(true);
    }
    // The decrypted issuing key is the issuing certificate's key: it signs what that key verifies.
    const pkcs8 = okValue(await decryptPrivateKey(row.issuing, PASSPHRASE));
    const algorithm = { name: 'ECDSA', namedCurve: 'P-256' };
    const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, algorithm, false, ['sign']);
    const publicKey = await certificateOf(ca.issuingCertificatePem).getPublicKey({
      algorithm: { algorithm, usages: ['verify'] },
    });
    const data = new TextEncoder().encode('uji');
    const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, data);
    expect(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, publicKey, signature, data)).toBe(
      true,
    );
    // No plaintext key block anywhere in the file.
    expect(readFileSync(file).includes('BEGIN PRIVATE KEY')).toBe(false);
    expect(readFileSync(file).includes('BEGIN EC PRIVATE KEY')).toBe(false);
  });

  it('ends with one CA when two instances start on one new directory at once', async () => {
    const dir = tempDir();
    const [a, b] = await Promise.all([createDevCa(options({ dir })), createDevCa(options({ dir }))]);
    try {
      expect(a.rootCertificatePem).toBe(b.rootCertificatePem);
      expect(a.issuingCertificatePem).toBe(b.issuingCertificatePem);
      // Both work on the one CA: a request submitted to one is fetched from the other.
      const { caReference } = only(
        (await a.submit([caRequest('individu', await csrFor('individu', 'ECDSA-P256'))])).accepted,
      );
      const fetched = only(await b.fetchCertificates([caReference]));
      expect(
        certificateOf(fetched.certificatePem).issuer.isEqual(certificateOf(a.issuingCertificatePem).subject),
      ).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
    const db = new Database(join(dir, DEV_CA_DB_FILE), { readonly: true });
    const counts = db
      .prepare(
        "SELECT (SELECT count(*) FROM authority) AS authorities, (SELECT count(*) FROM serials WHERE purpose != 'end-entity') AS caSerials",
      )
      .get();
    db.close();
    expect(counts).toEqual({ authorities: 1, caSerials: 2 });
  });
});
