import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { clearItem } from '../../tests/support/clear-items';
import { fastProfiles } from '../../tests/support/kiosk-fixtures';
import {
  createMemoryKioskCounterKey,
  createMemoryKioskPolicy,
  createMemoryOutbox,
  type MemoryOutbox,
} from '../adapters/db/memory-outbox';
import type { ApplicationDraft } from '../core/application/application';
import type { CompletenessRules } from '../core/application/completeness';
import { verifyCsr } from '../core/certificate/csr';
import { decryptPrivateKey, describeEncryptedKey } from '../core/certificate/pkcs8';
import type { Result } from '../core/lib/brand';
import { fromPem } from '../core/lib/pem';
import { EKTP_FIELDS, type EktpField } from '../core/ocr/types';
import { exportSealPublicKey, generateSealKeyPair } from '../core/sealing/seal';
import { agreementAcceptanceSchema, applicantSchema, LIMITS } from '../protocol/sync';
import { inProcessKeyMaker, type KeyMaker } from './key-request';
import type { OutboxItem } from './ports';
import { openHeldApplication } from './sealing/seal-application';
import { type SubmitDeps, type SubmitInput, type SubmitStage, submitApplication } from './submit-application';

const NOW = new Date('2026-11-25T08:00:00.000Z');
const ID = '0b6e3c1a-5d2f-4e8a-9b7c-1f2e3d4c5b6a';
const PASSPHRASE = 'kuda-lumping-sepeda-hijau-42';
const SETTINGS: SubmitDeps['settings'] = {
  profiles: fastProfiles(),
  emailDomains: ['madiunkota.go.id'],
  passphrase: { minLength: 15, maxLength: 128, minScore: 3, blocklist: ['madiun', 'password'] },
  maxImageBytes: 1000,
};
const IMAGE_BYTES = Uint8Array.from({ length: 600 }, (_, i) => (i * 7) % 256);

function createDraft(overrides: Partial<ApplicationDraft> = {}): ApplicationDraft {
  return {
    certificateType: 'individu',
    nama: '  siti   rahayu ',
    nik: '3577014501900003',
    nip: '19900105 201502 2 001',
    email: ' Siti.Rahayu@MadiunKota.go.id ',
    perangkatDaerah: ' Dinas Komunikasi dan Informatika ',
    jabatan: '',
    host: '',
    ...overrides,
  };
}

function createInput(overrides: Partial<SubmitInput> = {}): SubmitInput {
  return {
    draft: createDraft(),
    image: new Blob([IMAGE_BYTES], { type: 'image/png' }),
    ocrText: 'NIK : 3577014501900003\nNama : SITI RAHAYU',
    passphrase: PASSPHRASE,
    passphraseConfirmation: PASSPHRASE,
    ...overrides,
  };
}

function createDeps(
  outbox: MemoryOutbox,
  stages: SubmitStage[] = [],
  overrides: Partial<SubmitDeps> = {},
): SubmitDeps {
  return {
    outbox,
    keyMaker: inProcessKeyMaker,
    now: () => NOW,
    newId: () => ID,
    settings: SETTINGS,
    onStage: (stage) => stages.push(stage),
    pbkdf2Iterations: 1000,
    ...overrides,
  };
}

function okValue<T, E>(result: Result<T, E>): T {
  if (!result.ok) throw new Error(`expected a valid value, got problem ${String(result.problem)}`);
  return result.value;
}

function onlyItem(outbox: MemoryOutbox): OutboxItem {
  const items = outbox.all();
  expect(items).toHaveLength(1);
  const [item] = items;
  if (!item) throw new Error('nothing was stored');
  return clearItem(item);
}

/** The private scalar d of a P-256 PKCS#8 key: the one secret, whatever structure carries it. */
async function secretScalar(pkcs8: ArrayBuffer): Promise<Buffer> {
  const key = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
  ]);
  const { d } = await crypto.subtle.exportKey('jwk', key);
  if (!d) throw new Error('no private scalar');
  return Buffer.from(d, 'base64url');
}

