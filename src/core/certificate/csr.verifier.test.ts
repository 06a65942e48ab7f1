import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { derOf, EMAILS, okValue, opensslVerifiesCsr, SUBJECT } from '../../../tests/support/csr-fixtures';
import { toPem } from '../lib/pem';
import { type CsrProblem, type CsrSummary, createCsr, type SignedRequest, verifyCsr } from './csr';
import { generateApplicantKeyPair } from './keys';

/**
 * verifyCsr's signature check is a port (WebCrypto by default, node:crypto on the server): what the
 * port receives, which signature algorithms reach it, and how the request is read around it.
 */

const OID = {
  sha256WithRSA: '1.2.840.113549.1.1.11',
  md5WithRSA: '1.2.840.113549.1.1.4',
  rsassaPss: '1.2.840.113549.1.1.10',
  sha256: '2.16.840.1.101.3.4.2.1',
  mgf1: '1.2.840.113549.1.1.8',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  extensionRequest: '1.2.840.113549.1.9.14',
  subjectAltName: '2.5.29.17',
  extKeyUsage: '2.5.29.37',
  emailProtection: '1.3.6.1.5.5.7.3.4',
};

/** The request with a signature made outside pkijs: any algorithm identifier, any signature bytes. */
async function withSignature(
  pem: string,
  algorithm: pkijs.AlgorithmIdentifier,
  sign: (signed: Uint8Array<ArrayBuffer>) => Promise<ArrayBuffer | Uint8Array>,
): Promise<string> {
  const csr = pkijs.CertificationRequest.fromBER(derOf(pem));
  csr.signatureAlgorithm = algorithm;
  const signature = new Uint8Array(await sign(csr.tbsView.slice()));
  csr.signatureValue = new asn1js.BitString({ valueHex: signature });
  return toPem('CERTIFICATE REQUEST', csr.toSchema().toBER(false));
}

/** ECDSA as X.509 carries it: DER SEQUENCE { INTEGER r, INTEGER s }. */
async function ecdsaDer(keys: CryptoKeyPair, signed: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const raw = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, keys.privateKey, signed);
  return new Uint8Array(pkijs.createCMSECDSASignature(raw));
}

/** A DER INTEGER of a positive big-endian value, with the sign byte where needed. */
function derInteger(value: Uint8Array): number[] {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  const body = [...value.subarray(start)];
  if ((body[0] ?? 0) >= 0x80) body.unshift(0);
  return [0x02, body.length, ...body];
}

describe('verifyCsr: the signature verifier port', () => {
  let keys: CryptoKeyPair;
  let pem: string;

  beforeAll(async () => {
    keys = await generateApplicantKeyPair('ECDSA-P256');
    pem = await createCsr({ subject: SUBJECT, emails: EMAILS, keys });
  });

  it('hands the verifier the bytes as received: signed info, key and DER signature', async () => {
    const seen: SignedRequest[] = [];
    const summary = okValue(
      await verifyCsr(pem, undefined, (request) => {
        seen.push(request);
        return true;
      }),
    );
    expect(summary.subject).toEqual(SUBJECT);
    expect(seen).toHaveLength(1);
    const [request] = seen;
    const der = derOf(pem);
    const csr = pkijs.CertificationRequest.fromBER(der);
    const jwk = await crypto.subtle.exportKey('jwk', keys.publicKey);
    expect(request?.algorithm).toEqual({ name: 'ECDSA', hash: 'SHA-256', namedCurve: 'P-256' });
    // The info is the request's own bytes (at offset 3 or 4, after the outer header), not a re-encoding.
    expect(Buffer.from(request?.signed ?? []).equals(Buffer.from(csr.tbsView))).toBe(true);
    const offset = Buffer.from(der).indexOf(Buffer.from(request?.signed ?? []));
    expect(offset).toBeGreaterThanOrEqual(3);
    expect(offset).toBeLessThanOrEqual(4);
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
    expect(Buffer.from(request?.spki ?? []).equals(Buffer.from(spki))).toBe(true);
    expect(request?.publicKey).toMatchObject({ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y });
    const signature = request?.signature ?? new Uint8Array();
    expect(signature[0]).toBe(0x30);
    expect(Buffer.from(der.subarray(der.length - signature.length)).equals(Buffer.from(signature))).toBe(
      true,
    );
  });

  it('takes its answer: false is bad-signature, a throw (a key it cannot load) is malformed', async () => {
    expect(await verifyCsr(pem, undefined, () => false)).toEqual({ ok: false, problem: 'bad-signature' });
    expect(
      await verifyCsr(pem, undefined, () => {
        throw new Error('cannot load the key');
      }),
    ).toEqual({ ok: false, problem: 'malformed' });
    expect(await verifyCsr(pem, undefined, async () => false)).toEqual({
      ok: false,
      problem: 'bad-signature',
    });
  });

  it('is not asked about a request that is refused before its signature is checked', async () => {
    let calls = 0;
    const counting = () => {
      calls++;
      return true;
    };
    const der = derOf(pem);
    const trailing = toPem('CERTIFICATE REQUEST', Uint8Array.from([...der, 0]));
    expect(await verifyCsr(trailing, undefined, counting)).toEqual({ ok: false, problem: 'malformed' });
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
    const weakPem = await createCsr({ subject: SUBJECT, emails: EMAILS, keys: weak });
    expect(await verifyCsr(weakPem, undefined, counting)).toEqual({ ok: false, problem: 'unsupported-key' });
    expect(calls).toBe(0);
  });
});

