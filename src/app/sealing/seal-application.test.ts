import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryKioskCounterKey, createMemoryKioskPolicy } from '../../adapters/db/memory-outbox';
import { openOutbox } from '../../adapters/db/outbox-db';
import { DexieOfficerKeyStore } from '../../adapters/officer/officer-key-store';
import { base64ToBytes } from '../../core/lib/pem';
import {
  decodeSealed,
  exportSealPublicKey,
  generateSealKeyPair,
  type SealOpeningKey,
} from '../../core/sealing/seal';
import { DEVICE_KEY_ALGORITHM } from '../../protocol/kiosk-auth';
import type { OfficerProfile } from '../officer/ports';
import type { OutboxItem } from '../ports';
import { framedRecord } from '../sync-outbox';
import {
  openSealedApplication,
  sealApplication,
  sealRecipients,
  withoutCounterRecipients,
} from './seal-application';

const PIN = '285713';
const NOW = new Date('2026-11-25T08:00:00.000Z');
const KIOSK_ID = '6f1d2c3b-4a59-4e68-9d7c-8b0a1f2e3d4c';
const ID = '00000000-0000-4000-8000-000000000001';
const NIK = '3577014501900003';
const PICTURE = Uint8Array.from({ length: 96 }, (_, i) => (i * 31 + 7) % 256);

const stores: DexieOfficerKeyStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function application(): Pick<OutboxItem, 'id' | 'record' | 'image' | 'attachments'> {
  return {
    id: ID,
    record: {
      id: ID,
      createdAt: NOW.toISOString(),
      certificateType: 'individu',
      applicant: {
        nama: 'SITI RAHAYU',
        nik: NIK,
        nip: null,
        email: 'siti.rahayu@madiunkota.go.id',
        perangkatDaerah: 'Dinas Komunikasi dan Informatika',
      },
      ocrText: `NIK : ${NIK}`,
      csrPem: '-----BEGIN CERTIFICATE REQUEST-----\nTUlJQ1Rlc3RDU1I=\n-----END CERTIFICATE REQUEST-----\n',
      encryptedPrivateKeyPem:
        '-----BEGIN ENCRYPTED PRIVATE KEY-----\nTUlJRVRlc3RLZXk=\n-----END ENCRYPTED PRIVATE KEY-----\n',
    },
    image: { mediaType: 'image/png', blob: new Blob([PICTURE], { type: 'image/png' }) },
    attachments: [],
  };
}

async function archiveKey() {
  const pair = await generateSealKeyPair();
  return {
    pair,
    key: {
      keyId: 'archive-1',
      publicKeySpki: await exportSealPublicKey(pair.publicKey),
      createdAt: NOW.toISOString(),
    },
  };
}

async function enrolledOfficer(): Promise<{ store: DexieOfficerKeyStore; profile: OfficerProfile }> {
  const store = new DexieOfficerKeyStore({
    databaseName: `officers-${crypto.randomUUID()}`,
    iterations: 1_000,
  });
  stores.push(store);
  const profile = await store.saveEnrollment(await store.prepareKey(PIN), {
    officer: { id: crypto.randomUUID(), username: 'siti', nama: 'SITI', nip: null, status: 'active' },
    keyId: crypto.randomUUID(),
    kioskId: KIOSK_ID,
    enrolledAt: NOW.toISOString(),
  });
  return { store, profile };
}

async function officerCounterKey(store: DexieOfficerKeyStore, profile: OfficerProfile) {
  const unlocked = await store.unlock(profile.officerId, PIN);
  if (!unlocked.ok || !unlocked.value.counterKey) throw new Error('the PIN did not open the counter key');
  return unlocked.value.counterKey;
}

/** The application sealed to the archive and one enrolled officer, with that officer. */
async function sealedForOneOfficer() {
  const { key } = await archiveKey();
  const officer = await enrolledOfficer();
  const recipients = await sealRecipients({
    policy: createMemoryKioskPolicy(null, key),
    officers: async () => [officer.profile],
    counterKey: createMemoryKioskCounterKey(),
  });
  if (!recipients.ok) throw new Error(recipients.problem);
  return { officer, sealed: await sealApplication(application(), recipients.value) };
}

describe('sealRecipients', () => {
  it('refuses without an archive key: nothing is sealed that the RA could not open', async () => {
    const result = await sealRecipients({
      policy: createMemoryKioskPolicy(),
      officers: async () => [],
      counterKey: createMemoryKioskCounterKey(),
    });
    expect(result).toEqual({ ok: false, problem: 'no-archive-key' });
  });

  it('seals to the archive and each officer who can still unlock; a locked officer is left out', async () => {
    const { key } = await archiveKey();
    const siti = await enrolledOfficer();
    const budi = await enrolledOfficer();
    const result = await sealRecipients({
      policy: createMemoryKioskPolicy(null, key),
      officers: async () => [siti.profile, { ...budi.profile, lockedAt: NOW.toISOString() }],
      counterKey: createMemoryKioskCounterKey(),
    });
    if (!result.ok) throw new Error(result.problem);
    expect(result.value.map((r) => [r.kind, r.keyId])).toEqual([
      ['archive', 'archive-1'],
      ['counter', siti.profile.counterKey?.keyId],
    ]);
  });

  it('seals to the kiosk’s fallback key when no officer is enrolled here', async () => {
    const { key } = await archiveKey();
    const counterKey = createMemoryKioskCounterKey();
    const result = await sealRecipients({
      policy: createMemoryKioskPolicy(null, key),
      officers: async () => [],
      counterKey,
    });
    if (!result.ok) throw new Error(result.problem);
    expect(result.value.map((r) => r.keyId)).toEqual([
      'archive-1',
      (await counterKey.kioskCounterKey()).keyId,
    ]);
  });
});

