/**
 * The HTTP connector, configured with reference-mapping.json, against the dev CA served by
 * caHttpApp on a real port: the whole path an approved application takes, checked with OpenSSL.
 */
import { X509Certificate } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateProfiles } from '../../../../src/app/certificate-profiles';
import { bytesToBase64, toPem } from '../../../../src/core/lib/pem';
import { opensslWorkspace } from '../../../../tests/support/openssl';
import { type CaConnector, CaError, type CaRequest } from '../connector';
import { createDevCa, type DevCa } from '../dev-ca/dev-ca';
import { caHttpApp } from './ca-http-api';
import { createHttpConnector } from './http-connector';
import {
  caRequest,
  fakeCa,
  json,
  NIK,
  type Running,
  referenceConfig,
  serveApp,
  TOKEN,
} from './test-fixtures';

let ca: DevCa;
let server: Running;
let connector: CaConnector;
let good: CaRequest[];
let refusedRequest: CaRequest;

beforeAll(async () => {
  ca = await createDevCa({
    dir: null,
    passphrase: 'dev ca test passphrase',
    profiles: certificateProfiles,
    keyIterations: 1000,
  });
  server = await serveApp(caHttpApp(ca, { token: TOKEN }));
  connector = createHttpConnector(referenceConfig(server.baseUrl), { env: { CA_HTTP_TOKEN: TOKEN } });
  good = [
    await caRequest({ type: 'individu', keyAlgorithm: 'RSA-2048' }),
    await caRequest({ type: 'jabatan' }),
    await caRequest({ type: 'sistem-elektronik' }),
  ];
  // The CSR names someone else: the CA refuses it on arrival.
  refusedRequest = await caRequest({ csrNama: 'BUDI SANTOSO' });
});

afterAll(async () => {
  await connector?.close();
  await server?.close();
  await ca?.close();
});

/** Polls until nothing is pending (the dev CA issues on the first poll once its delay has passed). */
async function settled(references: string[]) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const statuses = await connector.poll(references);
    if (statuses.every((s) => s.status !== 'pending')) return statuses;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('still pending after 50 polls');
}

const serialOf = (pem: string) =>
  new X509Certificate(pem).serialNumber.toLowerCase().replace(/^(00)+(?=.)/, '');

