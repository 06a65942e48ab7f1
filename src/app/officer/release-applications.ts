/**
 * The end-of-day release (two-person rule, docs/officers.md): a second officer reviews the approved
 * applications of this outbox and releases them to the CA with signed release statements, sent
 * kiosk-signed to `POST /sync/releases`. What the server acknowledges is remembered per application.
 */
import type { CertificateType } from '../../core/certificate/types';
import { fail, ok, type Result } from '../../core/lib/brand';
import { readDecision } from '../../core/officer/decision';
import { type ReleaseRules, releasePayloadText, releaseProblem } from '../../core/officer/release';
import {
  OFFICER_LIMITS,
  type ReleaseRequest,
  releaseResponseSchema,
  type SignedStatement,
} from '../../protocol/officer';
import type { AuditLog } from '../audit/ports';
import type { DeviceIdentityStore, OutboxStore, OutboxSummary, TransportResult } from '../ports';
import { clearNameOf } from '../sealing/open-at-counter';
import { readServerError } from '../server-error';
import type { OfficerSession } from './officer-session';
import type { OfficerTransport } from './ports';

/** Why an approved application cannot be chosen now. */
export type ReleaseBlock =
  /** This officer decided it: a second officer must release it (two-person rule). */
  | 'self-release'
  /** The server has not acknowledged the record yet, and refuses ids it does not know. */
  | 'not-synced';

/** An approved application not yet released, as the end-of-day screen lists it. */
export interface ReleasableApplication {
  id: string;
  /** Null for a sealed application: after the counter the kiosk keeps no name. */
  nama: string | null;
  certificateType: CertificateType;
  perangkatDaerah: string;
  /** The officer who signed the approval. */
  decidedBy: string;
  /** From the signed approval (ISO 8601 with an offset); the screen groups by its day. */
  decidedAt: string;
  selectable: boolean;
  /** Null exactly when selectable. */
  blocked: ReleaseBlock | null;
}

/** What the list needs of an application (a summary: no file is read). */
export type ReleaseSource = Pick<OutboxSummary, 'id' | 'state' | 'record' | 'release'>;

/** The approval the kiosk signed into the record, read back; null for anything but an approval. */
function approvalOf(item: ReleaseSource): { decidedBy: string; decidedAt: string } | null {
  const decision = item.record.decision;
  if (!decision) return null;
  // Signed on this kiosk, so reading is enough; the server verifies the signature.
  const read = readDecision(decision.payload);
  if (!read.ok || read.value.applicationId !== item.id || read.value.decision !== 'approved') return null;
  return { decidedBy: read.value.officerId, decidedAt: read.value.decidedAt };
}

/**
 * The approved applications of the outbox not yet released, oldest decision first, each with
 * whether this officer may release it now. Applications the server refused stay out: it would
 * never know them.
 */
export function releaseCandidates(
  items: readonly ReleaseSource[],
  officerId: string,
  rules: ReleaseRules,
): ReleasableApplication[] {
  const candidates: ReleasableApplication[] = [];
  for (const item of items) {
    if (item.release !== undefined || item.state === 'rejected') continue;
    const approval = approvalOf(item);
    if (approval === null) continue;
    const problem = releaseProblem(
      { decision: 'approved', decidedBy: approval.decidedBy, releasedAt: null },
      officerId,
      rules,
    );
    const blocked: ReleaseBlock | null =
      problem === 'self-release' ? 'self-release' : item.state === 'synced' ? null : 'not-synced';
    const { applicant, certificateType } = item.record;
    candidates.push({
      id: item.id,
      nama: clearNameOf(item),
      certificateType,
      perangkatDaerah: applicant.perangkatDaerah,
      decidedBy: approval.decidedBy,
      decidedAt: approval.decidedAt,
      selectable: blocked === null,
      blocked,
    });
  }
  // By the instant, not the text: decisions may carry different offsets.
  return candidates.sort(
    (a, b) => Date.parse(a.decidedAt) - Date.parse(b.decidedAt) || a.id.localeCompare(b.id),
  );
}

/** What became of one application asked for. */
export type ReleaseOutcome =
  | { id: string; outcome: 'released' }
  /**
   * `self-release`, `not-approved`, `unknown-application`, `already-released` (the kiosk's check
   * or the server's), a code the server refused the whole statement with, or `no-answer`.
   */
  | { id: string; outcome: 'refused'; code: string }
  /** A later request failed after earlier ones were answered: this id was not sent. */
  | { id: string; outcome: 'not-sent'; problem: RequestProblem['kind'] };

type RequestProblem =
  /** No link, or no answer. */
  | { kind: 'offline' }
  /** The server does not know this kiosk (any more), or the officer's key is from an older enrollment. */
  | { kind: 'not-enrolled' }
  | { kind: 'server'; serverCode?: string };

export type ReleaseApplicationsProblem =
  | RequestProblem
  /** No open session, or it went idle: the officer must type the PIN again. */
  | { kind: 'session-ended' }
  | { kind: 'nothing-to-release' };

/** A release statement this use case built could not be signed: a programming error, not input. */
export class ReleaseSigningError extends Error {
  override name = 'ReleaseSigningError';
}

export interface ReleaseDeps {
  /** The audit chain (issue 8); absent where nothing is recorded (tests of other things). */
  audit?: AuditLog;
  outbox: Pick<OutboxStore, 'list' | 'markReleased'>;
  /** The open officer session, or null. */
  session: () => Pick<OfficerSession, 'profile' | 'isActive' | 'signRelease'> | null;
  identity: Pick<DeviceIdentityStore, 'enrollment'>;
  transport: Pick<OfficerTransport, 'release'>;
  /** `twoPersonRule` from config/kiosk.json. */
  rules: ReleaseRules;
  now: () => Date;
}

