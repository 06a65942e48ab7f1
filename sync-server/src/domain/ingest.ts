import type { RecordResult, SyncBatchResponse } from '../../../src/protocol/sync';
import type { Store } from '../store/store';
import { type BatchJob, checkBatch } from './record-check';

export { contentHash, legacyContentHash } from './record-check';

/**
 * Validates each record on its own, stores the valid ones in one transaction and answers per
 * record, so one poisoned record never blocks the rest of the batch.
 */
export function ingestBatch(
  store: Store,
  batch: { kioskId: string; records: unknown[] },
  receivedAt: string,
): Promise<SyncBatchResponse> {
  return ingest(store, { kind: 'json', ...batch }, receivedAt);
}

/** The same for a binary batch: `pictures[i]` is what record i declared as its picture. */
export function ingestFramedBatch(
  store: Store,
  batch: { kioskId: string; records: unknown[]; pictures: Uint8Array[] },
  receivedAt: string,
): Promise<SyncBatchResponse> {
  return ingest(store, { kind: 'framed', ...batch }, receivedAt);
}

async function ingest(store: Store, job: BatchJob, receivedAt: string): Promise<SyncBatchResponse> {
  const checked = await checkBatch(job);
  const accepted = checked.flatMap((c, index) => (c.ok ? [{ index, application: c.application }] : []));
  const outcomes =
    accepted.length > 0
      ? await store.insertApplications(
          accepted.map((a) => a.application),
          receivedAt,
        )
      : [];

  const results: RecordResult[] = checked.map((c) =>
    c.ok ? { index: -1, id: null, status: 'stored' } : c.result,
  );
  accepted.forEach(({ index, application }, k) => {
    const outcome = outcomes[k];
    if (outcome === undefined) throw new Error('The store returned fewer outcomes than records');
    results[index] =
      outcome === 'conflict'
        ? {
            index,
            id: application.id,
            status: 'rejected',
            code: 'id-conflict',
            message: 'a different record with this id is already stored',
          }
        : { index, id: application.id, status: outcome };
  });
  return { results };
}
