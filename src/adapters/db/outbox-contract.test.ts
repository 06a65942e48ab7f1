/**
 * The `OutboxStore` port's behaviour, run against both adapters: the Dexie outbox of the kiosk and
 * the in-memory twin the simulator and the use-case tests rely on. They must not drift apart.
 */
import { describe, expect, it } from 'vitest';
import { clearItem, clearSummary } from '../../../tests/support/clear-items';
import type {
  AnyStoredItem,
  HandoverStore,
  KioskCounterKeyStore,
  KioskPolicyStore,
  OutboxAttachment,
  OutboxItem,
  OutboxStore,
  OutboxView,
  RetentionStore,
  SealPendingStore,
} from '../../app/ports';
import { purgeExpired } from '../../app/sealing/purge-expired';
import { sealForOutbox } from '../../app/sealing/seal-application';
import { sealPendingApplications } from '../../app/sealing/seal-pending';
import { IllegalTransitionError } from '../../core/outbox/lifecycle';
import {
  exportSealPublicKey,
  generateSealKeyPair,
  openBytes,
  type SealRecipientKey,
} from '../../core/sealing/seal';
import { sealedRecordContext } from '../../protocol/sealed-record';
import type { SignedStatement } from '../../protocol/statement';
import { createMemoryKioskCounterKey, createMemoryKioskPolicy, createMemoryOutbox } from './memory-outbox';
import { openOutbox } from './outbox-db';

type Store = OutboxStore & Pick<HandoverStore, 'updateHandover'> & SealPendingStore & RetentionStore;

const ADAPTERS: [string, () => Store][] = [
  ['Dexie', () => openOutbox(`contract-${crypto.randomUUID()}`)],
  ['memory', () => createMemoryOutbox()],
];

const T = (minute: number) => `2026-11-25T08:${String(minute).padStart(2, '0')}:00.000Z`;

function makeItem(n: number, overrides: Partial<OutboxItem> = {}): OutboxItem {
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return {
    id,
    state: 'queued',
    createdAt: T(n),
    record: {
      id,
      createdAt: T(n),
      certificateType: 'individu',
      applicant: {
        nama: 'SITI RAHAYU',
        nik: '3577014501900003',
        nip: null,
        email: 'siti@madiunkota.go.id',
        perangkatDaerah: 'Dinas Komunikasi dan Informatika',
      },
      ocrText: '',
      csrPem: 'csr',
      encryptedPrivateKeyPem: 'key',
    },
    image: { mediaType: 'image/jpeg', blob: new Blob([new Uint8Array(n * 10)], { type: 'image/jpeg' }) },
    attachments: [],
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    syncedAt: null,
    rejection: null,
    ...overrides,
  };
}

const paper = (kind: OutboxAttachment['kind'], bytes: number[]): OutboxAttachment => ({
  kind,
  mediaType: 'application/pdf',
  blob: new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }),
});
const PAPERS = [paper('surat-rekomendasi', [1, 2, 3]), paper('surat-pengantar', [4, 5])];

const DECISION: SignedStatement = { payload: '{"v":1,"type":"decision"}', signature: 'A'.repeat(86) };

const bytesOf = async (blob: Blob | undefined) => [
  ...new Uint8Array(await (blob ?? new Blob()).arrayBuffer()),
];
const numberOf = (item: { id: string }) => Number(item.id.slice(-2));

/** The view the store reports next (or now): subscribers hear of every change, from any tab. */
async function latestView(store: Store): Promise<OutboxView> {
  const views: OutboxView[] = [];
  const stop = store.subscribe((view) => views.push(view));
  await expect.poll(() => views.length).toBeGreaterThan(0);
  stop();
  const view = views.at(-1);
  if (!view) throw new Error('no view');
  return view;
}

