import { constants, createPrivateKey, type KeyObject, sign } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCsr, type SignedRequest, verifyCsr } from '../../../src/core/certificate/csr';
import { generateApplicantKeyPair } from '../../../src/core/certificate/keys';
import type { KeyAlgorithm } from '../../../src/core/certificate/types';
import { toPem } from '../../../src/core/lib/pem';
import { derOf, EMAILS, MATRIX, SUBJECT } from '../../../tests/support/csr-fixtures';
import { seededRandom } from '../../../tests/support/ektp';
import { nodeSignatureVerifier } from './node-signature-verifier';

/** The server's answer and the WebCrypto (kiosk) answer for the same request: they must agree. */
async function bothAnswers(pem: string) {
  const server = await verifyCsr(pem, undefined, nodeSignatureVerifier);
  const webCrypto = await verifyCsr(pem);
  expect(server).toEqual(webCrypto);
  return server;
}

/** The request signed again outside pkijs, with node:crypto: any algorithm identifier, any signature. */
function resigned(
  pem: string,
  algorithm: pkijs.AlgorithmIdentifier,
  signature: (signed: Uint8Array) => Uint8Array,
): string {
  const csr = pkijs.CertificationRequest.fromBER(derOf(pem));
  csr.signatureAlgorithm = algorithm;
  csr.signatureValue = new asn1js.BitString({ valueHex: Uint8Array.from(signature(csr.tbsView)) });
  return toPem('CERTIFICATE REQUEST', csr.toSchema().toBER(false));
}

async function privateKeyObject(keys: CryptoKeyPair): Promise<KeyObject> {
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', keys.privateKey));
  return createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
}

describe.each(MATRIX)('nodeSignatureVerifier with %s', (algorithm, keyAlgorithm, keyBits) => {
  let pem: string;

  beforeAll(async () => {
    const keys = await generateApplicantKeyPair(algorithm);
    pem = await createCsr({ subject: SUBJECT, emails: EMAILS, keys });
  });

  it('accepts the request and reads it exactly as the WebCrypto path does', async () => {
    const result = await bothAnswers(pem);
    expect(result).toMatchObject({
      ok: true,
      value: { subject: SUBJECT, emails: EMAILS, keyAlgorithm, keyBits },
    });
  });

  it('answers synchronously, with the signature check done natively', () => {
    const seen: boolean[] = [];
    const spy = (request: SignedRequest) => {
      const answer = nodeSignatureVerifier(request);
      seen.push(answer === true);
      return answer;
    };
    return verifyCsr(pem, undefined, spy).then((result) => {
      expect(result.ok).toBe(true);
      expect(seen).toEqual([true]);
    });
  });

  it('refuses a flipped bit in the signature as bad-signature', async () => {
    const der = derOf(pem);
    der[der.length - 1] = (der[der.length - 1] ?? 0) ^ 0x01;
    expect(await bothAnswers(toPem('CERTIFICATE REQUEST', der))).toEqual({
      ok: false,
      problem: 'bad-signature',
    });
  });

  it('refuses a subject changed after signing as bad-signature', async () => {
    const der = derOf(pem);
    const at = Buffer.from(der).indexOf(Buffer.from('SITI RAHAYU'));
    expect(at).toBeGreaterThan(0);
    der[at] = 'B'.charCodeAt(0); // "BITI RAHAYU": same length, still valid DER
    expect(await bothAnswers(toPem('CERTIFICATE REQUEST', der))).toEqual({
      ok: false,
      problem: 'bad-signature',
    });
  });
});