/**
 * Text that any hex or base64 encoding of bytes containing `secret` must contain: hex in either case,
 * and for each of the three alignments, the base64 (and base64url) of the whole 3-byte groups.
 */
function encodingsOf(secret: Buffer): string[] {
  const found = [secret.toString('hex'), secret.toString('hex').toUpperCase()];
  for (let skip = 0; skip < 3; skip++) {
    const groups = Math.floor((secret.length - skip) / 3) * 3;
    const core = secret.subarray(skip, skip + groups);
    found.push(core.toString('base64'), core.toString('base64url'));
  }
  return found;
}

async function submitValid(overrides: Partial<SubmitInput> = {}) {
  const outbox = createMemoryOutbox();
  const stages: SubmitStage[] = [];
  const result = await submitApplication(createInput(overrides), createDeps(outbox, stages));
  return { outbox, stages, result };
}

describe('submitApplication: a valid application', () => {
  it('stores exactly one held item under the new id', async () => {
    const { outbox, result } = await submitValid();
    expect(result).toEqual({ ok: true, id: ID });
    const item = onlyItem(outbox);
    expect(item).toMatchObject({
      id: ID,
      state: 'held',
      createdAt: NOW.toISOString(),
      attempts: 0,
      nextAttemptAt: null,
      lastError: null,
      syncedAt: null,
      rejection: null,
    });
    expect(item.record).toMatchObject({
      id: ID,
      createdAt: NOW.toISOString(),
      certificateType: 'individu',
      applicant: {
        nama: 'SITI RAHAYU',
        nik: '3577014501900003',
        nip: '199001052015022001',
        email: 'siti.rahayu@madiunkota.go.id',
        perangkatDaerah: 'Dinas Komunikasi dan Informatika',
      },
      ocrText: 'NIK : 3577014501900003\nNama : SITI RAHAYU',
    });
  });

  it('keeps the e-KTP image as the Blob it was given', async () => {
    const { outbox } = await submitValid();
    const item = onlyItem(outbox);
    expect(item.image.mediaType).toBe('image/png');
    expect(new Uint8Array(await item.image.blob.arrayBuffer())).toEqual(IMAGE_BYTES);
  });

  it('stores no NIP when none was typed', async () => {
    const { outbox } = await submitValid({ draft: createDraft({ nip: '' }) });
    expect(onlyItem(outbox).record.applicant.nip).toBeNull();
  });

  it('stores a CSR that verifies, with CN = the name in capitals and the e-mail in lower case', async () => {
    const { outbox } = await submitValid();
    const summary = okValue(await verifyCsr(onlyItem(outbox).record.csrPem));
    expect(summary).toEqual({
      subject: [
        { type: 'C', value: 'ID' },
        { type: 'O', value: 'Pemerintah Kota Madiun' },
        { type: 'OU', value: 'Dinas Komunikasi dan Informatika' },
        { type: 'CN', value: 'SITI RAHAYU' },
      ],
      emails: ['siti.rahayu@madiunkota.go.id'],
      dnsNames: [],
      keyUsage: ['digitalSignature', 'nonRepudiation'],
      extendedKeyUsage: ['emailProtection', 'documentSigning'],
      otherExtendedKeyUsage: [],
      keyAlgorithm: 'EC',
      keyBits: 256,
    });
  });

  it('makes a jabatan CSR with the position as title, and stores the position', async () => {
    const { outbox } = await submitValid({
      draft: createDraft({
        certificateType: 'jabatan',
        jabatan: ' Kepala  Bidang Persandian ',
        host: 'stale.go.id',
      }),
    });
    const item = onlyItem(outbox);
    expect(item.record.applicant).toMatchObject({ jabatan: 'Kepala Bidang Persandian', host: null });
    const summary = okValue(await verifyCsr(item.record.csrPem));
    expect(summary.subject).toContainEqual({ type: 'title', value: 'Kepala Bidang Persandian' });
    expect(summary.dnsNames).toEqual([]);
  });

  it('makes a sistem elektronik CSR for the host, named in the CN and the SAN', async () => {
    const { outbox } = await submitValid({
      draft: createDraft({ certificateType: 'sistem-elektronik', host: 'SIPD.madiunkota.go.id' }),
    });
    const item = onlyItem(outbox);
    expect(item.record.applicant).toMatchObject({ jabatan: null, host: 'sipd.madiunkota.go.id' });
    const summary = okValue(await verifyCsr(item.record.csrPem));
    expect(summary.subject.at(-1)).toEqual({ type: 'CN', value: 'sipd.madiunkota.go.id' });
    expect(summary.dnsNames).toEqual(['sipd.madiunkota.go.id']);
    expect(summary.extendedKeyUsage).toContain('clientAuth');
  });

  it('stores the private key encrypted under the passphrase, matching the CSR’s public key', async () => {
    const { outbox } = await submitValid();
    const item = onlyItem(outbox);
    const pkcs8 = okValue(await decryptPrivateKey(item.record.encryptedPrivateKeyPem, PASSPHRASE));
    const privateKey = await crypto.subtle.importKey(
      'pkcs8',
      pkcs8,
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['sign'],
    );
    const csrDer = fromPem('CERTIFICATE REQUEST', item.record.csrPem);
    if (!csrDer) throw new Error('the stored CSR is not PEM');
    const publicKey = await pkijs.CertificationRequest.fromBER(csrDer).getPublicKey();
    const message = new TextEncoder().encode('tanda terima');
    const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, message);
    expect(
      await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, publicKey, signature, message),
    ).toBe(true);
  });

  it('stores neither the passphrase nor the private key, in any encoding, outside the encrypted PEM', async () => {
    const { outbox } = await submitValid();
    const item = onlyItem(outbox);
    const { image: _blob, ...rest } = item;
    const json = JSON.stringify(rest);
    const secret = await secretScalar(
      okValue(await decryptPrivateKey(item.record.encryptedPrivateKeyPem, PASSPHRASE)),
    );
    expect(json).not.toContain(PASSPHRASE);
    expect(json).not.toContain('-----BEGIN PRIVATE KEY-----');
    for (const encoded of encodingsOf(secret)) expect(json).not.toContain(encoded);
    expect(Object.keys(item).sort()).toEqual([
      'attachments',
      'attempts',
      'createdAt',
      'history',
      'id',
      'image',
      'lastError',
      'nextAttemptAt',
      'record',
      'rejection',
      'state',
      'syncedAt',
    ]);
  });

  it('reports the stages in order: keypair, csr, verify, encrypt, save', async () => {
    const { stages } = await submitValid();
    expect(stages).toEqual(['keypair', 'csr', 'verify', 'encrypt', 'save']);
  });

  it('uses the full PBKDF2 work factor unless told otherwise', async () => {
    const lowered = await submitValid();
    expect(describeEncryptedKey(onlyItem(lowered.outbox).record.encryptedPrivateKeyPem)?.iterations).toBe(
      1000,
    );
    const outbox = createMemoryOutbox();
    const { pbkdf2Iterations: _omitted, ...deps } = createDeps(outbox);
    await submitApplication(createInput(), deps);
    expect(describeEncryptedKey(onlyItem(outbox).record.encryptedPrivateKeyPem)?.iterations).toBe(600_000);
  });

  it('holds the application for the officer: captured, not queued, never sent undecided', async () => {
    const outbox = createMemoryOutbox();
    const result = await submitApplication(createInput(), createDeps(outbox, []));
    expect(result).toEqual({ ok: true, id: ID });
    expect(onlyItem(outbox).attachments).toEqual([]);
    expect(onlyItem(outbox)).toMatchObject({
      state: 'held',
      history: [{ state: 'captured', at: NOW.toISOString() }],
    });
    expect(await outbox.queued()).toEqual([]);
    expect((await outbox.held()).map((i) => i.id)).toEqual([ID]);
  });

  it('keeps the papers as the Blobs it was given, with their media types', async () => {
    const pdf = new Blob([new Uint8Array([0x25, 0x50, 0x44, 0x46])], { type: 'application/pdf' });
    const specimen = new Blob([new Uint8Array([0x89, 0x50])], { type: 'image/png' });
    const { outbox, result } = await submitValid({
      attachments: [
        { kind: 'surat-pengantar', blob: pdf },
        { kind: 'signature-specimen', blob: specimen },
      ],
    });
    expect(result.ok).toBe(true);
    const { attachments } = onlyItem(outbox);
    expect(attachments).toEqual([
      { kind: 'surat-pengantar', mediaType: 'application/pdf', blob: expect.any(Blob) },
      { kind: 'signature-specimen', mediaType: 'image/png', blob: expect.any(Blob) },
    ]);
    expect(new Uint8Array(await (attachments[0]?.blob ?? new Blob()).arrayBuffer())).toEqual(
      new Uint8Array([0x25, 0x50, 0x44, 0x46]),
    );
  });

  it('accepts papers that reach exactly the limits, one by one and together', async () => {
    const full = (type: string) => new Blob([new Uint8Array(LIMITS.maxAttachmentBytes)], { type });
    // The picture (600 bytes) and three full papers, the last one short by the picture's size.
    const last = new Blob([new Uint8Array(LIMITS.maxRecordFileBytes - 3 * LIMITS.maxAttachmentBytes - 600)], {
      type: 'image/jpeg',
    });
    const { result } = await submitValid({
      attachments: [
        { kind: 'surat-pengantar', blob: full('application/pdf') },
        { kind: 'surat-rekomendasi', blob: full('application/pdf') },
        { kind: 'sk-pengangkatan', blob: full('image/png') },
        { kind: 'signature-specimen', blob: last },
      ],
    });
    expect(result.ok).toBe(true);
  });

  it.each(['image/jpeg', 'image/webp'])('accepts a %s image', async (type) => {
    const { result } = await submitValid({ image: new Blob([IMAGE_BYTES], { type }) });
    expect(result.ok).toBe(true);
  });

  it('accepts an image of exactly the maximum size', async () => {
    const { result } = await submitValid({ image: new Blob([new Uint8Array(1000)], { type: 'image/png' }) });
    expect(result.ok).toBe(true);
  });
});

