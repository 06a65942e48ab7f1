import Dexie from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EnrolledOfficer, PinAttemptRule } from '../../app/officer/ports';
import { base64ToBytes } from '../../core/lib/pem';
import { generateSealKeyPair, importSealPublicKey, openBytes, sealToBytes } from '../../core/sealing/seal';
import { DEVICE_KEY_ALGORITHM } from '../../protocol/kiosk-auth';
import { nikHash, signStatement, verifyStatement } from '../../protocol/officer';
import { DexieOfficerKeyStore, type OfficerKeyStoreOptions } from './officer-key-store';

const PIN = '285713';
const NOW = new Date('2026-11-26T02:30:00.000Z');
const KIOSK_ID = '0f6d1c4a-2b3e-4d5f-8a9b-0c1d2e3f4a5b';

const opened: DexieOfficerKeyStore[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const store of opened.splice(0)) store.close();
});

function newStore(options: OfficerKeyStoreOptions = {}) {
  const databaseName = `officers-${crypto.randomUUID()}`;
  const store = new DexieOfficerKeyStore({
    databaseName,
    iterations: 1_000,
    maxWrongPins: 3,
    now: () => NOW,
    ...options,
  });
  opened.push(store);
  return { store, databaseName };
}

function enrolled(overrides: Partial<EnrolledOfficer> = {}): EnrolledOfficer {
  return {
    officer: { id: crypto.randomUUID(), username: 'siti', nama: 'SITI RAHAYU', nip: null, status: 'active' },
    keyId: crypto.randomUUID(),
    kioskId: KIOSK_ID,
    enrolledAt: NOW.toISOString(),
    ...overrides,
  };
}

async function enroll(store: DexieOfficerKeyStore, pin = PIN, who = enrolled()) {
  return store.saveEnrollment(await store.prepareKey(pin), who);
}

/** The rows exactly as IndexedDB holds them, read without the store's own code. */
async function rawRows(databaseName: string): Promise<Record<string, unknown>[]> {
  const db = new Dexie(databaseName);
  await db.open();
  try {
    return await db.table('officers').toArray();
  } finally {
    db.close();
  }
}

/** Every byte string and text anywhere in a stored value. */
function leaves(value: unknown, into: { bytes: Uint8Array[]; texts: string[] } = { bytes: [], texts: [] }) {
  if (typeof value === 'string') into.texts.push(value);
  else if (value instanceof Uint8Array) into.bytes.push(value);
  else if (value instanceof ArrayBuffer) into.bytes.push(new Uint8Array(value));
  else if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) leaves(v, into);
  return into;
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

const publicKeyOf = (spki: string) =>
  crypto.subtle.importKey('spki', base64ToBytes(spki), DEVICE_KEY_ALGORITHM, false, ['verify']);

