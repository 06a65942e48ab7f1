/**
 * The officer's decision at the counter (Pasal 11, docs/officers.md): the record exactly as it will
 * be sent, its `applicationHash`, the payload text of core/officer's `decisionPayloadText`, the
 * session's signature, and the outbox keeping the signed statement and queuing the record.
 */
import type { CertificateType } from '../../core/certificate/types';
import type { Result } from '../../core/lib/brand';
import { fail, ok } from '../../core/lib/brand';
import {
  type DecisionProblem,
  type DecisionRules,
  decisionPayloadText,
  readDecision,
} from '../../core/officer/decision';
import { IllegalTransitionError } from '../../core/outbox/lifecycle';
import { applicationHash, type DecisionKind, type SignedStatement } from '../../protocol/officer';
import type { AuditLog } from '../audit/ports';
import type { DeviceIdentityStore, HandoverStore, OutboxItem, OutboxStore } from '../ports';
import { openAtCounter } from '../sealing/open-at-counter';
import { framedRecord } from '../sync-outbox';
import type { OfficerSession } from './officer-session';

export interface DecideInput {
  applicationId: string;
  decision: DecisionKind;
  /** Codes of `rejectionReasons`; none for an approval. */
  reasons: readonly string[];
  note: string;
  /** The checklist items the officer ticked. */
  checklist: readonly string[];
}

export type DecideProblem =
  /** No open session, or it went idle: the officer must type the PIN again. */
  | { kind: 'session-ended' }
  /** Not held any more (decided in another tab) or gone. */
  | { kind: 'not-held' }
  /** The kiosk was enrolled again since this officer enrolled here: the server would refuse the key. */
  | { kind: 'kiosk-changed' }
  /** What the officer chose breaks the decision rules (every problem at once). */
  | { kind: 'invalid'; problems: DecisionProblem[] }
  /** The session refused to sign the payload (a programming error: not this officer's statement). */
  | { kind: 'invalid-payload' }
  /** The sealed application does not open with this session's keys (`openAtCounter`). */
  | { kind: 'damaged' }
  | { kind: 'no-key' };

export interface DecidedApplication {
  applicationId: string;
  decision: DecisionKind;
  /** The configured codes, in the configured order (as signed). */
  reasons: string[];
  note: string;
  decidedAt: string;
  statement: SignedStatement;
  /** What the submission receipt prints. */
  certificateType: CertificateType;
  nama: string;
  perangkatDaerah: string;
  submittedAt: string;
  officer: { nama: string; nip: string | null };
}

export interface DecideDeps {
  /** The audit chain (issue 8); absent where nothing is recorded (tests of other things). */
  audit?: AuditLog;
  outbox: Pick<OutboxStore, 'decide'> & Pick<HandoverStore, 'get'>;
  /** The open officer session, or null. */
  session: () => Pick<OfficerSession, 'profile' | 'isActive' | 'signDecision' | 'openingKeys'> | null;
  identity: Pick<DeviceIdentityStore, 'enrollment'>;
  /** `decisionRules(config)`. */
  rules: DecisionRules;
  now: () => Date;
}

/**
 * Whether the application carries OCR cross-check warnings, so that "warnings reviewed" is on its
 * checklist. The screen and the use case must agree on it, or an approval would not validate.
 */
export function hasOcrWarnings(record: Pick<OutboxItem['record'], 'ektp'>): boolean {
  return (record.ektp?.warnings.length ?? 0) > 0;
}

export async function decideApplication(
  input: DecideInput,
  deps: DecideDeps,
): Promise<Result<DecidedApplication, DecideProblem>> {
  const session = deps.session();
  if (session === null || !session.isActive()) return fail({ kind: 'session-ended' });
  const { profile } = session;
  const kiosk = await deps.identity.enrollment();
  if (kiosk === null || kiosk.kioskId !== profile.kioskId) return fail({ kind: 'kiosk-changed' });

  const stored = await deps.outbox.get(input.applicationId);
  if (stored === null || stored.state !== 'held') return fail({ kind: 'not-held' });
  // A sealed application is opened in memory with the session's keys; nothing is written back.
  const opened = await openAtCounter(stored, session.openingKeys());
  if (!opened.ok) return fail({ kind: opened.problem });
  const item = opened.value;

  // The record byte for byte as the syncer will send it: the server hashes what it receives.
  const hash = await applicationHash((await framedRecord(item)).record);
  const decidedAt = deps.now().toISOString();
  const text = decisionPayloadText(
    {
      applicationId: item.id,
      applicationHash: hash,
      certificateType: item.record.certificateType,
      hasWarnings: hasOcrWarnings(item.record),
      decision: input.decision,
      reasons: input.reasons,
      note: input.note,
      checklist: input.checklist,
      officerId: profile.officerId,
      keyId: profile.keyId,
      kioskId: profile.kioskId,
      decidedAt,
    },
    deps.rules,
  );
  if (!text.ok) return fail({ kind: 'invalid', problems: text.problem });

  const signed = await session.signDecision(text.value);
  if (!signed.ok)
    return fail(signed.problem === 'session-ended' ? { kind: 'session-ended' } : { kind: 'invalid-payload' });

  try {
    await deps.outbox.decide(item.id, signed.value, decidedAt);
  } catch (err) {
    // Decided meanwhile in another tab: this statement is simply not kept.
    if (err instanceof IllegalTransitionError) return fail({ kind: 'not-held' });
    throw err;
  }
  await deps.audit?.append('decided', item.id, {
    officerId: session.profile.officerId,
    decision: input.decision,
  });

  // Read back as signed: the reasons in the configured order, the note trimmed.
  const signedPayload = readDecision(text.value);
  const { reasons, note } = signedPayload.ok ? signedPayload.value : { reasons: [], note: '' };
  return ok({
    applicationId: item.id,
    decision: input.decision,
    reasons,
    note,
    decidedAt,
    statement: signed.value,
    certificateType: item.record.certificateType,
    nama: item.record.applicant.nama,
    perangkatDaerah: item.record.applicant.perangkatDaerah,
    submittedAt: item.createdAt,
    officer: { nama: profile.nama, nip: profile.nip },
  });
}