describe.each(ADAPTERS)('OutboxStore contract: %s', (_, open) => {
  it('starts each history as captured → queued at the capture time, whatever the caller passed', async () => {
    const store = open();
    const item = makeItem(1);
    await store.add({ ...item, history: [{ state: 'issued', at: T(0) }] } as OutboxItem);
    const [queued] = await store.queued();
    expect(queued?.history).toEqual([
      { state: 'captured', at: T(1) },
      { state: 'queued', at: T(1) },
    ]);
    expect(new Uint8Array(await (clearItem(queued).image.blob ?? new Blob()).arrayBuffer())).toHaveLength(10);
  });

  it('refuses to add anything but a held or queued application, and the same id twice', async () => {
    const store = open();
    for (const state of ['rejected', 'synced'] as const)
      await expect(store.add(makeItem(1, { state }))).rejects.toBeInstanceOf(IllegalTransitionError);
    await store.add(makeItem(2));
    await expect(store.add(makeItem(2))).rejects.toThrow();
    expect((await store.list()).map((i) => i.id)).toEqual([makeItem(2).id]);
  });

  it('lists summaries newest first, filtered and limited, with the image size but not its bytes', async () => {
    const store = open();
    for (const n of [3, 1, 4, 2]) await store.add(makeItem(n));
    await store.markSynced([makeItem(4).id], T(30));
    await store.markRejected(makeItem(1).id, { code: 'bad', message: 'bad' }, T(31));
    const ids = async (options?: Parameters<OutboxStore['list']>[0]) =>
      (await store.list(options)).map((i) => Number(i.id.slice(-2)));
    expect(await ids()).toEqual([4, 3, 2, 1]);
    expect(await ids({ state: 'queued' })).toEqual([3, 2]);
    expect(await ids({ state: 'synced' })).toEqual([4]);
    expect(await ids({ state: 'rejected' })).toEqual([1]);
    expect(await ids({ limit: 3 })).toEqual([4, 3, 2]);
    expect(await ids({ idPrefix: makeItem(2).id })).toEqual([2]);
    expect(await ids({ idPrefix: makeItem(2).id.slice(0, 20).toUpperCase() })).toEqual([4, 3, 2, 1]);
    expect(await ids({ idPrefix: makeItem(2).id.slice(0, 20), state: 'queued', limit: 1 })).toEqual([3]);
    expect(await ids({ idPrefix: 'ffffffff-' })).toEqual([]);
    const [newest] = await store.list();
    expect(clearSummary(newest).image).toEqual({ mediaType: 'image/jpeg', bytes: 40 });
    expect(newest?.history.map((e) => e.state)).toEqual(['captured', 'queued', 'synced']);
  });

  it('moves only queued items, once, and appends to the history without rewriting it', async () => {
    const store = open();
    await store.add(makeItem(1));
    await store.add(makeItem(2));
    await store.markSynced([makeItem(1).id], T(10));
    await store.markSynced([makeItem(1).id, makeItem(2).id], T(11));
    await store.markRejected(makeItem(1).id, { code: 'late', message: 'late' }, T(12));
    const byId = new Map((await store.list()).map((i) => [Number(i.id.slice(-2)), i]));
    expect(byId.get(1)?.history).toEqual([
      { state: 'captured', at: T(1) },
      { state: 'queued', at: T(1) },
      { state: 'synced', at: T(10) },
    ]);
    expect(byId.get(1)?.rejection).toBeNull();
    expect(byId.get(2)?.history.at(-1)).toEqual({ state: 'synced', at: T(11) });
  });

  it('keeps the server’s news for delivered applications only, once, and stops asking about settled ones', async () => {
    const store = open();
    for (const n of [1, 2, 3, 4]) await store.add(makeItem(n));
    await store.markSynced(
      [1, 2, 3].map((n) => makeItem(n).id),
      T(10),
    );
    const status = (n: number, state: 'issued' | 'ca-rejected' | 'sent-to-ca' | 'received') => ({
      id: makeItem(n).id,
      state,
      changedAt: T(20),
      certificatePem: state === 'issued' ? 'PEM' : null,
      reason: state === 'ca-rejected' ? 'NIP tidak aktif' : null,
    });
    expect(await store.awaitingOutcome()).toEqual([1, 2, 3].map((n) => makeItem(n).id));

    expect(await store.applyServerStatus(status(1, 'issued'), T(21))).toBe(true);
    expect(await store.applyServerStatus(status(1, 'issued'), T(22))).toBe(false);
    expect(await store.applyServerStatus(status(2, 'sent-to-ca'), T(21))).toBe(true);
    expect(await store.applyServerStatus(status(3, 'received'), T(21))).toBe(false);
    // Still queued here: the server cannot have news for it, whatever it says.
    expect(await store.applyServerStatus(status(4, 'issued'), T(21))).toBe(false);

    const byId = new Map((await store.list()).map((i) => [Number(i.id.slice(-2)), i]));
    expect(byId.get(1)?.history.at(-1)).toEqual({ state: 'issued', at: T(21), note: 'server' });
    expect(byId.get(1)?.history.filter((e) => e.state === 'issued')).toHaveLength(1);
    expect(byId.get(1)?.serverStatus).toEqual(status(1, 'issued'));
    expect(byId.get(1)?.state).toBe('synced');
    expect(byId.get(4)?.serverStatus).toBeUndefined();
    expect(await store.awaitingOutcome()).toEqual([2, 3].map((n) => makeItem(n).id));
  });

  it('keeps what the server says of the e-mail confirmation while it holds the application, without touching the history (Pasal 10)', async () => {
    const store = open();
    await store.add(makeItem(1));
    await store.markSynced([makeItem(1).id], T(10));
    const received = (emailConfirmed?: boolean) => ({
      id: makeItem(1).id,
      state: 'received' as const,
      changedAt: T(10),
      certificatePem: null,
      reason: null,
      ...(emailConfirmed === undefined ? {} : { emailConfirmed }),
    });
    // An older server says nothing about it: nothing new.
    expect(await store.applyServerStatus(received(), T(20))).toBe(false);
    expect(await store.applyServerStatus(received(false), T(21))).toBe(true);
    expect(await store.applyServerStatus(received(false), T(22))).toBe(false);
    expect(await store.applyServerStatus(received(true), T(23))).toBe(true);
    const [item] = await store.list();
    expect(item?.serverStatus).toEqual(received(true));
    expect(item?.history.map((e) => e.state)).toEqual(['captured', 'queued', 'synced']);
    expect(await store.awaitingOutcome()).toEqual([makeItem(1).id]);
  });

  it('keeps the e-mail confirmed at the counter with the application', async () => {
    const store = open();
    const confirmation = { email: 'siti@madiunkota.go.id', confirmedAt: T(0) };
    await store.add(makeItem(1, { emailConfirmation: confirmation }));
    await store.add(makeItem(2));
    const byId = new Map((await store.list()).map((i) => [Number(i.id.slice(-2)), i]));
    expect(byId.get(1)?.emailConfirmation).toEqual(confirmation);
    expect(byId.get(2)?.emailConfirmation).toBeUndefined();
    expect((await store.queued()).find((i) => i.id === makeItem(1).id)?.emailConfirmation).toEqual(
      confirmation,
    );
  });

  it('records a handover in the same step, and refuses one for a refused application', async () => {
    const store = open();
    await store.add(makeItem(1));
    await store.add(makeItem(2));
    await store.updateHandover(makeItem(1).id, (h) => ({ ...h, handedOverAt: T(20) }), {
      state: 'handed-over',
      at: T(20),
    });
    // A wrong passphrase changes the handover state but not the history.
    await store.updateHandover(makeItem(2).id, (h) => ({ ...h, wrongAttempts: h.wrongAttempts + 1 }));
    await store.markRejected(makeItem(2).id, { code: 'bad', message: 'bad' }, T(21));
    await expect(
      store.updateHandover(makeItem(2).id, (h) => ({ ...h, handedOverAt: T(22) }), {
        state: 'handed-over',
        at: T(22),
      }),
    ).rejects.toBeInstanceOf(IllegalTransitionError);
    const byId = new Map((await store.list()).map((i) => [Number(i.id.slice(-2)), i]));
    expect(byId.get(1)?.history.map((e) => e.state)).toEqual(['captured', 'queued', 'handed-over']);
    expect(byId.get(1)?.state).toBe('queued');
    expect(byId.get(2)?.handover).toMatchObject({ wrongAttempts: 1, handedOverAt: null });
    expect(byId.get(2)?.history.map((e) => e.state)).toEqual(['captured', 'queued', 'rejected']);
  });

  it('keeps the papers with their bytes, gives them back as added, and lists them without the bytes', async () => {
    const store = open();
    await store.add(makeItem(1, { attachments: PAPERS }));
    await store.add(makeItem(2));
    const [withPapers, without] = await store.queued();
    expect(clearItem(withPapers).attachments.map((a) => [a.kind, a.mediaType])).toEqual([
      ['surat-rekomendasi', 'application/pdf'],
      ['surat-pengantar', 'application/pdf'],
    ]);
    expect(await Promise.all(clearItem(withPapers).attachments.map((a) => bytesOf(a.blob)))).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(await bytesOf(clearItem(withPapers).image.blob)).toHaveLength(10);
    expect(clearItem(without).attachments).toEqual([]);
    const byId = new Map((await store.list()).map((i) => [numberOf(i), i]));
    expect(clearSummary(byId.get(1)).attachments).toEqual([
      { kind: 'surat-rekomendasi', mediaType: 'application/pdf', bytes: 3 },
      { kind: 'surat-pengantar', mediaType: 'application/pdf', bytes: 2 },
    ]);
    expect(clearSummary(byId.get(2)).attachments).toEqual([]);
  });

  it('refuses two papers of one kind and stores nothing of that application', async () => {
    const store = open();
    const twice = makeItem(1, {
      attachments: [paper('surat-pengantar', [1]), paper('surat-pengantar', [2])],
    });
    await expect(store.add(twice)).rejects.toThrow();
    expect(await store.list()).toEqual([]);
    // The id is still free.
    await store.add(makeItem(1, { attachments: PAPERS }));
    expect((await store.queued()).map(numberOf)).toEqual([1]);
  });

  it('holds an application for the officer: captured only, listed with its files, counted, never queued', async () => {
    const store = open();
    await store.add(makeItem(3, { state: 'held', attachments: PAPERS }));
    await store.add(makeItem(1, { state: 'held' }));
    await store.add(makeItem(2));
    const held = await store.held();
    expect(held.map(numberOf)).toEqual([1, 3]);
    expect(held[1]?.history).toEqual([{ state: 'captured', at: T(3) }]);
    expect(held[1]?.state).toBe('held');
    expect(await Promise.all(clearItem(held[1]).attachments.map((a) => bytesOf(a.blob)))).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(await bytesOf(clearItem(held[1]).image.blob)).toHaveLength(30);
    expect((await store.queued()).map(numberOf)).toEqual([2]);
    expect((await store.list({ state: 'held' })).map(numberOf)).toEqual([3, 1]);
    expect((await latestView(store)).counts).toEqual({ held: 2, queued: 1, synced: 0, rejected: 0 });
    // Neither an acknowledgement nor a failed attempt touches a held application.
    await store.markSynced([makeItem(1).id], T(40));
    await store.markRejected(makeItem(1).id, { code: 'x', message: 'x' }, T(40));
    await store.markAttemptFailed([makeItem(1).id], 'x', () => T(50));
    expect((await store.held()).map((i) => [numberOf(i), i.state, i.attempts, i.history.length])).toEqual([
      [1, 'held', 0, 1],
      [3, 'held', 0, 1],
    ]);
  });

  it('queues a held application with the officer’s decision: decided, then queued, in the record', async () => {
    const store = open();
    await store.add(makeItem(1, { state: 'held', attachments: PAPERS }));
    await store.add(makeItem(2, { state: 'held' }));
    await store.decide(makeItem(1).id, DECISION, T(20));
    expect((await store.held()).map(numberOf)).toEqual([2]);
    const [queued] = await store.queued();
    expect(queued).toMatchObject({ id: makeItem(1).id, state: 'queued' });
    expect(queued?.record).toEqual({ ...makeItem(1).record, decision: DECISION });
    expect(queued?.history).toEqual([
      { state: 'captured', at: T(1) },
      { state: 'decided', at: T(20) },
      { state: 'queued', at: T(20) },
    ]);
    // The files are untouched by the decision.
    expect(await Promise.all(clearItem(queued).attachments.map((a) => bytesOf(a.blob)))).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect((await latestView(store)).counts).toEqual({ held: 1, queued: 1, synced: 0, rejected: 0 });
  });

  it('refuses a decision on anything but a held application, and changes nothing', async () => {
    const store = open();
    await store.add(makeItem(1, { state: 'held' }));
    await store.decide(makeItem(1).id, DECISION, T(20));
    await store.add(makeItem(2));
    await store.add(makeItem(3));
    await store.markSynced([makeItem(3).id], T(21));
    const before = await store.list();
    const other: SignedStatement = { ...DECISION, payload: '{"v":1,"type":"decision","again":true}' };
    for (const n of [1, 2, 3, 4]) {
      await expect(store.decide(makeItem(n).id, other, T(30))).rejects.toBeInstanceOf(IllegalTransitionError);
    }
    expect(await store.list()).toEqual(before);
    expect((await store.queued()).find((i) => numberOf(i) === 1)?.record.decision).toEqual(DECISION);
  });

  it('keeps the first release of an application, leaves state and history alone, and ignores unknown ids', async () => {
    const store = open();
    await store.add(makeItem(1, { state: 'held' }));
    await store.decide(makeItem(1).id, DECISION, T(20));
    await store.markSynced([makeItem(1).id], T(21));
    await store.add(makeItem(2));
    await store.add(makeItem(3));
    const before = new Map((await store.list()).map((i) => [numberOf(i), i]));
    const first = { releasedAt: T(40), officerId: '5d0b7a3e-9c41-4f0e-8a2b-6c7d8e9f0a1b' };
    const again = { releasedAt: T(50), officerId: '7e1c2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f' };

    await store.markReleased([makeItem(1).id, makeItem(2).id, makeItem(9).id], first);
    await store.markReleased([makeItem(1).id, makeItem(2).id], again);

    const after = new Map((await store.list()).map((i) => [numberOf(i), i]));
    expect([...after.keys()].sort()).toEqual([1, 2, 3]);
    expect(after.get(1)?.release).toEqual(first);
    expect(after.get(2)?.release).toEqual(first);
    expect(after.get(3)?.release).toBeUndefined();
    for (const n of [1, 2]) expect(after.get(n)).toEqual({ ...before.get(n), release: first });
    // Given back with the files too, and reported to subscribers.
    expect((await store.queued()).find((i) => numberOf(i) === 2)?.release).toEqual(first);
    expect((await latestView(store)).items.find((i) => numberOf(i) === 1)?.release).toEqual(first);
  });

  it('counts what the server has not acknowledged (held and queued) and finds the oldest of them', async () => {
    const store = open();
    expect(await store.unsynced()).toEqual({ count: 0, oldestCreatedAt: null });
    // Synced and refused ones are older still, but no longer wait for the server.
    for (const n of [1, 2]) await store.add(makeItem(n));
    await store.markSynced([makeItem(1).id], T(30));
    await store.markRejected(makeItem(2).id, { code: 'bad', message: 'bad' }, T(30));
    await store.add(makeItem(7));
    await store.add(makeItem(4, { state: 'held' }));
    await store.add(makeItem(9, { state: 'held' }));
    expect(await store.unsynced()).toEqual({ count: 3, oldestCreatedAt: T(4) });
    // The oldest leaves once decided and acknowledged; the next oldest is the queued one.
    await store.decide(makeItem(4).id, DECISION, T(31));
    await store.markSynced([makeItem(4).id], T(32));
    expect(await store.unsynced()).toEqual({ count: 2, oldestCreatedAt: T(7) });
    await store.markSynced([makeItem(7).id], T(33));
    expect(await store.unsynced()).toEqual({ count: 1, oldestCreatedAt: T(9) });
  });
});