describe('submitApplication: refusals store nothing and make no key', () => {
  async function refused(input: SubmitInput) {
    const outbox = createMemoryOutbox();
    const stages: SubmitStage[] = [];
    const result = await submitApplication(input, createDeps(outbox, stages));
    expect(outbox.all()).toEqual([]);
    expect(stages).toEqual([]);
    if (result.ok) throw new Error('expected a refusal');
    return result.problem;
  }

  it('returns the draft problems', async () => {
    const problem = await refused(createInput({ draft: createDraft({ nik: '', email: 'a@gmail.com' }) }));
    expect(problem).toEqual({
      kind: 'draft',
      problems: expect.arrayContaining([
        { field: 'nik', reason: 'required' },
        { field: 'email', reason: 'wrong-domain' },
      ]),
    });
    if (problem.kind !== 'draft') throw new Error(`expected draft problems, got ${problem.kind}`);
    expect(problem.problems).toHaveLength(2);
  });

  it.each([
    ['no image', null, 'required'],
    ['a PDF', new Blob([IMAGE_BYTES], { type: 'application/pdf' }), 'unsupported-type'],
    ['an image without a type', new Blob([IMAGE_BYTES]), 'unsupported-type'],
    ['an image one byte too large', new Blob([new Uint8Array(1001)], { type: 'image/png' }), 'too-large'],
  ])('%s → image problem %s', async (_what, image, imageProblem) => {
    expect(await refused(createInput({ image }))).toEqual({ kind: 'image', problem: imageProblem });
  });

  const pdf = (bytes: number) => new Blob([new Uint8Array(bytes)], { type: 'application/pdf' });

  it.each([
    ['a kind not in the protocol', [{ kind: 'ijazah', blob: pdf(10) }], 'ijazah', 'unknown-kind'],
    [
      'two papers of one kind',
      [
        { kind: 'surat-pengantar', blob: pdf(10) },
        { kind: 'surat-pengantar', blob: pdf(20) },
      ],
      'surat-pengantar',
      'duplicate-kind',
    ],
    [
      'a Word document',
      [{ kind: 'surat-pengantar', blob: new Blob([new Uint8Array(10)], { type: 'application/msword' }) }],
      'surat-pengantar',
      'unsupported-type',
    ],
    [
      'a file without a type',
      [{ kind: 'surat-pengantar', blob: new Blob([new Uint8Array(10)]) }],
      'surat-pengantar',
      'unsupported-type',
    ],
    ['an empty file', [{ kind: 'surat-rekomendasi', blob: pdf(0) }], 'surat-rekomendasi', 'empty'],
    [
      'a paper one byte too large',
      [{ kind: 'sk-pengangkatan', blob: pdf(LIMITS.maxAttachmentBytes + 1) }],
      'sk-pengangkatan',
      'too-large',
    ],
    [
      'papers one byte too large together with the picture',
      [
        { kind: 'surat-pengantar', blob: pdf(LIMITS.maxAttachmentBytes) },
        { kind: 'surat-rekomendasi', blob: pdf(LIMITS.maxAttachmentBytes) },
        { kind: 'sk-pengangkatan', blob: pdf(LIMITS.maxAttachmentBytes) },
        {
          kind: 'signature-specimen',
          blob: pdf(LIMITS.maxRecordFileBytes - 3 * LIMITS.maxAttachmentBytes - IMAGE_BYTES.length + 1),
        },
      ],
      'signature-specimen',
      'too-large-together',
    ],
  ])('%s → attachment problem for %s: %s', async (_what, attachments, attachment, problem) => {
    const input = createInput({ attachments: attachments as SubmitInput['attachments'] });
    expect(await refused(input)).toEqual({ kind: 'attachment', attachment, problem });
  });

  it.each([
    ['containing the NIK', `rumah-3577014501900003-ku`, { reason: 'personal' }],
    ['containing the NIP', `rumah-199001052015022001-ku`, { reason: 'personal' }],
    ['containing a part of the name', 'kuda-lumping-rahayu-hijau', { reason: 'personal' }],
    ['too short', 'kuda-lumping', { reason: 'too-short', minLength: 15 }],
  ])('a passphrase %s → %j', async (_what, passphrase, problem) => {
    const input = createInput({ passphrase, passphraseConfirmation: passphrase });
    expect(await refused(input)).toEqual({ kind: 'passphrase', problem });
  });

  it('a passphrase with the birth date from the e-KTP → personal', async () => {
    const fields = Object.fromEntries(EKTP_FIELDS.map((f) => [f, ''])) as Record<EktpField, string>;
    const ektp = {
      fields: { ...fields, tanggalLahir: '05-01-1990' },
      confidence: Object.fromEntries(EKTP_FIELDS.map((f) => [f, 1])) as Record<EktpField, number>,
      confirmed: [],
      warnings: [],
    };
    const passphrase = 'kuda lumping 05011990 hijau';
    expect(await refused(createInput({ ektp, passphrase, passphraseConfirmation: passphrase }))).toEqual({
      kind: 'passphrase',
      problem: { reason: 'personal' },
    });
  });

  it('asks the strength estimator itself and refuses a weak passphrase', async () => {
    const outbox = createMemoryOutbox();
    const seen: string[][] = [];
    const result = await submitApplication(
      createInput(),
      createDeps(outbox, [], {
        estimateStrength: async (_passphrase, personal) => {
          seen.push(personal);
          return { score: 2 };
        },
      }),
    );
    expect(result).toEqual({
      ok: false,
      problem: { kind: 'passphrase', problem: { reason: 'too-weak', score: 2, minScore: 3 } },
    });
    expect(outbox.all()).toEqual([]);
    // zxcvbn is told the applicant's own values, so it scores them as guessable.
    expect(seen[0]).toEqual(expect.arrayContaining(['3577014501900003', '199001052015022001']));
  });

  it('a passphrase made of blocklist words → blocklisted', async () => {
    const passphrase = 'madiun password madiun';
    expect(await refused(createInput({ passphrase, passphraseConfirmation: passphrase }))).toEqual({
      kind: 'passphrase',
      problem: { reason: 'blocklisted' },
    });
  });

  it('a profile value the application lacks → profile problem, before any key is made', async () => {
    const profiles = fastProfiles();
    profiles.profiles.individu.subject = [{ type: 'CN', value: '{nama} {nip}' }];
    const outbox = createMemoryOutbox();
    const stages: SubmitStage[] = [];
    const result = await submitApplication(
      createInput({ draft: createDraft({ nip: '' }) }),
      createDeps(outbox, stages, { settings: { ...SETTINGS, profiles } }),
    );
    expect(result).toEqual({
      ok: false,
      problem: { kind: 'profile', problem: { reason: 'missing-value', field: 'nip' } },
    });
    expect(stages).toEqual([]);
    expect(outbox.all()).toEqual([]);
  });

  it('a CSR that fails its own check → csr-check-failed, and nothing is stored', async () => {
    const failing: KeyMaker = {
      make: async () => ({ ok: false, problem: { reason: 'csr-mismatch', mismatches: ['subject'] } }),
    };
    const outbox = createMemoryOutbox();
    const result = await submitApplication(createInput(), createDeps(outbox, [], { keyMaker: failing }));
    expect(result).toEqual({
      ok: false,
      problem: { kind: 'csr-check-failed', problem: { reason: 'csr-mismatch', mismatches: ['subject'] } },
    });
    expect(outbox.all()).toEqual([]);
  });

  it('a confirmation that differs → mismatch', async () => {
    const input = createInput({ passphraseConfirmation: `${PASSPHRASE}!` });
    expect(await refused(input)).toEqual({ kind: 'passphrase', problem: { reason: 'mismatch' } });
  });
});

