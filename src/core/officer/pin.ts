/**
 * The officer's PIN (Pasal 20): it unlocks the officer's signing key on this kiosk, so it must not
 * be one of the PINs tried first, and wrong guesses are limited (see docs/officers.md).
 */

export interface PinPolicy {
  minLength: number;
  maxLength: number;
  /** Wrong PINs in a row after which the officer is locked on this kiosk and everywhere. */
  maxWrongPins: number;
}

export type PinProblem = 'too-short' | 'too-long' | 'not-digits' | 'one-digit' | 'straight-run';

/**
 * Every problem of a new PIN at once. Runs wrap around (`890123`, `210987`): they are as easy to
 * guess as `123456`, and without wrapping no PIN longer than 10 digits could be a run at all.
 */
export function pinProblems(pin: string, policy: PinPolicy): PinProblem[] {
  const problems: PinProblem[] = [];
  if (pin.length < policy.minLength) problems.push('too-short');
  if (pin.length > policy.maxLength) problems.push('too-long');
  // ASCII digits only: the keypad has nothing else, and other scripts' digits would hash differently.
  if (!/^[0-9]*$/.test(pin)) {
    problems.push('not-digits');
    return problems;
  }
  if (pin.length < 2) return problems;
  const digits = [...pin].map(Number);
  const steps = digits.slice(1).map((d, i) => (d - (digits[i] ?? 0) + 10) % 10);
  if (steps.every((s) => s === 0)) problems.push('one-digit');
  else if (steps.every((s) => s === 1) || steps.every((s) => s === 9)) problems.push('straight-run');
  return problems;
}

export interface LockoutState {
  /** Wrong PINs in a row since the last right one. */
  wrongPins: number;
  /** When the officer was locked on this kiosk (ISO 8601), or null. */
  lockedAt: string | null;
}

export const UNLOCKED: LockoutState = { wrongPins: 0, lockedAt: null };

export interface PinAttemptOutcome {
  state: LockoutState;
  /** True only for the attempt that locked: the kiosk then deletes the key and reports the lock. */
  justLocked: boolean;
}

/**
 * The lockout after one attempt. A right PIN resets the count; a locked officer stays locked
 * whatever is typed, since only an administrator unlocks (and the wrapped key is gone by then).
 */
export function afterPinAttempt(
  state: LockoutState,
  ok: boolean,
  policy: PinPolicy,
  nowIso: string,
): PinAttemptOutcome {
  if (state.lockedAt !== null) return { state, justLocked: false };
  if (ok) return { state: UNLOCKED, justLocked: false };
  const wrongPins = state.wrongPins + 1;
  const locks = wrongPins >= policy.maxWrongPins;
  return { state: { wrongPins, lockedAt: locks ? nowIso : null }, justLocked: locks };
}
