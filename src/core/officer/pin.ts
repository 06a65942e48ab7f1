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

export interface PinAttemptOutcome {
  wrongPins: number;
  /** Lock the officer now. */
  lock: boolean;
  /** Wrong PINs still allowed before the lock (0 once locked). */
  attemptsLeft: number;
}

/**
 * A lockout rule: given the wrong PINs in a row so far and whether this one was right, the new count
 * and whether to lock. The key store applies it; a locked officer stays locked whatever is typed,
 * since only an administrator unlocks (and the wrapped key is gone by then).
 */
export type PinAttemptRule = (wrongPinsBefore: number, correct: boolean) => PinAttemptOutcome;

/** The documented rule: `maxWrongPins` wrong PINs in a row lock; a right PIN starts over. */
export function consecutiveWrongPins(maxWrongPins: number): PinAttemptRule {
  if (!Number.isInteger(maxWrongPins) || maxWrongPins < 1) {
    throw new RangeError('maxWrongPins must be a positive integer');
  }
  return (before, correct) => {
    if (correct) return { wrongPins: 0, lock: false, attemptsLeft: maxWrongPins };
    const wrongPins = before + 1;
    return {
      wrongPins,
      lock: wrongPins >= maxWrongPins,
      attemptsLeft: Math.max(0, maxWrongPins - wrongPins),
    };
  };
}