describe('verifyCsr: the signature algorithms it accepts', () => {
  let rsa: CryptoKeyPair;
  let rsaPkcs8: ArrayBuffer;
  let ec: CryptoKeyPair;

  beforeAll(async () => {
    rsa = await generateApplicantKeyPair('RSA-2048');
    rsaPkcs8 = await crypto.subtle.exportKey('pkcs8', rsa.privateKey);
    ec = await generateApplicantKeyPair('ECDSA-P256');
  });

  it.each(['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'])('RSASSA-PKCS1-v1_5 with %s', async (hash) => {
    const csr = pkijs.CertificationRequest.fromBER(
      derOf(await createCsr({ subject: SUBJECT, emails: EMAILS, keys: rsa })),
    );
    const signingKey = await crypto.subtle.importKey(
      'pkcs8',
      rsaPkcs8,
      { name: 'RSASSA-PKCS1-v1_5', hash },
      false,
      ['sign'],
    );
    await csr.sign(signingKey, hash);
    const seen: SignedRequest['algorithm'][] = [];
    const pem = toPem('CERTIFICATE REQUEST', csr.toSchema().toBER(false));
    expect(okValue(await verifyCsr(pem)).keyAlgorithm).toBe('RSA');
    await verifyCsr(pem, undefined, ({ algorithm }) => seen.push(algorithm) > 0);
    expect(seen).toEqual([{ name: 'RSASSA-PKCS1-v1_5', hash }]);
  });

  it.each(['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'])('ECDSA with %s', async (hash) => {
    const csr = pkijs.CertificationRequest.fromBER(
      derOf(await createCsr({ subject: SUBJECT, emails: EMAILS, keys: ec })),
    );
    await csr.sign(ec.privateKey, hash);
    const pem = toPem('CERTIFICATE REQUEST', csr.toSchema().toBER(false));
    expect(okValue(await verifyCsr(pem)).keyAlgorithm).toBe('EC');
  });

  it('RSASSA-PSS with its parameters (hash, salt length) from the request', async () => {
    const pss = await crypto.subtle.generateKey(
      { name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      true,
      ['sign', 'verify'],
    );
    const pem = await createCsr({ subject: SUBJECT, emails: EMAILS, keys: pss });
    const seen: SignedRequest['algorithm'][] = [];
    expect(okValue(await verifyCsr(pem)).keyAlgorithm).toBe('RSA');
    await verifyCsr(pem, undefined, ({ algorithm }) => seen.push(algorithm) > 0);
    expect(seen).toEqual([{ name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 }]);
    expect(opensslVerifiesCsr(pem)).toBe(true);

    // The same signature under a declared salt length it was not made with does not verify.
    const params = (saltLength: number) =>
      new pkijs.AlgorithmIdentifier({
        algorithmId: OID.rsassaPss,
        algorithmParams: new pkijs.RSASSAPSSParams({
          hashAlgorithm: new pkijs.AlgorithmIdentifier({
            algorithmId: OID.sha256,
            algorithmParams: new asn1js.Null(),
          }),
          maskGenAlgorithm: new pkijs.AlgorithmIdentifier({
            algorithmId: OID.mgf1,
            algorithmParams: new pkijs.AlgorithmIdentifier({
              algorithmId: OID.sha256,
              algorithmParams: new asn1js.Null(),
            }).toSchema(),
          }),
          saltLength,
        }).toSchema(),
      });
    const signWithSalt32 = (signed: Uint8Array<ArrayBuffer>) =>
      crypto.subtle.sign({ name: 'RSA-PSS', saltLength: 32 }, pss.privateKey, signed);
    expect(okValue(await verifyCsr(await withSignature(pem, params(32), signWithSalt32))).keyAlgorithm).toBe(
      'RSA',
    );
    expect(await verifyCsr(await withSignature(pem, params(20), signWithSalt32))).toEqual({
      ok: false,
      problem: 'bad-signature',
    });
    // WebCrypto refuses a negative salt length (node:crypto would read -1 or -2 as "any length") and
    // one beyond emLen - hLen - 2 = 256 - 32 - 2 bytes: the request is malformed.
    for (const saltLength of [-1, 223]) {
      expect(await verifyCsr(await withSignature(pem, params(saltLength), signWithSalt32))).toEqual({
        ok: false,
        problem: 'malformed',
      });
    }
    expect(await verifyCsr(await withSignature(pem, params(222), signWithSalt32))).toEqual({
      ok: false,
      problem: 'bad-signature',
    });
  });
});

describe('verifyCsr: signatures it refuses', () => {
  let ec: CryptoKeyPair;
  let ecPem: string;

  beforeAll(async () => {
    ec = await generateApplicantKeyPair('ECDSA-P256');
    ecPem = await createCsr({ subject: SUBJECT, emails: EMAILS, keys: ec });
  });

  it('an RSA signature algorithm on an EC key → malformed, as OpenSSL refuses it (wrong public key type)', async () => {
    const pem = await withSignature(
      ecPem,
      new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRSA }),
      (signed) => ecdsaDer(ec, signed),
    );
    expect(await verifyCsr(pem)).toEqual({ ok: false, problem: 'malformed' });
    expect(opensslVerifiesCsr(pem)).toBe(false);
    // The same signature under its own algorithm is fine.
    const fair = await withSignature(
      ecPem,
      new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSha256 }),
      async () =>
        new Uint8Array(pkijs.CertificationRequest.fromBER(derOf(pem)).signatureValue.valueBlock.valueHexView),
    );
    expect(okValue(await verifyCsr(fair)).keyAlgorithm).toBe('EC');
  });

  it('a signature algorithm it does not know (md5WithRSAEncryption) → malformed', async () => {
    const rsa = await generateApplicantKeyPair('RSA-2048');
    const pem = await createCsr({ subject: SUBJECT, emails: EMAILS, keys: rsa });
    const md5 = await withSignature(
      pem,
      new pkijs.AlgorithmIdentifier({ algorithmId: OID.md5WithRSA }),
      async () =>
        new Uint8Array(pkijs.CertificationRequest.fromBER(derOf(pem)).signatureValue.valueBlock.valueHexView),
    );
    expect(await verifyCsr(md5)).toEqual({ ok: false, problem: 'malformed' });
  });

  it('an ECDSA s widened with a byte of r → bad-signature (OpenSSL refuses it too); a widened r → malformed', async () => {
    const algorithm = new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSha256 });
    // pkijs copied r and s into one r || s buffer, so an s of 33 bytes whose first byte repeats the last
    // byte of r used to verify. The first byte must make a minimal positive INTEGER: 0x01-0x7f.
    for (let attempt = 0; attempt < 200; attempt++) {
      const csr = pkijs.CertificationRequest.fromBER(derOf(ecPem));
      const raw = new Uint8Array(
        await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, ec.privateKey, csr.tbsView.slice()),
      );
      const [r, s] = [raw.subarray(0, 32), raw.subarray(32)];
      const lastOfR = r[31] ?? 0;
      if (lastOfR === 0 || lastOfR >= 0x80 || r[0] === 0 || s[0] === 0) continue;
      const widenedS = Uint8Array.from([lastOfR, ...s]);
      const widenedR = Uint8Array.from([0x01, ...r]);
      const sequence = (a: Uint8Array, b: Uint8Array) => {
        const body = [...derInteger(a), ...derInteger(b)];
        return Uint8Array.from([0x30, body.length, ...body]);
      };
      const longS = await withSignature(ecPem, algorithm, async () => sequence(r, widenedS));
      expect(await verifyCsr(longS)).toEqual({ ok: false, problem: 'bad-signature' });
      expect(opensslVerifiesCsr(longS)).toBe(false);
      const longR = await withSignature(ecPem, algorithm, async () => sequence(widenedR, s));
      expect(await verifyCsr(longR)).toEqual({ ok: false, problem: 'malformed' });
      // The untouched pair, for contrast.
      expect(
        okValue(await verifyCsr(await withSignature(ecPem, algorithm, async () => sequence(r, s)))).subject,
      ).toEqual(SUBJECT);
      return;
    }
    throw new Error('no signature with a suitable r in 200 attempts');
  });
});

