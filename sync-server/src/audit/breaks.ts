/**
 * A broken audit chain is a security incident (Pasal 24): kept as an audit break and raised in the
 * incident register once per break, however often it is found again.
 */
import { createHash } from 'node:crypto';
import { type AuditProblem, describeAuditProblem } from '../../../src/core/audit/chain';
import type { Store } from '../store/store';
import type { ServerAuditLog } from './server-chain';

export const SERVER_CHAIN = 'server';
export const kioskChain = (kioskId: string) => `kiosk:${kioskId}`;

/** A UUID-shaped id derived from the chain and the break: one break, one incident. */
export function breakId(chain: string, problem: AuditProblem): string {
  const hex = createHash('sha256')
    .update(`sertel-audit-break\n${chain}\n${problem.kind}\n${problem.seq}`)
    .digest('hex');
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface RaisedBreak {
  id: string;
  /** False when this break was recorded before (no second incident). */
  newIncident: boolean;
}

export async function raiseAuditBreak(
  store: Pick<Store, 'recordAuditBreak' | 'recordIncident'>,
  found: {
    chain: string;
    kioskId: string | null;
    problem: AuditProblem;
    source: 'upload' | 'verify';
    /** JSON of ids and hashes (a refused upload); null for a stored chain. */
    evidence: string | null;
    at: string;
  },
  audit?: ServerAuditLog,
): Promise<RaisedBreak> {
  const id = breakId(found.chain, found.problem);
  const whose = found.kioskId === null ? 'server' : `kiosk ${found.kioskId}`;
  const description = `Rantai audit ${whose} rusak (Pasal 24): ${describeAuditProblem(found.problem)}.`;
  await store.recordAuditBreak({
    id,
    chain: found.chain,
    seq: found.problem.seq,
    problem: found.problem.kind,
    description,
    detectedAt: found.at,
    source: found.source,
    evidence: found.evidence,
  });
  const outcome = await store.recordIncident({
    id,
    type: 'authenticity',
    occurredAt: found.at,
    recordedAt: found.at,
    certificateSerialHex: null,
    applicationId: null,
    description,
    actionsTaken:
      found.source === 'upload'
        ? 'Dicatat otomatis oleh server; kiriman rantai audit ditolak dan disimpan sebagai bukti.'
        : 'Dicatat otomatis oleh verify-audit; rantai disimpan apa adanya untuk pemeriksaan.',
    reportedTo: 'Diskominfo Kota Madiun (Otoritas Pendaftaran)',
    recordedBy: 'server',
    officerId: null,
    kioskId: found.kioskId,
    revocationId: null,
    payload: null,
    signature: null,
  });
  const newIncident = outcome.status === 'recorded';
  if (newIncident) {
    await audit?.record('audit-break', 'server', found.kioskId, {
      chain: found.chain,
      seq: found.problem.seq,
      problem: found.problem.kind,
    });
  }
  return { id, newIncident };
}