describe('http connector ↔ dev CA over HTTP', () => {
  it('submits, polls, fetches, revokes and reads the CRL', async () => {
    const submitted = await connector.submit([...good, refusedRequest]);
    expect(submitted.accepted.map((a) => a.applicationId)).toEqual(good.map((r) => r.applicationId));
    expect(submitted.refused).toEqual([
      { applicationId: refusedRequest.applicationId, reason: expect.stringContaining('does not fit') },
    ]);
    // A refusal reason names fields, never values.
    expect(submitted.refused[0]?.reason).not.toContain('BUDI');

    const references = submitted.accepted.map((a) => a.caReference);
    expect(await settled(references)).toEqual(
      references.map((caReference) => ({ caReference, status: 'issued' })),
    );

    const certificates = await connector.fetchCertificates(references);
    expect(certificates.map((c) => c.caReference)).toEqual(references);
    const ws = opensslWorkspace('sertel-ca-http');
    try {
      ws.write('root.pem', ca.rootCertificatePem);
      ws.write('issuing.pem', ca.issuingCertificatePem);
      for (const [i, certificate] of certificates.entries()) {
        const x509 = new X509Certificate(certificate.certificatePem);
        expect(x509.subject).toContain('CN=');
        expect(certificate.chainPem.map((p) => new X509Certificate(p).fingerprint256)).toEqual([
          new X509Certificate(ca.issuingCertificatePem).fingerprint256,
          new X509Certificate(ca.rootCertificatePem).fingerprint256,
        ]);
        ws.write(`leaf${i}.pem`, certificate.certificatePem);
        const verified = ws.run([
          'verify',
          '-CAfile',
          'root.pem',
          '-untrusted',
          'issuing.pem',
          `leaf${i}.pem`,
        ]);
        expect(verified.out).toContain(`leaf${i}.pem: OK`);
      }

      const first = certificates[0]?.certificatePem ?? '';
      const revocation = {
        serialNumberHex: serialOf(first),
        reason: 'keyCompromise' as const,
        requestId: 'rev-1',
      };
      const revoked = await connector.revoke(revocation);
      expect(revoked).toEqual({ status: 'revoked', revokedAt: expect.any(String) });
      expect(await connector.revoke(revocation)).toMatchObject({ status: 'already-revoked' });
      expect(
        await connector.revoke({ ...revocation, serialNumberHex: '7fffffff01', requestId: 'rev-2' }),
      ).toEqual({
        status: 'unknown-certificate',
      });

      const crl = await connector.fetchCrl();
      expect(Date.parse(crl.thisUpdate)).not.toBeNaN();
      ws.write('crl.der', crl.der);
      ws.must(['crl', '-inform', 'DER', '-in', 'crl.der', '-out', 'crl.pem']);
      const text = ws.run(['crl', '-in', 'crl.pem', '-CAfile', 'issuing.pem', '-noout', '-text']);
      expect(text.out).toContain('verify OK');
      expect(text.out.toLowerCase()).toContain(serialOf(first));
      const check = (leaf: string) =>
        ws.run([
          'verify',
          '-crl_check',
          '-CRLfile',
          'crl.pem',
          '-CAfile',
          'root.pem',
          '-untrusted',
          'issuing.pem',
          leaf,
        ]);
      expect(check('leaf0.pem').out).toContain('certificate revoked');
      expect(check('leaf1.pem').out).toContain('leaf1.pem: OK');
    } finally {
      ws.remove();
    }
  });

  it('gives the same reference when an application is sent again', async () => {
    const request = await caRequest();
    const once = await connector.submit([request]);
    const again = await connector.submit([request]);
    expect(again).toEqual(once);
    const log = (await ca.submissionLog()).filter((e) => e.applicationId === request.applicationId);
    expect(log.map((e) => e.repeat)).toEqual([false, true]);
  });

  it('answers unknown for a reference the CA never gave', async () => {
    expect(await connector.poll(['DEV-nope'])).toEqual([{ caReference: 'DEV-nope', status: 'unknown' }]);
  });

  it('a CA that refuses a fetch of an unknown reference → refused', async () => {
    const error = await connector.fetchCertificates(['DEV-nope']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaError);
    expect((error as CaError).kind).toBe('refused');
  });

  it('reads a CRL served as PEM, or as base64 or PEM inside JSON', async () => {
    const { der, thisUpdate } = await ca.fetchCrl();
    const pem = toPem('X509 CRL', der);
    const answers: [Record<string, unknown>, (res: ServerResponse) => void][] = [
      [{}, (res) => res.end(pem)],
      [{ field: 'data.crl' }, (res) => json(res, 200, { data: { crl: bytesToBase64(der) } })],
      [{ field: 'data.crl' }, (res) => json(res, 200, { data: { crl: pem } })],
    ];
    for (const [fetchCrl, answer] of answers) {
      const stub = await fakeCa((_req, res) => answer(res));
      try {
        const config = referenceConfig(stub.baseUrl);
        const reader = createHttpConnector(
          {
            ...config,
            operations: { ...config.operations, fetchCrl: { ...config.operations.fetchCrl, ...fetchCrl } },
          },
          { env: { CA_HTTP_TOKEN: TOKEN } },
        );
        const crl = await reader.fetchCrl();
        expect(crl.der).toEqual(der);
        expect(crl.thisUpdate).toBe(thisUpdate);
      } finally {
        await stub.close();
      }
    }
  });

  it('an outage of the CA behind the API → unavailable, and nothing recorded', async () => {
    const down = await createDevCa({
      dir: null,
      passphrase: 'dev ca test passphrase',
      profiles: certificateProfiles,
      keyIterations: 1000,
      failureRate: 1,
      random: () => 0,
    });
    const downServer = await serveApp(caHttpApp(down, { token: TOKEN }));
    try {
      const flaky = createHttpConnector(referenceConfig(downServer.baseUrl), {
        env: { CA_HTTP_TOKEN: TOKEN },
      });
      const error = await flaky.submit(good).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CaError);
      expect((error as CaError).kind).toBe('unavailable');
      expect((error as CaError).message).toBe('CA http submit: the CA answered HTTP 503 (ca-unavailable)');
      expect((error as CaError).message).not.toContain(NIK);
      expect(await down.submissionLog()).toEqual([]);
    } finally {
      await downServer.close();
      await down.close();
    }
  });
});