const RULES: CompletenessRules = {
  emailDomains: ['madiunkota.go.id'],
  perangkatDaerah: ['Dinas Komunikasi dan Informatika', 'Dinas Pendidikan'],
  attachments: { maxBytes: 5_000_000, mediaTypes: ['image/jpeg', 'image/png', 'application/pdf'] },
  ektpScan: { maxBytes: 1000, mediaTypes: ['image/png', 'image/jpeg', 'image/webp'] },
  agreementVersion: '2026-01',
};
const AGREEMENT = {
  version: '2026-01',
  acceptedAt: '2026-11-25T07:58:10.000Z',
  obligationsAcceptedAt: '2026-11-25T07:57:40.000Z',
};
const paper = (bytes = 64, type = 'application/pdf') => new Blob([new Uint8Array(bytes)], { type });

/** Everything the applicant gives at the counter (Pasal 10, 13 ayat 5, 16-17) for an individu PNS. */
function completeInput(overrides: Partial<SubmitInput> = {}): SubmitInput {
  return createInput({
    category: 'pns',
    mobile: '0812-3456-7890',
    attachments: [
      { kind: 'surat-pengantar', blob: paper() },
      { kind: 'surat-rekomendasi', blob: paper(80, 'image/jpeg') },
      { kind: 'signature-specimen', blob: paper(40, 'image/png') },
    ],
    agreement: AGREEMENT,
    ...overrides,
  });
}

