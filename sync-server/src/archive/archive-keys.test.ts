/**
 * The RA archive's keys on SQLite and PostgreSQL: one current key even when servers start together,
 * rotation that keeps old seals openable, and private keys that the database alone never opens.
 */
import { afterEach, beforeEach, describe, expect, inject, test } from 'vitest';
import { importSealPublicKey, open, seal } from '../../../src/core/sealing/seal';
import { type StoreTarget, storeTargets } from '../../../tests/support/forwarding-fixtures';
import type { Store } from '../store/store';
import { ArchiveKeyError, createArchiveKeys } from './archive-keys';

const PASSPHRASE = 'arsip-ra-kota-madiun-uji';
const utf8 = new TextEncoder();
const postgresUrl = inject('databaseUrl');

async function sealTo(keyId: string, spki: string, text: string, context = 'app-1/record') {
  const publicKey = await importSealPublicKey(spki);
  if (!publicKey) throw new Error('bad public key');
  return seal(utf8.encode(text), context, [{ kind: 'archive', keyId, publicKey }]);
}

describe.each(storeTargets(postgresUrl))('RA archive keys ($kind)', ({ create }) => {
  let target: StoreTarget;
  let store: Store;
  const keys = (passphrase = PASSPHRASE) => createArchiveKeys({ store, passphrase, iterations: 1000 });

  beforeEach(async () => {
    target = await create();
    store = await target.open();
  });
  afterEach(async () => {
    await store.close();
    await target.dispose();
  });

  test('makes one current key on first use, even when several servers ask at once', async () => {
    const servers = [keys(), keys(), keys(), keys()];
    const currents = await Promise.all(servers.map((s) => s.current()));
    expect(new Set(currents.map((c) => c.keyId)).size).toBe(1);
    expect(await store.listArchiveKeys()).toHaveLength(1);
  });

  test('rotation retires the old key, which still opens what was sealed to it', async () => {
    const archive = keys();
    const first = await archive.current();
    const old = await sealTo(first.keyId, first.publicKeySpki, 'sebelum rotasi');
    const second = await archive.rotate();
    expect(second.keyId).not.toBe(first.keyId);
    expect((await archive.current()).keyId).toBe(second.keyId);
    const listed = await archive.list();
    expect(listed.map((k) => [k.keyId, k.retiredAt === null])).toEqual([
      [first.keyId, false],
      [second.keyId, true],
    ]);
    const fresh = await sealTo(second.keyId, second.publicKeySpki, 'sesudah rotasi');
    // A new process (no cache) opens both.
    const restarted = keys();
    for (const [blob, text] of [
      [old, 'sebelum rotasi'],
      [fresh, 'sesudah rotasi'],
    ] as const) {
      const keyId = blob.header.recipients[0]?.keyId ?? '';
      const key = await restarted.openingKey(keyId);
      if (!key) throw new Error(`no key ${keyId}`);
      const opened = await open(blob, key, 'app-1/record');
      expect(opened.ok && new TextDecoder().decode(opened.value)).toBe(text);
    }
    expect(await restarted.openingKey('archive-unknown')).toBeNull();
  });

  test('the store holds the private key only encrypted; another passphrase does not open it', async () => {
    const current = await keys().current();
    const [row] = await store.listArchiveKeys();
    expect(row?.encryptedPrivateKeyPem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    await expect(keys('bukan-frasa-sandinya').openingKey(current.keyId)).rejects.toThrow(ArchiveKeyError);
    await expect(keys('bukan-frasa-sandinya').openingKey(current.keyId)).rejects.toThrow(
      /ARCHIVE_PASSPHRASE/,
    );
  });
});
