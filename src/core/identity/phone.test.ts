import { describe, expect, it } from 'vitest';
import { type PhoneProblem, parseMobile, phoneProblem } from './phone';

describe('parseMobile', () => {
  it.each([
    ['the national form', '081234567890', '+6281234567890'],
    ['with dashes', '0812-3456-7890', '+6281234567890'],
    ['with spaces', ' 0812 3456 7890 ', '+6281234567890'],
    ['with brackets and dots', '(0812) 3456.7890', '+6281234567890'],
    ['E.164', '+6281234567890', '+6281234567890'],
    ['E.164 with spaces', '+62 812-3456-7890', '+6281234567890'],
    ['the country code without +', '6281234567890', '+6281234567890'],
    ['a trunk 0 kept after +62', '+62 (0)812 3456 7890', '+6281234567890'],
    ['the shortest (10 digits with 0)', '0811123456', '+62811123456'],
    ['the longest (13 digits with 0)', '0812345678901', '+62812345678901'],
    ['a Smartfren block', '0881-2345-6789', '+6288123456789'],
    ['a Tri block', '0896 1234 5678', '+6289612345678'],
  ])('accepts %s', (_what, raw, e164) => {
    expect(parseMobile(raw)).toEqual({ ok: true, value: e164 });
  });

  it.each<[string, string, PhoneProblem]>([
    ['nothing', '', 'required'],
    ['blanks', ' - ', 'required'],
    ['a letter O for a zero', '08l2345678O0', 'not-digits'],
    ['a + in the middle', '0812+34567890', 'not-digits'],
    ['another country', '+60123456789', 'not-mobile'],
    ['a Madiun landline', '0351-462345', 'not-mobile'],
    ['a Jakarta landline in E.164', '+62215551234', 'not-mobile'],
    ['a toll-free number', '0800-1234567', 'not-mobile'],
    ['a number with the 0 left off', '81234567890', 'not-mobile'],
    ['9 digits with 0', '081123456', 'wrong-length'],
    ['14 digits with 0', '08123456789012', 'wrong-length'],
    ['13 digits after +62', '+628123456789012', 'wrong-length'],
  ])('refuses %s', (_what, raw, problem) => {
    expect(parseMobile(raw)).toEqual({ ok: false, problem });
  });
});

describe('phoneProblem', () => {
  it('is null for a good number and the reason otherwise', () => {
    expect(phoneProblem('0812-3456-7890')).toBeNull();
    expect(phoneProblem('0351-462345')).toBe('not-mobile');
  });
});
