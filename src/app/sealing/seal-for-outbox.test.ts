import { beforeAll, describe, expect, it } from 'vitest';
import { heldApplication } from '../../../tests/support/held-applications';
import { createMemoryKioskCounterKey, createMemoryKioskPolicy } from '../../adapters/db/memory-outbox';
import { createCsr } from '../../core/certificate/csr';
import { subjectDigest } from '../../core/certificate/subject-digest';
import { bytesToHex } from '../../core/lib/pem';
import { exportSealPublicKey, generateSealKeyPair, type SealOpeningKey } from '../../core/sealing/seal';
import { nikHash } from '../../protocol/officer';
import { sealedRecordRefSchema } from '../../protocol/sealed-record';
import { recordFileLengths } from '../../protocol/sync';
import type { OutboxItem } from '../ports';
import { framedRecord, sealedRecordRef } from '../sync-outbox';
import {
  openHeldApplication,
  sealForOutbox,
  sealRecipients,
  withoutCounterRecipients,
} from './seal-application';

const NOW = '2026-11-25T08:00:00.000Z';
const ID = '00000000-0000-4000-8000-000000000001';
const NIK = '3577014501900003';
const NAMA = 'SITI RAHAYU';
const EMAIL = 'siti.rahayu@madiunkota.go.id';
const PICTURE = Uint8Array.from({ length: 96 }, (_, i) => (i * 31 + 7) % 256);
const LETTER = Uint8Array.from({ length: 64 }, (_, i) => (i * 17 + 3) % 256);
const DECISION = { payload: '{"kind":"decision"}', signature: 'A'.repeat(86) };

/** A real request for NAMA and EMAIL: what the kiosk would keep of it is under test. */
let CSR = '';
beforeAll(async () => {
  const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ]);
  CSR = await createCsr({
    subject: [
      { type: 'C', value: 'ID' },
      { type: 'CN', value: NAMA },
    ],
    emails: [EMAIL],
    keys,
  });
});

function application(): OutboxItem {
  return heldApplication(
    { id: ID, createdAt: NOW },
    {
      applicant: { nama: NAMA, nik: NIK, nip: null, email: EMAIL, perangkatDaerah: 'Dinas Kominfo' },
      ocrText: `NIK : ${NIK}\nNama : ${NAMA}`,
      agreement: { version: '2026-01', acceptedAt: NOW, obligationsAcceptedAt: NOW },
      csrPem: CSR,
      encryptedPrivateKeyPem:
        '-----BEGIN ENCRYPTED PRIVATE KEY-----\nTUlJRVRlc3RLZXk=\n-----END ENCRYPTED PRIVATE KEY-----\n',
    },
    {
      image: { mediaType: 'image/png', blob: new Blob([PICTURE], { type: 'image/png' }) },
      attachments: [
        {
          kind: 'surat-pengantar',
          mediaType: 'application/pdf',
          blob: new Blob([LETTER], { type: 'application/pdf' }),
        },
      ],
    },
  );
}

/** The recipients of a kiosk with no officer enrolled (archive + fallback key) and the fallback key. */
async function sealing() {
  const archive = await generateSealKeyPair();
  const counterKey = createMemoryKioskCounterKey();
  const recipients = await sealRecipients({
    policy: createMemoryKioskPolicy(null, {
      keyId: 'archive-1',
      publicKeySpki: await exportSealPublicKey(archive.publicKey),
      createdAt: NOW,
    }),
    officers: async () => [],
    counterKey,
  });
  if (!recipients.ok) throw new Error(recipients.problem);
  const opening: SealOpeningKey = await counterKey.kioskCounterKey();
  return { recipients: recipients.value, opening };
}

async function nikHashKey(): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    'raw',
    new Uint8Array(32).fill(7),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
}

/** True when `needle` occurs in `haystack` byte for byte. */
function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

