import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { clearItem, framedOf } from '../../tests/support/clear-items';
import { createMemoryOutbox, type MemoryOutbox } from '../adapters/db/memory-outbox';
import { backoffDelay } from '../core/outbox/backoff';
import { decodeBatchFrame, encodeBatchFrame, splitAttachments } from '../protocol/batch-frame';
import { applicationHash } from '../protocol/officer';
import type { SignedStatement } from '../protocol/statement';
import {
  type ApplicationStatus,
  framedRecordSchema,
  LIMITS,
  RECORD_ATTACHMENT_KINDS,
  type RecordResult,
  recordFileLengths,
  type StatusRequest,
  type SyncBatch,
} from '../protocol/sync';
import type { OutboxAttachment, OutboxItem, SyncTransport, TransportResult } from './ports';
import {
  framedRecord,
  planBatches,
  type SyncDeps,
  type SyncProgress,
  syncOutbox,
  toSyncBatch,
} from './sync-outbox';

const NOW = new Date('2026-11-25T08:00:00.000Z');
const JITTER = 0.5;
const KIOSK_ID = '6f1d2c3b-4a59-4e68-9d7c-8b0a1f2e3d4c';

const idOf = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const imageBytesOf = (n: number, size: number) =>
  Uint8Array.from({ length: size }, (_, i) => (i * 31 + n) % 256);

/** When a failed attempt number `attempts` may be retried, from the back-off rule and the fixed clock. */
const retryAt = (attempts: number) =>
  new Date(NOW.getTime() + backoffDelay(attempts, () => JITTER)).toISOString();

/** A queued application as `submitApplication` stores it; `n` orders the items by capture time. */
function makeItem(n: number, overrides: Partial<OutboxItem> & { imageSize?: number } = {}): OutboxItem {
  const { imageSize = 64, ...rest } = overrides;
  const id = idOf(n);
  const createdAt = new Date(NOW.getTime() - (1000 - n) * 60_000).toISOString();
  return {
    id,
    state: 'queued',
    createdAt,
    record: {
      id,
      createdAt,
      certificateType: 'individu',
      applicant: {
        nama: 'SITI RAHAYU',
        nik: '3577014501900003',
        nip: '199001052015022001',
        email: 'siti.rahayu@madiunkota.go.id',
        perangkatDaerah: 'Dinas Komunikasi dan Informatika',
      },
      ocrText: 'NIK : 3577014501900003\nNama : SITI RAHAYU',
      csrPem: '-----BEGIN CERTIFICATE REQUEST-----\nTUlJQ1Rlc3RDU1I=\n-----END CERTIFICATE REQUEST-----\n',
      encryptedPrivateKeyPem:
        '-----BEGIN ENCRYPTED PRIVATE KEY-----\nTUlJRVRlc3RLZXk=\n-----END ENCRYPTED PRIVATE KEY-----\n',
    },
    image: { mediaType: 'image/png', blob: new Blob([imageBytesOf(n, imageSize)], { type: 'image/png' }) },
    attachments: [],
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    syncedAt: null,
    rejection: null,
    ...rest,
  };
}

type Answer = TransportResult | ((batch: SyncBatch) => TransportResult);

/** A server that answers each batch with the next scripted answer and records what it was sent. */
function scriptedTransport(
  ...script: Answer[]
): SyncTransport & { batches: SyncBatch[]; statusRequests: StatusRequest[] } {
  const batches: SyncBatch[] = [];
  const statusRequests: StatusRequest[] = [];
  return {
    batches,
    statusRequests,
    async fetchStatuses(request) {
      statusRequests.push(structuredClone(request));
      return { kind: 'response', status: 200, body: { statuses: [], unknown: request.ids } };
    },
    async sendBatch(batch) {
      batches.push(structuredClone(batch));
      const answer = script[batches.length - 1];
      if (answer === undefined) throw new Error(`the script has no answer for batch ${batches.length}`);
      return typeof answer === 'function' ? answer(batch) : answer;
    },
  };
}

const ok = (results: RecordResult[]): TransportResult => ({
  kind: 'response',
  status: 200,
  body: { results },
});
const status = (code: number, body: unknown = { error: { code: 'x', message: 'x' } }): TransportResult => ({
  kind: 'response',
  status: code,
  body,
});
const networkError: TransportResult = { kind: 'network-error', message: 'connect ECONNREFUSED' };

/** Answers every record of the batch the same way. */
const ackAll =
  (recordStatus: 'stored' | 'duplicate' = 'stored') =>
  (batch: SyncBatch): TransportResult =>
    ok(batch.records.map((r, index) => ({ id: r.id, index, status: recordStatus })));

/** Answers each record by id; a record missing from `answers` is stored. */
const ackEach =
  (answers: Record<string, Omit<RecordResult, 'id' | 'index'> | 'omit'>) =>
  (batch: SyncBatch): TransportResult =>
    ok(
      batch.records.flatMap((r, index) => {
        const answer = answers[r.id] ?? { status: 'stored' };
        return answer === 'omit' ? [] : [{ id: r.id, index, ...answer }];
      }),
    );

