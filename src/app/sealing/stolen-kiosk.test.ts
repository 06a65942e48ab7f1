/**
 * Issue 8 acceptance: a stolen kiosk. An application is captured through the real use case into the
 * kiosk's Dexie outbox, decided in an officer session and synced to a server that acknowledges it.
 * Then everything the kiosk holds is collected, as a thief with a copy of the browser profile would:
 * every row of every IndexedDB database (`indexedDB.databases()`), every CryptoKey in them (the
 * device key, the kiosk's fallback counter key) and each officer's counter key unlocked with the PIN
 * as if the thief knew it. None of it opens the stored blob, under any key id the blob ever named;
 * before the acknowledgement the officer's key did. And no row holds the NIK, the name or the
 * picture's bytes after capture.
 */
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { APPROVING_RULES, fastProfiles, INDIVIDU_CHECKLIST } from '../../../tests/support/kiosk-fixtures';
import { openOutbox } from '../../adapters/db/outbox-db';
import { DexieOfficerKeyStore } from '../../adapters/officer/officer-key-store';
import type { ApplicationDraft } from '../../core/application/application';
import {
  decodeSealed,
  exportSealPublicKey,
  generateSealKeyPair,
  type SealOpeningKey,
} from '../../core/sealing/seal';
import type { SyncBatch } from '../../protocol/sync';
import { inProcessKeyMaker } from '../key-request';
import { decideApplication } from '../officer/decide-application';
import { createOfficerSessions } from '../officer/officer-session';
import type { SyncTransport } from '../ports';
import { type SubmitInput, submitApplication } from '../submit-application';
import { syncOutbox } from '../sync-outbox';
import { openSealedApplication } from './seal-application';

const PIN = '285713';
const NOW = new Date('2026-11-25T08:00:00.000Z');
const KIOSK_ID = '6f1d2c3b-4a59-4e68-9d7c-8b0a1f2e3d4c';
const ID = '0b6e3c1a-5d2f-4e8a-9b7c-1f2e3d4c5b6a';
const NIK = '3577014501900003';
const NAMA = 'SITI RAHAYU';
const PASSPHRASE = 'kuda-lumping-sepeda-hijau-42';
const PICTURE = Uint8Array.from({ length: 600 }, (_, i) => (i * 7 + 13) % 251);

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

const draft: ApplicationDraft = {
  certificateType: 'individu',
  nama: 'siti rahayu',
  nik: NIK,
  nip: '',
  email: 'siti.rahayu@madiunkota.go.id',
  perangkatDaerah: 'Dinas Komunikasi dan Informatika',
  jabatan: '',
  host: '',
};

const input: SubmitInput = {
  draft,
  image: new Blob([PICTURE], { type: 'image/png' }),
  ocrText: `NIK : ${NIK}\nNama : ${NAMA}`,
  passphrase: PASSPHRASE,
  passphraseConfirmation: PASSPHRASE,
};

/** Everything in a value read off IndexedDB: its strings, byte strings and CryptoKeys. */
async function collect(value: unknown, into: { text: string[]; bytes: Uint8Array[]; keys: CryptoKey[] }) {
  if (typeof value === 'string') into.text.push(value);
  else if (value instanceof CryptoKey) into.keys.push(value);
  else if (value instanceof Uint8Array) into.bytes.push(value);
  else if (value instanceof ArrayBuffer) into.bytes.push(new Uint8Array(value));
  else if (value instanceof Blob) into.bytes.push(new Uint8Array(await value.arrayBuffer()));
  else if (Array.isArray(value)) for (const v of value) await collect(v, into);
  else if (typeof value === 'object' && value !== null)
    for (const [k, v] of Object.entries(value)) {
      into.text.push(k);
      await collect(v, into);
    }
}

/** Every row of every IndexedDB database of this origin, as a thief with the profile reads them. */
async function everythingStored() {
  const found = { text: [] as string[], bytes: [] as Uint8Array[], keys: [] as CryptoKey[] };
  const databases = await indexedDB.databases();
  expect(databases.length).toBeGreaterThanOrEqual(2);
  for (const { name } of databases) {
    if (!name) continue;
    const raw = new Dexie(name);
    await raw.open();
    for (const table of raw.tables) await collect(await table.toArray(), found);
    raw.close();
  }
  return found;
}

const contains = (haystack: Uint8Array, needle: Uint8Array) => {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
};

async function opens(bytes: Uint8Array, key: SealOpeningKey): Promise<boolean> {
  try {
    return (await openSealedApplication(bytes, ID, [key])).ok;
  } catch {
    // A key of another kind (the device's ECDSA key) throws inside HPKE: it does not open either.
    return false;
  }
}