describe.each<[string, () => KioskPolicyStore]>([
  ['Dexie', () => openOutbox(`contract-${crypto.randomUUID()}`)],
  ['memory', () => createMemoryKioskPolicy()],
])('KioskPolicyStore contract: %s', (_, open) => {
  it('remembers the last minimum version heard, and forgets it when told null', async () => {
    const policy = open();
    expect(await policy.minimumKioskVersion()).toBeNull();
    await policy.saveMinimumKioskVersion('1.2.0');
    await policy.saveMinimumKioskVersion('1.3.0');
    expect(await policy.minimumKioskVersion()).toBe('1.3.0');
    await policy.saveMinimumKioskVersion(null);
    expect(await policy.minimumKioskVersion()).toBeNull();
  });

  it('keeps the newest archive key heard: a rotation arrives, an older answer never rolls it back', async () => {
    const policy = open();
    const key = (keyId: string, createdAt: string) => ({
      keyId,
      publicKeySpki: 'A'.repeat(122),
      createdAt,
    });
    expect(await policy.archiveKey()).toBeNull();
    await policy.saveArchiveKey(key('archive-1', '2026-01-01T00:00:00.000Z'));
    await policy.saveArchiveKey(key('archive-2', '2026-03-01T00:00:00.000Z'));
    await policy.saveArchiveKey(key('archive-1', '2026-01-01T00:00:00.000Z'));
    expect((await policy.archiveKey())?.keyId).toBe('archive-2');
  });
});