describe('a sealed application', () => {
  it('opens at the counter with the officer’s key into the framed record (no decision) and its files', async () => {
    const { officer, sealed } = await sealedForOneOfficer();
    // Nothing personal in the bytes kept.
    expect(new TextDecoder().decode(sealed)).not.toContain(NIK);

    const opened = await openSealedApplication(sealed, ID, [
      await officerCounterKey(officer.store, officer.profile),
    ]);
    if (!opened.ok) throw new Error(opened.problem);
    expect(opened.value.record).toEqual((await framedRecord(application())).record);
    expect([...opened.value.files]).toEqual([...PICTURE]);
  });

  it('detects any changed byte when the officer opens it, and opens for no other application', async () => {
    const { officer, sealed } = await sealedForOneOfficer();
    const opening = await officerCounterKey(officer.store, officer.profile);
    for (const at of [10, Math.floor(sealed.length / 2), sealed.length - 1]) {
      const changed = sealed.slice();
      changed[at] = (changed[at] ?? 0) ^ 0x01;
      const opened = await openSealedApplication(changed, ID, [opening]);
      expect(opened.ok).toBe(false);
    }
    const elsewhere = await openSealedApplication(sealed, '00000000-0000-4000-8000-000000000002', [opening]);
    expect(elsewhere).toEqual({ ok: false, problem: 'wrong-context' });
  });

  /**
   * Issue 8 acceptance, at the level of the keys: everything this kiosk holds (the device key, the
   * fallback counter key, each officer's counter key opened with the PIN as if the thief knew it)
   * opens the blob before the acknowledgement and none of it after the counter entries are dropped.
   */
  it('once its counter entries are dropped, no key on the kiosk opens it; the archive still does', async () => {
    const archive = await archiveKey();
    const officer = await enrolledOfficer();
    const kiosk = openOutbox(`sealing-${crypto.randomUUID()}`);
    const recipients = await sealRecipients({
      policy: createMemoryKioskPolicy(null, archive.key),
      officers: async () => [officer.profile],
      counterKey: kiosk,
    });
    if (!recipients.ok) throw new Error(recipients.problem);
    // Sealed to the officer and, to make sure it is tried too, the kiosk's fallback key.
    const fallback = await kiosk.kioskCounterKey();
    const sealed = await sealApplication(application(), [
      ...recipients.value,
      { kind: 'counter', keyId: fallback.keyId, publicKey: fallback.publicKey },
    ]);

    const device = await kiosk.deviceKey();
    const devicePublic = await crypto.subtle.importKey(
      'spki',
      base64ToBytes(device.publicKeySpki),
      DEVICE_KEY_ALGORITHM,
      true,
      ['verify'],
    );
    const officerKey = await officerCounterKey(officer.store, officer.profile);
    const held: { privateKey: CryptoKey; publicKey: CryptoKey }[] = [
      { privateKey: device.privateKey, publicKey: devicePublic },
      fallback,
      officerKey,
    ];
    const archiveOpening: SealOpeningKey = { keyId: 'archive-1', ...archive.pair };
    const originalIds = (() => {
      const decoded = decodeSealed(sealed);
      if (!decoded.ok) throw new Error('not sealed');
      return decoded.value.header.recipients.map((r) => r.keyId);
    })();
    // Every key the kiosk holds, under every key id the blob ever named.
    const attempts = held.flatMap((k) => originalIds.map((keyId): SealOpeningKey => ({ keyId, ...k })));

    expect((await openSealedApplication(sealed, ID, [officerKey])).ok).toBe(true);
    expect((await openSealedApplication(sealed, ID, [{ ...fallback }])).ok).toBe(true);

    const acknowledged = withoutCounterRecipients(sealed);
    if (!acknowledged) throw new Error('not sealed');
    for (const attempt of attempts) {
      const opened = await openSealedApplication(acknowledged, ID, [attempt]);
      expect(opened.ok, `key ${attempt.keyId} still opens`).toBe(false);
    }
    expect(await openSealedApplication(acknowledged, ID, [officerKey])).toEqual({
      ok: false,
      problem: 'not-a-recipient',
    });
    expect((await openSealedApplication(acknowledged, ID, [archiveOpening])).ok).toBe(true);
  });
});
