import type * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Issuer, issueCertificate, makeTestCa } from '../../../tests/support/test-ca';
import type { SubjectAttribute } from './csr';
import { generateApplicantKeyPair } from './keys';
import { passwordBytes, readPbes2Parameters } from './pbes2';
import { buildPkcs12 } from './pkcs12';

const PASSWORD = 'kuda-lumping-sepeda-hijau-42';
const SUBJECT: SubjectAttribute[] = [
  { type: 'C', value: 'ID' },
  { type: 'O', value: 'Pemerintah Kota Madiun' },
  { type: 'CN', value: 'BUDI SANTOSO' },
];

function der(certificate: pkijs.Certificate): Uint8Array {
  return new Uint8Array(certificate.toSchema().toBER(false));
}

function attribute(bag: pkijs.SafeBag, oid: string): unknown {
  return bag.bagAttributes?.find((a) => a.type === oid)?.values[0];
}

function shroudedKeyOf(bags: pkijs.SafeBag[]): pkijs.PKCS8ShroudedKeyBag {
  const bag = bags.find((b) => b.bagId === '1.2.840.113549.1.12.10.1.2');
  if (!bag) throw new Error('no key bag');
  return bag.bagValue as pkijs.PKCS8ShroudedKeyBag;
}

/** Reads a PFX back with pkijs alone: MAC, safes, bags, decrypting with the password. */
async function readBack(p12: Uint8Array, password: string) {
  const pfx = pkijs.PFX.fromBER(p12.slice().buffer);
  await pfx.parseInternalValues({ password: passwordBytes(password).buffer, checkIntegrity: true });
  const safe = pfx.parsedValue?.authenticatedSafe;
  if (!safe) throw new Error('no authenticated safe');
  await safe.parseInternalValues({
    safeContents: safe.safeContents.map((c) =>
      c.contentType === '1.2.840.113549.1.7.6' ? { password: passwordBytes(password).buffer } : {},
    ),
  });
  const bags: pkijs.SafeBag[] = safe.parsedValue.safeContents.flatMap(
    (s: { value: pkijs.SafeContents }) => s.value.safeBags,
  );
  return { pfx, safe, bags };
}