describe('verifyCsr: requested extensions are read as pkijs reads them', () => {
  let ec: CryptoKeyPair;
  let base: pkijs.CertificationRequest;

  beforeAll(async () => {
    ec = await generateApplicantKeyPair('ECDSA-P256');
    base = pkijs.CertificationRequest.fromBER(
      derOf(await createCsr({ subject: SUBJECT, emails: EMAILS, keys: ec })),
    );
  });

  /** The base request with this extension request value (raw DER), signed again. */
  async function requesting(extensionsDer: number[]): Promise<string> {
    const csr = pkijs.CertificationRequest.fromBER(base.toSchema().toBER(false));
    const value = asn1js.fromBER(Uint8Array.from(extensionsDer)).result;
    csr.attributes = [new pkijs.Attribute({ type: OID.extensionRequest, values: [value] })];
    await csr.sign(ec.privateKey, 'SHA-256');
    return toPem('CERTIFICATE REQUEST', csr.toSchema().toBER(false));
  }

  const oid = (dotted: string) => [
    ...new Uint8Array(new asn1js.ObjectIdentifier({ value: dotted }).toBER(false)),
  ];
  const tlv = (tag: number, body: number[]) => [tag, body.length, ...body];
  const text = (value: string) => [...Buffer.from(value, 'latin1')];
  const extension = (id: string, value: number[], ...extra: number[][]) =>
    tlv(0x30, [...oid(id), ...extra.flat(), ...tlv(0x04, value)]);
  const san = (...names: number[][]) => extension(OID.subjectAltName, tlv(0x30, names.flat()));

  it.each<[string, number[], Partial<CsrSummary> | CsrProblem]>([
    [
      'e-mail and DNS names',
      tlv(0x30, san(tlv(0x81, text('a@madiunkota.go.id')), tlv(0x82, text('host.madiunkota.go.id')))),
      { emails: ['a@madiunkota.go.id'], dnsNames: ['host.madiunkota.go.id'] },
    ],
    [
      'a URI and an IP address among them (read by pkijs, not returned)',
      tlv(
        0x30,
        san(tlv(0x81, text('a@madiunkota.go.id')), tlv(0x86, text('https://x.id')), tlv(0x87, [10, 0, 0, 1])),
      ),
      { emails: ['a@madiunkota.go.id'], dnsNames: [] },
    ],
    [
      'a byte outside ASCII, one character per byte',
      tlv(0x30, san(tlv(0x81, text('jos\u00e9@x.id')))),
      { emails: ['jos\u00e9@x.id'] },
    ],
    [
      'a critical flag, and an element after the value (which pkijs ignores)',
      tlv(0x30, [
        ...extension(OID.extKeyUsage, tlv(0x30, oid(OID.emailProtection)), [0x01, 0x01, 0xff]),
        ...san(tlv(0x81, text('b@x.id'))),
      ]),
      { emails: ['b@x.id'], extendedKeyUsage: ['emailProtection'] },
    ],
    [
      'an element after an extension value',
      tlv(
        0x30,
        tlv(0x30, [
          ...oid(OID.subjectAltName),
          ...tlv(0x04, tlv(0x30, tlv(0x81, text('c@x.id')))),
          0x05,
          0x00,
        ]),
      ),
      { emails: ['c@x.id'] },
    ],
    ['an empty GeneralNames', tlv(0x30, san()), 'malformed'],
    ['a constructed rfc822Name', tlv(0x30, san(tlv(0xa1, tlv(0x16, text('d@x.id'))))), 'malformed'],
    [
      'an extended key usage that is not an OID',
      tlv(0x30, extension(OID.extKeyUsage, tlv(0x30, [0x05, 0x00]))),
      'malformed',
    ],
    ['an empty extension list', tlv(0x30, []), 'malformed'],
    ['an extension without a value', tlv(0x30, tlv(0x30, oid(OID.subjectAltName))), 'malformed'],
  ])('%s', async (_what, extensionsDer, expected) => {
    const result = await verifyCsr(await requesting(extensionsDer));
    if (typeof expected === 'string') {
      expect(result).toEqual({ ok: false, problem: expected });
    } else {
      expect(okValue(result)).toMatchObject(expected);
    }
  });
});