describe('a stolen kiosk (issue 8 acceptance)', () => {
  it('holds nothing that opens an acknowledged application, and no personal data in any row', async () => {
    // The kiosk: its outbox, an enrollment, the archive key heard from the server, one officer.
    const kiosk = openOutbox(`kiosk-${crypto.randomUUID()}`);
    const officers = new DexieOfficerKeyStore({
      databaseName: `officers-${crypto.randomUUID()}`,
      iterations: 1_000,
    });
    closers.push(() => officers.close());
    // Enrollment made the device key (the real transport signs with it).
    await kiosk.deviceKey();
    await kiosk.saveEnrollment({ kioskId: KIOSK_ID, name: 'Loket 1', enrolledAt: NOW.toISOString() });
    const archive = await generateSealKeyPair();
    await kiosk.saveArchiveKey({
      keyId: 'archive-1',
      publicKeySpki: await exportSealPublicKey(archive.publicKey),
      createdAt: NOW.toISOString(),
    });
    const profile = await officers.saveEnrollment(await officers.prepareKey(PIN), {
      officer: {
        id: crypto.randomUUID(),
        username: 'budi',
        nama: 'BUDI SANTOSO',
        nip: null,
        status: 'active',
      },
      keyId: crypto.randomUUID(),
      kioskId: KIOSK_ID,
      enrolledAt: NOW.toISOString(),
    });

    // Capture through the real use case.
    const captured = await submitApplication(input, {
      outbox: kiosk,
      sealing: {
        recipients: { policy: kiosk, officers: () => officers.list(), counterKey: kiosk },
        nikHashKey: () => officers.nikHashKey(),
      },
      keyMaker: inProcessKeyMaker,
      now: () => NOW,
      newId: () => ID,
      settings: {
        profiles: fastProfiles(),
        emailDomains: ['madiunkota.go.id'],
        passphrase: { minLength: 15, maxLength: 128, minScore: 3, blocklist: [] },
        maxImageBytes: 1000,
      },
      pbkdf2Iterations: 1000,
    });
    expect(captured).toEqual({ ok: true, id: ID });

    // After capture: no NIK, no name, no picture bytes anywhere.
    const afterCapture = await everythingStored();
    const text = afterCapture.text.join('\n');
    expect(text).not.toContain(NIK);
    expect(text.toUpperCase()).not.toContain(NAMA);
    const pictureStart = PICTURE.slice(0, 32);
    for (const bytes of afterCapture.bytes) {
      expect(contains(bytes, pictureStart)).toBe(false);
      expect(new TextDecoder().decode(bytes)).not.toContain(NIK);
    }

    // Decided at the counter in an officer session: the blob opens there, in memory.
    const sessions = createOfficerSessions({
      keys: officers,
      idleSeconds: 600,
      kioskCounterKey: () => kiosk.kioskCounterKey(),
    });
    const unlocked = await sessions.unlock(profile.officerId, PIN);
    if (!unlocked.ok) throw new Error(unlocked.problem);
    const decided = await decideApplication(
      { applicationId: ID, decision: 'approved', reasons: [], note: '', checklist: INDIVIDU_CHECKLIST },
      {
        outbox: kiosk,
        session: () => sessions.current(),
        identity: kiosk,
        rules: APPROVING_RULES,
        now: () => NOW,
      },
    );
    expect(decided.ok).toBe(true);
    const officerKey = unlocked.value.openingKeys()[0];
    if (!officerKey) throw new Error('the session has no counter key');

    // Synced to a server that acknowledges; the batch carries the sealed ref and its blob.
    const batches: SyncBatch[] = [];
    const transport: SyncTransport = {
      async sendBatch(batch) {
        batches.push(batch);
        return {
          kind: 'response',
          status: 200,
          body: { results: batch.records.map((r, index) => ({ id: r.id, index, status: 'stored' })) },
        };
      },
      fetchStatuses: async () => ({ kind: 'network-error', message: 'not in this test' }),
    };
    const sentBefore: Uint8Array[] = [];
    const report = await syncOutbox({
      outbox: {
        ...kiosk,
        // The blob as it is just before the acknowledgement: the officer's key still opens it.
        async markSynced(ids, at) {
          const [queued] = await kiosk.queued();
          if (queued && 'sealed' in queued) sentBefore.push(queued.sealed);
          return kiosk.markSynced(ids, at);
        },
      },
      identity: kiosk,
      transport,
      now: () => NOW,
      random: () => 0.5,
    });
    expect(report).toMatchObject({ synced: 1, error: null });
    const [record] = batches[0]?.records ?? [];
    expect(record).toMatchObject({ id: ID, sealed: { byteLength: expect.any(Number) } });
    expect(record).not.toHaveProperty('applicant');
    const [before] = sentBefore;
    if (!before) throw new Error('nothing was acknowledged');
    expect(await opens(before, officerKey)).toBe(true);

    // Everything the kiosk holds now.
    const stolen = await everythingStored();
    const blobs = stolen.bytes.filter((bytes) => decodeSealed(bytes).ok);
    expect(blobs).toHaveLength(1);
    const [stored] = blobs;
    if (!stored) throw new Error('no blob');
    const everyKeyId = (() => {
      const decoded = decodeSealed(before);
      if (!decoded.ok) throw new Error('not sealed');
      return decoded.value.header.recipients.map((r) => r.keyId);
    })();
    expect(everyKeyId).toHaveLength(2);
    // The officer's counter key, unlocked with the PIN as if the thief knew it.
    const withPin = await officers.unlock(profile.officerId, PIN);
    if (!withPin.ok || !withPin.value.counterKey) throw new Error('the PIN did not open the counter key');
    const privates = [
      ...stolen.keys.filter((k) => k.type === 'private'),
      withPin.value.counterKey.privateKey,
    ];
    const publics = [...stolen.keys.filter((k) => k.type === 'public'), withPin.value.counterKey.publicKey];
    // The device key and the fallback key are among them.
    expect(stolen.keys.filter((k) => k.type === 'private').length).toBeGreaterThanOrEqual(2);
    let tried = 0;
    for (const privateKey of privates)
      for (const publicKey of publics)
        for (const keyId of everyKeyId) {
          tried++;
          expect(
            await opens(stored, { keyId, privateKey, publicKey }),
            `a kiosk key opens under ${keyId}`,
          ).toBe(false);
        }
    expect(tried).toBeGreaterThan(0);
    // The RA archive still opens it.
    expect(await opens(stored, { keyId: 'archive-1', ...archive })).toBe(true);

    // And still no personal data in any row.
    const finalText = stolen.text.join('\n');
    expect(finalText).not.toContain(NIK);
    expect(finalText.toUpperCase()).not.toContain(NAMA);
    for (const bytes of stolen.bytes) expect(contains(bytes, pictureStart)).toBe(false);
  });
});
