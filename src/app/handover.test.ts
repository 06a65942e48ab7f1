import type * as pkijs from 'pkijs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decisionStatement } from '../../tests/support/outbox-summaries';
import { type Issuer, issueCertificate, makeTestCa } from '../../tests/support/test-ca';
import { openOutbox } from '../adapters/db/outbox-db';
import { describeCertificate, parseCertificates } from '../core/certificate/certificate';
import { generateApplicantKeyPair } from '../core/certificate/keys';
import { type CsrRequest, renderProfile } from '../core/certificate/profile';
import type { KeyAlgorithm } from '../core/certificate/types';
import { toPem } from '../core/lib/pem';
import { generateSealKeyPair } from '../core/sealing/seal';
import { certificateProfiles } from './certificate-profiles';
import { handOver, unlockHandover } from './handover';
import { inProcessHandoverCrypto, precheckCertificate } from './handover-crypto';
import { makeKeyRequest } from './key-request';
import {
  type AnyStoredItem,
  type HandoverStore,
  isSealedItem,
  type OutboxItem,
  type OutboxStore,
} from './ports';
import { handoverFactsOf } from './receipt/receipt-document';
import { keyMaterialOf } from './sealing/open-at-counter';
import { sealForOutbox } from './sealing/seal-application';
import { openIssuedCertificate, sealIssuedCertificate } from './sealing/sealed-certificate';

const PASSPHRASE = 'sawah hijau di kaki gunung wilis';
const ITERATIONS = 1000;
const NOW = new Date('2026-11-25T03:00:00Z');
const DAY = 86_400_000;
const MAX_WRONG = 3;

const DATA = {
  nama: 'SITI RAHAYU',
  email: 'siti.rahayu@madiunkota.go.id',
  perangkatDaerah: 'Dinas Komunikasi dan Informatika',
  nip: null,
  jabatan: null,
  host: null,
};

function requestFor(keyAlgorithm: KeyAlgorithm): CsrRequest {
  const request = renderProfile(certificateProfiles, 'individu', DATA, keyAlgorithm);
  if (!request.ok) throw new Error('profile');
  return request.value;
}

const pem = (certificate: pkijs.Certificate) => toPem('CERTIFICATE', certificate.toSchema().toBER(false));

/** An application as the kiosk stored it, with the certificate a CA would issue for it. */
async function application(keyAlgorithm: KeyAlgorithm, ca: Issuer) {
  const made = await makeKeyRequest({
    request: requestFor(keyAlgorithm),
    passphrase: PASSPHRASE,
    pbkdf2Iterations: ITERATIONS,
  });
  if (!made.ok) throw new Error('key request');
  const csr = parseCsrPublicKey(made.value.csrPem);
  const id = crypto.randomUUID();
  // Queued: the kiosk may hand over before it hears the CA's answer (see core/outbox/lifecycle).
  const item: OutboxItem = {
    id,
    state: 'queued',
    createdAt: NOW.toISOString(),
    record: {
      id,
      createdAt: NOW.toISOString(),
      certificateType: 'individu',
      applicant: {
        nama: DATA.nama,
        nik: '3577014501900003',
        nip: null,
        email: DATA.email,
        perangkatDaerah: DATA.perangkatDaerah,
      },
      ocrText: '',
      csrPem: made.value.csrPem,
      encryptedPrivateKeyPem: made.value.encryptedPrivateKeyPem,
    },
    image: {
      mediaType: 'image/png',
      blob: new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], { type: 'image/png' }),
    },
    attachments: [],
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    syncedAt: null,
    rejection: null,
  };
  const issue = async (
    overrides: {
      subject?: { type: 'C' | 'O' | 'OU' | 'CN'; value: string }[];
      notBefore?: Date;
      notAfter?: Date;
      issuer?: Issuer;
      publicKey?: CryptoKey;
    } = {},
  ) =>
    pem(
      await issueCertificate({
        subject:
          overrides.subject ??
          requestFor(keyAlgorithm).subject.map((a) => ({ type: a.type as 'CN', value: a.value })),
        publicKey: overrides.publicKey ?? (await csr),
        issuer: overrides.issuer ?? ca,
        notBefore: overrides.notBefore ?? new Date(NOW.getTime() - DAY),
        notAfter: overrides.notAfter ?? new Date(NOW.getTime() + 365 * DAY),
      }),
    );
  return { item, issue };
}