const chunks = <T>(all: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(all.length / size) }, (_, i) => all.slice(i * size, (i + 1) * size));

function requestProblem(answer: TransportResult): RequestProblem | null {
  if (answer.kind === 'network-error') return { kind: 'offline' };
  if (answer.status >= 200 && answer.status < 300) return null;
  if (answer.status === 401 || answer.status === 403) return { kind: 'not-enrolled' };
  const { code } = readServerError(answer.body);
  return code === undefined ? { kind: 'server' } : { kind: 'server', serverCode: code };
}

/**
 * Releases the chosen applications as the open session's officer. The kiosk refuses first what the
 * rule refuses (a self-release is never signed); the rest goes in statements of at most
 * `maxReleaseIds` ids, `maxReleasesPerRequest` statements a request. What the server released,
 * now or before, is marked in the outbox; nothing is marked without its answer.
 */
export async function releaseApplications(
  ids: readonly string[],
  deps: ReleaseDeps,
): Promise<Result<ReleaseOutcome[], ReleaseApplicationsProblem>> {
  const asked = [...new Set(ids)];
  if (asked.length === 0) return fail({ kind: 'nothing-to-release' });
  const session = deps.session();
  if (session === null || !session.isActive()) return fail({ kind: 'session-ended' });
  const { profile } = session;
  const kiosk = await deps.identity.enrollment();
  // A key from an earlier enrollment of this kiosk: the server would refuse every statement.
  if (kiosk === null || kiosk.kioskId !== profile.kioskId) return fail({ kind: 'not-enrolled' });

  const outcomes = new Map<string, ReleaseOutcome>();
  const items = new Map((await deps.outbox.list()).map((item) => [item.id, item]));
  const toSend: string[] = [];
  for (const id of asked) {
    const item = items.get(id);
    const approval = item ? approvalOf(item) : null;
    const problem = item
      ? releaseProblem(
          {
            decision: approval ? 'approved' : null,
            decidedBy: approval?.decidedBy ?? null,
            releasedAt: item.release?.releasedAt ?? null,
          },
          profile.officerId,
          deps.rules,
        )
      : 'unknown-application';
    // Not-yet-synced ids still go: the server may hold a record whose acknowledgement was lost.
    if (problem === null) toSend.push(id);
    else outcomes.set(id, { id, outcome: 'refused', code: problem });
  }

  const releasedAt = deps.now().toISOString();
  // Everything is signed before anything is sent: the session cannot end halfway through.
  const statements: { ids: string[]; statement: SignedStatement }[] = [];
  for (const statementIds of chunks(toSend, OFFICER_LIMITS.maxReleaseIds)) {
    const text = releasePayloadText({
      applicationIds: statementIds,
      officerId: profile.officerId,
      keyId: profile.keyId,
      kioskId: profile.kioskId,
      releasedAt,
    });
    if (!text.ok) {
      throw new ReleaseSigningError(
        `release payload invalid: ${text.problem.map((p) => p.field).join(', ')}`,
      );
    }
    const signed = await session.signRelease(text.value);
    if (!signed.ok) {
      if (signed.problem === 'session-ended') return fail({ kind: 'session-ended' });
      throw new ReleaseSigningError('the session refused the release payload');
    }
    statements.push({ ids: statementIds, statement: signed.value });
  }

  let answered = false;
  for (const batch of chunks(statements, OFFICER_LIMITS.maxReleasesPerRequest)) {
    const request: ReleaseRequest = { kioskId: kiosk.kioskId, releases: batch.map((s) => s.statement) };
    const answer = await deps.transport.release(request);
    const problem = requestProblem(answer);
    const parsed = answer.kind === 'response' ? releaseResponseSchema.safeParse(answer.body) : null;
    const response = problem === null && parsed?.success ? parsed.data : null;
    if (response === null) {
      const failure: RequestProblem = problem ?? { kind: 'server' };
      if (!answered) return fail(failure);
      for (const id of batch.flatMap((s) => s.ids))
        outcomes.set(id, { id, outcome: 'not-sent', problem: failure.kind });
      continue;
    }
    answered = true;

    const byId = new Map(response.results.map((r) => [r.applicationId, r]));
    const wholeRefusals = new Map(response.refused.map((r) => [r.index, r.code]));
    const acknowledged: string[] = [];
    for (const [index, { ids: statementIds }] of batch.entries()) {
      const refusedWhole = wholeRefusals.get(index);
      for (const id of statementIds) {
        const result = byId.get(id);
        if (refusedWhole !== undefined) outcomes.set(id, { id, outcome: 'refused', code: refusedWhole });
        else if (result === undefined) outcomes.set(id, { id, outcome: 'refused', code: 'no-answer' });
        else if (result.status === 'refused')
          outcomes.set(id, { id, outcome: 'refused', code: result.code ?? 'refused' });
        else {
          acknowledged.push(id);
          outcomes.set(
            id,
            result.status === 'released'
              ? { id, outcome: 'released' }
              : { id, outcome: 'refused', code: 'already-released' },
          );
        }
      }
    }
    // After each answer: a later request failing must not lose what this one released.
    if (acknowledged.length > 0)
      await deps.outbox.markReleased(acknowledged, { releasedAt, officerId: profile.officerId });
    if (acknowledged.length > 0)
      await deps.audit?.append('released', null, { officerId: profile.officerId, ids: acknowledged });
  }

  return ok(asked.flatMap((id) => outcomes.get(id) ?? []));
}
