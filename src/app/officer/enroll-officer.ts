/**
 * Enrolling an RA officer on this kiosk (docs/officers.md): a new P-256 key pair, wrapped under the
 * officer's PIN before anything goes over the network, registered with a one-time code in a
 * kiosk-signed request, and kept with the officer's account and the RA's NIK hash key.
 */
import { ENROLLMENT_CODE_PATTERN, normaliseEnrollmentCode } from '../../protocol/kiosk-auth';
import { importNikHashKey, officerEnrollResponseSchema, USERNAME_PATTERN } from '../../protocol/officer';
import type { AuditLog } from '../audit/ports';
import type { DeviceIdentityStore } from '../ports';
import { readServerError } from '../server-error';
import type { OfficerKeyStore, OfficerProfile, OfficerTransport, PinPolicy } from './ports';

export type OfficerEnrollProblem =
  /** The PIN policy refused the PIN (the caller should have caught it; checked again here). */
  | 'weak-pin'
  /** Not the shape of a code, or a code the server does not know. */
  | 'invalid-code'
  | 'code-used'
  | 'code-expired'
  /** No such officer account on the server (or not the shape of a username). */
  | 'unknown-username'
  /** The account is locked or disabled on the server: an administrator must unlock it first. */
  | 'officer-locked'
  /** This kiosk has no enrollment, or the server does not know (or no longer trusts) its key. */
  | 'kiosk-not-enrolled'
  | 'kiosk-revoked'
  | 'offline'
  /** Anything else: a 5xx, an answer that does not parse, an unexpected refusal. */
  | 'server-error';

export type EnrollOfficerResult =
  | { ok: true; value: OfficerProfile }
  | { ok: false; problem: 'weak-pin'; pinProblems: readonly string[] }
  /** `serverCode`: the server's own error code, for the log and for support. */
  | { ok: false; problem: Exclude<OfficerEnrollProblem, 'weak-pin'>; serverCode?: string };

export interface EnrollOfficerInput {
  username: string;
  code: string;
  pin: string;
}

export interface EnrollOfficerDeps {
  /** The audit chain (issue 8); absent where nothing is recorded (tests of other things). */
  audit?: AuditLog;
  keys: Pick<OfficerKeyStore, 'prepareKey' | 'saveEnrollment' | 'saveNikHashKey'>;
  transport: Pick<OfficerTransport, 'enrollOfficer'>;
  identity: Pick<DeviceIdentityStore, 'enrollment'>;
  /** core/officer's `pinProblems`, bound to the configured policy. */
  pinProblems: PinPolicy;
  now: () => Date;
}

// The officer routes answer with these codes; kiosk authentication adds its own (kiosk-auth.ts).
const BY_CODE: Record<string, Exclude<OfficerEnrollProblem, 'weak-pin'>> = {
  'invalid-code': 'invalid-code',
  'code-used': 'code-used',
  'code-expired': 'code-expired',
  'unknown-username': 'unknown-username',
  'unknown-officer': 'unknown-username',
  'officer-locked': 'officer-locked',
  'officer-disabled': 'officer-locked',
  'unknown-kiosk': 'kiosk-not-enrolled',
  'unsigned-request': 'kiosk-not-enrolled',
  // The server holds another device key for this kiosk id (e.g. the browser's storage was reset).
  'bad-signature': 'kiosk-not-enrolled',
  'kiosk-revoked': 'kiosk-revoked',
};

/** What a person types: surrounding spaces and capitals forgiven (usernames are lower case). */
function normaliseUsername(text: string): string {
  return text.trim().toLowerCase();
}

export async function enrollOfficer(
  input: EnrollOfficerInput,
  deps: EnrollOfficerDeps,
): Promise<EnrollOfficerResult> {
  const username = normaliseUsername(input.username);
  const code = normaliseEnrollmentCode(input.code);
  // Checked before the PIN policy and the key pair: a typo should not cost a PBKDF2 run.
  if (!USERNAME_PATTERN.test(username)) return { ok: false, problem: 'unknown-username' };
  if (!ENROLLMENT_CODE_PATTERN.test(code)) return { ok: false, problem: 'invalid-code' };
  const pinProblems = deps.pinProblems(input.pin);
  if (pinProblems.length > 0) return { ok: false, problem: 'weak-pin', pinProblems };
  const kiosk = await deps.identity.enrollment();
  if (!kiosk) return { ok: false, problem: 'kiosk-not-enrolled' };

  // Wrapped before the request: the extractable private key never waits on the network.
  const prepared = await deps.keys.prepareKey(input.pin);
  const answer = await deps.transport.enrollOfficer(kiosk.kioskId, {
    username,
    code,
    publicKeySpki: prepared.publicKeySpki,
  });
  if (answer.kind === 'network-error') return { ok: false, problem: 'offline' };
  if (answer.status !== 200 && answer.status !== 201) {
    const serverCode = readServerError(answer.body).code;
    const problem =
      BY_CODE[serverCode ?? ''] ??
      (answer.status === 401 || answer.status === 403 ? 'kiosk-not-enrolled' : 'server-error');
    return serverCode === undefined ? { ok: false, problem } : { ok: false, problem, serverCode };
  }

  const body = officerEnrollResponseSchema.safeParse(answer.body);
  // An account for someone else would sign in that person's name: refuse rather than keep it.
  if (!body.success || body.data.officer.username !== username) return { ok: false, problem: 'server-error' };
  let nikKey: CryptoKey;
  try {
    nikKey = await importNikHashKey(body.data.nikHashKey);
  } catch {
    return { ok: false, problem: 'server-error' };
  }
  await deps.keys.saveNikHashKey(nikKey);
  const profile = await deps.keys.saveEnrollment(prepared, {
    officer: body.data.officer,
    keyId: body.data.keyId,
    kioskId: kiosk.kioskId,
    enrolledAt: deps.now().toISOString(),
  });
  await deps.audit?.append('officer-enrolled', profile.officerId, { keyId: body.data.keyId });
  return { ok: true, value: profile };
}
