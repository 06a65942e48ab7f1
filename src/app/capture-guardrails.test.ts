import { describe, expect, it, vi } from 'vitest';
import { createMemoryKioskPolicy, createMemoryOutbox } from '../adapters/db/memory-outbox';
import type { GuardrailKind } from '../core/outbox/guardrails';
import { MB } from '../core/outbox/storage';
import type { RecordResult, SyncBatch } from '../protocol/sync';
import {
  type CaptureGuardrailDeps,
  type ChangeSource,
  checkCaptureGuardrails,
  type Guardrail,
  watchCaptureGuardrails,
} from './capture-guardrails';
import type { OutboxItem, OutboxStore, StorageEstimate, StorageInspector, SyncTransport } from './ports';
import { syncOutbox } from './sync-outbox';

const NOW = new Date('2026-11-25T08:00:00.000Z');
const DAY = 86_400_000;
const KIOSK_ID = '6f1d2c3b-4a59-4e68-9d7c-8b0a1f2e3d4c';
const THRESHOLDS = { warnBelowPercent: 20, warnBelowMb: 500, criticalBelowPercent: 5, criticalBelowMb: 100 };
const LIMITS = { maxUnsynced: 3, maxUnsyncedAgeDays: 14 };
const ROOMY: StorageEstimate = { usage: 100 * MB, quota: 10_000 * MB };
const NEARLY_FULL: StorageEstimate = { usage: 9_950 * MB, quota: 10_000 * MB };