describe.each<[string, () => KioskCounterKeyStore]>([
  ['Dexie', () => openOutbox(`contract-${crypto.randomUUID()}`)],
  ['memory', () => createMemoryKioskCounterKey()],
])('KioskCounterKeyStore contract: %s', (_, open) => {
  it('makes one non-extractable fallback counter key and keeps it', async () => {
    const store = open();
    const [first, second] = await Promise.all([store.kioskCounterKey(), store.kioskCounterKey()]);
    expect(first.keyId).toBe(second.keyId);
    expect(first.privateKey.extractable).toBe(false);
    expect((await store.kioskCounterKey()).keyId).toBe(first.keyId);
  });
});

/** An archive key and an officer's counter key, and the recipients an application is sealed to. */
async function sealingKeys() {
  const [archive, counter] = await Promise.all([generateSealKeyPair(), generateSealKeyPair()]);
  const archiveKey = { keyId: 'archive-1', ...archive };
  const counterKey = { keyId: 'counter-officer-1', ...counter };
  const recipients: SealRecipientKey[] = [
    { kind: 'archive', keyId: archiveKey.keyId, publicKey: archive.publicKey },
    { kind: 'counter', keyId: counterKey.keyId, publicKey: counter.publicKey },
  ];
  return { archiveKey, counterKey, recipients };
}

