/**
 * Narrowing for tests of clear applications (what the simulator's memory twin keeps, and rows the
 * seal-pending step has not sealed yet): throws on a sealed one, so a test never passes by reading
 * nothing.
 */
import type { AnyStoredItem, ClearOutboxSummary, OutboxSummary, StoredOutboxItem } from '../../src/app/ports';
import type { SealedRecordRef } from '../../src/protocol/sealed-record';
import type { FramedRecord } from '../../src/protocol/sync';

export function clearItem(item: AnyStoredItem | null | undefined): StoredOutboxItem {
  if (!item) throw new Error('no item');
  if ('sealed' in item) throw new Error(`application ${item.id} is sealed`);
  return item;
}

export function clearSummary(item: OutboxSummary | null | undefined): ClearOutboxSummary {
  if (!item) throw new Error('no summary');
  if ('sealedBytes' in item) throw new Error(`application ${item.id} is sealed`);
  return item;
}

export function framedOf(record: FramedRecord | SealedRecordRef | undefined): FramedRecord {
  if (!record) throw new Error('no record');
  if ('sealed' in record) throw new Error(`record ${record.id} is sealed`);
  return record;
}
