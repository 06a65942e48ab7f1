/**
 * `npm run server -- verify-audit`: every kiosk chain and the server chain in the store, checked
 * end to end. Each break found is raised as an incident once (breaks.ts).
 */
import {
  type AuditProblem,
  type ChainHead,
  describeAuditProblem,
  GENESIS,
} from '../../../src/core/audit/chain';
import { verifyChain, verifyCheckpointSignature } from '../../../src/core/audit/checkpoint';
import type { Store } from '../store/store';
import { kioskChain, raiseAuditBreak, SERVER_CHAIN } from './breaks';
import type { AuditKey } from './key';
import { type ServerAuditLog, verifyServerEvents } from './server-chain';

const PAGE = 5000;

export interface ChainReport {
  /** `server` or `kiosk:<id>`. */
  chain: string;
  events: number;
  checkpoints: number;
  /** The last seq stored. */
  head: number;
  /** Sorted by seq; empty when the chain verifies. */
  problems: AuditProblem[];
  /** The first problem in words. */
  firstProblem: string | null;
  /** The incident raised for the first problem; null for a chain that verifies. */
  incident: { id: string; new: boolean } | null;
}

export interface AuditVerification {
  ok: boolean;
  chains: ChainReport[];
}

/** A kiosk chain's seq and head hash as the server chain recorded them when the page arrived. */
interface Anchor {
  seq: number;
  hash: string;
}

async function verifyServerChain(store: Store, key: AuditKey) {
  const problems: AuditProblem[] = [];
  const anchors = new Map<string, Anchor[]>();
  let start: ChainHead = GENESIS;
  let count = 0;
  for (;;) {
    const page = await store.serverAuditEvents(start.seq, PAGE);
    const last = page.at(-1);
    if (last === undefined) break;
    const found = await verifyServerEvents(page, start, key);
    problems.push(...found);
    const bad = new Set(found.map((p) => p.seq));
    for (const event of page) {
      // Only events whose MAC holds vouch for a kiosk chain.
      if (event.type !== 'kiosk-audit-received' || bad.has(event.seq) || event.subject === null) continue;
      const { toSeq, headHash } = event.detail ?? {};
      if (typeof toSeq !== 'number' || typeof headHash !== 'string') continue;
      anchors.set(event.subject, [...(anchors.get(event.subject) ?? []), { seq: toSeq, hash: headHash }]);
    }
    count += page.length;
    start = { seq: last.seq, hash: last.hash };
  }
  return { problems, anchors, count, head: start.seq };
}

async function verifyKioskChain(store: Store, kioskId: string, anchors: readonly Anchor[]) {
  const checkpoints = await store.kioskAuditCheckpoints(kioskId);
  const known = await store.knownDeviceKeys(checkpoints.map((c) => c.publicKeySpki));
  const problems: AuditProblem[] = [];
  const hashAt = new Map<number, string>();
  let start: ChainHead = GENESIS;
  let first: number | null = null;
  for (;;) {
    const page = await store.kioskAuditEvents(kioskId, start.seq, PAGE);
    const last = page.at(-1);
    const head = page[0];
    if (last === undefined || head === undefined) break;
    first ??= head.seq;
    problems.push(
      ...(await verifyChain({
        events: page,
        checkpoints: checkpoints.filter((c) => c.seq >= head.seq && c.seq <= last.seq),
        start,
        verifyCheckpoint: (c) => verifyCheckpointSignature(c, (spki) => known.has(spki)),
      })),
    );
    for (const event of page) hashAt.set(event.seq, event.hash);
    start = { seq: last.seq, hash: last.hash };
  }
  // Checkpoints outside the stored events: the events they signed are gone.
  for (const c of checkpoints) {
    if (c.seq > start.seq || (first !== null && c.seq < first) || first === null) {
      problems.push({ kind: 'checkpoint-mismatch', seq: c.seq });
    }
  }
  const badCheckpoints = new Set(problems.filter((p) => p.kind.includes('checkpoint')).map((p) => p.seq));
  const covered = Math.max(0, ...checkpoints.filter((c) => !badCheckpoints.has(c.seq)).map((c) => c.seq));
  // What the server chain recorded on arrival must still be there (a truncated or re-signed chain is not).
  for (const anchor of anchors) {
    if (hashAt.get(anchor.seq) !== anchor.hash)
      problems.push({ kind: 'checkpoint-mismatch', seq: anchor.seq });
  }
  if (start.seq > covered)
    problems.push({ kind: 'head-not-checkpointed', seq: start.seq, checkpointSeq: covered });
  return { problems, count: hashAt.size, checkpoints: checkpoints.length, head: start.seq };
}

export async function verifyAuditStore(
  store: Store,
  key: AuditKey,
  options: { now?: () => Date; raiseIncidents?: boolean; audit?: ServerAuditLog } = {},
): Promise<AuditVerification> {
  const now = options.now ?? (() => new Date());
  const server = await verifyServerChain(store, key);
  const reports: ChainReport[] = [
    {
      chain: SERVER_CHAIN,
      events: server.count,
      checkpoints: server.count,
      head: server.head,
      problems: server.problems,
      firstProblem: null,
      incident: null,
    },
  ];
  const kiosks = new Set([...(await store.auditedKiosks()), ...server.anchors.keys()]);
  for (const kioskId of [...kiosks].sort()) {
    const found = await verifyKioskChain(store, kioskId, server.anchors.get(kioskId) ?? []);
    reports.push({
      chain: kioskChain(kioskId),
      events: found.count,
      checkpoints: found.checkpoints,
      head: found.head,
      problems: found.problems,
      firstProblem: null,
      incident: null,
    });
  }
  for (const report of reports) {
    report.problems.sort((a, b) => a.seq - b.seq);
    const problem = report.problems[0];
    if (problem === undefined) continue;
    report.firstProblem = describeAuditProblem(problem);
    if (options.raiseIncidents === false) continue;
    const kioskId = report.chain === SERVER_CHAIN ? null : report.chain.slice('kiosk:'.length);
    const raised = await raiseAuditBreak(
      store,
      { chain: report.chain, kioskId, problem, source: 'verify', evidence: null, at: now().toISOString() },
      options.audit,
    );
    report.incident = { id: raised.id, new: raised.newIncident };
  }
  return { ok: reports.every((r) => r.problems.length === 0), chains: reports };
}
