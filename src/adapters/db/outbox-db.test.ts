import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import type { OutboxItem } from '../../app/ports';
import { openOutbox } from './outbox-db';

let counter = 0;
function makeItem(overrides: Partial<OutboxItem> = {}): OutboxItem {
  counter++;
  const id = `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
  return {
    id,
    state: 'queued',
    createdAt: `2026-11-25T08:00:${String(counter % 60).padStart(2, '0')}.000Z`,
    record: {
      id,
      createdAt: '2026-11-25T08:00:00.000Z',
      certificateType: 'individu',
      applicant: {
        nama: 'SITI RAHAYU',
        nik: '3577014501900003',
        nip: null,
        email: 'siti@madiunkota.go.id',
        perangkatDaerah: 'Dinas Komunikasi dan Informatika',
      },
      ocrText: '',
      csrPem: '-----BEGIN CERTIFICATE REQUEST-----\n-----END CERTIFICATE REQUEST-----\n',
      encryptedPrivateKeyPem: '-----BEGIN ENCRYPTED PRIVATE KEY-----\n-----END ENCRYPTED PRIVATE KEY-----\n',
    },
    image: {
      mediaType: 'image/png',
      blob: new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])], { type: 'image/png' }),
    },
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    syncedAt: null,
    rejection: null,
    ...overrides,
  };
}

const freshName = () => `outbox-test-${crypto.randomUUID()}`;

describe('Dexie outbox', () => {
  it('makes one non-extractable device key and keeps it across reopenings', async () => {
    const name = freshName();
    const first = await openOutbox(name).deviceKey();
    expect(first.privateKey.extractable).toBe(false);
    expect(first.privateKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' });
    await expect(crypto.subtle.exportKey('pkcs8', first.privateKey)).rejects.toThrow();
    const again = await openOutbox(name).deviceKey();
    expect(again.publicKeySpki).toBe(first.publicKeySpki);
    // The stored key still signs, and the published half verifies it.
    const message = new TextEncoder().encode('permohonan');
    const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, again.privateKey, message);
    const publicKey = await crypto.subtle.importKey(
      'spki',
      Uint8Array.from(atob(first.publicKeySpki), (c) => c.charCodeAt(0)),
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['verify'],
    );
    expect(
      await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, publicKey, signature, message),
    ).toBe(true);
    expect((await openOutbox(freshName()).deviceKey()).publicKeySpki).not.toBe(first.publicKeySpki);
  });

  it('two tabs asking for the device key at once end up with the same one', async () => {
    const name = freshName();
    const [a, b] = await Promise.all([openOutbox(name).deviceKey(), openOutbox(name).deviceKey()]);
    const stored = await openOutbox(name).deviceKey();
    expect([a.publicKeySpki, b.publicKeySpki]).toEqual([stored.publicKeySpki, stored.publicKeySpki]);
  });

  it('keeps the enrollment, and forgets it with the key after a revocation', async () => {
    const name = freshName();
    expect(await openOutbox(name).enrollment()).toBeNull();
    const key = await openOutbox(name).deviceKey();
    const enrollment = {
      kioskId: crypto.randomUUID(),
      name: 'Loket 1',
      enrolledAt: '2026-11-25T08:00:00.000Z',
    };
    await openOutbox(name).saveEnrollment(enrollment);
    expect(await openOutbox(name).enrollment()).toEqual(enrollment);
    await openOutbox(name).forgetEnrollment();
    expect(await openOutbox(name).enrollment()).toBeNull();
    expect((await openOutbox(name).deviceKey()).publicKeySpki).not.toBe(key.publicKeySpki);
  });

  it('upgrades a version-1 outbox in place: applications kept, the old install id dropped', async () => {
    const name = freshName();
    const v1 = new Dexie(name);
    v1.version(1).stores({ applications: 'id, state, createdAt', meta: 'key' });
    const item = makeItem();
    await v1.table('applications').add(item);
    await v1.table('meta').put({ key: 'kioskId', value: 'install-id' });
    v1.close();
    const outbox = openOutbox(name);
    expect((await outbox.queued()).map((i) => i.id)).toEqual([item.id]);
    expect(await outbox.enrollment()).toBeNull();
    const raw = new Dexie(name);
    await raw.open();
    expect(raw.verno).toBe(2);
    expect(await raw.table('meta').get('kioskId')).toBeUndefined();
    raw.close();
  });

  it('survives a reopen with the image bytes intact (what a reload does)', async () => {
    const name = freshName();
    const item = makeItem();
    await openOutbox(name).add(item);
    const [stored] = await openOutbox(name).queued();
    expect(stored?.id).toBe(item.id);
    expect(new Uint8Array(await (stored?.image.blob ?? new Blob()).arrayBuffer())).toEqual(
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]),
    );
  });

  it('refuses the same id twice instead of overwriting a captured application', async () => {
    const outbox = openOutbox(freshName());
    const item = makeItem();
    await outbox.add(item);
    await expect(outbox.add({ ...item, record: { ...item.record, ocrText: 'other' } })).rejects.toThrow();
    expect((await outbox.list())[0]?.record.ocrText).toBe('');
  });

  it('lists queued items oldest first and moves them through synced and rejected', async () => {
    const outbox = openOutbox(freshName());
    const a = makeItem({ createdAt: '2026-11-25T08:00:03.000Z' });
    const b = makeItem({ createdAt: '2026-11-25T08:00:01.000Z' });
    const c = makeItem({ createdAt: '2026-11-25T08:00:02.000Z' });
    for (const item of [a, b, c]) await outbox.add(item);
    expect((await outbox.queued()).map((i) => i.id)).toEqual([b.id, c.id, a.id]);

    await outbox.markSynced([b.id], '2026-11-25T09:00:00.000Z');
    await outbox.markRejected(c.id, { code: 'invalid-csr', message: 'the CSR signature does not verify' });
    expect((await outbox.queued()).map((i) => i.id)).toEqual([a.id]);
    const byId = new Map((await outbox.list()).map((i) => [i.id, i]));
    expect(byId.get(b.id)).toMatchObject({ state: 'synced', syncedAt: '2026-11-25T09:00:00.000Z' });
    expect(byId.get(c.id)).toMatchObject({ state: 'rejected', rejection: { code: 'invalid-csr' } });
    // Newest first for the screen.
    expect((await outbox.list()).map((i) => i.id)).toEqual([a.id, c.id, b.id]);
  });

  it('counts failed attempts on queued items only and schedules the next one from the new count', async () => {
    const outbox = openOutbox(freshName());
    const queued = makeItem();
    const synced = makeItem();
    await outbox.add(queued);
    await outbox.add(synced);
    await outbox.markSynced([synced.id], '2026-11-25T09:00:00.000Z');

    const seen: number[] = [];
    const next = (attempts: number) => {
      seen.push(attempts);
      return `2026-11-25T10:00:0${attempts}.000Z`;
    };
    await outbox.markAttemptFailed([queued.id, synced.id], 'network: offline', next);
    await outbox.markAttemptFailed([queued.id], 'server answered 503', next);
    const byId = new Map((await outbox.list()).map((i) => [i.id, i]));
    expect(seen).toEqual([1, 2]);
    expect(byId.get(queued.id)).toMatchObject({
      state: 'queued',
      attempts: 2,
      lastError: 'server answered 503',
      nextAttemptAt: '2026-11-25T10:00:02.000Z',
    });
    expect(byId.get(synced.id)).toMatchObject({ state: 'synced', attempts: 0, lastError: null });
  });

  it('tells subscribers about changes', async () => {
    const outbox = openOutbox(freshName());
    const lengths: number[] = [];
    const unsubscribe = outbox.subscribe((items) => lengths.push(items.length));
    await outbox.add(makeItem());
    await expect.poll(() => lengths.at(-1)).toBe(1);
    unsubscribe();
  });
});
