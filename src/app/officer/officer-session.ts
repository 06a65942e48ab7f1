/**
 * Officer mode at the counter: the officer's key, unwrapped with the PIN into a non-extractable
 * CryptoKey, lives in memory for one session and is dropped when the session ends or sits idle
 * (`officer.idleLockSeconds`). Also the report of officers this kiosk locked after wrong PINs.
 */
import type { Result } from '../../core/lib/brand';
import { fail, ok } from '../../core/lib/brand';
import type { SealOpeningKey } from '../../core/sealing/seal';
import { lifecyclePayloadSchema } from '../../protocol/lifecycle';
import {
  decisionPayloadSchema,
  type OfficerLockRequest,
  releasePayloadSchema,
  type SignedStatement,
  signStatement,
} from '../../protocol/officer';
import { MAX_STATEMENT_PAYLOAD_CHARS } from '../../protocol/statement';
import type { AuditLog } from '../audit/ports';
import type { DeviceIdentityStore } from '../ports';
import { readServerError } from '../server-error';
import type { OfficerKeyStore, OfficerProfile, OfficerTransport, UnlockFailure } from './ports';

export type SignProblem =
  /** Ended, or idle too long: the officer must type the PIN again. */
  | 'session-ended'
  /**
   * Not a statement of this kind for this officer's key on this kiosk: the server would refuse it,
   * and a session signs nothing but what it is meant to.
   */
  | 'invalid-payload';

export interface OfficerSession {
  /** Who is signing (no secret in it). */
  readonly profile: OfficerProfile;
  /** False once ended or idle too long; finding it idle ends the session (the key is dropped). */
  isActive(): boolean;
  /** The officer did something: the idle clock starts over. False if the session had already ended. */
  touch(): boolean;
  /** Signs a decision payload (core/officer's `decisionPayloadText`); counts as a touch. */
  signDecision(payloadText: string): Promise<Result<SignedStatement, SignProblem>>;
  /** Signs a release payload (two-person rule); counts as a touch. */
  signRelease(payloadText: string): Promise<Result<SignedStatement, SignProblem>>;
  /**
   * Signs a lifecycle statement (protocol/lifecycle.ts: a certificate query, a revocation request,
   * an incident); counts as a touch.
   */
  signLifecycle(payloadText: string): Promise<Result<SignedStatement, SignProblem>>;
  /**
   * The keys that open applications sealed at the counter (issue 8): the officer's counter key and
   * the kiosk's fallback key, both non-extractable; none once the session ended.
   */
  openingKeys(): SealOpeningKey[];
  /** Drops the keys; switching back to applicant mode calls this. */
  end(): void;
}

export interface OfficerSessionDeps {
  keys: Pick<OfficerKeyStore, 'unlock'>;
  /** The audit chain (issue 8); absent where nothing is recorded (tests of other things). */
  audit?: AuditLog;
  /** `officer.idleLockSeconds`. */
  idleSeconds: number;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
  /**
   * The kiosk's fallback counter key (applications captured while no officer was enrolled here are
   * sealed to it); any officer session may use it. Absent: only the officer's own key opens.
   */
  kioskCounterKey?: () => Promise<SealOpeningKey>;
}

export type UnlockSessionResult = { ok: true; value: OfficerSession } | UnlockFailure;

export interface OfficerSessions {
  /** Opens a session with the PIN; any session open before is ended (one officer at the counter). */
  unlock(officerId: string, pin: string): Promise<UnlockSessionResult>;
  /** The open session, or null (none, ended, or idle too long). */
  current(): OfficerSession | null;
  /** Ends the open session, if any. */
  end(): void;
}

type StatementSchema =
  | typeof decisionPayloadSchema
  | typeof releasePayloadSchema
  | typeof lifecyclePayloadSchema;

function readPayload(schema: StatementSchema, text: string, profile: OfficerProfile): boolean {
  if (text.length > MAX_STATEMENT_PAYLOAD_CHARS) return false;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return false;
  }
  const parsed = schema.safeParse(json);
  return (
    parsed.success &&
    parsed.data.officerId === profile.officerId &&
    parsed.data.keyId === profile.keyId &&
    parsed.data.kioskId === profile.kioskId
  );
}

function openSession(
  profile: OfficerProfile,
  privateKey: CryptoKey,
  counterKeys: SealOpeningKey[],
  idleMs: number,
  now: () => number,
) {
  let key: CryptoKey | null = privateKey;
  let opening: SealOpeningKey[] = counterKeys;
  let lastTouch = now();

  const end = () => {
    // The only reference to the key: once dropped, nothing can sign until the PIN is typed again.
    key = null;
    opening = [];
  };
  const isActive = () => {
    if (key !== null && now() - lastTouch >= idleMs) end();
    return key !== null;
  };
  const sign = async (schema: StatementSchema, payloadText: string) => {
    if (!isActive() || key === null) return fail('session-ended' as const);
    if (!readPayload(schema, payloadText, profile)) return fail('invalid-payload' as const);
    lastTouch = now();
    return ok(await signStatement(key, payloadText));
  };

  const session: OfficerSession = {
    profile,
    isActive,
    touch() {
      if (!isActive()) return false;
      lastTouch = now();
      return true;
    },
    signDecision: (payloadText) => sign(decisionPayloadSchema, payloadText),
    signRelease: (payloadText) => sign(releasePayloadSchema, payloadText),
    signLifecycle: (payloadText) => sign(lifecyclePayloadSchema, payloadText),
    openingKeys: () => (isActive() ? [...opening] : []),
    end,
  };
  return session;
}

