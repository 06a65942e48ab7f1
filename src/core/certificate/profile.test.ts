import { describe, expect, it } from 'vitest';
import profileFile from '../../../config/certificate-profiles.json';
import type { Result } from '../lib/brand';
import { type CsrSummary, createCsr, verifyCsr } from './csr';
import { generateApplicantKeyPair } from './keys';
import {
  type CsrRequest,
  compareCsr,
  fieldsRequiredBy,
  keyAlgorithmOf,
  type ProfileSet,
  profileSetSchema,
  renderProfile,
  type SubjectData,
} from './profile';

const profiles: ProfileSet = profileSetSchema.parse(profileFile);

const DATA: SubjectData = {
  nama: 'SITI RAHAYU',
  email: 'siti.rahayu@madiunkota.go.id',
  perangkatDaerah: 'Dinas Komunikasi dan Informatika',
  nip: '199001052015022001',
  jabatan: 'Kepala Bidang Persandian',
  host: 'sipd.madiunkota.go.id',
};

function value<T, E>(result: Result<T, E>): T {
  if (!result.ok) throw new Error(`expected a value, got ${JSON.stringify(result.problem)}`);
  return result.value;
}

describe('the shipped profiles (config/certificate-profiles.json)', () => {
  it('render the domain subjects: individu, jabatan with its title, sistem with its host', () => {
    const base = [
      { type: 'C', value: 'ID' },
      { type: 'O', value: 'Pemerintah Kota Madiun' },
      { type: 'OU', value: 'Dinas Komunikasi dan Informatika' },
    ];
    expect(value(renderProfile(profiles, 'individu', DATA)).subject).toEqual([
      ...base,
      { type: 'CN', value: 'SITI RAHAYU' },
    ]);
    expect(value(renderProfile(profiles, 'jabatan', DATA)).subject).toEqual([
      ...base,
      { type: 'title', value: 'Kepala Bidang Persandian' },
      { type: 'CN', value: 'SITI RAHAYU' },
    ]);
    const sistem = value(renderProfile(profiles, 'sistem-elektronik', DATA));
    expect(sistem.subject).toEqual([...base, { type: 'CN', value: 'sipd.madiunkota.go.id' }]);
    expect(sistem.dnsNames).toEqual(['sipd.madiunkota.go.id']);
  });

  it('put the official e-mail in the SAN and default to RSA-2048', () => {
    for (const type of ['individu', 'jabatan', 'sistem-elektronik'] as const) {
      const request = value(renderProfile(profiles, type, DATA));
      expect(request.emails).toEqual(['siti.rahayu@madiunkota.go.id']);
      expect(request.keyAlgorithm).toBe('RSA-2048');
      expect(request.keyUsage).toContain('digitalSignature');
      expect(request.extendedKeyUsage).toEqual(
        expect.arrayContaining(['emailProtection', 'documentSigning']),
      );
    }
  });

  it('ask forms for the jabatan and the host only where the type needs them', () => {
    expect(fieldsRequiredBy(profiles, 'individu')).toEqual(['nama', 'email', 'perangkatDaerah']);
    expect(fieldsRequiredBy(profiles, 'jabatan')).toContain('jabatan');
    expect(fieldsRequiredBy(profiles, 'sistem-elektronik')).toContain('host');
    expect(fieldsRequiredBy(profiles, 'sistem-elektronik')).not.toContain('jabatan');
  });
});