function setup(items: OutboxItem[], transport: SyncTransport, limits?: SyncDeps['limits']) {
  const outbox = createMemoryOutbox({ items });
  const deps: SyncDeps = {
    outbox,
    identity: {
      enrollment: async () => ({ kioskId: KIOSK_ID, name: 'Loket 1', enrolledAt: NOW.toISOString() }),
    },
    transport,
    now: () => NOW,
    random: () => JITTER,
    ...(limits ? { limits } : {}),
  };
  return { outbox, deps };
}

function stored(outbox: MemoryOutbox, id: string): OutboxItem {
  const item = outbox.get(id);
  if (!item) throw new Error(`${id} is not in the outbox`);
  return clearItem(item);
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A paper of `size` bytes whose content depends on its kind. */
function paper(kind: OutboxAttachment['kind'], size: number): OutboxAttachment {
  const seed = RECORD_ATTACHMENT_KINDS.indexOf(kind) + 100;
  return { kind, mediaType: 'application/pdf', blob: new Blob([imageBytesOf(seed, size)]) };
}

const ONE_PER_BATCH = { maxRecords: 1, maxBytes: 8 * 1024 * 1024 };

describe('syncOutbox: acknowledgements', () => {
  it('marks every stored record synced at the injected time', async () => {
    const items = [makeItem(1), makeItem(2), makeItem(3)];
    const { outbox, deps } = setup(items, scriptedTransport(ackAll()));
    const report = await syncOutbox(deps);
    expect(report).toEqual({
      synced: 3,
      rejected: 0,
      failed: 0,
      remaining: 0,
      updated: 0,
      error: null,
      credentials: null,
    });
    for (const item of items) {
      expect(stored(outbox, item.id)).toMatchObject({
        state: 'synced',
        syncedAt: NOW.toISOString(),
        lastError: null,
        nextAttemptAt: null,
      });
    }
    expect(await outbox.queued()).toEqual([]);
  });

  it('counts a duplicate as synced: the server already has it', async () => {
    const { outbox, deps } = setup([makeItem(1), makeItem(2)], scriptedTransport(ackAll('duplicate')));
    const report = await syncOutbox(deps);
    expect(report).toMatchObject({ synced: 2, failed: 0, remaining: 0 });
    expect(outbox.all().map((i) => i.state)).toEqual(['synced', 'synced']);
  });

  it('parks a rejected record with the server’s reason and syncs the rest of the batch', async () => {
    const items = [makeItem(1), makeItem(2), makeItem(3)];
    const transport = scriptedTransport(
      ackEach({
        [idOf(2)]: { status: 'rejected', code: 'invalid-csr', message: 'the CSR signature is invalid' },
      }),
    );
    const { outbox, deps } = setup(items, transport);
    const report = await syncOutbox(deps);
    expect(transport.batches).toHaveLength(1);
    expect(report).toEqual({
      synced: 2,
      rejected: 1,
      failed: 0,
      remaining: 0,
      updated: 0,
      error: null,
      credentials: null,
    });
    expect(stored(outbox, idOf(2))).toMatchObject({
      state: 'rejected',
      rejection: { code: 'invalid-csr', message: 'the CSR signature is invalid' },
      syncedAt: null,
    });
    expect(stored(outbox, idOf(1)).state).toBe('synced');
    expect(stored(outbox, idOf(3)).state).toBe('synced');
  });

  it('parks a rejected record even when the server gives no code or message', async () => {
    const { outbox, deps } = setup(
      [makeItem(1)],
      scriptedTransport(ackEach({ [idOf(1)]: { status: 'rejected' } })),
    );
    await syncOutbox(deps);
    const item = stored(outbox, idOf(1));
    expect(item.state).toBe('rejected');
    expect(item.rejection?.code).toMatch(/\S/);
    expect(item.rejection?.message).toMatch(/\S/);
  });

  it('keeps a record without an acknowledgement queued, with an error and a retry time', async () => {
    const items = [makeItem(1), makeItem(2), makeItem(3)];
    const { outbox, deps } = setup(items, scriptedTransport(ackEach({ [idOf(2)]: 'omit' })));
    const report = await syncOutbox(deps);
    expect(report).toMatchObject({ synced: 2, rejected: 0, failed: 1, remaining: 1 });
    const missing = stored(outbox, idOf(2));
    expect(missing).toMatchObject({
      state: 'queued',
      attempts: 1,
      nextAttemptAt: retryAt(1),
      syncedAt: null,
    });
    expect(missing.lastError).toMatch(/\S/);
    expect((await outbox.queued()).map((i) => i.id)).toEqual([idOf(2)]);
  });

  it('matches results by id, whatever order the server answers in', async () => {
    const transport = scriptedTransport((batch) =>
      ok(
        batch.records
          .map(
            (r, index): RecordResult =>
              r.id === idOf(1)
                ? { id: r.id, index, status: 'rejected', code: 'bad-nik', message: 'no' }
                : { id: r.id, index, status: 'stored' },
          )
          .reverse(),
      ),
    );
    const { outbox, deps } = setup([makeItem(1), makeItem(2), makeItem(3)], transport);
    await syncOutbox(deps);
    expect(outbox.all().map((i) => [i.id, i.state])).toEqual([
      [idOf(1), 'rejected'],
      [idOf(2), 'synced'],
      [idOf(3), 'synced'],
    ]);
  });

  it('ignores an acknowledgement for a record that was not in the batch', async () => {
    const waiting = makeItem(2, { nextAttemptAt: new Date(NOW.getTime() + 60_000).toISOString() });
    const transport = scriptedTransport(
      ok([
        { id: idOf(1), index: 0, status: 'stored' },
        { id: idOf(2), index: 1, status: 'stored' },
      ]),
    );
    const { outbox, deps } = setup([makeItem(1), waiting], transport);
    const report = await syncOutbox(deps);
    expect(report).toMatchObject({ synced: 1, remaining: 1 });
    expect(stored(outbox, idOf(2))).toMatchObject({ state: 'queued', syncedAt: null });
  });

  it('sends nothing on a second pass once everything is acknowledged', async () => {
    const transport = scriptedTransport(ackAll());
    const { deps } = setup([makeItem(1), makeItem(2)], transport);
    await syncOutbox(deps);
    const again = await syncOutbox(deps);
    expect(transport.batches).toHaveLength(1);
    expect(again).toEqual({
      synced: 0,
      rejected: 0,
      failed: 0,
      remaining: 0,
      updated: 0,
      error: null,
      credentials: null,
    });
  });
});

describe('syncOutbox: failures', () => {
  it('on a network error marks nothing synced, schedules a retry and stops the pass', async () => {
    const items = [makeItem(1), makeItem(2), makeItem(3)];
    const transport = scriptedTransport(networkError, ackAll(), ackAll());
    const { outbox, deps } = setup(items, transport, ONE_PER_BATCH);
    const report = await syncOutbox(deps);
    expect(transport.batches).toHaveLength(1);
    expect(report.synced).toBe(0);
    expect(report.failed).toBe(1);
    expect(report.remaining).toBe(3);
    expect(report.error).toContain('ECONNREFUSED');
    const first = stored(outbox, idOf(1));
    expect(first).toMatchObject({ state: 'queued', attempts: 1, nextAttemptAt: retryAt(1), syncedAt: null });
    expect(first.lastError).toContain('ECONNREFUSED');
    for (const later of [idOf(2), idOf(3)]) {
      expect(stored(outbox, later)).toMatchObject({ state: 'queued', attempts: 0, nextAttemptAt: null });
    }
  });

  it('backs off longer after repeated failures', async () => {
    const tried = makeItem(1, {
      attempts: 3,
      nextAttemptAt: NOW.toISOString(),
      lastError: 'network: earlier',
    });
    const { outbox, deps } = setup([tried], scriptedTransport(networkError));
    await syncOutbox(deps);
    expect(stored(outbox, idOf(1))).toMatchObject({ attempts: 4, nextAttemptAt: retryAt(4) });
    expect(Date.parse(retryAt(4))).toBeGreaterThan(Date.parse(retryAt(1)));
  });

  it.each([408, 429, 500, 502, 503])(
    'treats %i like a network error: retry later, stop the pass',
    async (code) => {
      const transport = scriptedTransport(status(code), ackAll(), ackAll());
      const { outbox, deps } = setup([makeItem(1), makeItem(2)], transport, ONE_PER_BATCH);
      const report = await syncOutbox(deps);
      expect(transport.batches).toHaveLength(1);
      expect(report).toMatchObject({ synced: 0, failed: 1, remaining: 2 });
      expect(report.error).toContain(String(code));
      expect(stored(outbox, idOf(1))).toMatchObject({
        state: 'queued',
        attempts: 1,
        nextAttemptAt: retryAt(1),
      });
      expect(stored(outbox, idOf(2))).toMatchObject({ state: 'queued', attempts: 0 });
    },
  );

  it.each([
    [401, 'unknown-kiosk'],
    [403, 'kiosk-revoked'],
  ])('on %i (%s) stops and names the kiosk’s problem: the records are not at fault', async (code, reason) => {
    const transport = scriptedTransport(status(code, { error: { code: reason, message: 'no' } }), ackAll());
    const { outbox, deps } = setup([makeItem(1), makeItem(2)], transport, ONE_PER_BATCH);
    const report = await syncOutbox(deps);
    expect(transport.batches).toHaveLength(1);
    expect(report).toMatchObject({ synced: 0, rejected: 0, failed: 1, remaining: 2, credentials: reason });
    expect(report.error).toContain(String(code));
    // No attempt is counted and no back-off set: the next pass after re-enrollment sends at once.
    for (const n of [1, 2]) {
      expect(stored(outbox, idOf(n))).toMatchObject({ state: 'queued', attempts: 0, nextAttemptAt: null });
    }
  });

  it('sends nothing before the kiosk is enrolled, and says so', async () => {
    const transport = scriptedTransport();
    const { outbox, deps } = setup([makeItem(1)], transport);
    const report = await syncOutbox({ ...deps, identity: { enrollment: async () => null } });
    expect(transport.batches).toHaveLength(0);
    expect(report).toMatchObject({ synced: 0, failed: 0, remaining: 1, credentials: 'not-enrolled' });
    expect(stored(outbox, idOf(1))).toMatchObject({ state: 'queued', attempts: 0 });
  });

  it.each([400, 413, 422])(
    'on %i for a one-record batch parks that record with the server’s reason and goes on',
    async (code) => {
      const transport = scriptedTransport(
        status(code, { error: { code: 'too-large', message: 'no' } }),
        ackAll(),
      );
      const { outbox, deps } = setup([makeItem(1), makeItem(2)], transport, ONE_PER_BATCH);
      const report = await syncOutbox(deps);
      expect(transport.batches).toHaveLength(2);
      expect(report).toMatchObject({ synced: 1, rejected: 1, failed: 0, remaining: 0 });
      expect(stored(outbox, idOf(1))).toMatchObject({
        state: 'rejected',
        rejection: { code: 'too-large', message: 'no' },
      });
      expect(stored(outbox, idOf(2)).state).toBe('synced');
    },
  );

  it('parks a record refused without an error body under its HTTP status', async () => {
    const { outbox, deps } = setup([makeItem(1)], scriptedTransport(status(413, null)));
    await syncOutbox(deps);
    expect(stored(outbox, idOf(1)).rejection).toMatchObject({ code: 'http-413' });
  });

  it('splits a refused batch and sends each record alone, so only the bad one is parked', async () => {
    const refuse = status(413, { error: { code: 'body-too-large', message: 'too big' } });
    const transport = scriptedTransport(
      refuse,
      ackAll(),
      (batch) => (batch.records[0]?.id === idOf(2) ? refuse : ackAll()(batch)),
      ackAll(),
    );
    const { outbox, deps } = setup([makeItem(1), makeItem(2), makeItem(3)], transport);
    const progress: number[] = [];
    const report = await syncOutbox(deps, { onProgress: (p) => progress.push(p.done) });
    expect(transport.batches.map((b) => b.records.length)).toEqual([3, 1, 1, 1]);
    expect(report).toMatchObject({ synced: 2, rejected: 1, failed: 0, remaining: 0 });
    expect(stored(outbox, idOf(2))).toMatchObject({
      state: 'rejected',
      rejection: { code: 'body-too-large' },
    });
    expect([idOf(1), idOf(3)].map((id) => stored(outbox, id).state)).toEqual(['synced', 'synced']);
    expect(progress.at(-1)).toBe(3);
  });

  it.each([
    ['an empty object', {}],
    ['null', null],
    ['a string', 'OK'],
    ['results that are not a list', { results: 'stored' }],
    ['a result with an unknown status', { results: [{ id: idOf(1), index: 0, status: 'saved' }] }],
  ])('on a 200 whose body is %s records a failed attempt and marks nothing synced', async (_what, body) => {
    const { outbox, deps } = setup([makeItem(1)], scriptedTransport(status(200, body)));
    const report = await syncOutbox(deps);
    expect(report).toMatchObject({ synced: 0, failed: 1, remaining: 1 });
    expect(report.error).toMatch(/\S/);
    expect(stored(outbox, idOf(1))).toMatchObject({
      state: 'queued',
      attempts: 1,
      nextAttemptAt: retryAt(1),
      syncedAt: null,
    });
  });
});

describe('syncOutbox: back-off', () => {
  const later = new Date(NOW.getTime() + 60_000).toISOString();
  const earlier = new Date(NOW.getTime() - 60_000).toISOString();

  it('skips items whose next attempt is in the future', async () => {
    const transport = scriptedTransport(ackAll());
    const items = [
      makeItem(1, { nextAttemptAt: later, attempts: 1 }),
      makeItem(2, { nextAttemptAt: earlier, attempts: 1 }),
      makeItem(3, { nextAttemptAt: NOW.toISOString(), attempts: 2 }),
      makeItem(4),
    ];
    const { outbox, deps } = setup(items, transport);
    const report = await syncOutbox(deps);
    expect(transport.batches.flatMap((b) => b.records.map((r) => r.id))).toEqual([idOf(2), idOf(3), idOf(4)]);
    expect(report).toMatchObject({ synced: 3, remaining: 1 });
    expect(stored(outbox, idOf(1))).toMatchObject({ state: 'queued', attempts: 1, nextAttemptAt: later });
  });

  it('sends them anyway with ignoreBackoff', async () => {
    const transport = scriptedTransport(ackAll());
    const { outbox, deps } = setup([makeItem(1, { nextAttemptAt: later, attempts: 1 })], transport);
    const report = await syncOutbox(deps, { ignoreBackoff: true });
    expect(transport.batches).toHaveLength(1);
    expect(report).toMatchObject({ synced: 1, remaining: 0 });
    expect(stored(outbox, idOf(1)).state).toBe('synced');
  });

  it('sends nothing when every item is waiting', async () => {
    const transport = scriptedTransport();
    const { deps } = setup([makeItem(1, { nextAttemptAt: later })], transport);
    expect(await syncOutbox(deps)).toEqual({
      synced: 0,
      rejected: 0,
      failed: 0,
      remaining: 1,
      updated: 0,
      error: null,
      credentials: null,
    });
    expect(transport.batches).toEqual([]);
  });
});

describe('syncOutbox: the wire', () => {
  it('sends the picture’s bytes beside the record, which names its length and SHA-256, and no Blob', async () => {
    const item = makeItem(7, { imageSize: 1000 });
    const transport = scriptedTransport(ackAll());
    const { deps } = setup([item], transport);
    await syncOutbox(deps);
    const batch = transport.batches[0];
    expect(batch?.kioskId).toBe(KIOSK_ID);
    const record = batch?.records[0];
    const bytes = imageBytesOf(7, 1000);
    expect(record).toEqual({
      ...item.record,
      ektpImage: {
        mediaType: 'image/png',
        byteLength: 1000,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      },
    });
    expect(batch?.files).toEqual([[bytes]]);
    expect(record).not.toHaveProperty('image');
    // No papers: the record lists none, as a kiosk before officer mode sent it.
    expect(record).not.toHaveProperty('attachments');
    expect(framedRecordSchema.safeParse(record).success).toBe(true);
  });

  it('sends the papers after the picture, in the protocol’s kind order, each named by length and SHA-256', async () => {
    const given = [
      paper('signature-specimen', 30),
      paper('surat-pengantar', 20),
      paper('sk-pengangkatan', 10),
    ];
    const item = makeItem(1, { imageSize: 40, attachments: given });
    const transport = scriptedTransport(ackAll());
    const { deps } = setup([makeItem(2), item], transport);
    await syncOutbox(deps);
    const batch = transport.batches[0];
    // Oldest first: item 1 is record 0.
    const record = framedOf(batch?.records[0]);
    const inOrder = [given[1], given[2], given[0]];
    const paperBytes = await Promise.all(
      inOrder.map(async (a) => new Uint8Array(await (a?.blob ?? new Blob()).arrayBuffer())),
    );
    expect(record?.attachments).toEqual(
      inOrder.map((a, i) => ({
        kind: a?.kind,
        mediaType: 'application/pdf',
        byteLength: paperBytes[i]?.byteLength,
        sha256: sha256(paperBytes[i] ?? new Uint8Array()),
      })),
    );
    expect(record?.attachments?.map((a) => a.kind)).toEqual([
      'surat-pengantar',
      'sk-pengangkatan',
      'signature-specimen',
    ]);
    // files[i] is record i's, picture first; the lengths are the ones the record declares.
    expect(batch?.files[0]).toEqual([imageBytesOf(1, 40), ...paperBytes]);
    expect(batch?.files[1]).toEqual([imageBytesOf(2, 64)]);
    for (const [i, r] of (batch?.records ?? []).entries()) {
      expect(batch?.files[i]?.map((f) => f.byteLength)).toEqual(recordFileLengths(r));
      expect(framedRecordSchema.safeParse(r).success).toBe(true);
    }
  });

  it('frames the files so that the lengths the records declare cut them apart again', async () => {
    const items = [
      makeItem(1, { attachments: [paper('surat-rekomendasi', 7), paper('surat-pengantar', 5)] }),
      makeItem(2),
      makeItem(3, { attachments: [paper('signature-specimen', 9)] }),
    ];
    const batch = await toSyncBatch(KIOSK_ID, items);
    const frame = decodeBatchFrame(
      encodeBatchFrame({ kioskId: KIOSK_ID, records: batch.records }, batch.files.flat()),
      LIMITS.maxManifestBytes,
    );
    if (!frame.ok) throw new Error(frame.problem);
    const parts = splitAttachments(frame.value.attachments, batch.records.flatMap(recordFileLengths));
    expect(parts).toEqual(batch.files.flat());
    expect(parts?.map((p) => sha256(p))).toEqual(
      batch.records
        .map(framedOf)
        .flatMap((r) => [r.ektpImage.sha256, ...(r.attachments ?? []).map((a) => a.sha256)]),
    );
  });

  it('never sends an application held for the officer', async () => {
    const transport = scriptedTransport(ackAll());
    const { outbox, deps } = setup([makeItem(1, { state: 'held' }), makeItem(2)], transport);
    const report = await syncOutbox(deps);
    expect(transport.batches.flatMap((b) => b.records.map((r) => r.id))).toEqual([idOf(2)]);
    expect(report).toMatchObject({ synced: 1, remaining: 0 });
    expect(stored(outbox, idOf(1))).toMatchObject({ state: 'held', attempts: 0 });
  });

  it('sends items oldest first', async () => {
    const transport = scriptedTransport(ackAll());
    const { deps } = setup([makeItem(3), makeItem(1), makeItem(2)], transport);
    await syncOutbox(deps);
    expect(transport.batches[0]?.records.map((r) => r.id)).toEqual([idOf(1), idOf(2), idOf(3)]);
  });

  it('does not send rejected or synced items', async () => {
    const transport = scriptedTransport(ackAll());
    const items = [
      makeItem(1, { state: 'synced', syncedAt: NOW.toISOString() }),
      makeItem(2, { state: 'rejected', rejection: { code: 'bad-nik', message: 'no' } }),
      makeItem(3),
    ];
    const { deps } = setup(items, transport);
    expect(await syncOutbox(deps)).toMatchObject({ synced: 1, remaining: 0 });
    expect(transport.batches.flatMap((b) => b.records.map((r) => r.id))).toEqual([idOf(3)]);
  });
});

describe('syncOutbox: progress and report', () => {
  it('reports done/total after every batch', async () => {
    const progress: SyncProgress[] = [];
    const transport = scriptedTransport(ackAll(), ackAll());
    const items = [makeItem(1), makeItem(2), makeItem(3)];
    const { deps } = setup(items, transport, { maxRecords: 2, maxBytes: 8 * 1024 * 1024 });
    await syncOutbox(deps, { onProgress: (p) => progress.push(p) });
    expect(progress).toEqual([
      { done: 0, total: 3 },
      { done: 2, total: 3 },
      { done: 3, total: 3 },
    ]);
  });

  it('counts only due items in the total', async () => {
    const progress: SyncProgress[] = [];
    const waiting = makeItem(1, { nextAttemptAt: new Date(NOW.getTime() + 60_000).toISOString() });
    const { deps } = setup([waiting, makeItem(2)], scriptedTransport(ackAll()));
    await syncOutbox(deps, { onProgress: (p) => progress.push(p) });
    expect(progress.at(-1)).toEqual({ done: 1, total: 1 });
  });

  it('leaves as remaining exactly the items still queued: unanswered, failed and waiting', async () => {
    const items = [
      makeItem(1),
      makeItem(2),
      makeItem(3),
      makeItem(4, { nextAttemptAt: new Date(NOW.getTime() + 60_000).toISOString() }),
      makeItem(5),
    ];
    const transport = scriptedTransport(
      ackEach({ [idOf(2)]: { status: 'rejected', code: 'bad-nik', message: 'no' }, [idOf(3)]: 'omit' }),
      networkError,
    );
    const { outbox, deps } = setup(items, transport, { maxRecords: 3, maxBytes: 8 * 1024 * 1024 });
    const report = await syncOutbox(deps);
    expect(report).toMatchObject({ synced: 1, rejected: 1, failed: 2 });
    expect(report.remaining).toBe((await outbox.queued()).length);
    expect(report.remaining).toBe(3);
  });
});

describe('the officer’s decision', () => {
  const DECISION: SignedStatement = {
    payload: '{"v":1,"type":"decision","decision":"approved"}',
    signature: 'B'.repeat(86),
  };

  it('names the record the server receives: the hash before the decision is the hash of what is sent after it', async () => {
    const item = makeItem(1, {
      state: 'held',
      attachments: [paper('signature-specimen', 12), paper('surat-pengantar', 34)],
    });
    const transport = scriptedTransport(ackAll());
    const { outbox, deps } = setup([], transport);
    await outbox.add(item);
    const [held] = await outbox.held();
    if (!held) throw new Error('not held');
    // What the officer signs at the counter.
    const signed = await applicationHash((await framedRecord(clearItem(held))).record);

    await outbox.decide(item.id, DECISION, NOW.toISOString());
    const report = await syncOutbox(deps);

    expect(report).toMatchObject({ synced: 1, remaining: 0 });
    const sent = framedOf(transport.batches[0]?.records[0]);
    if (!sent) throw new Error('nothing sent');
    expect(sent.decision).toEqual(DECISION);
    expect(await applicationHash(sent)).toBe(signed);
    // The server hashes the record as its schema reads it off the batch.
    expect(await applicationHash(framedRecordSchema.parse(sent))).toBe(signed);
    // Any change to the files would break the match.
    const otherPaper = {
      ...item,
      attachments: [paper('signature-specimen', 13), paper('surat-pengantar', 34)],
    };
    expect(await applicationHash((await framedRecord(otherPaper)).record)).not.toBe(signed);
  });

  it('the framed record does not depend on the order the papers were given in', async () => {
    const papers = [
      paper('surat-rekomendasi', 3),
      paper('surat-pengantar', 4),
      paper('signature-specimen', 5),
    ];
    const a = await framedRecord(makeItem(1, { attachments: papers }));
    const b = await framedRecord(makeItem(1, { attachments: [...papers].reverse() }));
    expect(b).toEqual(a);
    expect(await applicationHash(b.record)).toBe(await applicationHash(a.record));
  });
});

describe('planBatches', () => {
  const LOTS = 64 * 1024 * 1024;

  it('gives no batch for no items', () => {
    expect(planBatches([])).toEqual([]);
  });

  it.each([
    [5, 2, [2, 2, 1]],
    [4, 2, [2, 2]],
    [3, 10, [3]],
    [1, 1, [1]],
  ])('splits %i items with maxRecords %i into batches of %j', (count, maxRecords, sizes) => {
    const items = Array.from({ length: count }, (_, i) => makeItem(i + 1));
    const batches = planBatches(items, { maxRecords, maxBytes: LOTS });
    expect(batches.map((b) => b.length)).toEqual(sizes);
    expect(batches.flat()).toEqual(items);
  });

  it(`never puts more than the protocol's ${LIMITS.maxRecordsPerBatch} records in a batch`, () => {
    const items = Array.from({ length: 60 }, (_, i) => makeItem(i + 1));
    const batches = planBatches(items, { maxRecords: 1000, maxBytes: LOTS });
    expect(batches.map((b) => b.length)).toEqual([LIMITS.maxRecordsPerBatch, 60 - LIMITS.maxRecordsPerBatch]);
  });

  it('keeps a batch, framed with its pictures as raw bytes, under maxBytes', () => {
    // 45,000 picture bytes plus each record's JSON: two fit in 100,000 bytes, three do not.
    const items = Array.from({ length: 5 }, (_, i) => makeItem(i + 1, { imageSize: 45_000 }));
    const batches = planBatches(items, { maxRecords: 50, maxBytes: 100_000 });
    expect(batches.map((b) => b.length)).toEqual([2, 2, 1]);
    expect(batches.flat()).toEqual(items);
    for (const batch of batches) {
      const records = batch.map((item) => ({
        ...item.record,
        ektpImage: {
          mediaType: item.image.mediaType,
          byteLength: item.image.blob.size,
          sha256: '0'.repeat(64),
        },
      }));
      const pictures = batch.map((item) => new Uint8Array(item.image.blob.size));
      expect(encodeBatchFrame({ kioskId: KIOSK_ID, records }, pictures).byteLength).toBeLessThanOrEqual(
        100_000,
      );
    }
  });

  it('counts the papers’ bytes too, and keeps the framed batch under maxBytes', async () => {
    // 10,000 picture bytes and 35,000 paper bytes each: two fit in 100,000 bytes, three do not.
    const items = Array.from({ length: 5 }, (_, i) =>
      makeItem(i + 1, { imageSize: 10_000, attachments: [paper('surat-pengantar', 35_000)] }),
    );
    const batches = planBatches(items, { maxRecords: 50, maxBytes: 100_000 });
    expect(batches.map((b) => b.length)).toEqual([2, 2, 1]);
    for (const batch of batches) {
      const { records, files } = await toSyncBatch(KIOSK_ID, batch);
      expect(encodeBatchFrame({ kioskId: KIOSK_ID, records }, files.flat()).byteLength).toBeLessThanOrEqual(
        100_000,
      );
    }
  });

  it('sends an item larger than maxBytes alone, between its neighbours', () => {
    const items = [makeItem(1), makeItem(2, { imageSize: 200_000 }), makeItem(3), makeItem(4)];
    const batches = planBatches(items, { maxRecords: 50, maxBytes: 100_000 });
    expect(batches.map((b) => b.map((i) => i.id))).toEqual([[idOf(1)], [idOf(2)], [idOf(3), idOf(4)]]);
  });
});

/** A server that knows these statuses and answers each status request from them. */
function statusServer(known: ApplicationStatus[], answer?: (request: StatusRequest) => TransportResult) {
  const requests: StatusRequest[] = [];
  const transport: SyncTransport = {
    sendBatch: async () => {
      throw new Error('no batch expected');
    },
    async fetchStatuses(request) {
      requests.push(structuredClone(request));
      if (answer) return answer(request);
      const statuses = known.filter((s) => request.ids.includes(s.id));
      return {
        kind: 'response',
        status: 200,
        body: { statuses, unknown: request.ids.filter((id) => !statuses.some((s) => s.id === id)) },
      };
    },
  };
  return { transport, requests };
}

const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const serverStatus = (
  n: number,
  state: ApplicationStatus['state'],
  extra: Partial<ApplicationStatus> = {},
) => ({
  id: idOf(n),
  state,
  changedAt: '2026-11-25T07:00:00.000Z',
  certificatePem: null,
  reason: null,
  ...extra,
});

describe('syncOutbox: statuses from the server', () => {
  const synced = (n: number) => makeItem(n, { state: 'synced', syncedAt: '2026-11-24T08:00:00.000Z' });

  it('asks only for delivered applications awaiting the CA, and keeps the certificate and the reason', async () => {
    const server = statusServer([
      serverStatus(1, 'issued', { certificatePem: CERT }),
      serverStatus(2, 'ca-rejected', { reason: 'NIP tidak terdaftar' }),
      serverStatus(3, 'sent-to-ca'),
      serverStatus(4, 'received'),
    ]);
    const { outbox, deps } = setup(
      [synced(1), synced(2), synced(3), synced(4), makeItem(5)],
      server.transport,
    );
    // The queued item 5 is delivered by this same pass (the push comes before the pull), so the pull
    // asks about it too.
    deps.transport = { ...server.transport, sendBatch: async (b) => ackAll()(b) };

    const report = await syncOutbox(deps, { pull: true });

    expect(server.requests).toEqual([
      { kioskId: KIOSK_ID, ids: [idOf(1), idOf(2), idOf(3), idOf(4), idOf(5)] },
    ]);
    expect(report.updated).toBe(3);
    const last = (n: number) => outbox.get(idOf(n))?.history.at(-1);
    expect(last(1)).toEqual({ state: 'issued', at: NOW.toISOString(), note: 'server' });
    expect(outbox.get(idOf(1))?.serverStatus?.certificatePem).toBe(CERT);
    expect(last(2)?.state).toBe('ca-rejected');
    expect(outbox.get(idOf(2))?.serverStatus?.reason).toBe('NIP tidak terdaftar');
    expect(last(3)?.state).toBe('sent-to-ca');
    expect(last(4)?.state).toBe('synced');
    expect(await outbox.awaitingOutcome()).toEqual([idOf(3), idOf(4), idOf(5)]);
  });

  it('keeps each pulled status as keepStatus makes it (the kiosk seals the certificate there)', async () => {
    const server = statusServer([
      serverStatus(1, 'issued', { certificatePem: CERT }),
      serverStatus(2, 'sent-to-ca'),
    ]);
    const { outbox, deps } = setup([synced(1), synced(2)], server.transport);
    const seen: string[] = [];
    deps.keepStatus = async (status) => {
      seen.push(status.id);
      return status.certificatePem === null
        ? status
        : { ...status, certificatePem: null, certificateSealed: `sealed:${status.id}` };
    };
    expect((await syncOutbox(deps, { pull: true })).updated).toBe(2);
    expect(seen).toEqual([idOf(1), idOf(2)]);
    expect(outbox.get(idOf(1))?.serverStatus).toMatchObject({
      state: 'issued',
      certificatePem: null,
      certificateSealed: `sealed:${idOf(1)}`,
    });
    expect(outbox.get(idOf(1))?.history.at(-1)?.state).toBe('issued');
  });

  it('a repeated report changes nothing, and settled applications are not asked about again', async () => {
    const server = statusServer([serverStatus(1, 'issued', { certificatePem: CERT })]);
    const { outbox, deps } = setup([synced(1), synced(2)], server.transport);
    await syncOutbox(deps, { pull: true });
    const history = outbox.get(idOf(1))?.history;

    const again = await syncOutbox(deps, { pull: true });

    expect(again.updated).toBe(0);
    expect(server.requests.at(-1)?.ids).toEqual([idOf(2)]);
    expect(outbox.get(idOf(1))?.history).toEqual(history);
  });

  it(`asks in pages of ${LIMITS.maxStatusIds} ids`, async () => {
    const count = LIMITS.maxStatusIds + 7;
    const server = statusServer([]);
    const { deps } = setup(
      Array.from({ length: count }, (_, n) => synced(n)),
      server.transport,
    );
    await syncOutbox(deps, { pull: true });
    expect(server.requests.map((r) => r.ids.length)).toEqual([LIMITS.maxStatusIds, 7]);
  });

  it('ignores a status for an application it did not ask about', async () => {
    const server = statusServer([], () => ({
      kind: 'response',
      status: 200,
      body: { statuses: [serverStatus(2, 'issued', { certificatePem: CERT })], unknown: [] },
    }));
    const { outbox, deps } = setup([synced(1), synced(2)], server.transport);
    await outbox.applyServerStatus(serverStatus(2, 'sent-to-ca'), NOW.toISOString());
    // Ask about 1 only: item 2 is sent-to-ca and awaits too, so make it settle first.
    await outbox.applyServerStatus(serverStatus(2, 'ca-rejected', { reason: 'x' }), NOW.toISOString());
    // Settled, item 2 would refuse the report anyway: what counts is that it never reaches the store.
    const applied: string[] = [];
    const applyServerStatus = deps.outbox.applyServerStatus;
    deps.outbox = {
      ...deps.outbox,
      applyServerStatus: (status, at) => {
        applied.push(status.id);
        return applyServerStatus(status, at);
      },
    };

    const report = await syncOutbox(deps, { pull: true });

    expect(applied).not.toContain(idOf(2));
    expect(server.requests[0]?.ids).toEqual([idOf(1)]);
    expect(report.updated).toBe(0);
    expect(outbox.get(idOf(2))?.history.at(-1)?.state).toBe('ca-rejected');
  });

  it('keeps what it has on a network error, an unreadable answer, or refused credentials', async () => {
    for (const [answer, expected] of [
      [networkError, { error: 'network: connect ECONNREFUSED', credentials: null }],
      [
        { kind: 'response', status: 200, body: { statuses: 'nope' } },
        { error: 'the server sent an unreadable status answer', credentials: null },
      ],
      [
        { kind: 'response', status: 403, body: { error: { code: 'kiosk-revoked', message: 'x' } } },
        { error: 'server answered 403 (kiosk-revoked)', credentials: 'kiosk-revoked' },
      ],
    ] as const) {
      const server = statusServer([], () => answer);
      const { outbox, deps } = setup([synced(1)], server.transport);
      const report = await syncOutbox(deps, { pull: true });
      expect({ error: report.error, credentials: report.credentials }).toEqual(expected);
      expect(report.updated).toBe(0);
      expect(outbox.get(idOf(1))?.history.at(-1)?.state).toBe('synced');
    }
  });

  it('does not ask at all without pull, or when the push failed', async () => {
    const server = statusServer([serverStatus(1, 'issued', { certificatePem: CERT })]);
    const { deps } = setup([synced(1)], server.transport);
    await syncOutbox(deps);
    expect(server.requests).toHaveLength(0);

    const failing = setup([synced(1), makeItem(2)], {
      ...server.transport,
      sendBatch: async () => networkError,
    });
    const report = await syncOutbox(failing.deps, { pull: true });
    expect(report.error).toContain('network');
    expect(server.requests).toHaveLength(0);
  });
});
