import { AUDIT_LIMITS, type AuditUpload, auditUploadResponseSchema } from '../../protocol/audit';
import { credentialProblem, readServerError } from '../server-error';
import type { AuditTrail, AuditTransport } from './ports';

export interface AuditUploadReport {
  /** Events the server newly acknowledged in this run. */
  sent: number;
  error: string | null;
  /** The server's code when it no longer knows or trusts this kiosk. */
  credentials: string | null;
}

/** Pages per run: a kiosk far behind catches up over several passes. */
const MAX_PAGES = 20;

/**
 * Sends the chain from the last seq the server acknowledged, a page at a time, each page ending on
 * a signed checkpoint (so the server always holds a signed head). The server's answer is the truth
 * about what it holds: when it says less or more than the kiosk remembered, the next page starts
 * there.
 */
export async function uploadAudit(deps: {
  trail: AuditTrail;
  transport: AuditTransport;
  kioskId: string;
}): Promise<AuditUploadReport> {
  const { trail, transport, kioskId } = deps;
  const report: AuditUploadReport = { sent: 0, error: null, credentials: null };
  for (let page = 0; page < MAX_PAGES; page++) {
    const acknowledged = await trail.acknowledged(kioskId);
    const events = await trail.eventsAfter(acknowledged, AUDIT_LIMITS.maxEventsPerRequest);
    const first = events[0];
    const last = events.at(-1);
    if (first === undefined || last === undefined) return report;
    await trail.checkpointAt(last.seq);
    const checkpoints = (await trail.checkpoints(first.seq, last.seq)).slice(
      -AUDIT_LIMITS.maxCheckpointsPerRequest,
    );
    const upload: AuditUpload = { kioskId, events, checkpoints };
    const answer = await transport.sendAudit(upload);
    if (answer.kind === 'network-error') {
      report.error = `network: ${answer.message}`;
      return report;
    }
    if (answer.status !== 200) {
      report.credentials = credentialProblem(answer);
      report.error = `audit: server answered ${answer.status}${readServerError(answer.body).suffix}`;
      return report;
    }
    const parsed = auditUploadResponseSchema.safeParse(answer.body);
    if (!parsed.success) {
      report.error = 'audit: the server sent an unreadable acknowledgement';
      return report;
    }
    // Less than remembered (the server's store was restored): the next page starts there.
    const held = Math.min(parsed.data.acknowledgedSeq, last.seq);
    await trail.setAcknowledged(kioskId, held);
    if (held === acknowledged) {
      report.error = 'audit: the server did not take the chain further';
      return report;
    }
    if (held > acknowledged) report.sent += held - acknowledged;
  }
  return report;
}