/** An application captured `ageDays` before NOW, in `state`. */
function makeItem(n: number, ageDays: number, state: OutboxItem['state'] = 'queued'): OutboxItem {
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const createdAt = new Date(NOW.getTime() - ageDays * DAY - n * 1000).toISOString();
  return {
    id,
    state,
    createdAt,
    record: {
      id,
      createdAt,
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
    image: { mediaType: 'image/png', blob: new Blob([new Uint8Array(8)], { type: 'image/png' }) },
    attachments: [],
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    syncedAt: null,
    rejection: null,
  };
}

const inspector = (estimate: StorageEstimate | null): StorageInspector => ({
  estimate: async () => estimate,
  persisted: async () => true,
  persist: async () => true,
});

interface Kiosk {
  items?: OutboxItem[];
  estimate?: StorageEstimate | null;
  minimum?: string | null;
  version?: string;
  /** False: the kiosk never reached the server and holds no archive key. */
  archiveKey?: boolean;
}

const ARCHIVE_KEY = { keyId: 'archive-1', publicKeySpki: 'A'.repeat(122), createdAt: NOW.toISOString() };

function setup({
  items = [],
  estimate = ROOMY,
  minimum = null,
  version = '1.4.0',
  archiveKey = true,
}: Kiosk = {}) {
  const outbox = createMemoryOutbox({ items });
  const deps: CaptureGuardrailDeps = {
    outbox,
    policy: createMemoryKioskPolicy(minimum, archiveKey ? ARCHIVE_KEY : null),
    storage: inspector(estimate),
    storageThresholds: THRESHOLDS,
    kioskVersion: version,
    limits: LIMITS,
    now: () => NOW,
  };
  return { outbox, deps };
}

const kinds = (tripped: Guardrail[]) => tripped.map((g) => g.kind);

/** A server that stores every record it is sent. */
const storingServer = (): SyncTransport & { sent: string[] } => {
  const sent: string[] = [];
  return {
    sent,
    async sendBatch(batch: SyncBatch) {
      sent.push(...batch.records.map((r) => r.id));
      const results: RecordResult[] = batch.records.map((r, index) => ({
        id: r.id,
        index,
        status: 'stored',
      }));
      return { kind: 'response', status: 200, body: { results } };
    },
    async fetchStatuses(request) {
      return { kind: 'response', status: 200, body: { statuses: [], unknown: request.ids } };
    },
  };
};

const syncDeps = (outbox: OutboxStore, transport: SyncTransport) => ({
  outbox,
  identity: {
    enrollment: async () => ({ kioskId: KIOSK_ID, name: 'Loket 1', enrolledAt: NOW.toISOString() }),
  },
  transport,
  now: () => NOW,
  random: () => 0.5,
});

describe('checkCaptureGuardrails', () => {
  it.each<[string, Kiosk, GuardrailKind[]]>([
    ['an empty kiosk', {}, []],
    [
      'two recent applications, room to spare, a new enough version',
      { items: [makeItem(1, 1), makeItem(2, 2)], minimum: '1.4.0' },
      [],
    ],
    [
      'three unsynced: the limit reached',
      { items: [makeItem(1, 1), makeItem(2, 1, 'held'), makeItem(3, 1)] },
      ['too-many-unsynced'],
    ],
    ['one application waiting 15 days', { items: [makeItem(1, 15, 'held')] }, ['oldest-too-old']],
    ['the storage nearly full', { estimate: NEARLY_FULL }, ['storage-nearly-full']],
    ['the storage unknown to the browser', { estimate: null }, []],
    ['a kiosk older than the server’s minimum', { minimum: '1.5.0' }, ['software-outdated']],
    ['a kiosk that never reached the server: nothing to seal to', { archiveKey: false }, ['no-archive-key']],
  ])('%s → %j', async (_, kiosk, expected) => {
    expect(kinds(await checkCaptureGuardrails(setup(kiosk).deps))).toEqual(expected);
  });

  it('counts only what the server has not acknowledged', async () => {
    const { outbox, deps } = setup({ items: [makeItem(1, 30), makeItem(2, 1), makeItem(3, 1)] });
    expect(kinds(await checkCaptureGuardrails(deps))).toEqual(['too-many-unsynced', 'oldest-too-old']);
    await outbox.markSynced([makeItem(1, 30).id], NOW.toISOString());
    await outbox.markRejected(makeItem(2, 1).id, { code: 'bad', message: 'bad' }, NOW.toISOString());
    expect(await checkCaptureGuardrails(deps)).toEqual([]);
  });

  it('gives the figures the message needs', async () => {
    const items = [makeItem(1, 20), makeItem(2, 1), makeItem(3, 1), makeItem(4, 1)];
    const { deps } = setup({ items, minimum: '2.0.0', version: '1.4.0' });
    expect(await checkCaptureGuardrails(deps)).toEqual([
      { kind: 'too-many-unsynced', unsynced: 4, max: 3 },
      { kind: 'oldest-too-old', ageDays: 20, maxDays: 14, oldestAt: makeItem(1, 20).createdAt },
      { kind: 'software-outdated', kioskVersion: '1.4.0', minimumVersion: '2.0.0' },
    ]);
  });
});

describe('guardrails and the sync', () => {
  it('never hold back queued applications: with every guardrail tripped, the sync still sends them all', async () => {
    const items = [makeItem(1, 30), makeItem(2, 2), makeItem(3, 1), makeItem(4, 1)];
    const { outbox, deps } = setup({ items, estimate: NEARLY_FULL, minimum: '9.0.0' });
    expect(kinds(await checkCaptureGuardrails(deps))).toEqual([
      'too-many-unsynced',
      'oldest-too-old',
      'storage-nearly-full',
      'software-outdated',
    ]);

    const server = storingServer();
    const report = await syncOutbox(syncDeps(outbox, server));

    expect(report).toMatchObject({ synced: 4, remaining: 0, error: null });
    expect(server.sent.sort()).toEqual(items.map((i) => i.id).sort());
    // What the sync can lift is lifted; the rest needs the officer (free space, update the kiosk).
    expect(kinds(await checkCaptureGuardrails(deps))).toEqual(['storage-nearly-full', 'software-outdated']);
  });

  it('lifts the block by itself once the sync completes', async () => {
    const items = [makeItem(1, 20), makeItem(2, 1), makeItem(3, 1)];
    const { outbox, deps } = setup({ items });
    const verdicts: GuardrailKind[][] = [];
    const fromOutbox: ChangeSource = (changed) => outbox.subscribe(changed, { limit: 1 });
    const stop = watchCaptureGuardrails(
      () => checkCaptureGuardrails(deps),
      [fromOutbox],
      (tripped) => verdicts.push(kinds(tripped)),
    );
    await vi.waitFor(() => expect(verdicts.at(-1)).toEqual(['too-many-unsynced', 'oldest-too-old']));

    await syncOutbox(syncDeps(outbox, storingServer()));

    await vi.waitFor(() => expect(verdicts.at(-1)).toEqual([]));
    stop();
  });
});

describe('watchCaptureGuardrails', () => {
  /** A change source the test fires by hand. */
  const manualSource = () => {
    const listeners = new Set<() => void>();
    const source: ChangeSource = (changed) => {
      listeners.add(changed);
      return () => listeners.delete(changed);
    };
    const fire = () => {
      for (const l of listeners) l();
    };
    return { source, fire, listeners };
  };

  it('checks once more for changes during a check, and never reports a verdict already out of date', async () => {
    let release: () => void = () => undefined;
    const answers: Guardrail[][] = [[{ kind: 'storage-nearly-full' }], []];
    let calls = 0;
    const check = vi.fn(async () => {
      const answer = answers[Math.min(calls, answers.length - 1)] ?? [];
      calls++;
      if (calls === 1) await new Promise<void>((resolve) => (release = resolve));
      return answer;
    });
    const { source, fire } = manualSource();
    const verdicts: Guardrail[][] = [];
    const stop = watchCaptureGuardrails(check, [source], (v) => verdicts.push(v));
    // Three changes while the first check runs: one more check, not three.
    fire();
    fire();
    fire();
    release();
    await vi.waitFor(() => expect(check).toHaveBeenCalledTimes(2));
    await vi.waitFor(() => expect(verdicts).toEqual([[]]));
    stop();
  });

  it('keeps the last verdict when a check fails, and stops listening when stopped', async () => {
    let fail = false;
    const check = vi.fn(async (): Promise<Guardrail[]> => {
      if (fail) throw new Error('IndexedDB went away');
      return [{ kind: 'storage-nearly-full' }];
    });
    const { source, fire, listeners } = manualSource();
    const verdicts: Guardrail[][] = [];
    const errors: unknown[] = [];
    const stop = watchCaptureGuardrails(
      check,
      [source],
      (v) => verdicts.push(v),
      (e) => errors.push(e),
    );
    await vi.waitFor(() => expect(verdicts).toHaveLength(1));
    fail = true;
    fire();
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    expect(verdicts).toEqual([[{ kind: 'storage-nearly-full' }]]);
    stop();
    expect(listeners.size).toBe(0);
  });
});