describe('verifyCsr: requests of less usual shapes are read as pkijs reads them', () => {
  let ec: CryptoKeyPair;
  let info: Uint8Array<ArrayBuffer>;

  beforeAll(async () => {
    ec = await generateApplicantKeyPair('ECDSA-P256');
    const pem = await createCsr({ subject: SUBJECT, emails: EMAILS, keys: ec });
    info = pkijs.CertificationRequest.fromBER(derOf(pem)).tbsView.slice();
  });

  const items = (block: asn1js.AsnType | undefined): asn1js.AsnType[] => {
    if (
      !(
        block instanceof asn1js.Constructed ||
        block instanceof asn1js.Sequence ||
        block instanceof asn1js.Set
      )
    ) {
      throw new Error('not a constructed block');
    }
    return block.valueBlock.value;
  };
  const challengePassword = (...values: asn1js.AsnType[]) =>
    new asn1js.Sequence({
      value: [
        new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.9.7' }),
        new asn1js.Set({ value: values }),
      ],
    });

  /** The request info edited as an asn1js tree (version, subject, key, [0] attributes), then signed. */
  async function edited(edit: (fields: asn1js.AsnType[]) => void): Promise<string> {
    const tree = asn1js.fromBER(info.slice()).result;
    edit(items(tree));
    const signed = new Uint8Array(tree.toBER(false));
    const csr = new asn1js.Sequence({
      value: [
        asn1js.fromBER(signed.slice()).result,
        new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSha256 }).toSchema(),
        new asn1js.BitString({ valueHex: await ecdsaDer(ec, signed.slice()) }),
      ],
    });
    return toPem('CERTIFICATE REQUEST', csr.toBER(false));
  }

  it.each<[string, (fields: asn1js.AsnType[]) => void, Partial<CsrSummary> | CsrProblem]>([
    ['as made by the kiosk', () => {}, { subject: SUBJECT, emails: EMAILS }],
    [
      'an empty RDN among the subject',
      (fields) => items(fields[1]).splice(1, 0, new asn1js.Set({ value: [] })),
      { subject: SUBJECT, emails: EMAILS },
    ],
    ['an empty subject', (fields) => items(fields[1]).splice(0), 'no-common-name'],
    ['no attributes at all', (fields) => fields.splice(3), { subject: SUBJECT, emails: [], keyUsage: [] }],
    ['an empty attribute list', (fields) => items(fields[3]).splice(0), { subject: SUBJECT, emails: [] }],
    [
      'a challengePassword attribute besides the extensions',
      (fields) => items(fields[3]).push(challengePassword(new asn1js.Utf8String({ value: 'rahasia' }))),
      { subject: SUBJECT, emails: EMAILS },
    ],
    [
      'another attribute without values',
      (fields) => items(fields[3]).push(challengePassword()),
      { subject: SUBJECT, emails: EMAILS },
    ],
    [
      'an extension request without values',
      (fields) => {
        items(items(fields[3])[0])[1] = new asn1js.Set({ value: [] });
      },
      'malformed',
    ],
  ])('%s', async (_what, edit, expected) => {
    const result = await verifyCsr(await edited(edit));
    if (typeof expected === 'string') {
      expect(result).toEqual({ ok: false, problem: expected });
    } else {
      expect(okValue(result)).toMatchObject(expected);
    }
  });
});