const PERSONAL = ['SITI RAHAYU', '3577014501900003', 'siti@madiunkota.go.id'];

function sealedOf(item: AnyStoredItem | null | undefined) {
  if (!item || !('sealed' in item)) throw new Error('not sealed');
  return item;
}

describe.each(ADAPTERS)('OutboxStore contract, sealed applications: %s', (_, open) => {
  it('keeps a sealed application: the blob as added, key material beside it, no personal field in a summary', async () => {
    const store = open();
    const { recipients, counterKey } = await sealingKeys();
    const sealed = await sealForOutbox(makeItem(1, { state: 'held', attachments: PAPERS }), recipients, null);
    await store.add(sealed);

    const [held] = await store.held();
    expect(sealedOf(held).sealed).toEqual(sealed.sealed);
    // 'csr' is no real request: no evidence of it, and the text itself not kept.
    expect(sealedOf(held).keyMaterial).toEqual({ encryptedPrivateKeyPem: 'key', request: null });
    expect(held?.history).toEqual([{ state: 'captured', at: T(1) }]);
    const [summary] = await store.list();
    expect(summary).toMatchObject({ id: sealed.id, sealedBytes: sealed.sealed.byteLength });
    expect(summary).not.toHaveProperty('sealed');
    expect(summary).not.toHaveProperty('keyMaterial');
    const text = JSON.stringify(summary);
    for (const value of [...PERSONAL, 'csr', 'key"']) expect(text).not.toContain(value);
    expect(summary?.record).toEqual({
      id: sealed.id,
      createdAt: T(1),
      certificateType: 'individu',
      applicant: { perangkatDaerah: 'Dinas Komunikasi dan Informatika' },
    });
    // The counter opens it while it is held.
    expect((await openBytes(sealedOf(held).sealed, counterKey, sealedRecordContext(sealed.id))).ok).toBe(
      true,
    );
  });

  it('drops the counter entries with the acknowledgement: the archive still opens, the counter key no more', async () => {
    const store = open();
    const { recipients, counterKey, archiveKey } = await sealingKeys();
    const sealed = await sealForOutbox(makeItem(2), recipients, null);
    await store.add(sealed);
    const [queued] = await store.queued();
    expect(sealedOf(queued).sealed).toEqual(sealed.sealed);

    await store.markSynced([sealed.id], T(5));

    const [after] = await store.list({ state: 'synced' });
    expect(after?.history.map((e) => e.state)).toEqual(['captured', 'queued', 'synced']);
    const stored = sealedOf(await getItem(store, sealed.id));
    const context = sealedRecordContext(sealed.id);
    expect(await openBytes(stored.sealed, counterKey, context)).toEqual({
      ok: false,
      problem: 'not-a-recipient',
    });
    expect((await openBytes(stored.sealed, archiveKey, context)).ok).toBe(true);
    // A repeated acknowledgement changes nothing.
    await store.markSynced([sealed.id], T(6));
    expect(sealedOf(await getItem(store, sealed.id)).sealed).toEqual(stored.sealed);
  });

  it('seals the clear applications pending, keeping state, history and a decision, and drops the counter entries of a synced one', async () => {
    const store = open();
    const { counterKey, archiveKey } = await sealingKeys();
    const held = makeItem(3, { state: 'held', attachments: PAPERS });
    const queued = makeItem(4);
    await store.add(held);
    await store.add(queued);
    await store.decide(held.id, DECISION, T(7));
    await store.markSynced([queued.id], T(8));
    expect((await store.pendingSeal()).map(numberOf).sort()).toEqual([3, 4]);

    const spki = await exportSealPublicKey(archiveKey.publicKey);
    const report = await sealPendingApplications({
      store,
      recipients: {
        policy: createMemoryKioskPolicy(null, {
          keyId: archiveKey.keyId,
          publicKeySpki: spki,
          createdAt: T(0),
        }),
        officers: async () => [],
        counterKey: { kioskCounterKey: async () => counterKey },
      },
      nikHashKey: async () => null,
    });

    expect(report).toEqual({ sealed: 2, waiting: null });
    expect(await store.pendingSeal()).toEqual([]);
    const decided = sealedOf(await getItem(store, held.id));
    expect(decided.state).toBe('queued');
    expect(decided.record.decision).toEqual(DECISION);
    expect(decided.history.map((e) => e.state)).toEqual(['captured', 'decided', 'queued']);
    const ctx = (id: string) => sealedRecordContext(id);
    expect((await openBytes(decided.sealed, counterKey, ctx(held.id))).ok).toBe(true);
    const synced = sealedOf(await getItem(store, queued.id));
    expect(await openBytes(synced.sealed, counterKey, ctx(queued.id))).toEqual({
      ok: false,
      problem: 'not-a-recipient',
    });
    expect((await openBytes(synced.sealed, archiveKey, ctx(queued.id))).ok).toBe(true);
    const text = JSON.stringify(await store.list());
    for (const value of PERSONAL) expect(text).not.toContain(value);
  });

  it('purges a synced application as retention says: the blob, the key material, once, and one audit event', async () => {
    const store = open();
    const { recipients } = await sealingKeys();
    const approved = await sealForOutbox(makeItem(6), recipients, null);
    const waiting = await sealForOutbox(makeItem(7), recipients, null);
    await store.add(approved);
    await store.add(waiting);
    await store.markSynced([approved.id], T(10));
    // Handed over: the key material can go too.
    await store.updateHandover(approved.id, (h) => ({ ...h, handedOverAt: T(11) }), {
      state: 'handed-over',
      at: T(11),
    });
    const events: { type: string; detail: unknown }[] = [];
    const audit = {
      append: async (type: string, _subject?: string | null, detail?: unknown) => {
        events.push({ type, detail });
        return {} as never;
      },
    };
    const deps = { outbox: store, audit, graceHours: 24 };

    // Not yet past the grace period: nothing goes.
    const early = await purgeExpired({ ...deps, now: () => new Date('2026-11-26T08:00:00.000Z') });
    expect(early.ids).toEqual([]);
    const later = new Date('2026-11-26T09:00:00.000Z');
    const report = await purgeExpired({ ...deps, now: () => later });

    expect(report).toEqual({ at: later.toISOString(), ids: [approved.id], sealedBlobs: 1, privateKeys: 1 });
    const purged = sealedOf(await getItem(store, approved.id));
    expect(purged.sealed.byteLength).toBe(0);
    expect(purged.keyMaterial).toBeNull();
    expect(purged.purgedAt).toBe(later.toISOString());
    const summary = (await store.list()).find((i) => i.id === approved.id);
    expect(summary).toMatchObject({ sealedBytes: 0, hasKeyMaterial: false, purgedAt: later.toISOString() });
    // The application waiting at the server's door keeps everything.
    expect(sealedOf(await getItem(store, waiting.id)).sealed).toEqual(waiting.sealed);
    expect(events).toEqual([
      { type: 'purged', detail: { ids: [approved.id], sealedBlobs: 1, privateKeys: 1 } },
    ]);
    // Nothing twice.
    expect((await purgeExpired({ ...deps, now: () => later })).ids).toEqual([]);
    expect(events).toHaveLength(1);
  });

  it('leaves clear applications pending while no archive key was heard', async () => {
    const store = open();
    await store.add(makeItem(5));
    const report = await sealPendingApplications({
      store,
      recipients: {
        policy: createMemoryKioskPolicy(),
        officers: async () => [],
        counterKey: createMemoryKioskCounterKey(),
      },
      nikHashKey: async () => null,
    });
    expect(report).toEqual({ sealed: 0, waiting: 'no-archive-key' });
    expect((await store.pendingSeal()).map(numberOf)).toEqual([5]);
    expect(clearItem((await store.queued())[0]).record.applicant.nama).toBe('SITI RAHAYU');
  });
});

/** One stored item by id, from either adapter. */
async function getItem(store: Store, id: string): Promise<AnyStoredItem | null> {
  const found = (store as Partial<HandoverStore>).get?.(id);
  return (await found) ?? null;
}
