import type { PreviousCertificate, RecordResult, SyncBatchResponse } from '../../../src/protocol/sync';
import type { ArchiveKeys } from '../archive/archive-keys';
import type { NewApplication, Store, StoredApplication } from '../store/store';
import { checkDecision, createOfficerLookup } from './officer-statements';
import { type BatchJob, type Checked, checkBatch } from './record-check';
import { openSealedRecords } from './sealed-ingest';

export { contentHash, legacyContentHash } from './record-check';

/**
 * Validates each record on its own, stores the valid ones in one transaction and answers per
 * record, so one poisoned record never blocks the rest of the batch.
 */
export function ingestBatch(
  store: Store,
  batch: { kioskId: string; records: unknown[] },
  receivedAt: string,
  options: IngestOptions = {},
): Promise<SyncBatchResponse> {
  return ingest(store, { kind: 'json', ...batch }, receivedAt, options);
}

export interface IngestOptions {
  /** Opens sealed records (issue 8); null or absent: a sealed record is refused, the rest stored. */
  archiveKeys?: ArchiveKeys | null;
}

/** The same for a binary batch: `files[i]` are record i's files as it declared them (picture, attachments). */
export function ingestFramedBatch(
  store: Store,
  batch: { kioskId: string; records: unknown[]; files: Uint8Array[][] },
  receivedAt: string,
  options: IngestOptions = {},
): Promise<SyncBatchResponse> {
  return ingest(store, { kind: 'framed', ...batch }, receivedAt, options);
}

/**
 * The officers' decisions checked against the accounts as they are now. A record already stored
 * with exactly this content is a resend after a lost answer: it stays a `duplicate`, even if its
 * officer was locked since, so the kiosk does not park an application the server holds.
 */
async function checkDecisions(store: Store, kioskId: string, checked: Checked[]): Promise<Checked[]> {
  const pending = checked.flatMap((c) => (c.ok && c.decision ? [c.application.id] : []));
  if (pending.length === 0) return checked;
  const held = await store.heldContentHashes(pending);
  const lookup = createOfficerLookup(store);
  return Promise.all(
    checked.map(async (c, index): Promise<Checked> => {
      if (!c.ok || c.decision === undefined) return c;
      const { application } = c;
      if (held.get(application.id) === application.contentHash) return { ok: true, application };
      const decision = await checkDecision(lookup, c.decision.statement, {
        id: application.id,
        kioskId,
        applicationHash: await c.decision.applicationHash(),
      });
      if (!decision.ok) {
        return {
          ok: false,
          result: {
            index,
            id: application.id,
            status: 'rejected',
            code: decision.code,
            message: decision.message,
          },
        };
      }
      return { ok: true, application: { ...application, decision: decision.decision } };
    }),
  );
}

/**
 * Why a renewal or replacement may not name this certificate; null when it may. The link is to an
 * issued certificate of the same person and certificate type, by the serial the server recorded.
 */
export function previousProblem(
  application: Pick<NewApplication, 'nik' | 'certificateType'> & { previous?: PreviousCertificate },
  held: Pick<StoredApplication, 'state' | 'nik' | 'certificateType' | 'certificateSerialHex'> | null,
): string | null {
  const previous = application.previous;
  if (previous === undefined) return null;
  if (held === null) return 'the certificate this application follows is not known to the server';
  if (held.state !== 'issued') return 'the application this one follows has no issued certificate';
  if (held.nik !== application.nik) return 'the certificate this application follows belongs to someone else';
  if (held.certificateType !== application.certificateType) {
    return 'a renewal or replacement keeps the certificate type of the certificate it follows';
  }
  if (held.certificateSerialHex !== previous.serialNumberHex) {
    return 'the serial does not match the certificate issued for that application';
  }
  return null;
}

/** Records that name a previous certificate are checked against it; the rest pass untouched. */
async function checkPrevious(store: Store, checked: Checked[]): Promise<Checked[]> {
  if (!checked.some((c) => c.ok && c.application.previous !== undefined)) return checked;
  return Promise.all(
    checked.map(async (c, index): Promise<Checked> => {
      if (!c.ok || c.application.previous === undefined) return c;
      const held = await store.getApplication(c.application.previous.applicationId);
      const problem = previousProblem(c.application, held);
      if (problem === null) return c;
      return {
        ok: false,
        result: {
          index,
          id: c.application.id,
          status: 'rejected',
          code: 'invalid-previous',
          message: problem,
        },
      };
    }),
  );
}

async function ingest(
  store: Store,
  job: BatchJob,
  receivedAt: string,
  { archiveKeys = null }: IngestOptions,
): Promise<SyncBatchResponse> {
  // Sealed records become framed ones (or their refusal) first; from there on they are checked,
  // deduplicated and stored exactly as their plain twins.
  const opened = await openSealedRecords(job, archiveKeys);
  const judged = (await checkBatch(opened.job)).map((c, index) => opened.refused.get(index) ?? c);
  const checked = await checkPrevious(store, await checkDecisions(store, job.kioskId, judged));
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