describe('DexieOfficerKeyStore', () => {
  it('stores the private key only encrypted: neither the PKCS#8 DER nor the private scalar is in the record', async () => {
    const generate = vi.spyOn(crypto.subtle, 'generateKey');
    const { store, databaseName } = newStore();
    const profile = await enroll(store);

    const pair = (await generate.mock.results[0]?.value) as CryptoKeyPair;
    const der = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
    const { d } = await crypto.subtle.exportKey('jwk', pair.privateKey);
    const scalar = base64ToBytes((d ?? '').replace(/-/g, '+').replace(/_/g, '/').padEnd(44, '='));
    expect(scalar).toHaveLength(32);
    // The search itself finds what it looks for.
    expect(contains(Uint8Array.of(9, ...der, 9), der)).toBe(true);

    const rows = await rawRows(databaseName);
    expect(rows).toHaveLength(1);
    const { bytes, texts } = leaves(rows[0]);
    expect(bytes.length).toBeGreaterThanOrEqual(3); // salt, iv, ciphertext
    for (const b of bytes) {
      expect(contains(b, der)).toBe(false);
      expect(contains(b, scalar)).toBe(false);
    }
    const derBase64 = Buffer.from(der).toString('base64');
    const scalarBase64 = Buffer.from(scalar).toString('base64');
    for (const t of texts) {
      expect(t).not.toContain(derBase64.slice(0, 40));
      expect(t).not.toContain(scalarBase64.slice(0, 40));
    }
    expect(rows[0]).toMatchObject({
      officerId: profile.officerId,
      publicKeySpki: profile.publicKeySpki,
      salt: expect.any(Uint8Array),
      iv: expect.any(Uint8Array),
      ciphertext: expect.any(Uint8Array),
      kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: 1_000 },
    });
    const row = rows[0] as { salt: Uint8Array; iv: Uint8Array; ciphertext: Uint8Array };
    expect(row.salt).toHaveLength(16);
    expect(row.iv).toHaveLength(12);
    // GCM: the PKCS#8 length plus a 16-byte tag.
    expect(row.ciphertext).toHaveLength(der.length + 16);
  });

  it('uses 600,000 PBKDF2 rounds unless told otherwise, and records the count with the key', async () => {
    const databaseName = `officers-${crypto.randomUUID()}`;
    const store = new DexieOfficerKeyStore({ databaseName });
    opened.push(store);
    await enroll(store);
    expect((await rawRows(databaseName))[0]?.kdf).toEqual({
      name: 'PBKDF2',
      hash: 'SHA-256',
      iterations: 600_000,
    });
  });

  it('unlocks into a non-extractable signing key whose signatures verify with the registered public key', async () => {
    const { store } = newStore();
    const profile = await enroll(store);
    const result = await store.unlock(profile.officerId, PIN);
    if (!result.ok) throw new Error(`unlock failed: ${result.problem}`);
    const { privateKey } = result.value;
    expect(privateKey.extractable).toBe(false);
    expect(privateKey.usages).toEqual(['sign']);
    expect(privateKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' });
    await expect(crypto.subtle.exportKey('pkcs8', privateKey)).rejects.toThrow();
    await expect(crypto.subtle.exportKey('jwk', privateKey)).rejects.toThrow();

    const statement = await signStatement(privateKey, '{"v":1,"type":"decision"}');
    expect(await verifyStatement(await publicKeyOf(profile.publicKeySpki), statement)).toBe(true);
    expect(
      await verifyStatement(await publicKeyOf(profile.publicKeySpki), { ...statement, payload: '{}' }),
    ).toBe(false);
  });

  it('counts wrong PINs and locks after the maximum: the wrapped key is gone and a report is pending', async () => {
    const { store, databaseName } = newStore();
    const profile = await enroll(store);
    expect(await store.unlock(profile.officerId, '000001')).toEqual({
      ok: false,
      problem: 'wrong-pin',
      wrongPins: 1,
      attemptsLeft: 2,
    });
    expect(await store.unlock(profile.officerId, '000002')).toEqual({
      ok: false,
      problem: 'wrong-pin',
      wrongPins: 2,
      attemptsLeft: 1,
    });
    expect((await store.get(profile.officerId))?.wrongPins).toBe(2);
    expect(await store.unlock(profile.officerId, '000003')).toEqual({
      ok: false,
      problem: 'locked',
      lockedNow: true,
    });

    expect(await store.get(profile.officerId)).toMatchObject({
      wrongPins: 3,
      lockedAt: NOW.toISOString(),
      pendingLockReport: true,
    });
    const [row] = await rawRows(databaseName);
    expect(row).toMatchObject({
      ciphertext: null,
      salt: null,
      iv: null,
      counter: { iv: null, ciphertext: null },
    });
    // The right PIN no longer helps: there is nothing left to open.
    expect(await store.unlock(profile.officerId, PIN)).toEqual({
      ok: false,
      problem: 'locked',
      lockedNow: false,
    });
    expect((await store.get(profile.officerId))?.wrongPins).toBe(3);
  });

  it('keeps a counter key wrapped under the PIN: its public half in clear, its private half opening only what was sealed to it', async () => {
    const { store, databaseName } = newStore();
    const profile = await enroll(store);
    const counter = profile.counterKey;
    if (!counter) throw new Error('no counter key');
    const [row] = await rawRows(databaseName);
    // Only the wrapped form is stored: no CryptoKey, nothing that opens without the PIN.
    expect(Object.values(row?.counter as object).some((v) => v instanceof CryptoKey)).toBe(false);

    const publicKey = await importSealPublicKey(counter.publicKeySpki);
    if (!publicKey) throw new Error('not a P-256 key');
    const archive = await generateSealKeyPair();
    const sealed = await sealToBytes(new Uint8Array([1, 2, 3]), 'app/record', [
      { kind: 'archive', keyId: 'archive-1', publicKey: archive.publicKey },
      { kind: 'counter', keyId: counter.keyId, publicKey },
    ]);
    const unlocked = await store.unlock(profile.officerId, PIN);
    if (!unlocked.ok || !unlocked.value.counterKey) throw new Error('did not unlock the counter key');
    expect(unlocked.value.counterKey.privateKey.extractable).toBe(false);
    const opened = await openBytes(sealed, unlocked.value.counterKey, 'app/record');
    expect(opened.ok && [...opened.value]).toEqual([1, 2, 3]);
  });

  it('a right PIN resets the count of wrong ones', async () => {
    const { store } = newStore();
    const profile = await enroll(store);
    await store.unlock(profile.officerId, '000001');
    await store.unlock(profile.officerId, '000002');
    const right = await store.unlock(profile.officerId, PIN);
    expect(right.ok && right.value.profile.wrongPins).toBe(0);
    expect((await store.get(profile.officerId))?.wrongPins).toBe(0);
    // Two more wrong ones do not reach three: the earlier two no longer count.
    await store.unlock(profile.officerId, '000001');
    expect(await store.unlock(profile.officerId, '000002')).toMatchObject({
      problem: 'wrong-pin',
      wrongPins: 2,
    });
  });

  it('counts wrong PINs tried at the same time (two tabs) one by one', async () => {
    const { store } = newStore({ maxWrongPins: 5 });
    const profile = await enroll(store);
    await Promise.all([
      store.unlock(profile.officerId, '000001'),
      store.unlock(profile.officerId, '000002'),
      store.unlock(profile.officerId, '000003'),
    ]);
    expect((await store.get(profile.officerId))?.wrongPins).toBe(3);
  });

  it('takes its lockout rule as a parameter (core/officer consecutiveWrongPins by default)', async () => {
    const calls: [number, boolean][] = [];
    const rule: PinAttemptRule = (before, correct) => {
      calls.push([before, correct]);
      return { wrongPins: correct ? 0 : before + 1, lock: !correct, attemptsLeft: 0 };
    };
    const { store } = newStore({ afterPinAttempt: rule });
    const profile = await enroll(store);
    expect((await store.unlock(profile.officerId, PIN)).ok).toBe(true);
    expect(await store.unlock(profile.officerId, '000001')).toEqual({
      ok: false,
      problem: 'locked',
      lockedNow: true,
    });
    expect(calls).toEqual([
      [0, true],
      [0, false],
    ]);
  });

  it('answers unknown-officer for an id it does not hold', async () => {
    const { store } = newStore();
    expect(await store.unlock(crypto.randomUUID(), PIN)).toEqual({ ok: false, problem: 'unknown-officer' });
  });

  it('lists officers without any secret', async () => {
    const { store } = newStore();
    const budi = await enroll(
      store,
      PIN,
      enrolled({ officer: { ...enrolled().officer, username: 'budi', nama: 'BUDI' } }),
    );
    const siti = await enroll(store);
    const list = await store.list();
    expect(list.map((o) => o.username)).toEqual(['budi', 'siti']);
    expect(list).toEqual([budi, siti]);
    for (const officer of list) {
      expect(Object.keys(officer).sort()).toEqual(
        [
          'officerId',
          'keyId',
          'username',
          'nama',
          'nip',
          'kioskId',
          'publicKeySpki',
          'enrolledAt',
          'wrongPins',
          'lockedAt',
          'pendingLockReport',
          'counterKey',
        ].sort(),
      );
      // The counter key only by its id and public half.
      expect(Object.keys(officer.counterKey ?? {}).sort()).toEqual(['keyId', 'publicKeySpki']);
    }
  });

  it('removes an officer, but not while the server has yet to hear of a lock', async () => {
    const { store, databaseName } = newStore({ maxWrongPins: 1 });
    const kept = await enroll(store);
    const locked = await enroll(store, PIN, enrolled());
    await store.unlock(locked.officerId, '000001');

    expect(await store.remove(locked.officerId)).toBe('lock-report-pending');
    // A report about another key does not clear this one.
    await store.clearPendingLockReport(locked.officerId, crypto.randomUUID());
    expect(await store.remove(locked.officerId)).toBe('lock-report-pending');
    await store.clearPendingLockReport(locked.officerId, locked.keyId);
    expect(await store.remove(locked.officerId)).toBe('removed');

    expect(await store.remove(kept.officerId)).toBe('removed');
    expect(await store.remove(kept.officerId)).toBe('not-found');
    expect(await rawRows(databaseName)).toEqual([]);
  });

  it('re-enrolling a locked officer replaces the old key and its pending report', async () => {
    const { store } = newStore({ maxWrongPins: 1 });
    const first = enrolled();
    const old = await enroll(store, PIN, first);
    await store.unlock(old.officerId, '000001');
    expect(await store.pendingLockReports()).toHaveLength(1);

    const again = await enroll(store, '418529', { ...first, keyId: crypto.randomUUID() });
    expect(again).toMatchObject({ wrongPins: 0, lockedAt: null, pendingLockReport: false });
    expect(await store.pendingLockReports()).toEqual([]);
    expect((await store.unlock(old.officerId, '418529')).ok).toBe(true);
  });

  it('keeps the NIK hash key as a non-extractable CryptoKey that survives a reopen', async () => {
    const { store, databaseName } = newStore();
    expect(await store.nikHashKey()).toBeNull();
    const raw = crypto.getRandomValues(new Uint8Array(32));
    const algorithm = { name: 'HMAC', hash: 'SHA-256' } as const;
    await expect(
      store.saveNikHashKey(await crypto.subtle.importKey('raw', raw, algorithm, true, ['sign'])),
    ).rejects.toThrow(/non-extractable/);
    await store.saveNikHashKey(await crypto.subtle.importKey('raw', raw, algorithm, false, ['sign']));

    const reopened = new DexieOfficerKeyStore({ databaseName, iterations: 1_000 });
    opened.push(reopened);
    const key = await reopened.nikHashKey();
    expect(key).toBeInstanceOf(CryptoKey);
    expect(key?.extractable).toBe(false);
    if (!key) throw new Error('no key');
    const reference = await crypto.subtle.importKey('raw', raw, algorithm, false, ['sign']);
    expect(await nikHash(key, '3577014501900001')).toBe(await nikHash(reference, '3577014501900001'));
  });
});
