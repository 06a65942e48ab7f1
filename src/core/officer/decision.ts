/**
 * The officer's decision as the text the officer's key signs (Pasal 11 ayat 2-3), and the one way
 * kiosk and server read it back. The text is `JSON.stringify` of the payload with its keys in the
 * order of `decisionPayloadSchema`, so the same decision always signs the same bytes.
 */
import {
  type DecisionKind,
  type DecisionPayload,
  decisionPayloadSchema,
  OFFICER_LIMITS,
} from '../../protocol/officer';
import type { CertificateType } from '../certificate/types';
import { fail, ok, type Result } from '../lib/brand';
import { type ChecklistItem, checklistFor, uncheckedItems } from './checklist';
import { type ReadProblem, readStatementText } from './statement-text';

/** One entry of `rejectionReasons` in config/kiosk.json; the applicant sees the label (ayat 3). */
export interface RejectionReason {
  code: string;
  /** Indonesian label. */
  id: string;
  /** English label. */
  en: string;
  /** A reason that says nothing alone ("lainnya"): the note must explain it. */
  needsNote?: boolean;
}

export interface DecisionRules {
  rejectionReasons: readonly RejectionReason[];
}

export interface DecisionInput {
  applicationId: string;
  /** `applicationHash()` of the record as captured (protocol/officer.ts). */
  applicationHash: string;
  certificateType: CertificateType;
  /** The application carries OCR cross-check warnings, so reviewing them is on the checklist. */
  hasWarnings: boolean;
  decision: DecisionKind;
  /** Codes from the configured list, in any order. */
  reasons: readonly string[];
  note: string;
  /** The checklist items the officer ticked, in any order. */
  checklist: readonly string[];
  officerId: string;
  keyId: string;
  kioskId: string;
  /** ISO 8601 with an offset, from the kiosk's clock. */
  decidedAt: string;
}

const SHAPE = decisionPayloadSchema.shape;

type IdentityField = 'applicationId' | 'applicationHash' | 'officerId' | 'keyId' | 'kioskId' | 'decidedAt';
const IDENTITY_FIELDS: readonly IdentityField[] = [
  'applicationId',
  'applicationHash',
  'officerId',
  'keyId',
  'kioskId',
  'decidedAt',
];

export type DecisionProblem =
  /** An approval with items of the type's checklist not ticked. */
  | { field: 'checklist'; reason: 'unchecked'; items: ChecklistItem[] }
  /** Ticks that are not on this type's checklist: a UI out of step with the application. */
  | { field: 'checklist'; reason: 'unknown-items'; items: string[] }
  | { field: 'reasons'; reason: 'required' | 'not-allowed' | 'too-many' }
  | { field: 'reasons'; reason: 'unknown'; codes: string[] }
  | { field: 'note'; reason: 'required' | 'too-long' }
  | { field: IdentityField; reason: 'invalid' }
  /** The payload broke the wire schema in a way none of the above names (a bad configured code). */
  | { field: 'payload'; reason: 'invalid' };

/** Validates the decision, listing every problem at once, and gives the exact text to sign. */
export function decisionPayloadText(
  input: DecisionInput,
  rules: DecisionRules,
): Result<string, DecisionProblem[]> {
  const problems: DecisionProblem[] = [];

  const items = checklistFor(input.certificateType, { hasWarnings: input.hasWarnings });
  const ticked = new Set(input.checklist);
  const unknownItems = [...ticked].filter((t) => !(items as readonly string[]).includes(t));
  if (unknownItems.length > 0)
    problems.push({ field: 'checklist', reason: 'unknown-items', items: unknownItems });
  const unchecked = uncheckedItems(input.certificateType, input.checklist, {
    hasWarnings: input.hasWarnings,
  });
  if (input.decision === 'approved' && unchecked.length > 0)
    problems.push({ field: 'checklist', reason: 'unchecked', items: unchecked });

  // In the configured order, once each: the same choice always reads (and signs) the same.
  const chosen = new Set(input.reasons);
  const reasons = rules.rejectionReasons.filter((r) => chosen.has(r.code));
  const unknownCodes = [...chosen].filter((c) => !reasons.some((r) => r.code === c));
  if (input.decision === 'approved' && chosen.size > 0)
    problems.push({ field: 'reasons', reason: 'not-allowed' });
  if (input.decision === 'rejected') {
    if (chosen.size === 0) problems.push({ field: 'reasons', reason: 'required' });
    if (unknownCodes.length > 0) problems.push({ field: 'reasons', reason: 'unknown', codes: unknownCodes });
    if (reasons.length > OFFICER_LIMITS.maxReasons) problems.push({ field: 'reasons', reason: 'too-many' });
  }

  const note = input.note.trim();
  if (note.length > OFFICER_LIMITS.maxNoteChars) problems.push({ field: 'note', reason: 'too-long' });
  else if (input.decision === 'rejected' && note === '' && reasons.some((r) => r.needsNote === true))
    problems.push({ field: 'note', reason: 'required' });

  for (const field of IDENTITY_FIELDS) {
    if (!SHAPE[field].safeParse(input[field]).success) problems.push({ field, reason: 'invalid' });
  }
  if (problems.length > 0) return fail(problems);

  // Key order of decisionPayloadSchema: JSON.stringify keeps insertion order.
  const payload: DecisionPayload = {
    v: 1,
    type: 'decision',
    applicationId: input.applicationId,
    applicationHash: input.applicationHash,
    decision: input.decision,
    reasons: reasons.map((r) => r.code),
    note,
    checklist: items.filter((item) => ticked.has(item)),
    officerId: input.officerId,
    keyId: input.keyId,
    kioskId: input.kioskId,
    decidedAt: input.decidedAt,
  };
  if (!decisionPayloadSchema.safeParse(payload).success)
    return fail([{ field: 'payload', reason: 'invalid' }]);
  return ok(JSON.stringify(payload));
}

export type { ReadProblem };

/** Reads a signed decision's payload text (after its signature was verified), kiosk and server alike. */
export function readDecision(payloadText: string): Result<DecisionPayload, ReadProblem> {
  return readStatementText(decisionPayloadSchema, payloadText);
}
