import { bytesToHex } from '../core/lib/pem';
import { type BackoffPolicy, backoffDelay, classifyStatus } from '../core/outbox/backoff';
import type { SealedRecordRef } from '../protocol/sealed-record';
import {
  type ApplicationStatus,
  type FramedRecord,
  LIMITS,
  RECORD_ATTACHMENT_KINDS,
  type RecordAttachment,
  type SyncBatch,
  statusResponseSchema,
  syncBatchResponseSchema,
} from '../protocol/sync';
import type { AuditLog, AuditTrail, AuditTransport } from './audit/ports';
import { uploadAudit } from './audit/upload-audit';
import {
  type DeviceIdentityStore,
  isSealedItem,
  type OutboxItem,
  type OutboxStore,
  type SealedOutboxItem,
  type StoredServerStatus,
  type SyncTransport,
} from './ports';
import { credentialProblem, readServerError } from './server-error';

export interface SyncReport {
  synced: number;
  rejected: number;
  failed: number;
  /** Queued items still waiting after this pass. */
  remaining: number;
  /** Delivered applications whose state the server's news changed (issued, refused by the CA…). */
  updated: number;
  /** Set when the pass stopped early because the link or the server failed. */
  error: string | null;
  /**
   * Set when the kiosk itself cannot sync: it is not enrolled yet, or the server no longer knows or
   * trusts it (`unknown-kiosk`, `kiosk-revoked`, …). Records wait untouched; an officer must act.
   */
  credentials: 'not-enrolled' | string | null;
}

export interface SyncProgress {
  done: number;
  total: number;
}

export interface SyncDeps {
  outbox: OutboxStore;
  /** Where the kiosk's enrollment lives; no enrollment, no sync. */
  identity: Pick<DeviceIdentityStore, 'enrollment'>;
  transport: SyncTransport;
  now: () => Date;
  random: () => number;
  limits?: { maxRecords: number; maxBytes: number };
  /** How long a failed record waits before its next try; `DEFAULT_BACKOFF` unless given. */
  backoff?: BackoffPolicy;
  /** The audit chain (issue 8): a `synced` event per acknowledged batch. */
  audit?: AuditLog;
  /** Sends the audit chain after the batches, on every pass that reached the server. */
  auditUpload?: { trail: AuditTrail; transport: AuditTransport };
  /**
   * The seal-pending step (`app/sealing/seal-pending.ts`), run before each pass so that clear rows
   * are sealed before they are sent; its failure never stops the pass (a clear row still syncs).
   */
  sealPending?: () => Promise<unknown>;
  /**
   * How a pulled status is kept (`app/sealing/sealed-certificate.ts`: the issued certificate
   * sealed); as the server sent it when absent.
   */
  keepStatus?: (status: ApplicationStatus) => Promise<StoredServerStatus>;
}

const DEFAULT_LIMITS = { maxRecords: 10, maxBytes: 8 * 1024 * 1024 };

/** Size of a record in a binary batch: its files' bytes, its JSON, and the files' references. */
function estimatedBytes(item: OutboxItem | SealedOutboxItem): number {
  if (isSealedItem<OutboxItem | SealedOutboxItem>(item))
    return item.sealed.byteLength + JSON.stringify(item.record.decision ?? null).length + 512;
  const files = item.attachments.reduce((sum, a) => sum + a.blob.size + 256, item.image.blob.size);
  return files + JSON.stringify(item.record).length + 256;
}

/** Greedy batches bounded by count and bytes; one oversize item still goes alone. */
export function planBatches<T extends OutboxItem | SealedOutboxItem>(
  items: T[],
  limits = DEFAULT_LIMITS,
): T[][] {
  const maxRecords = Math.min(limits.maxRecords, LIMITS.maxRecordsPerBatch);
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = estimatedBytes(item);
    if (current.length > 0 && (current.length >= maxRecords || bytes + size > limits.maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

async function readFile(blob: Blob): Promise<{ bytes: Uint8Array; sha256: string }> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  return { bytes, sha256: bytesToHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))) };
}

const kindOrder = (kind: RecordAttachment['kind']) => RECORD_ATTACHMENT_KINDS.indexOf(kind);

/**
 * The record exactly as a batch carries it (the picture and the attachments by length and SHA-256,
 * the attachments in `RECORD_ATTACHMENT_KINDS` order, none listed when there are none), with its
 * files in frame order: picture, then attachments. The officer signs `applicationHash` of this
 * record, so it must not change between the decision and the sending.
 */