describe('renderProfile', () => {
  it('refuses an empty value instead of making an empty attribute', () => {
    expect(renderProfile(profiles, 'jabatan', { ...DATA, jabatan: '  ' })).toEqual({
      ok: false,
      problem: { reason: 'missing-value', field: 'jabatan' },
    });
    expect(renderProfile(profiles, 'sistem-elektronik', { ...DATA, host: null })).toEqual({
      ok: false,
      problem: { reason: 'missing-value', field: 'host' },
    });
  });

  it('drops the RSA encryption bits for an ECDSA key (RFC 5480)', () => {
    const ec = value(renderProfile(profiles, 'individu', DATA, 'ECDSA-P256'));
    expect(ec.keyUsage).toEqual(['digitalSignature', 'nonRepudiation']);
    const rsa = value(renderProfile(profiles, 'individu', DATA, 'RSA-3072'));
    expect(rsa.keyUsage).toEqual(['digitalSignature', 'nonRepudiation', 'keyEncipherment']);
  });

  it('refuses a key algorithm the profile does not allow', () => {
    const strict = structuredClone(profiles);
    strict.profiles.individu.allowedKeyAlgorithms = ['RSA-3072'];
    strict.profiles.individu.keyAlgorithm = 'RSA-3072';
    expect(renderProfile(strict, 'individu', DATA, 'RSA-2048')).toEqual({
      ok: false,
      problem: { reason: 'key-algorithm-not-allowed', keyAlgorithm: 'RSA-2048' },
    });
    expect(value(renderProfile(strict, 'individu', DATA)).keyAlgorithm).toBe('RSA-3072');
  });

  it('collapses spaces inside a rendered value and deduplicates alternative names', () => {
    const custom = structuredClone(profiles);
    custom.profiles.individu.subject = [{ type: 'CN', value: '{nama}  ({nip})' }];
    custom.profiles.individu.subjectAltName.email = ['{email}', '{email}'];
    const request = value(renderProfile(custom, 'individu', DATA));
    expect(request.subject).toEqual([{ type: 'CN', value: 'SITI RAHAYU (199001052015022001)' }]);
    expect(request.emails).toEqual(['siti.rahayu@madiunkota.go.id']);
  });
});

describe('profileSetSchema', () => {
  const withIndividu = (patch: Record<string, unknown>) => {
    const copy = structuredClone(profileFile) as { profiles: { individu: Record<string, unknown> } };
    Object.assign(copy.profiles.individu, patch);
    return profileSetSchema.safeParse(copy).success;
  };

  it('accepts the shipped file and refuses the mistakes a configuration edit could make', () => {
    expect(profileSetSchema.safeParse(profileFile).success).toBe(true);
    expect(withIndividu({ subject: [{ type: 'CN', value: '{nik}' }] })).toBe(false); // the NIK stays out
    expect(withIndividu({ subject: [{ type: 'CN', value: '{nma}' }] })).toBe(false);
    expect(withIndividu({ subject: [{ type: 'O', value: 'X' }] })).toBe(false); // no CN
    expect(
      withIndividu({
        subject: [
          { type: 'CN', value: 'a' },
          { type: 'CN', value: 'b' },
        ],
      }),
    ).toBe(false);
    expect(withIndividu({ keyAlgorithm: 'RSA-1024' })).toBe(false);
    expect(withIndividu({ keyAlgorithm: 'RSA-3072', allowedKeyAlgorithms: ['RSA-2048'] })).toBe(false);
    expect(withIndividu({ keyUsage: ['signEverything'] })).toBe(false);
    expect(withIndividu({ extendedKeyUsage: [] })).toBe(false);
  });
});

describe('compareCsr', () => {
  async function summaryFor(request: CsrRequest): Promise<CsrSummary> {
    const keys = await generateApplicantKeyPair(request.keyAlgorithm);
    return value(await verifyCsr(await createCsr({ ...request, keys })));
  }

  it('finds nothing between a CSR and the request it was made from, for every type and key', async () => {
    for (const type of ['individu', 'jabatan', 'sistem-elektronik'] as const) {
      for (const algorithm of ['RSA-2048', 'ECDSA-P256'] as const) {
        const request = value(renderProfile(profiles, type, DATA, algorithm));
        const summary = await summaryFor(request);
        expect(keyAlgorithmOf(summary)).toBe(algorithm);
        expect(compareCsr(summary, request)).toEqual([]);
      }
    }
  });

  it('names each part that differs', async () => {
    const request = value(renderProfile(profiles, 'sistem-elektronik', DATA, 'ECDSA-P256'));
    const summary = await summaryFor(request);
    const other = value(
      renderProfile(
        profiles,
        'sistem-elektronik',
        { ...DATA, email: 'x@madiunkota.go.id', host: 'x.go.id' },
        'RSA-2048',
      ),
    );
    expect(compareCsr(summary, other)).toEqual(['subject', 'emails', 'dnsNames', 'keyUsage', 'keyAlgorithm']);
    expect(compareCsr(summary, { ...request, extendedKeyUsage: ['emailProtection'] })).toEqual([
      'extendedKeyUsage',
    ]);
    expect(compareCsr({ ...summary, otherExtendedKeyUsage: ['1.3.6.1.5.5.7.3.3'] }, request)).toEqual([
      'extendedKeyUsage',
    ]);
    // The order of RDNs is part of the name: a reordered subject is a different subject.
    expect(compareCsr(summary, { ...request, subject: [...request.subject].reverse() })).toEqual(['subject']);
  });
});
