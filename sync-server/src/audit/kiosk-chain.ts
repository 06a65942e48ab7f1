/**
 * A kiosk's chain arriving on sync: it must continue exactly what the server holds (seq, link,
 * hashes) and end on a checkpoint signed by a device key some enrollment registered. A page that
 * does not is refused, kept as evidence and raised as an incident; nothing of it is stored.
 */
import { type AuditProblem, type ChainHead, GENESIS } from '../../../src/core/audit/chain';
import { verifyChain, verifyCheckpointSignature } from '../../../src/core/audit/checkpoint';
import type { AuditUpload } from '../../../src/protocol/audit';
import type { Store } from '../store/store';
import { kioskChain, raiseAuditBreak } from './breaks';
import type { ServerAuditLog } from './server-chain';

export type KioskAuditOutcome =
  | { status: 'acknowledged'; acknowledgedSeq: number }
  | { status: 'break'; problem: AuditProblem; incidentId: string }
  /** Another request of this kiosk stored a page meanwhile: send again. */
  | { status: 'head-moved' };

export async function ingestKioskAudit(
  store: Store,
  upload: AuditUpload,
  options: { receivedAt: string; audit?: ServerAuditLog },
): Promise<KioskAuditOutcome> {
  const { kioskId } = upload;
  const held = await store.kioskAuditHead(kioskId);
  const start: ChainHead = held ?? GENESIS;
  const first = upload.events[0];
  const last = upload.events.at(-1);
  if (first === undefined || last === undefined)
    return { status: 'acknowledged', acknowledgedSeq: start.seq };
  // Starts past what is held (the server's store was restored): ask for the chain from there.
  if (first.seq > start.seq + 1) return { status: 'acknowledged', acknowledgedSeq: start.seq };

  const refuse = async (problem: AuditProblem): Promise<KioskAuditOutcome> => {
    const evidence = JSON.stringify({ heldSeq: start.seq, heldHash: start.hash, upload });
    const raised = await raiseAuditBreak(
      store,
      { chain: kioskChain(kioskId), kioskId, problem, source: 'upload', evidence, at: options.receivedAt },
      options.audit,
    );
    return { status: 'break', problem, incidentId: raised.id };
  };

  // A page sent again (its acknowledgement was lost) must be what is held, event for event.
  const repeated = upload.events.filter((e) => e.seq <= start.seq);
  if (repeated.length > 0) {
    const hashes = await store.kioskAuditHashes(kioskId, first.seq, start.seq);
    const differs = repeated.find((e) => hashes.get(e.seq) !== e.hash);
    if (differs !== undefined) return refuse({ kind: 'hash-mismatch', seq: differs.seq });
  }
  const fresh = upload.events.filter((e) => e.seq > start.seq);
  if (fresh.length === 0) return { status: 'acknowledged', acknowledgedSeq: start.seq };

  const checkpoints = upload.checkpoints.filter((c) => c.seq > start.seq && c.seq <= last.seq);
  const known = await store.knownDeviceKeys(checkpoints.map((c) => c.publicKeySpki));
  const problems = await verifyChain({
    events: fresh,
    checkpoints,
    start,
    verifyCheckpoint: (c) => verifyCheckpointSignature(c, (spki) => known.has(spki)),
    requireCheckpointedHead: true,
  });
  const problem = problems[0];
  if (problem !== undefined) return refuse(problem);

  const stored = await store.appendKioskAudit(kioskId, held, fresh, checkpoints, options.receivedAt);
  if (stored === 'head-moved') return { status: 'head-moved' };
  await options.audit?.record('kiosk-audit-received', `kiosk:${kioskId}`, kioskId, {
    fromSeq: fresh[0]?.seq ?? last.seq,
    toSeq: last.seq,
    headHash: last.hash,
  });
  return { status: 'acknowledged', acknowledgedSeq: last.seq };
}