/** The CSR's public key as a CryptoKey, so the test CA can certify exactly that key. */
async function parseCsrPublicKey(csrPem: string): Promise<CryptoKey> {
  const { CertificationRequest } = await import('pkijs');
  const { fromPem } = await import('../core/lib/pem');
  const der = fromPem('CERTIFICATE REQUEST', csrPem);
  if (!der) throw new Error('csr');
  return CertificationRequest.fromBER(der).getPublicKey();
}

describe('handOver', () => {
  let ca: Issuer;
  let otherCa: Issuer;
  let store: OutboxStore & HandoverStore;

  beforeAll(async () => {
    ca = await makeTestCa();
    otherCa = await makeTestCa([{ type: 'CN', value: 'Another CA' }]);
  });
  beforeEach(() => {
    store = openOutbox(`handover-${crypto.randomUUID()}`);
  });

  const deps = () => ({
    store,
    crypto: inProcessHandoverCrypto,
    now: () => NOW,
    maxWrongPassphrase: MAX_WRONG,
    pbkdf2Iterations: ITERATIONS,
  });

  /** The applicant's right passphrase with a certificate file, in the modern PKCS#12 form. */
  const handOverWithPassphrase = (id: string, certificateText: string) =>
    handOver({ id, passphrase: PASSPHRASE, certificateText, chainText: null, form: 'modern' }, deps());

  it('builds a PKCS#12 and PEM for the key made at the counter, and records the handover', async () => {
    const { item, issue } = await application('RSA-2048', ca);
    await store.add(item);
    const certificateText = await issue();
    const chainText = pem(ca.certificate);
    const result = await handOver(
      { id: item.id, passphrase: PASSPHRASE, certificateText, chainText, form: 'modern' },
      deps(),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.pkcs12.length).toBeGreaterThan(1000);
    expect(result.value.certificatePem).toBe(certificateText);
    expect(result.value.chainPem).toBe(chainText);
    expect(result.value.fileStem).toBe(`sertifikat-${item.id.slice(0, 8)}`);
    const state = (await store.get(item.id))?.handover;
    expect(state).toMatchObject({
      handedOverAt: NOW.toISOString(),
      serialNumberHex: result.value.certificate.serialNumberHex,
      form: 'modern',
      wrongAttempts: 0,
    });
    expect(result.value.handover).toEqual(state);
    // The history gains the handover; the record still waits to be sent.
    const stored = await store.get(item.id);
    expect(stored?.state).toBe('queued');
    expect(stored?.history.map((e) => e.state)).toEqual(['captured', 'queued', 'handed-over']);
    expect(stored?.history.at(-1)).toEqual({
      state: 'handed-over',
      at: NOW.toISOString(),
      note: `modern PKCS#12, serial ${result.value.certificate.serialNumberHex}`,
    });
    // Sent after the handover, it is still acknowledged normally.
    await store.markSynced([item.id], NOW.toISOString());
    expect((await store.get(item.id))?.history.map((e) => e.state)).toEqual([
      'captured',
      'queued',
      'handed-over',
      'synced',
    ]);
  });

  it('refuses to hand over for an application the server refused, before decrypting or counting a try', async () => {
    const { item, issue } = await application('ECDSA-P256', ca);
    await store.add(item);
    await store.markRejected(item.id, { code: 'invalid-nik', message: 'NIK tidak valid' }, NOW.toISOString());
    const result = await handOver(
      { id: item.id, passphrase: 'salah', certificateText: await issue(), chainText: null, form: 'modern' },
      deps(),
    );
    expect(result).toEqual({ ok: false, problem: { reason: 'application-refused', state: 'rejected' } });
    const stored = await store.get(item.id);
    expect(stored?.handover).toBeUndefined();
    expect(stored?.history.map((e) => e.state)).toEqual(['captured', 'queued', 'rejected']);
  });

  it('refuses to hand over for an application still waiting for the officer', async () => {
    const { item, issue } = await application('ECDSA-P256', ca);
    await store.add({ ...item, state: 'held' });
    const result = await handOverWithPassphrase(item.id, await issue());
    expect(result).toEqual({ ok: false, problem: { reason: 'not-decided' } });
    expect((await store.get(item.id))?.history.map((e) => e.state)).toEqual(['captured']);
  });

  it('refuses to hand over for an application the officer rejected, even with a matching certificate', async () => {
    const { item, issue } = await application('ECDSA-P256', ca);
    const rejected = { ...item, record: { ...item.record, decision: decisionStatement('rejected') } };
    await store.add(rejected);
    const result = await handOverWithPassphrase(item.id, await issue());
    expect(result).toEqual({ ok: false, problem: { reason: 'application-refused', state: 'queued' } });
    expect((await store.get(item.id))?.handover).toBeUndefined();
  });

  it('counts wrong passphrases, locks after the configured number, and opens again only after an unlock', async () => {
    const { item, issue } = await application('ECDSA-P256', ca);
    await store.add(item);
    const certificateText = await issue();
    const attempt = (passphrase: string) =>
      handOver({ id: item.id, passphrase, certificateText, chainText: null, form: 'modern' }, deps());

    expect(await attempt('salah satu frasa sandi')).toEqual({
      ok: false,
      problem: { reason: 'wrong-passphrase', attemptsLeft: 2 },
    });
    expect(await attempt('salah dua frasa sandi')).toEqual({
      ok: false,
      problem: { reason: 'wrong-passphrase', attemptsLeft: 1 },
    });
    expect(await attempt('salah tiga frasa sandi')).toEqual({ ok: false, problem: { reason: 'locked' } });
    // Locked means locked: the right passphrase does not open it either, and nothing is decrypted.
    expect(await attempt(PASSPHRASE)).toEqual({ ok: false, problem: { reason: 'locked' } });
    expect((await store.get(item.id))?.handover?.lockedAt).toBe(NOW.toISOString());
    // The lock is in the outbox, not in memory: a reload (a new store on the same database) keeps it.
    await unlockHandover(store, item.id, NOW);
    expect((await store.get(item.id))?.handover).toMatchObject({
      lockedAt: null,
      wrongAttempts: 0,
      unlockedAt: NOW.toISOString(),
    });
    expect((await attempt(PASSPHRASE)).ok).toBe(true);
  });

  it('counts tries made at the same time (two tabs) without losing one', async () => {
    const { item, issue } = await application('ECDSA-P256', ca);
    await store.add(item);
    const certificateText = await issue();
    const results = await Promise.all(
      ['satu', 'dua', 'tiga', 'empat'].map((w) =>
        handOver(
          { id: item.id, passphrase: `salah ${w}`, certificateText, chainText: null, form: 'modern' },
          deps(),
        ),
      ),
    );
    expect((await store.get(item.id))?.handover?.wrongAttempts).toBe(4);
    expect(results.filter((r) => !r.ok && r.problem.reason === 'locked')).toHaveLength(2);
  });

  it('refuses wrong certificates with a reason and without costing a try or touching the application', async () => {
    const { item, issue } = await application('RSA-2048', ca);
    await store.add(item);
    const other = await generateApplicantKeyPair('RSA-2048');
    const cases: [string, string, string | null][] = [
      ['not-x509', 'ini bukan sertifikat', null],
      ['not-x509', item.record.csrPem, null],
      ['not-x509', '', null],
      ['other-key', await issue({ publicKey: other.publicKey }), null],
      ['other-subject', await issue({ subject: [{ type: 'CN', value: 'BUDI SANTOSO' }] }), null],
      [
        'expired',
        await issue({
          notBefore: new Date(NOW.getTime() - 400 * DAY),
          notAfter: new Date(NOW.getTime() - DAY),
        }),
        null,
      ],
      [
        'not-yet-valid',
        await issue({
          notBefore: new Date(NOW.getTime() + DAY),
          notAfter: new Date(NOW.getTime() + 400 * DAY),
        }),
        null,
      ],
      ['bad-chain', await issue(), pem(otherCa.certificate)],
      ['chain-not-x509', await issue(), 'bukan rantai'],
    ];
    for (const [expected, certificateText, chainText] of cases) {
      const result = await handOver(
        { id: item.id, passphrase: PASSPHRASE, certificateText, chainText, form: 'modern' },
        deps(),
      );
      expect(result, expected).toEqual({ ok: false, problem: { reason: 'certificate', problem: expected } });
      // The same verdict before the applicant types anything, except the key proof that needs it.
      const pre = await precheckCertificate({
        certificateText,
        chainText,
        csrPem: item.record.csrPem,
        now: NOW.toISOString(),
      });
      expect(pre, expected).toEqual({ ok: false, problem: expected });
    }
    const after = await store.get(item.id);
    expect(after?.handover?.wrongAttempts ?? 0).toBe(0);
    expect(after?.record).toEqual(item.record);
  });

  it('says so when the stored key is damaged, and keeps the application as it was', async () => {
    const { item, issue } = await application('RSA-2048', ca);
    const lines = item.record.encryptedPrivateKeyPem.split('\n');
    lines[3] = `${lines[3]?.slice(0, 10)}AAAA${lines[3]?.slice(14)}`;
    const damaged = { ...item, record: { ...item.record, encryptedPrivateKeyPem: lines.join('\n') } };
    await store.add(damaged);
    const result = await handOverWithPassphrase(item.id, await issue());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(['certificate', 'wrong-passphrase']).toContain(result.problem.reason);
    expect((await store.get(item.id))?.record).toEqual(damaged.record);
  });

  it('refuses an empty passphrase, an unknown application and the legacy form for an EC key', async () => {
    const { item, issue } = await application('ECDSA-P256', ca);
    await store.add(item);
    const certificateText = await issue();
    const base = {
      id: item.id,
      passphrase: PASSPHRASE,
      certificateText,
      chainText: null,
      form: 'modern' as const,
    };
    expect(await handOver({ ...base, passphrase: '' }, deps())).toEqual({
      ok: false,
      problem: { reason: 'passphrase-empty' },
    });
    expect(await handOver({ ...base, id: crypto.randomUUID() }, deps())).toEqual({
      ok: false,
      problem: { reason: 'not-found' },
    });
    expect(await handOver({ ...base, form: 'legacy' }, deps())).toEqual({
      ok: false,
      problem: { reason: 'certificate', problem: 'legacy-needs-rsa' },
    });
    expect((await store.get(item.id))?.handover?.wrongAttempts ?? 0).toBe(0);
  });

  it('reads the certificate whether PEM with its chain appended or a single DER', async () => {
    const { item, issue } = await application('RSA-2048', ca);
    await store.add(item);
    const certificateText = await issue();
    const bundled = await handOver(
      {
        id: item.id,
        passphrase: PASSPHRASE,
        certificateText: certificateText + pem(ca.certificate),
        chainText: null,
        form: 'legacy',
      },
      deps(),
    );
    expect(bundled.ok && bundled.value.chainPem).toBe(pem(ca.certificate));
    const parsed = parseCertificates(certificateText);
    expect(parsed.ok).toBe(true);
  });

  it('hands over a sealed application with only what the kiosk keeps of its request, then forgets the certificate', async () => {
    const { item, issue } = await application('ECDSA-P256', ca);
    const [archive, counter] = await Promise.all([generateSealKeyPair(), generateSealKeyPair()]);
    const recipients = [
      { kind: 'archive' as const, keyId: 'archive-1', publicKey: archive.publicKey },
      { kind: 'counter' as const, keyId: 'counter-1', publicKey: counter.publicKey },
    ];
    await store.add(await sealForOutbox(item, recipients, null));
    await store.markSynced([item.id], NOW.toISOString());
    const certificateText = await issue();
    const status = {
      id: item.id,
      state: 'issued' as const,
      changedAt: NOW.toISOString(),
      certificatePem: certificateText,
      reason: null,
    };
    // Kept sealed as it arrives (it names the applicant), opened by the officer's counter key.
    const kept = await sealIssuedCertificate(status, recipients);
    expect(await store.applyServerStatus(kept, NOW.toISOString())).toBe(true);
    const held = await store.get(item.id);
    if (!held || !isSealedItem<AnyStoredItem>(held)) throw new Error('not sealed');
    expect(held.serverStatus).toMatchObject({ certificatePem: null, certificateSealed: expect.any(String) });
    expect(await openIssuedCertificate(held.serverStatus, [{ keyId: 'counter-1', ...counter }])).toEqual({
      kind: 'text',
      pem: certificateText,
    });
    // Of the request only its key and salted digests: nothing that names the applicant.
    expect(JSON.stringify(held.keyMaterial)).not.toContain('CERTIFICATE REQUEST');
    const request = (await keyMaterialOf(held))?.request;
    if (!request) throw new Error('no request evidence');
    // The counter's check before the passphrase: the right certificate passes, another name does not.
    const precheck = (certificateText: string) =>
      precheckCertificate({
        certificateText,
        chainText: null,
        request,
        now: NOW.toISOString(),
      });
    expect((await precheck(certificateText)).ok).toBe(true);
    const otherName = await issue({ subject: [{ type: 'CN', value: 'SITI RAHAYU WULANDARI' }] });
    expect(await precheck(otherName)).toEqual({ ok: false, problem: 'other-subject' });

    const result = await handOverWithPassphrase(item.id, certificateText);
    expect(result.ok).toBe(true);
    // The applicant holds the certificate now; the kiosk keeps its serial and dates, not its text.
    const after = await store.get(item.id);
    expect(after?.serverStatus).toMatchObject({ state: 'issued', certificatePem: null });
    expect(after?.serverStatus).not.toHaveProperty('certificateSealed');
    expect(after?.handover?.serialNumberHex).toMatch(/^[0-9A-F]+$/);
  });

  it('gives the receipt the serial and validity of the certificate actually handed over, now and after a reload', async () => {
    const { item, issue } = await application('ECDSA-P256', ca);
    await store.add(item);
    // A validity of its own, so nothing the kiosk knows otherwise (its clock) could pass for it.
    const notBefore = new Date('2026-11-24T07:15:00Z');
    const notAfter = new Date('2028-11-23T07:15:00Z');
    const certificateText = await issue({ notBefore, notAfter });
    const result = await handOver(
      { id: item.id, passphrase: PASSPHRASE, certificateText, chainText: null, form: 'modern' },
      deps(),
    );
    if (!result.ok) throw new Error(`handover failed: ${result.problem.reason}`);
    const handed = parseCertificates(certificateText);
    if (!handed.ok || !handed.value[0]) throw new Error('certificate');
    const info = await describeCertificate(handed.value[0]);
    const expected = {
      applicationId: item.id,
      certificateType: 'individu',
      nama: DATA.nama,
      perangkatDaerah: DATA.perangkatDaerah,
      handedOverAt: NOW.toISOString(),
      serialNumberHex: info.serialNumberHex,
      notBefore: notBefore.toISOString(),
      notAfter: notAfter.toISOString(),
      officer: null,
    };
    expect(info.notBefore).toBe(notBefore.toISOString());
    expect(handoverFactsOf({ ...item, handover: result.value.handover }, null)).toEqual(expected);
    const stored = await store.get(item.id);
    if (!stored) throw new Error('lost');
    expect(handoverFactsOf(stored, null)).toEqual(expected);
  });
});
