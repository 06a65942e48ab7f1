/**
 * The two-person rule (docs/officers.md): an approved application reaches the CA only after a
 * second officer, not the one who decided it, releases it. Kiosk and server apply the same rule.
 */
import { type DecisionKind, type ReleasePayload, releasePayloadSchema } from '../../protocol/officer';
import { fail, ok, type Result } from '../lib/brand';
import { type ReadProblem, readStatementText } from './statement-text';

/** What the rule needs to know of an application. */
export interface ReleaseCandidate {
  decision: DecisionKind | null;
  /** The officer who signed the decision. */
  decidedBy: string | null;
  releasedAt: string | null;
}

export type ReleaseProblem = 'not-approved' | 'self-release' | 'already-released';

export interface ReleaseRules {
  twoPersonRule: boolean;
}

/**
 * Why this officer may not release this application, or null. An approval that names no officer
 * counts as not approved: with no decider to compare, the rule could not be kept. A repeat release
 * answers `already-released` before anything else about the officer, so a retry stays harmless.
 */
export function releaseProblem(
  application: ReleaseCandidate,
  releasingOfficerId: string,
  rules: ReleaseRules,
): ReleaseProblem | null {
  if (application.decision !== 'approved' || application.decidedBy === null) return 'not-approved';
  if (application.releasedAt !== null) return 'already-released';
  if (rules.twoPersonRule && application.decidedBy === releasingOfficerId) return 'self-release';
  return null;
}

export type ReleaseInput = Omit<ReleasePayload, 'v' | 'type'>;

export type ReleasePayloadProblem = {
  field: 'applicationIds' | 'officerId' | 'keyId' | 'kioskId' | 'releasedAt';
  reason: 'invalid';
};

const SHAPE = releasePayloadSchema.shape;
const FIELDS = ['applicationIds', 'officerId', 'keyId', 'kioskId', 'releasedAt'] as const;

/**
 * The text the releasing officer signs: keys in the order of `releasePayloadSchema`, each id once
 * (in the order given), every problem listed at once.
 */
export function releasePayloadText(input: ReleaseInput): Result<string, ReleasePayloadProblem[]> {
  const deduplicated = { ...input, applicationIds: [...new Set(input.applicationIds)] };
  const problems: ReleasePayloadProblem[] = FIELDS.filter(
    (field) => !SHAPE[field].safeParse(deduplicated[field]).success,
  ).map((field) => ({ field, reason: 'invalid' }));
  if (problems.length > 0) return fail(problems);
  const payload: ReleasePayload = {
    v: 1,
    type: 'release',
    applicationIds: deduplicated.applicationIds,
    officerId: input.officerId,
    keyId: input.keyId,
    kioskId: input.kioskId,
    releasedAt: input.releasedAt,
  };
  return ok(JSON.stringify(payload));
}

/** Reads a release's payload text (after its signature was verified); extra keys are refused. */
export function readRelease(payloadText: string): Result<ReleasePayload, ReadProblem> {
  return readStatementText(releasePayloadSchema, payloadText);
}