export async function framedRecord(
  item: Pick<OutboxItem, 'record' | 'image' | 'attachments'>,
): Promise<{ record: FramedRecord; files: Uint8Array[] }> {
  const ordered = [...item.attachments].sort((a, b) => kindOrder(a.kind) - kindOrder(b.kind));
  const [picture, papers] = await Promise.all([
    readFile(item.image.blob),
    Promise.all(
      ordered.map(async ({ kind, mediaType, blob }) => ({ kind, mediaType, ...(await readFile(blob)) })),
    ),
  ]);
  const attachments = papers.map(
    ({ kind, mediaType, bytes, sha256 }): RecordAttachment => ({
      kind,
      mediaType,
      byteLength: bytes.byteLength,
      sha256,
    }),
  );
  const record: FramedRecord = {
    ...item.record,
    ektpImage: {
      mediaType: item.image.mediaType,
      byteLength: picture.bytes.byteLength,
      sha256: picture.sha256,
    },
    // Absent rather than empty: a record without papers reads (and hashes) as before officer mode.
    ...(attachments.length > 0 ? { attachments } : {}),
  };
  return { record, files: [picture.bytes, ...papers.map((p) => p.bytes)] };
}

/**
 * A sealed application as a batch carries it (`protocol/sealed-record.ts`): its id, the blob named
 * by length and SHA-256, and the officer's decision beside it in clear; the blob is its one file.
 * Nothing is opened: the kiosk need not be able to.
 */
export async function sealedRecordRef(
  item: Pick<SealedOutboxItem, 'id' | 'sealed'> & { record: Pick<SealedOutboxItem['record'], 'decision'> },
): Promise<{ record: SealedRecordRef; files: Uint8Array[] }> {
  const sha256 = bytesToHex(new Uint8Array(await crypto.subtle.digest('SHA-256', item.sealed)));
  const record: SealedRecordRef = {
    id: item.id,
    sealed: { byteLength: item.sealed.byteLength, sha256 },
    ...(item.record.decision ? { decision: { ...item.record.decision } } : {}),
  };
  return { record, files: [item.sealed] };
}

/**
 * A batch as the kiosk sends it: the records, each naming its files, and the files' bytes, `files[i]`
 * record i's in frame order. A sealed application goes as its `sealedRecordRef` (the blob its one
 * file, nothing opened); a clear one (the simulator's, or a row not sealed yet) as a framed record.
 */
export async function toSyncBatch(
  kioskId: string,
  items: readonly (OutboxItem | SealedOutboxItem)[],
): Promise<SyncBatch> {
  const framed = await Promise.all(
    items.map((item) =>
      isSealedItem<OutboxItem | SealedOutboxItem>(item) ? sealedRecordRef(item) : framedRecord(item),
    ),
  );
  return { kioskId, records: framed.map((f) => f.record), files: framed.map((f) => f.files) };
}

/**
 * One pass over the outbox: items leave the queued state only on the server's per-record
 * acknowledgement; a record the server refuses is parked with its reason and blocks nothing.
 */
