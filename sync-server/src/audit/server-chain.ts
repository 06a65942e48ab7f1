/**
 * The server's own audit chain (issue 8): admin actions, kiosk enrollments and revocations, officer
 * changes, calls to the CA, archive openings. Linked like a kiosk's chain; every event also carries
 * a MAC of its seq and hash under the audit key (key.ts), so each one is its own checkpoint.
 */
import {
  type AuditDetail,
  type AuditEventBody,
  type AuditProblem,
  type ChainHead,
  hashEvent,
  verifyEvents,
} from '../../../src/core/audit/chain';
import type { Logger } from '../logger';
import type { ServerAuditEvent } from '../store/audit-store';
import type { Store } from '../store/store';
import type { AuditKey } from './key';

export const SERVER_AUDIT_TYPES = [
  /** A successful admin API request (detail: method, path, status). */
  'admin-action',
  'enrollment-code-issued',
  'kiosk-enrolled',
  'kiosk-revoked',
  'officer-created',
  'officer-code-issued',
  'officer-locked',
  'officer-unlocked',
  /** One call to the CA (detail: call, outcome, application or request ids). */
  'ca-call',
  /** The sealed archive was opened (detail: purpose, count; subject: application ids). */
  'archive-opened',
  /** Personal data past retention was deleted (detail: count, cutoff; subject: application ids). */
  'archive-purged',
  /** A page of a kiosk's chain was stored (detail: fromSeq, toSeq, headHash): anchors it here. */
  'kiosk-audit-received',
  /** A chain break was found (detail: chain, seq, problem). */
  'audit-break',
] as const;
export type ServerAuditType = (typeof SERVER_AUDIT_TYPES)[number];

/** `admin`, `cli`, `server`, `ca`, `kiosk:<id>`: never a person's name. */
export type ServerAuditActor = string;

export interface ServerAuditLog {
  /** Appends one event. Never throws: a failure is logged (type only), the action stands. */
  record(
    type: ServerAuditType,
    actor: ServerAuditActor,
    subject?: string | null,
    detail?: AuditDetail | null,
  ): Promise<void>;
}

/** The actor is hashed inside the detail (`actor` key), so the core's encoding covers it. */
export function hashedBody(event: AuditEventBody & { actor: string }): AuditEventBody {
  return { ...event, detail: { ...event.detail, actor: event.actor } };
}

export const macText = (seq: number, hash: string) => `sertel-server-audit-v1\n${seq}\n${hash}`;

export async function sealServerEvent(
  head: ChainHead,
  key: AuditKey,
  input: { at: string; type: string; actor: string; subject: string | null; detail: AuditDetail | null },
): Promise<ServerAuditEvent> {
  const body = { seq: head.seq + 1, prevHash: head.hash, ...input };
  const hash = await hashEvent(hashedBody(body));
  return { ...body, hash, keyId: key.id, mac: key.mac(macText(body.seq, hash)) };
}

export function createServerAuditLog(deps: {
  store: Pick<Store, 'appendServerAudit'>;
  key: AuditKey;
  now?: () => Date;
  logger?: Pick<Logger, 'error'>;
}): ServerAuditLog {
  const now = deps.now ?? (() => new Date());
  return {
    async record(type, actor, subject = null, detail = null) {
      try {
        await deps.store.appendServerAudit((head) =>
          sealServerEvent(head, deps.key, { at: now().toISOString(), type, actor, subject, detail }),
        );
      } catch (err) {
        deps.logger?.error({ err, auditType: type }, 'server audit event not recorded');
      }
    },
  };
}

/** A log that records nothing, where no audit key is configured (tests of other parts). */
export const NO_SERVER_AUDIT: ServerAuditLog = { record: async () => undefined };

/** Links, hashes and MACs of one page of the server chain following `start`. */
export async function verifyServerEvents(
  events: readonly ServerAuditEvent[],
  start: ChainHead,
  key: AuditKey,
): Promise<AuditProblem[]> {
  // The hashes cover the actor through the detail; link and order checks need the hashed form.
  const hashed = events.map((e) => ({ ...hashedBody(e), hash: e.hash }));
  const problems = await verifyEvents(hashed, start);
  for (const event of events) {
    if (event.keyId !== key.id) problems.push({ kind: 'unknown-checkpoint-key', seq: event.seq });
    else if (event.mac !== key.mac(macText(event.seq, event.hash))) {
      problems.push({ kind: 'bad-checkpoint-signature', seq: event.seq });
    }
  }
  return problems.sort((a, b) => a.seq - b.seq);
}