describe('sealForOutbox', () => {
  it('keeps in clear only what names no one, the NIK as its keyed hash, and the key material', async () => {
    const { recipients } = await sealing();
    const key = await nikHashKey();
    const sealed = await sealForOutbox(application(), recipients, key);

    const { sealed: bytes, keyMaterial, ...clear } = sealed;
    const text = JSON.stringify(clear);
    for (const personal of [NIK, NAMA, EMAIL]) expect(text).not.toContain(personal);
    expect(clear.record).toEqual({
      id: ID,
      createdAt: NOW,
      certificateType: 'individu',
      applicant: { perangkatDaerah: 'Dinas Kominfo' },
      nikHash: await nikHash(key, NIK),
      agreement: { version: '2026-01', acceptedAt: NOW, obligationsAcceptedAt: NOW },
    });
    // Of the request, its key and salted digests: the CSR itself names the applicant (CN, SAN).
    expect(keyMaterial).toEqual({
      encryptedPrivateKeyPem: application().record.encryptedPrivateKeyPem,
      request: {
        spki: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/),
        salt: ID,
        subject: [
          { type: 'C', sha256: await subjectDigest(ID, 'C', 'ID') },
          { type: 'CN', sha256: await subjectDigest(ID, 'CN', NAMA) },
        ],
      },
    });
    expect(JSON.stringify(keyMaterial)).not.toContain('CERTIFICATE REQUEST');
    // The blob itself: no NIK, no name, not the picture's or the paper's bytes.
    const blobText = new TextDecoder().decode(bytes);
    for (const personal of [NIK, NAMA, EMAIL]) expect(blobText).not.toContain(personal);
    expect(containsBytes(bytes, PICTURE.subarray(0, 32))).toBe(false);
    expect(containsBytes(bytes, LETTER.subarray(0, 32))).toBe(false);
  });

  it('keeps of an e-mail proven at the counter only when, the address in the blob', async () => {
    const { recipients, opening } = await sealing();
    const item = { ...application(), emailConfirmation: { email: EMAIL, confirmedAt: NOW } };
    const sealed = await sealForOutbox(item, recipients, null);
    expect(sealed.emailConfirmation).toEqual({ confirmedAt: NOW });
    const opened = await openHeldApplication(sealed.sealed, ID, [opening]);
    expect(opened.ok && opened.value.record.applicant.email).toBe(EMAIL);
  });

  it('keeps no NIK hash while no officer’s enrollment brought the key', async () => {
    const { recipients } = await sealing();
    const sealed = await sealForOutbox(application(), recipients, null);
    expect(sealed.record).not.toHaveProperty('nikHash');
  });
});

describe('openHeldApplication', () => {
  it('gives back the application as captured: the framed record the officer signs is unchanged', async () => {
    const { recipients, opening } = await sealing();
    const sealed = await sealForOutbox(application(), recipients, null);
    const opened = await openHeldApplication(sealed.sealed, ID, [opening]);
    if (!opened.ok) throw new Error(opened.problem);
    expect(opened.value.record.applicant.nik).toBe(NIK);
    expect(new Uint8Array(await opened.value.image.blob.arrayBuffer())).toEqual(PICTURE);
    expect(opened.value.attachments.map((a) => a.kind)).toEqual(['surat-pengantar']);
    // Same bytes, same hashes: the decision signed at the counter covers what the server opens.
    expect(await framedRecord(opened.value)).toEqual(await framedRecord(application()));
  });

  it('reports a changed byte as damaged, anywhere in the blob, and never throws', async () => {
    const { recipients, opening } = await sealing();
    const { sealed } = await sealForOutbox(application(), recipients, null);
    for (const at of [0, 9, Math.floor(sealed.length / 2), sealed.length - 1]) {
      const changed = sealed.slice();
      changed[at] = (changed[at] ?? 0) ^ 0x01;
      const opened = await openHeldApplication(changed, ID, [opening]);
      expect(opened.ok ? 'opened' : opened.problem, `byte ${at}`).not.toBe('opened');
    }
    const middle = sealed.slice();
    const half = Math.floor(middle.length / 2);
    middle[half] = (middle[half] ?? 0) ^ 0x01;
    expect(await openHeldApplication(middle, ID, [opening])).toEqual({ ok: false, problem: 'damaged' });
    // Under another application's id it is damaged too: a blob cannot be passed off as another's.
    expect(await openHeldApplication(sealed, '00000000-0000-4000-8000-000000000002', [opening])).toEqual({
      ok: false,
      problem: 'damaged',
    });
  });

  it('has no key for it once the counter entries are dropped (after the acknowledgement)', async () => {
    const { recipients, opening } = await sealing();
    const { sealed } = await sealForOutbox(application(), recipients, null);
    const dropped = withoutCounterRecipients(sealed);
    if (dropped === null) throw new Error('not a sealed blob');
    expect(await openHeldApplication(dropped, ID, [opening])).toEqual({ ok: false, problem: 'no-key' });
  });
});

describe('sealedRecordRef', () => {
  it('names the blob by length and SHA-256 with the decision beside it, the blob as its one file', async () => {
    const { recipients } = await sealing();
    const sealed = await sealForOutbox(application(), recipients, null);
    const decided = { ...sealed, record: { ...sealed.record, decision: DECISION } };
    const { record, files } = await sealedRecordRef(decided);

    expect(sealedRecordRefSchema.parse(record)).toEqual(record);
    expect(record).toEqual({
      id: ID,
      sealed: {
        byteLength: sealed.sealed.byteLength,
        sha256: bytesToHex(new Uint8Array(await crypto.subtle.digest('SHA-256', sealed.sealed))),
      },
      decision: DECISION,
    });
    expect(recordFileLengths(record)).toEqual([sealed.sealed.byteLength]);
    expect(files).toEqual([sealed.sealed]);
    // Nothing personal travels beside the blob.
    expect(JSON.stringify(record)).not.toContain(NIK);
  });
});