describe('submitApplication: the applicant steps', () => {
  it('records the category, the mobile number in E.164 and the accepted agreement', async () => {
    const { outbox, result } = await submitValid(completeInput());
    expect(result.ok).toBe(true);
    const { record, attachments } = onlyItem(outbox);
    expect(record.applicant).toMatchObject({ category: 'pns', mobile: '+6281234567890' });
    expect(record.agreement).toEqual(AGREEMENT);
    expect(attachments.map((a) => a.kind)).toEqual([
      'surat-pengantar',
      'surat-rekomendasi',
      'signature-specimen',
    ]);
    // What is stored is what the wire format takes.
    expect(applicantSchema.parse(record.applicant)).toEqual(record.applicant);
    expect(agreementAcceptanceSchema.parse(record.agreement)).toEqual(AGREEMENT);
  });

  it('adds nothing to the record when the caller gives no applicant steps', async () => {
    const { outbox } = await submitValid({ mobile: '  ', category: '' });
    const { record } = onlyItem(outbox);
    expect(record.applicant).not.toHaveProperty('category');
    expect(record.applicant).not.toHaveProperty('mobile');
    expect(record).not.toHaveProperty('agreement');
  });

  it.each([
    ['08123', 'wrong-length'],
    ['0212345678', 'not-mobile'],
    ['0812-ABC-7890', 'not-digits'],
  ])('a typed mobile number %s → incomplete: %s, before any key is made', async (mobile, reason) => {
    const outbox = createMemoryOutbox();
    const stages: SubmitStage[] = [];
    const result = await submitApplication(completeInput({ mobile }), createDeps(outbox, stages));
    expect(result).toEqual({
      ok: false,
      problem: { kind: 'incomplete', missing: [{ field: 'mobile', reason }] },
    });
    expect(stages).toEqual([]);
    expect(outbox.all()).toEqual([]);
  });

  it('with the completeness rules, accepts a complete application', async () => {
    const outbox = createMemoryOutbox();
    const result = await submitApplication(completeInput(), createDeps(outbox, [], { completeness: RULES }));
    expect(result).toEqual({ ok: true, id: ID });
  });

  it.each<[string, Partial<SubmitInput>, unknown[]]>([
    [
      'nothing of the applicant steps',
      { category: '', mobile: '', attachments: [], agreement: undefined },
      [
        { field: 'category', reason: 'required' },
        { field: 'mobile', reason: 'required' },
        { field: 'attachment', kind: 'surat-pengantar', reason: 'missing' },
        { field: 'attachment', kind: 'surat-rekomendasi', reason: 'missing' },
        { field: 'signatureSpecimen', reason: 'missing' },
        { field: 'obligations', reason: 'not-accepted' },
        { field: 'agreement', reason: 'not-accepted' },
      ],
    ],
    [
      'a jabatan application without its SK and letter of authority',
      { draft: createDraft({ certificateType: 'jabatan', jabatan: 'Kepala Bidang Persandian' }) },
      [
        { field: 'attachment', kind: 'sk-pengangkatan', reason: 'missing' },
        { field: 'attachment', kind: 'surat-penunjukan-wewenang', reason: 'missing' },
      ],
    ],
    [
      'an agreement of another version',
      { agreement: { ...AGREEMENT, version: '2025-02' } },
      [{ field: 'agreement', reason: 'outdated' }],
    ],
    ['a PPPK with a PNS number', { category: 'pppk' }, [{ field: 'nip', reason: 'wrong-kind' }]],
  ])('with the completeness rules, %s → exactly what is missing', async (_what, overrides, missing) => {
    const outbox = createMemoryOutbox();
    const stages: SubmitStage[] = [];
    const result = await submitApplication(
      completeInput(overrides),
      createDeps(outbox, stages, { completeness: RULES }),
    );
    expect(result).toEqual({ ok: false, problem: { kind: 'incomplete', missing } });
    expect(stages).toEqual([]);
    expect(outbox.all()).toEqual([]);
  });
});

