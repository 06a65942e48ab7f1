/**
 * A clear application as the kiosk holds it before the first sync: for the sealing tests, which
 * bring their own applicant, request and files.
 */
import type { OutboxItem } from '../../src/app/ports';

type RecordFields = Omit<OutboxItem['record'], 'id' | 'createdAt' | 'certificateType'>;

/** A held `individu` application `id` made at `createdAt`, never tried yet. */
export function heldApplication(
  { id, createdAt }: { id: string; createdAt: string },
  record: RecordFields,
  files: Pick<OutboxItem, 'image' | 'attachments'>,
): OutboxItem {
  return {
    id,
    state: 'held',
    createdAt,
    record: { id, createdAt, certificateType: 'individu', ...record },
    ...files,
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    syncedAt: null,
    rejection: null,
  };
}
