import { describe, expect, it } from 'vitest';
import { consecutiveWrongPins, type PinPolicy, type PinProblem, pinProblems } from './pin';

const POLICY: PinPolicy = { minLength: 6, maxLength: 12, maxWrongPins: 5 };

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

describe('consecutiveWrongPins', () => {
  it('counts wrong PINs in a row and locks on the fifth', () => {
    const rule = consecutiveWrongPins(5);
    let wrongPins = 0;
    for (let i = 1; i <= 4; i += 1) {
      const outcome = rule(wrongPins, false);
      expect(outcome).toEqual({ wrongPins: i, lock: false, attemptsLeft: 5 - i });
      wrongPins = outcome.wrongPins;
    }
    expect(rule(wrongPins, false)).toEqual({ wrongPins: 5, lock: true, attemptsLeft: 0 });
  });

  it('starts over on a right PIN', () => {
    expect(consecutiveWrongPins(5)(4, true)).toEqual({ wrongPins: 0, lock: false, attemptsLeft: 5 });
  });

  it('locks at once when one wrong PIN is allowed', () => {
    expect(consecutiveWrongPins(1)(0, false).lock).toBe(true);
  });

  it.each([0, -1, 2.5, Number.NaN])('refuses %s as the limit', (max) => {
    expect(() => consecutiveWrongPins(max)).toThrow(RangeError);
  });
});