describe('buildPkcs12', () => {
  let ca: Issuer;
  let rsa: { pkcs8: ArrayBuffer; certificate: pkijs.Certificate };
  let ec: { pkcs8: ArrayBuffer; certificate: pkijs.Certificate };

  beforeAll(async () => {
    ca = await makeTestCa();
    const make = async (algorithm: 'RSA-2048' | 'ECDSA-P256') => {
      const keys = await generateApplicantKeyPair(algorithm);
      return {
        pkcs8: await crypto.subtle.exportKey('pkcs8', keys.privateKey),
        certificate: await issueCertificate({ subject: SUBJECT, publicKey: keys.publicKey, issuer: ca }),
      };
    };
    [rsa, ec] = await Promise.all([make('RSA-2048'), make('ECDSA-P256')]);
  });

  it.each(['RSA', 'EC'] as const)(
    'modern form with an %s key reads back with pkijs, MAC checked',
    async (kind) => {
      const { pkcs8, certificate } = kind === 'RSA' ? rsa : ec;
      const built = await buildPkcs12({
        privateKeyPkcs8: pkcs8,
        certificate,
        chain: [ca.certificate],
        password: PASSWORD,
        form: 'modern',
        friendlyName: 'BUDI SANTOSO',
        iterations: 1000,
      });
      if (!built.ok) throw new Error(built.problem);
      const { pfx, safe, bags } = await readBack(built.value, PASSWORD);

      expect(pfx.macData?.iterations).toBe(2048);
      expect(pfx.macData?.mac.digestAlgorithm.algorithmId).toBe('2.16.840.1.101.3.4.2.1'); // SHA-256
      expect(safe.safeContents.map((c) => c.contentType)).toEqual([
        '1.2.840.113549.1.7.6',
        '1.2.840.113549.1.7.1',
      ]);

      const certBags = bags.filter((b) => b.bagId === '1.2.840.113549.1.12.10.1.3');
      expect(certBags.map((b) => der((b.bagValue as pkijs.CertBag).parsedValue))).toEqual([
        der(certificate),
        der(ca.certificate),
      ]);
      const [keyBag] = bags.filter((b) => b.bagId === '1.2.840.113549.1.12.10.1.2');
      if (!keyBag) throw new Error('no key bag');
      const shrouded = keyBag.bagValue as pkijs.PKCS8ShroudedKeyBag;
      const params = readPbes2Parameters(shrouded.encryptionAlgorithm);
      expect(
        params.ok && { ...params.value, salt: params.value.salt.length, iv: params.value.iv.length },
      ).toEqual({
        prf: 'SHA-256',
        iterations: 1000,
        salt: 16,
        keyBits: 256,
        cipherOid: '2.16.840.1.101.3.4.1.42',
        iv: 16,
      });
      // pkijs' own PBES2 decryption opens the key bag.
      const decrypted = await new pkijs.EncryptedData({
        encryptedContentInfo: new pkijs.EncryptedContentInfo({
          contentEncryptionAlgorithm: shrouded.encryptionAlgorithm,
          encryptedContent: shrouded.encryptedData,
        }),
      }).decrypt({ password: passwordBytes(PASSWORD).buffer });
      expect(new Uint8Array(decrypted)).toEqual(new Uint8Array(pkcs8));

      // Key and leaf carry the same localKeyId (SHA-1 of the certificate) and the friendly name.
      const sha1 = new Uint8Array(await crypto.subtle.digest('SHA-1', der(certificate).slice()));
      for (const bag of [keyBag, certBags[0]]) {
        if (!bag) throw new Error('missing bag');
        expect(
          new Uint8Array(
            (attribute(bag, '1.2.840.113549.1.9.21') as asn1js.OctetString).valueBlock.valueHexView,
          ),
        ).toEqual(sha1);
        expect((attribute(bag, '1.2.840.113549.1.9.20') as asn1js.BmpString).valueBlock.value).toBe(
          'BUDI SANTOSO',
        );
      }
      expect(certBags[1]?.bagAttributes).toBeUndefined();
    },
  );

  it('the modern key bag uses 600,000 PBKDF2 iterations by default', async () => {
    const built = await buildPkcs12({
      privateKeyPkcs8: ec.pkcs8,
      certificate: ec.certificate,
      chain: [],
      password: PASSWORD,
      form: 'modern',
    });
    if (!built.ok) throw new Error(built.problem);
    const { bags } = await readBack(built.value, PASSWORD);
    const params = readPbes2Parameters(shroudedKeyOf(bags).encryptionAlgorithm);
    expect(params.ok && params.value.iterations).toBe(600_000);
    expect(bags.filter((b) => b.bagId === '1.2.840.113549.1.12.10.1.3')).toHaveLength(1);
  });

  it('a wrong password fails the MAC', async () => {
    const built = await buildPkcs12({
      privateKeyPkcs8: ec.pkcs8,
      certificate: ec.certificate,
      chain: [ca.certificate],
      password: PASSWORD,
      form: 'modern',
      iterations: 1000,
    });
    if (!built.ok) throw new Error(built.problem);
    await expect(readBack(built.value, `${PASSWORD}!`)).rejects.toThrow(/Integrity/);
  });

  it('legacy form: 3DES key bag, certificates in clear, SHA-1 MAC', async () => {
    const built = await buildPkcs12({
      privateKeyPkcs8: rsa.pkcs8,
      certificate: rsa.certificate,
      chain: [ca.certificate, rsa.certificate],
      password: PASSWORD,
      form: 'legacy',
      friendlyName: 'BUDI SANTOSO',
    });
    if (!built.ok) throw new Error(built.problem);
    const { pfx, safe, bags } = await readBack(built.value, PASSWORD);
    expect(pfx.macData?.mac.digestAlgorithm.algorithmId).toBe('1.3.14.3.2.26'); // SHA-1
    expect(safe.safeContents.map((c) => c.contentType)).toEqual([
      '1.2.840.113549.1.7.1',
      '1.2.840.113549.1.7.1',
    ]);
    expect(shroudedKeyOf(bags).encryptionAlgorithm.algorithmId).toBe(
      '1.2.840.113549.1.12.1.3', // pbeWithSHAAnd3-KeyTripleDES-CBC
    );
    // The leaf repeated in the chain is stored once.
    expect(bags.filter((b) => b.bagId === '1.2.840.113549.1.12.10.1.3')).toHaveLength(2);
  });

  it('legacy form with an EC key is refused as legacy-needs-rsa', async () => {
    expect(
      await buildPkcs12({
        privateKeyPkcs8: ec.pkcs8,
        certificate: ec.certificate,
        chain: [ca.certificate],
        password: PASSWORD,
        form: 'legacy',
      }),
    ).toEqual({ ok: false, problem: 'legacy-needs-rsa' });
  });
});
