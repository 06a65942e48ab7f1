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
  it('keeps one kiosk id across reopenings of the same database', async () => {
    const name = freshName();
    const first = await openOutbox(name).kioskId();
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(await openOutbox(name).kioskId()).toBe(first);
    expect(await openOutbox(freshName()).kioskId()).not.toBe(first);
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
