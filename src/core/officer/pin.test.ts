import { describe, expect, it } from 'vitest';
import {
  afterPinAttempt,
  type LockoutState,
  type PinPolicy,
  type PinProblem,
  pinProblems,
  UNLOCKED,
} from './pin';

const POLICY: PinPolicy = { minLength: 6, maxLength: 12, maxWrongPins: 5 };
const NOW = '2026-11-26T09:30:00.000+07:00';

describe('pinProblems', () => {
  it.each(['271828', '314159', '902614', '135790', '123457', '112233', '271828182845'])(
    'accepts %s',
    (pin) => {
      expect(pinProblems(pin, POLICY)).toEqual([]);
    },
  );

  it.each<[string, string, PinProblem[]]>([
    ['empty', '', ['too-short']],
    ['5 digits', '27182', ['too-short']],
    ['13 digits', '2718281828459', ['too-long']],
    ['a letter', '27182a', ['not-digits']],
    ['a space', '271 828', ['not-digits']],
    ['Arabic-Indic digits', '٢٧١٨٢٨', ['not-digits']],
    ['a short PIN with a letter', 'a1', ['too-short', 'not-digits']],
    ['one digit repeated', '111111', ['one-digit']],
    ['zeros, 12 of them', '000000000000', ['one-digit']],
    ['a short repeated digit', '9999', ['too-short', 'one-digit']],
    ['an ascending run', '123456', ['straight-run']],
    ['a descending run', '987654', ['straight-run']],
    ['a run from 0', '012345', ['straight-run']],
    ['an ascending run wrapping past 9', '890123', ['straight-run']],
    ['a descending run wrapping past 0', '210987', ['straight-run']],
    ['a 12-digit run (only possible by wrapping)', '345678901234', ['straight-run']],
  ])('refuses %s', (_what, pin, problems) => {
    expect(pinProblems(pin, POLICY)).toEqual(problems);
  });

  it('follows the policy’s lengths', () => {
    const four: PinPolicy = { minLength: 4, maxLength: 4, maxWrongPins: 3 };
    expect(pinProblems('2718', four)).toEqual([]);
    expect(pinProblems('27182', four)).toEqual(['too-long']);
  });
});

describe('afterPinAttempt', () => {
  const wrong = (state: LockoutState) => afterPinAttempt(state, false, POLICY, NOW);

  it('counts wrong PINs and locks on the fifth, once', () => {
    let state = UNLOCKED;
    for (let i = 1; i <= 4; i += 1) {
      const outcome = wrong(state);
      expect(outcome).toEqual({ state: { wrongPins: i, lockedAt: null }, justLocked: false });
      state = outcome.state;
    }
    expect(wrong(state)).toEqual({ state: { wrongPins: 5, lockedAt: NOW }, justLocked: true });
  });

  it('resets the count on a right PIN', () => {
    expect(afterPinAttempt({ wrongPins: 4, lockedAt: null }, true, POLICY, NOW)).toEqual({
      state: { wrongPins: 0, lockedAt: null },
      justLocked: false,
    });
  });

  it.each([true, false])('stays locked whatever is typed (right PIN: %s)', (ok) => {
    const locked: LockoutState = { wrongPins: 5, lockedAt: '2026-11-26T09:00:00.000+07:00' };
    expect(afterPinAttempt(locked, ok, POLICY, NOW)).toEqual({ state: locked, justLocked: false });
  });

  it('locks at once when the policy allows one wrong PIN', () => {
    expect(afterPinAttempt(UNLOCKED, false, { ...POLICY, maxWrongPins: 1 }, NOW).justLocked).toBe(true);
  });
});
