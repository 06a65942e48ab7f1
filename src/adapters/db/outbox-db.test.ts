import Dexie from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearItem, clearSummary } from '../../../tests/support/clear-items';
import type { OutboxAttachment, OutboxItem, OutboxView } from '../../app/ports';
import { IllegalTransitionError } from '../../core/outbox/lifecycle';
import { openOutbox, StorageFullError } from './outbox-db';

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
    attachments: [],
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    syncedAt: null,
    rejection: null,
    ...overrides,
  };
}

const freshName = () => `outbox-test-${crypto.randomUUID()}`;

const PAPERS: OutboxAttachment[] = [
  {
    kind: 'surat-pengantar',
    mediaType: 'application/pdf',
    blob: new Blob([new Uint8Array([0x25, 0x50, 0x44, 0x46, 9])], { type: 'application/pdf' }),
  },
  {
    kind: 'signature-specimen',
    mediaType: 'image/png',
    blob: new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 8, 8])], { type: 'image/png' }),
  },
];
const bytesOf = async (blob: Blob | undefined) => new Uint8Array(await (blob ?? new Blob()).arrayBuffer());

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
    const { attachments: _none, ...item } = makeItem();
    await v1.table('applications').add(item);
    await v1.table('meta').put({ key: 'kioskId', value: 'install-id' });
    v1.close();
    const outbox = openOutbox(name);
    expect((await outbox.queued()).map((i) => i.id)).toEqual([item.id]);
    expect(await outbox.enrollment()).toBeNull();
    const raw = new Dexie(name);
    await raw.open();
    expect(raw.verno).toBe(5);
    expect(await raw.table('meta').get('kioskId')).toBeUndefined();
    raw.close();
  });

  it('survives a reopen with the image and paper bytes intact (what a reload does)', async () => {
    const name = freshName();
    const item = makeItem({ attachments: PAPERS });
    await openOutbox(name).add(item);
    const [stored] = await openOutbox(name).queued();
    expect(stored?.id).toBe(item.id);
    expect(await bytesOf(clearItem(stored).image.blob)).toEqual(
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]),
    );
    expect(clearItem(stored).attachments.map((a) => [a.kind, a.mediaType])).toEqual([
      ['surat-pengantar', 'application/pdf'],
      ['signature-specimen', 'image/png'],
    ]);
    expect(await bytesOf(clearItem(stored).attachments[1]?.blob)).toEqual(
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 8, 8]),
    );
    // Each file in its own row, found by the application's id.
    const raw = new Dexie(name);
    await raw.open();
    const rows = await raw.table('attachments').where('applicationId').equals(item.id).primaryKeys();
    expect(rows.sort()).toEqual([
      `${item.id}/ektp`,
      `${item.id}/signature-specimen`,
      `${item.id}/surat-pengantar`,
    ]);
    raw.close();
  });

  it('reads a row written before applications had papers as one without any', async () => {
    const name = freshName();
    await openOutbox(name).deviceKey(); // creates the version-3 database
    const { image, attachments: _none, ...item } = makeItem();
    // As the version-3 kiosk (and the e2e suite) wrote it: no attachment info on the row.
    const raw = new Dexie(name);
    await raw.open();
    await raw.table('applications').add({
      ...item,
      history: [
        { to: 'captured', at: item.createdAt },
        { to: 'queued', at: item.createdAt },
      ],
      imageInfo: { attachmentId: `${item.id}/ektp`, mediaType: image.mediaType, bytes: image.blob.size },
    });
    await raw.table('attachments').add({
      id: `${item.id}/ektp`,
      applicationId: item.id,
      kind: 'ektp',
      mediaType: image.mediaType,
      blob: image.blob,
      bytes: image.blob.size,
    });
    raw.close();
    const outbox = openOutbox(name);
    const [queued] = await outbox.queued();
    expect(clearItem(queued).attachments).toEqual([]);
    expect(await bytesOf(clearItem(queued).image.blob)).toEqual(
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]),
    );
    expect(clearItem(await outbox.get(item.id)).attachments).toEqual([]);
    expect(clearSummary((await outbox.list())[0]).attachments).toEqual([]);
  });

  it('refuses the same id twice instead of overwriting a captured application', async () => {
    const outbox = openOutbox(freshName());
    const item = makeItem();
    await outbox.add(item);
    await expect(outbox.add({ ...item, record: { ...item.record, ocrText: 'other' } })).rejects.toThrow();
    expect(clearSummary((await outbox.list())[0]).record.ocrText).toBe('');
  });

  it('lists queued items oldest first and moves them through synced and rejected', async () => {
    const outbox = openOutbox(freshName());
    const a = makeItem({ createdAt: '2026-11-25T08:00:03.000Z' });
    const b = makeItem({ createdAt: '2026-11-25T08:00:01.000Z' });
    const c = makeItem({ createdAt: '2026-11-25T08:00:02.000Z' });
    for (const item of [a, b, c]) await outbox.add(item);
    expect((await outbox.queued()).map((i) => i.id)).toEqual([b.id, c.id, a.id]);

    await outbox.markSynced([b.id], '2026-11-25T09:00:00.000Z');
    await outbox.markRejected(
      c.id,
      { code: 'invalid-csr', message: 'the CSR signature does not verify' },
      '2026-11-25T09:00:01.000Z',
    );
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
    const queued: number[] = [];
    const unsubscribe = outbox.subscribe((view) => {
      lengths.push(view.items.length);
      queued.push(view.counts.queued);
    });
    await outbox.add(makeItem());
    await expect.poll(() => lengths.at(-1)).toBe(1);
    expect(queued.at(-1)).toBe(1);
    unsubscribe();
  });

  it('gives subscribers one page, newest first, with the counts of the whole outbox', async () => {
    const outbox = openOutbox(freshName());
    const ids: string[] = [];
    for (let n = 0; n < 5; n++) {
      const id = crypto.randomUUID();
      ids.push(id);
      await outbox.add(makeItem({ id, createdAt: new Date(Date.UTC(2026, 10, 25, 8, n)).toISOString() }));
    }
    await outbox.markSynced(ids.slice(0, 2), '2026-11-25T09:00:00.000Z');
    const views: OutboxView[] = [];
    const unsubscribe = outbox.subscribe((view) => views.push(view), { limit: 2 });
    await expect.poll(() => views.length).toBeGreaterThan(0);
    expect(views.at(-1)?.items.map((i) => i.id)).toEqual([ids[4], ids[3]]);
    expect(views.at(-1)?.counts).toEqual({ held: 0, queued: 3, synced: 2, rejected: 0 });
    unsubscribe();
    const synced: OutboxView[] = [];
    const stop = outbox.subscribe((view) => synced.push(view), { state: 'synced', limit: 10 });
    await expect.poll(() => synced.length).toBeGreaterThan(0);
    expect(synced.at(-1)?.items.map((i) => i.id)).toEqual([ids[1], ids[0]]);
    stop();
  });

  it('upgrades a version-2 outbox: images move beside the records, histories are reconstructed, nothing is lost', async () => {
    const name = freshName();
    const v2 = new Dexie(name);
    v2.version(1).stores({ applications: 'id, state, createdAt', meta: 'key' });
    v2.version(2).stores({ device: 'id' });
    const bytesOf = (n: number) => new Uint8Array([0x89, 0x50, 0x4e, 0x47, n, n, n]);
    const image = (n: number): OutboxItem['image'] => ({
      mediaType: 'image/png',
      blob: new Blob([bytesOf(n)], { type: 'image/png' }),
    });
    const queued = makeItem({ createdAt: '2026-11-20T08:00:00.000Z', image: image(1) });
    const synced = makeItem({
      createdAt: '2026-11-21T08:00:00.000Z',
      image: image(2),
      state: 'synced',
      syncedAt: '2026-11-21T09:00:00.000Z',
      handover: {
        wrongAttempts: 1,
        lockedAt: null,
        unlockedAt: null,
        handedOverAt: '2026-11-28T10:00:00.000Z',
        serialNumberHex: '0a1b',
        notBefore: '2026-11-28T00:00:00.000Z',
        notAfter: '2027-11-28T10:00:00.000Z',
        form: 'modern',
      },
    });
    const rejected = makeItem({
      createdAt: '2026-11-22T08:00:00.000Z',
      image: image(3),
      state: 'rejected',
      rejection: { code: 'invalid-csr', message: 'the CSR signature does not verify' },
    });
    for (const { attachments: _none, ...item } of [queued, synced, rejected])
      await v2.table('applications').add(item);
    await v2.table('device').put({ id: 'enrollment', kioskId: 'k-1', name: 'Loket 1', enrolledAt: 'x' });
    v2.close();

    const outbox = openOutbox(name);
    // Every record and every picture is still there, byte for byte.
    for (const [n, item] of [queued, synced, rejected].entries()) {
      const stored = await outbox.get(item.id);
      if (!stored) throw new Error(`${item.id} was lost`);
      const { image: _image, history, ...rest } = clearItem(stored);
      const { image: _before, ...before } = item;
      expect(rest).toEqual(before);
      expect(new Uint8Array(await clearItem(stored).image.blob.arrayBuffer())).toEqual(bytesOf(n + 1));
      expect(history[0]).toMatchObject({ state: 'captured', at: item.createdAt });
    }
    expect((await outbox.get(synced.id))?.history.map((e) => [e.state, e.at])).toEqual([
      ['captured', synced.createdAt],
      ['queued', synced.createdAt],
      ['synced', '2026-11-21T09:00:00.000Z'],
      ['handed-over', '2026-11-28T10:00:00.000Z'],
    ]);
    expect((await outbox.get(rejected.id))?.history.map((e) => e.state)).toEqual([
      'captured',
      'queued',
      'rejected',
    ]);
    expect((await outbox.queued()).map((i) => i.id)).toEqual([queued.id]);
    expect(await outbox.enrollment()).toMatchObject({ kioskId: 'k-1' });

    const raw = new Dexie(name);
    await raw.open();
    expect(raw.verno).toBe(5);
    const rows = await raw.table('applications').toArray();
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row).not.toHaveProperty('image');
    // Version 5 cannot seal inside the upgrade: it marks every clear row for the seal-pending step.
    for (const row of rows) expect(row).toHaveProperty('sealPending', 1);
    expect((await outbox.pendingSeal()).map((i) => i.id).sort()).toEqual(
      [queued.id, synced.id, rejected.id].sort(),
    );
    const attachments = await raw.table('attachments').toArray();
    const byApplication = new Map(attachments.map((a) => [a.applicationId, a]));
    for (const item of [queued, synced, rejected])
      expect(byApplication.get(item.id)).toMatchObject({ kind: 'ektp', mediaType: 'image/png', bytes: 7 });
    expect(attachments).toHaveLength(3);
    raw.close();
  });

  it('lists without reading a single image: rows hold no Blob, summaries give only the size', async () => {
    const name = freshName();
    const outbox = openOutbox(name);
    const item = makeItem({ attachments: PAPERS });
    await outbox.add(item);
    // Every IndexedDB read during list(), by the store it reads.
    const readStores: string[] = [];
    const reads = ['get', 'getAll', 'getAllKeys', 'openCursor', 'openKeyCursor', 'count'] as const;
    for (const method of reads) {
      const fromStore = IDBObjectStore.prototype[method] as (...args: unknown[]) => unknown;
      vi.spyOn(IDBObjectStore.prototype, method).mockImplementation(function (
        this: IDBObjectStore,
        ...args: unknown[]
      ) {
        readStores.push(this.name);
        return fromStore.apply(this, args);
      } as never);
      const fromIndex = IDBIndex.prototype[method] as (...args: unknown[]) => unknown;
      vi.spyOn(IDBIndex.prototype, method).mockImplementation(function (this: IDBIndex, ...args: unknown[]) {
        readStores.push(this.objectStore.name);
        return fromIndex.apply(this, args);
      } as never);
    }
    let listed: Awaited<ReturnType<typeof outbox.list>>[number] | undefined;
    try {
      [listed] = await outbox.list();
    } finally {
      vi.restoreAllMocks();
    }
    expect(readStores).toContain('applications');
    expect(readStores).not.toContain('attachments');
    expect(clearSummary(listed).image).toEqual({ mediaType: 'image/png', bytes: 7 });
    expect(clearSummary(listed).attachments).toEqual([
      { kind: 'surat-pengantar', mediaType: 'application/pdf', bytes: 5 },
      { kind: 'signature-specimen', mediaType: 'image/png', bytes: 6 },
    ]);
    const raw = new Dexie(name);
    await raw.open();
    const rowText = JSON.stringify(await raw.table('applications').toArray(), (_, v) =>
      v instanceof Blob ? 'BLOB' : v,
    );
    expect(rowText).not.toContain('BLOB');
    raw.close();
  });

  it('filters by state newest first through the [state+createdAt] index, and limits', async () => {
    const name = freshName();
    const outbox = openOutbox(name);
    const items = [1, 2, 3, 4, 5].map((n) => makeItem({ createdAt: `2026-11-25T08:00:0${n}.000Z` }));
    for (const item of items) await outbox.add(item);
    await outbox.markSynced([items[0]?.id ?? '', items[2]?.id ?? ''], '2026-11-25T09:00:00.000Z');
    const ids = (list: { id: string }[]) => list.map((i) => i.id);
    const [a, b, c, d, e] = ids(items);
    expect(ids(await outbox.list({ state: 'queued' }))).toEqual([e, d, b]);
    expect(ids(await outbox.list({ state: 'synced' }))).toEqual([c, a]);
    expect(ids(await outbox.list({ state: 'rejected' }))).toEqual([]);
    expect(ids(await outbox.list({ limit: 2 }))).toEqual([e, d]);
    expect(ids(await outbox.list({ state: 'queued', limit: 1 }))).toEqual([e]);
    const raw = new Dexie(name);
    await raw.open();
    expect(raw.table('applications').schema.idxByName['[state+createdAt]']).toBeDefined();
    raw.close();
  });

  describe('when the device storage is full', () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });

    /** The image write fails the way a full disk makes it fail; the record write before it succeeds. */
    const failAttachmentWrites = () => {
      for (const method of ['add', 'put'] as const) {
        const original = IDBObjectStore.prototype[method];
        vi.spyOn(IDBObjectStore.prototype, method).mockImplementation(function (
          this: IDBObjectStore,
          ...args: Parameters<IDBObjectStore['add']>
        ) {
          if (this.name === 'attachments') throw new DOMException('quota exceeded', 'QuotaExceededError');
          return original.apply(this, args);
        });
      }
    };

    it('writes record and image together or not at all, and says the storage is full', async () => {
      const name = freshName();
      const outbox = openOutbox(name);
      await outbox.deviceKey(); // opens the database before the fault is armed
      const item = makeItem();
      failAttachmentWrites();
      const failed = outbox.add(item);
      await expect(failed).rejects.toBeInstanceOf(StorageFullError);
      await expect(failed).rejects.toMatchObject({ name: 'StorageFullError' });
      // Nothing half-written: no record without its image, and the id is still free.
      expect(await outbox.list()).toEqual([]);
      expect(await outbox.get(item.id)).toBeNull();
      const raw = new Dexie(name);
      await raw.open();
      expect(await raw.table('applications').count()).toBe(0);
      expect(await raw.table('attachments').count()).toBe(0);
      raw.close();

      vi.restoreAllMocks();
      // Once space is freed, the same application (kept by the form) saves normally.
      await outbox.add(item);
      expect((await outbox.queued()).map((i) => i.id)).toEqual([item.id]);
    });

    it('writes nothing when the last paper no longer fits, picture and first paper included', async () => {
      const name = freshName();
      const outbox = openOutbox(name);
      await outbox.deviceKey();
      const item = makeItem({ state: 'held', attachments: PAPERS });
      for (const method of ['add', 'put'] as const) {
        const original = IDBObjectStore.prototype[method];
        vi.spyOn(IDBObjectStore.prototype, method).mockImplementation(function (
          this: IDBObjectStore,
          ...args: Parameters<IDBObjectStore['add']>
        ) {
          const value = args[0] as { kind?: string };
          if (this.name === 'attachments' && value.kind === 'signature-specimen')
            throw new DOMException('quota exceeded', 'QuotaExceededError');
          return original.apply(this, args);
        });
      }
      await expect(outbox.add(item)).rejects.toBeInstanceOf(StorageFullError);
      vi.restoreAllMocks();
      expect(await outbox.held()).toEqual([]);
      const raw = new Dexie(name);
      await raw.open();
      expect(await raw.table('applications').count()).toBe(0);
      expect(await raw.table('attachments').count()).toBe(0);
      raw.close();
      await outbox.add(item);
      expect((await outbox.held()).map((i) => clearItem(i).attachments.length)).toEqual([2]);
    });
  });

  it('records each state change in the history and refuses an illegal one', async () => {
    const outbox = openOutbox(freshName());
    await expect(outbox.add(makeItem({ state: 'synced' }))).rejects.toBeInstanceOf(IllegalTransitionError);
    expect(await outbox.list()).toEqual([]);

    const item = makeItem({ createdAt: '2026-11-25T08:00:00.000Z' });
    await outbox.add(item);
    await outbox.markSynced([item.id], '2026-11-25T09:00:00.000Z');
    // A repeated acknowledgement and a late refusal leave a synced record alone.
    await outbox.markSynced([item.id], '2026-11-25T10:00:00.000Z');
    await outbox.markRejected(item.id, { code: 'late', message: 'late' }, '2026-11-25T10:00:00.000Z');
    const stored = await outbox.get(item.id);
    expect(stored).toMatchObject({ state: 'synced', syncedAt: '2026-11-25T09:00:00.000Z', rejection: null });
    expect(stored?.history).toEqual([
      { state: 'captured', at: '2026-11-25T08:00:00.000Z' },
      { state: 'queued', at: '2026-11-25T08:00:00.000Z' },
      { state: 'synced', at: '2026-11-25T09:00:00.000Z' },
    ]);

    const refused = makeItem();
    await outbox.add(refused);
    await outbox.markRejected(refused.id, { code: 'invalid-nik', message: 'x' }, '2026-11-25T09:00:00.000Z');
    expect((await outbox.get(refused.id))?.history.at(-1)).toEqual({
      state: 'rejected',
      at: '2026-11-25T09:00:00.000Z',
      note: 'invalid-nik',
    });
    // A handover of a refused application is refused, and the handover state is not touched either.
    await expect(
      outbox.updateHandover(refused.id, (h) => ({ ...h, handedOverAt: 'now' }), {
        state: 'handed-over',
        at: '2026-11-25T10:00:00.000Z',
      }),
    ).rejects.toBeInstanceOf(IllegalTransitionError);
    expect((await outbox.get(refused.id))?.handover).toBeUndefined();
  });

  it('sends what it stored, and a raw dump names each row’s state once (tools and the e2e suite count them)', async () => {
    const name = freshName();
    const outbox = openOutbox(name);
    const item = makeItem();
    await outbox.add(item);
    const raw = new Dexie(name);
    await raw.open();
    const [queued] = await outbox.queued();
    expect(queued?.id).toBe(item.id);
    expect(new Uint8Array(await (clearItem(queued).image.blob ?? new Blob()).arrayBuffer())).toEqual(
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]),
    );
    await outbox.markSynced([item.id], '2026-11-25T09:00:00.000Z');
    expect((await outbox.get(item.id))?.history.map((e) => e.state)).toEqual([
      'captured',
      'queued',
      'synced',
    ]);
    // A raw row names its state once: history steps are stored under `to`.
    const dump = JSON.stringify(await raw.table('applications').toArray());
    expect(dump.split('"state":"synced"').length - 1).toBe(1);
    raw.close();
  });
});