export async function syncOutbox(
  deps: SyncDeps,
  options: { ignoreBackoff?: boolean; onProgress?: (p: SyncProgress) => void; pull?: boolean } = {},
): Promise<SyncReport> {
  const { outbox, transport, now, random } = deps;
  if (deps.sealPending) {
    try {
      await deps.sealPending();
    } catch (err) {
      console.error(
        `sealing pending applications failed: ${err instanceof Error ? err.name : 'unknown error'}`,
      );
    }
  }
  const queued = await outbox.queued();
  const enrollment = await deps.identity.enrollment();
  if (!enrollment) {
    return {
      synced: 0,
      rejected: 0,
      failed: 0,
      remaining: queued.length,
      updated: 0,
      error: null,
      credentials: 'not-enrolled',
    };
  }
  const { kioskId } = enrollment;
  const startedAt = now().getTime();
  const due = options.ignoreBackoff
    ? queued
    : queued.filter((i) => i.nextAttemptAt === null || Date.parse(i.nextAttemptAt) <= startedAt);
  const report: SyncReport = {
    synced: 0,
    rejected: 0,
    failed: 0,
    remaining: queued.length,
    updated: 0,
    error: null,
    credentials: null,
  };
  const retryAt = (attempts: number) =>
    new Date(now().getTime() + backoffDelay(attempts, random, deps.backoff)).toISOString();
  let done = 0;
  options.onProgress?.({ done, total: due.length });

  const pending = planBatches(due, deps.limits);
  for (let batch = pending.shift(); batch; batch = pending.shift()) {
    const answer = await transport.sendBatch(await toSyncBatch(kioskId, batch));
    const ids = batch.map((i) => i.id);
    const verdict = answer.kind === 'network-error' ? 'retry' : classifyStatus(answer.status);
    // Credentials are the kiosk's problem, not the records'.
    const credentials = credentialProblem(answer);

    if (credentials !== null && answer.kind === 'response') {
      // Not the records' fault: they keep their attempts and wait for the officer to re-enroll.
      report.credentials = credentials;
      report.error = `server answered ${answer.status}${readServerError(answer.body).suffix}`;
      report.failed += batch.length;
      break;
    }

    if (verdict === 'retry') {
      const error =
        answer.kind === 'network-error'
          ? `network: ${answer.message}`
          : `server answered ${answer.status}${readServerError(answer.body).suffix}`;
      await outbox.markAttemptFailed(ids, error, retryAt);
      report.failed += batch.length;
      report.error = error;
      // The link or the server is down: later batches would fail the same way.
      break;
    }

    if (verdict === 'refused' && answer.kind === 'response') {
      if (batch.length > 1) {
        // One bad record must not hold back the others: send each alone to find it.
        pending.unshift(...batch.map((item) => [item]));
        continue;
      }
      const { code, message } = readServerError(answer.body);
      await outbox.markRejected(
        ids[0] ?? '',
        {
          code: code ?? `http-${answer.status}`,
          message: message ?? `the server refused the record (${answer.status})`,
        },
        now().toISOString(),
      );
      report.rejected++;
      done += 1;
      options.onProgress?.({ done, total: due.length });
      continue;
    }

    const parsed = syncBatchResponseSchema.safeParse(answer.kind === 'response' ? answer.body : null);
    if (!parsed.success) {
      const error = 'the server sent an unreadable acknowledgement';
      await outbox.markAttemptFailed(ids, error, retryAt);
      report.failed += batch.length;
      report.error = error;
      break;
    }
    const byId = new Map(parsed.data.results.map((r) => [r.id, r]));
    const acknowledged: string[] = [];
    const unanswered: string[] = [];
    for (const item of batch) {
      const result = byId.get(item.id);
      if (!result) unanswered.push(item.id);
      else if (result.status === 'rejected') {
        await outbox.markRejected(
          item.id,
          { code: result.code ?? 'rejected', message: result.message ?? 'rejected by the server' },
          now().toISOString(),
        );
        report.rejected++;
      } else acknowledged.push(item.id);
    }
    if (acknowledged.length > 0) {
      await outbox.markSynced(acknowledged, now().toISOString());
      await deps.audit?.append('synced', null, { ids: acknowledged });
    }
    if (unanswered.length > 0) {
      await outbox.markAttemptFailed(unanswered, 'no acknowledgement for this record', retryAt);
      report.failed += unanswered.length;
    }
    report.synced += acknowledged.length;
    done += batch.length;
    options.onProgress?.({ done, total: due.length });
  }
  report.remaining = queued.length - report.synced - report.rejected;
  if (options.pull && report.error === null && report.credentials === null) {
    const pulled = await pullStatuses({ ...deps, kioskId });
    report.updated = pulled.updated;
    report.error = pulled.error;
    report.credentials = pulled.credentials;
  }
  if (deps.auditUpload && report.error === null && report.credentials === null) {
    // The chain goes with every pass; its own failure is reported like a pull's.
    const sent = await uploadAudit({ ...deps.auditUpload, kioskId });
    report.error = sent.error;
    report.credentials = sent.credentials;
  }
  return report;
}

interface PullReport {
  updated: number;
  error: string | null;
  credentials: string | null;
}

/**
 * Asks the server what became of the delivered applications still waiting for the CA, a page of
 * ids at a time, and keeps its answers (the issued certificate comes with its status).
 */
async function pullStatuses(
  deps: Pick<SyncDeps, 'outbox' | 'transport' | 'now' | 'keepStatus'> & { kioskId: string },
): Promise<PullReport> {
  const { outbox, transport, now, kioskId } = deps;
  const waiting = await outbox.awaitingOutcome();
  const report: PullReport = { updated: 0, error: null, credentials: null };
  for (let start = 0; start < waiting.length; start += LIMITS.maxStatusIds) {
    const ids = waiting.slice(start, start + LIMITS.maxStatusIds);
    const answer = await transport.fetchStatuses({ kioskId, ids });
    if (answer.kind === 'network-error') {
      report.error = `network: ${answer.message}`;
      return report;
    }
    if (answer.status !== 200) {
      const credentials = credentialProblem(answer);
      if (credentials !== null) report.credentials = credentials;
      report.error = `server answered ${answer.status}${readServerError(answer.body).suffix}`;
      return report;
    }
    const parsed = statusResponseSchema.safeParse(answer.body);
    if (!parsed.success) {
      report.error = 'the server sent an unreadable status answer';
      return report;
    }
    const asked = new Set(ids);
    for (const status of parsed.data.statuses) {
      // Only what was asked: a confused server cannot write into other applications.
      if (!asked.has(status.id)) continue;
      const kept = deps.keepStatus ? await deps.keepStatus(status) : status;
      if (await outbox.applyServerStatus(kept, now().toISOString())) report.updated++;
    }
  }
  return report;
}