describe('submitApplication and the e-mail proven at the counter (Pasal 10)', () => {
  const FORM_ID = '7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
  const CONFIRMED_AT = '2026-11-25T07:55:00.000Z';

  it('keeps the id the form gave the application and the confirmation of its address, in any case', async () => {
    const { outbox, result } = await submitValid({
      id: FORM_ID,
      emailConfirmation: { email: 'siti.rahayu@madiunkota.go.id', confirmedAt: CONFIRMED_AT },
    });
    expect(result).toEqual({ ok: true, id: FORM_ID });
    const item = onlyItem(outbox);
    expect(item.id).toBe(FORM_ID);
    expect(item.record.id).toBe(FORM_ID);
    expect(item.emailConfirmation).toEqual({
      email: 'siti.rahayu@madiunkota.go.id',
      confirmedAt: CONFIRMED_AT,
    });
  });

  it('drops a confirmation of another address (the applicant corrected it after the code)', async () => {
    const { outbox, result } = await submitValid({
      id: FORM_ID,
      emailConfirmation: { email: 'siti.r@madiunkota.go.id', confirmedAt: CONFIRMED_AT },
    });
    expect(result.ok).toBe(true);
    expect(onlyItem(outbox).emailConfirmation).toBeUndefined();
  });

  it('without a form id, a new one; without a confirmation, none', async () => {
    const { outbox, result } = await submitValid();
    expect(result).toEqual({ ok: true, id: ID });
    expect(onlyItem(outbox).emailConfirmation).toBeUndefined();
  });
});

