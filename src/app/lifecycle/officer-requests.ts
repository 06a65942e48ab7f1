/**
 * What every lifecycle request shares: an open officer session whose key belongs to this kiosk's
 * enrollment, a statement signed with it, a kiosk-signed request, and the answer read against its
 * schema. Problems come back as values the screens turn into Indonesian.
 */
import type { z } from 'zod';
import { fail, ok, type Result } from '../../core/lib/brand';
import type { StatementProblem } from '../../core/lifecycle/statements';
import type { SignedStatement } from '../../protocol/statement';
import type { OfficerSession } from '../officer/officer-session';
import type { OfficerProfile } from '../officer/ports';
import type { DeviceIdentityStore, TransportResult } from '../ports';
import { readServerError } from '../server-error';
import type { LifecycleTransport } from './ports';

export type LifecycleProblem =
  /** No open session, or it went idle: the officer types the PIN again. */
  | { kind: 'session-ended' }
  /** The server does not know this kiosk (any more), or the officer's key is from an older enrollment. */
  | { kind: 'not-enrolled' }
  /** No link, or no answer. */
  | { kind: 'offline' }
  /** No officer has enrolled here since the RA's NIK key existed: a NIK cannot be searched. */
  | { kind: 'no-key' }
  /** What was typed cannot go into a statement: the fields, by name. */
  | { kind: 'invalid'; fields: string[] }
  /** The server refused the request for what it says (its code: `unknown-certificate`, `officer-locked`, …). */
  | { kind: 'refused'; serverCode: string }
  /** The server failed, or answered what the kiosk cannot read. */
  | { kind: 'server'; serverCode?: string };

export interface LifecycleDeps {
  session: () => Pick<OfficerSession, 'profile' | 'isActive' | 'signLifecycle'> | null;
  identity: Pick<DeviceIdentityStore, 'enrollment'>;
  transport: LifecycleTransport;
  now: () => Date;
}

/** 403 codes about the officer's statement, not the kiosk: shown to the officer as a refusal. */
const STATEMENT_CODES = new Set(['unknown-officer', 'officer-locked', 'statement-mismatch']);

/**
 * Builds the statement text for the open session's officer on this kiosk and signs it. The text is
 * built by `build` (core/lifecycle/statements) with the officer's ids and the time.
 */
export async function signAsOfficer(
  deps: LifecycleDeps,
  build: (
    signer: { officerId: string; keyId: string; kioskId: string },
    at: string,
  ) => Result<string, StatementProblem[]>,
): Promise<
  Result<{ statement: SignedStatement; kioskId: string; profile: OfficerProfile }, LifecycleProblem>
> {
  const session = deps.session();
  if (session === null || !session.isActive()) return fail({ kind: 'session-ended' });
  const { profile } = session;
  const kiosk = await deps.identity.enrollment();
  // A key from an earlier enrollment of this kiosk: the server would refuse every statement.
  if (kiosk === null || kiosk.kioskId !== profile.kioskId) return fail({ kind: 'not-enrolled' });
  const text = build(
    { officerId: profile.officerId, keyId: profile.keyId, kioskId: profile.kioskId },
    deps.now().toISOString(),
  );
  if (!text.ok) return fail({ kind: 'invalid', fields: [...new Set(text.problem.map((p) => p.field))] });
  const signed = await session.signLifecycle(text.value);
  if (!signed.ok) {
    if (signed.problem === 'session-ended') return fail({ kind: 'session-ended' });
    // The text came from the builders above: a payload the session refuses is a programming error.
    throw new Error('the officer session refused a lifecycle statement');
  }
  return ok({ statement: signed.value, kioskId: kiosk.kioskId, profile });
}

/** The server's answer, read against `schema`; every failure as a problem. */
export function readAnswer<T>(answer: TransportResult, schema: z.ZodType<T>): Result<T, LifecycleProblem> {
  if (answer.kind === 'network-error') return fail({ kind: 'offline' });
  const { code } = readServerError(answer.body);
  if (answer.status === 401 || (answer.status === 403 && !STATEMENT_CODES.has(code ?? ''))) {
    return fail({ kind: 'not-enrolled' });
  }
  if (answer.status >= 400 && answer.status < 500 && code !== undefined) {
    return fail({ kind: 'refused', serverCode: code });
  }
  if (answer.status < 200 || answer.status >= 300) {
    return fail(code === undefined ? { kind: 'server' } : { kind: 'server', serverCode: code });
  }
  const parsed = schema.safeParse(answer.body);
  return parsed.success ? ok(parsed.data) : fail({ kind: 'server' });
}