describe('nodeSignatureVerifier: every signature algorithm verifyCsr allows, and the edges', () => {
  let rsa: CryptoKeyPair;
  let rsaKey: KeyObject;
  let rsaPem: string;
  let ec: CryptoKeyPair;
  let ecKey: KeyObject;
  let ecPem: string;
  const id = (algorithmId: string, algorithmParams?: asn1js.AsnType) =>
    new pkijs.AlgorithmIdentifier({ algorithmId, ...(algorithmParams ? { algorithmParams } : {}) });
  const pssParams = (hashOid: string, saltLength: number) =>
    new pkijs.RSASSAPSSParams({
      hashAlgorithm: id(hashOid, new asn1js.Null()),
      maskGenAlgorithm: id('1.2.840.113549.1.1.8', id(hashOid, new asn1js.Null()).toSchema()),
      saltLength,
    }).toSchema();

  beforeAll(async () => {
    rsa = await generateApplicantKeyPair('RSA-2048');
    rsaKey = await privateKeyObject(rsa);
    rsaPem = await createCsr({ subject: SUBJECT, emails: EMAILS, keys: rsa });
    ec = await generateApplicantKeyPair('ECDSA-P256');
    ecKey = await privateKeyObject(ec);
    ecPem = await createCsr({ subject: SUBJECT, emails: EMAILS, keys: ec });
  });

  it.each([
    ['sha1WithRSAEncryption', '1.2.840.113549.1.1.5', 'sha1'],
    ['sha256WithRSAEncryption', '1.2.840.113549.1.1.11', 'sha256'],
    ['sha384WithRSAEncryption', '1.2.840.113549.1.1.12', 'sha384'],
    ['sha512WithRSAEncryption', '1.2.840.113549.1.1.13', 'sha512'],
  ])('accepts %s', async (_name, oid, hash) => {
    const pem = resigned(rsaPem, id(oid, new asn1js.Null()), (tbs) => sign(hash, tbs, rsaKey));
    expect(await bothAnswers(pem)).toMatchObject({ ok: true, value: { keyAlgorithm: 'RSA' } });
  });

  it.each([
    ['ecdsa-with-SHA1', '1.2.840.10045.4.1', 'sha1'],
    ['ecdsa-with-SHA256', '1.2.840.10045.4.3.2', 'sha256'],
    ['ecdsa-with-SHA384', '1.2.840.10045.4.3.3', 'sha384'],
    ['ecdsa-with-SHA512', '1.2.840.10045.4.3.4', 'sha512'],
  ])('accepts %s', async (_name, oid, hash) => {
    const pem = resigned(ecPem, id(oid), (tbs) => sign(hash, tbs, ecKey));
    expect(await bothAnswers(pem)).toMatchObject({ ok: true, value: { keyAlgorithm: 'EC' } });
  });

  it.each([
    ['SHA-256, salt 32', '2.16.840.1.101.3.4.2.1', 'sha256', 32, 32, 'ok'],
    ['SHA-384, salt 0', '2.16.840.1.101.3.4.2.2', 'sha384', 0, 0, 'ok'],
    ['SHA-1, salt 20', '1.3.14.3.2.26', 'sha1', 20, 20, 'ok'],
    [
      'SHA-256, signed with salt 32, declared 20',
      '2.16.840.1.101.3.4.2.1',
      'sha256',
      32,
      20,
      'bad-signature',
    ],
    ['SHA-256, the largest salt (222)', '2.16.840.1.101.3.4.2.1', 'sha256', 222, 222, 'ok'],
    ['SHA-256, a salt too long for the key', '2.16.840.1.101.3.4.2.1', 'sha256', 32, 223, 'malformed'],
    [
      'SHA-256, a negative salt (auto-detect to node:crypto)',
      '2.16.840.1.101.3.4.2.1',
      'sha256',
      32,
      -2,
      'malformed',
    ],
  ])('RSASSA-PSS %s', async (_name, hashOid, hash, signedSalt, declaredSalt, expected) => {
    const pem = resigned(rsaPem, id('1.2.840.113549.1.1.10', pssParams(hashOid, declaredSalt)), (tbs) =>
      sign(hash, tbs, { key: rsaKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: signedSalt }),
    );
    const result = await bothAnswers(pem);
    expect(result.ok ? 'ok' : result.problem).toBe(expected);
  });

  it('refuses an RSA signature of the wrong length, or not below the modulus, as bad-signature', async () => {
    const good = sign('sha256', pkijs.CertificationRequest.fromBER(derOf(rsaPem)).tbsView, rsaKey);
    const algorithm = id('1.2.840.113549.1.1.11', new asn1js.Null());
    for (const signature of [
      good.subarray(1),
      Buffer.concat([Buffer.from([0]), good]),
      Buffer.alloc(256, 0xff),
    ]) {
      expect(await bothAnswers(resigned(rsaPem, algorithm, () => signature))).toEqual({
        ok: false,
        problem: 'bad-signature',
      });
    }
  });

  it('refuses an EC key that is not a point on P-256 as malformed', async () => {
    const der = derOf(ecPem);
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', ec.publicKey));
    const at = Buffer.from(der).indexOf(Buffer.from(spki));
    const last = at + spki.length - 1; // the last byte of y
    der[last] = (der[last] ?? 0) ^ 0x01;
    expect(await bothAnswers(toPem('CERTIFICATE REQUEST', der))).toEqual({ ok: false, problem: 'malformed' });
  });

  it('throws (the request is malformed) when handed a key of the wrong kind', async () => {
    const jwk = await crypto.subtle.exportKey('jwk', ec.publicKey);
    const request: SignedRequest = {
      algorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      spki: new Uint8Array(await crypto.subtle.exportKey('spki', ec.publicKey)),
      publicKey: jwk,
      signed: new Uint8Array([1, 2, 3]),
      signature: new Uint8Array(64),
    };
    expect(() => nodeSignatureVerifier(request)).toThrow(/EC key/);
  });
});

describe('nodeSignatureVerifier agrees with WebCrypto on mutated requests', () => {
  /** Seeded single-byte and slice mutations, as the CSR fuzz test makes them. */
  function mutate(der: Uint8Array, random: () => number): Uint8Array {
    const bytes = Array.from(der);
    const at = () => Math.floor(random() * bytes.length);
    switch (Math.floor(random() * 4)) {
      case 0:
        bytes[at()] = (bytes[at()] ?? 0) ^ (1 << Math.floor(random() * 8));
        break;
      case 1:
        bytes[at()] = Math.floor(random() * 256);
        break;
      case 2:
        bytes.splice(at(), 0, Math.floor(random() * 256));
        break;
      default:
        bytes.splice(at(), 1 + Math.floor(random() * 4));
    }
    return Uint8Array.from(bytes);
  }

  it.each(['RSA-2048', 'ECDSA-P256'] as KeyAlgorithm[])(
    '%s: 400 mutations, the same answer each time',
    async (algorithm) => {
      const keys = await generateApplicantKeyPair(algorithm);
      const der = derOf(await createCsr({ subject: SUBJECT, emails: EMAILS, keys }));
      const random = seededRandom(algorithm === 'RSA-2048' ? 311 : 619);
      const problems = new Set<string>();
      for (let i = 0; i < 400; i++) {
        const result = await bothAnswers(toPem('CERTIFICATE REQUEST', mutate(der, random)));
        problems.add(result.ok ? 'ok' : result.problem);
      }
      // The mutations reach the signature check, not only the parser.
      expect(problems).toContain('bad-signature');
      expect(problems).toContain('malformed');
    },
  );
});