describe('submitApplication: sealed at capture (issue 8)', () => {
  async function sealingDeps(withArchive: boolean) {
    const archive = await generateSealKeyPair();
    const counterKey = createMemoryKioskCounterKey();
    const policy = createMemoryKioskPolicy(
      null,
      withArchive
        ? {
            keyId: 'archive-1',
            publicKeySpki: await exportSealPublicKey(archive.publicKey),
            createdAt: NOW.toISOString(),
          }
        : null,
    );
    return {
      archive,
      counterKey,
      sealing: { recipients: { policy, officers: async () => [], counterKey }, nikHashKey: async () => null },
    };
  }

  it('keeps only the sealed blob, the clear fields and the key material; the counter opens it as captured', async () => {
    const outbox = createMemoryOutbox();
    const { counterKey, archive, sealing } = await sealingDeps(true);
    const result = await submitApplication(createInput(), createDeps(outbox, [], { sealing }));
    expect(result).toEqual({ ok: true, id: ID });
    const [item] = outbox.all();
    if (!item || !('sealed' in item)) throw new Error('not sealed');
    expect(item.state).toBe('held');
    expect(item.record).toEqual({
      id: ID,
      createdAt: NOW.toISOString(),
      certificateType: 'individu',
      applicant: { perangkatDaerah: 'Dinas Komunikasi dan Informatika' },
    });
    expect(item).not.toHaveProperty('image');
    expect(item.keyMaterial?.encryptedPrivateKeyPem).toContain('ENCRYPTED PRIVATE KEY');
    const stored = JSON.stringify({ ...item, sealed: [...item.sealed] });
    for (const personal of ['3577014501900003', 'SITI RAHAYU', 'siti.rahayu@madiunkota.go.id'])
      expect(stored).not.toContain(personal);
    // The fallback key at the counter and the archive both open it, to the data as typed.
    for (const key of [await counterKey.kioskCounterKey(), { keyId: 'archive-1', ...archive }]) {
      const opened = await openHeldApplication(item.sealed, ID, [key]);
      if (!opened.ok) throw new Error(opened.problem);
      expect(opened.value.record.applicant).toMatchObject({ nama: 'SITI RAHAYU', nik: '3577014501900003' });
      expect(new Uint8Array(await opened.value.image.blob.arrayBuffer())).toEqual(IMAGE_BYTES);
    }
  });

  it('stores nothing without an archive key to seal to (`no-archive-key`)', async () => {
    const outbox = createMemoryOutbox();
    const { sealing } = await sealingDeps(false);
    const result = await submitApplication(createInput(), createDeps(outbox, [], { sealing }));
    expect(result).toEqual({ ok: false, problem: { kind: 'no-archive-key' } });
    expect(outbox.all()).toEqual([]);
  });
});