export function createOfficerSessions(deps: OfficerSessionDeps): OfficerSessions {
  if (!(deps.idleSeconds > 0)) throw new RangeError('idleSeconds must be positive');
  const idleMs = deps.idleSeconds * 1000;
  const now = deps.now ?? Date.now;
  let open: OfficerSession | null = null;

  const end = () => {
    open?.end();
    open = null;
  };

  return {
    async unlock(officerId, pin) {
      end();
      const unlocked = await deps.keys.unlock(officerId, pin);
      if (!unlocked.ok) {
        if (unlocked.problem === 'wrong-pin' || (unlocked.problem === 'locked' && unlocked.lockedNow)) {
          await deps.audit?.append('pin-failed', officerId, { locked: unlocked.problem === 'locked' });
        }
        return unlocked;
      }
      await deps.audit?.append('officer-login', officerId);
      const kioskKey = deps.kioskCounterKey ? await deps.kioskCounterKey() : null;
      const counterKeys = [unlocked.value.counterKey, kioskKey].filter(
        (k): k is SealOpeningKey => k !== null,
      );
      // Another unlock may have finished while this one ran PBKDF2: the later one wins.
      end();
      open = openSession(unlocked.value.profile, unlocked.value.privateKey, counterKeys, idleMs, now);
      return { ok: true, value: open };
    },
    current() {
      if (open && !open.isActive()) open = null;
      return open;
    },
    end,
  };
}

export type LockReportProblem = 'offline' | 'kiosk-not-enrolled' | 'refused' | 'server-error';

export interface LockReportSummary {
  /** Officers whose lock the server acknowledged now. */
  reported: string[];
  /** Still pending, and why; tried again next time. */
  kept: { officerId: string; problem: LockReportProblem; serverCode?: string }[];
}

export interface LockReportDeps {
  keys: Pick<OfficerKeyStore, 'pendingLockReports' | 'clearPendingLockReport'>;
  transport: Pick<OfficerTransport, 'reportOfficerLock'>;
  identity: Pick<DeviceIdentityStore, 'enrollment'>;
}

/** The server saying the account is locked already acknowledges the report just as well. */
const ALREADY_LOCKED = new Set(['already-locked', 'officer-locked']);

/**
 * Tells the server about every officer this kiosk locked and has not reported yet (kiosk-signed
 * `POST /officers/lock`), so the account is locked on every kiosk. Run it whenever the kiosk is
 * online (with each sync, and right after a lock).
 */
export async function reportPendingLocks(deps: LockReportDeps): Promise<LockReportSummary> {
  const pending = await deps.keys.pendingLockReports();
  const summary: LockReportSummary = { reported: [], kept: [] };
  if (pending.length === 0) return summary;
  const kiosk = await deps.identity.enrollment();
  if (!kiosk) {
    summary.kept = pending.map(({ officerId }) => ({ officerId, problem: 'kiosk-not-enrolled' }));
    return summary;
  }

  for (const [index, officer] of pending.entries()) {
    if (officer.lockedAt === null) continue;
    const request: OfficerLockRequest = {
      kioskId: kiosk.kioskId,
      officerId: officer.officerId,
      keyId: officer.keyId,
      lockedAt: officer.lockedAt,
    };
    const answer = await deps.transport.reportOfficerLock(request);
    if (answer.kind === 'network-error') {
      // Offline: the rest would fail the same way.
      for (const rest of pending.slice(index))
        summary.kept.push({ officerId: rest.officerId, problem: 'offline' });
      break;
    }
    const serverCode = readServerError(answer.body).code;
    if ((answer.status >= 200 && answer.status < 300) || ALREADY_LOCKED.has(serverCode ?? '')) {
      await deps.keys.clearPendingLockReport(officer.officerId, officer.keyId);
      summary.reported.push(officer.officerId);
      continue;
    }
    const problem: LockReportProblem =
      answer.status === 401 || answer.status === 403
        ? 'kiosk-not-enrolled'
        : answer.status >= 500
          ? 'server-error'
          : 'refused';
    summary.kept.push(
      serverCode === undefined
        ? { officerId: officer.officerId, problem }
        : { officerId: officer.officerId, problem, serverCode },
    );
  }
  return summary;
}
