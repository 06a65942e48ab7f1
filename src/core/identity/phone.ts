/**
 * Indonesian mobile numbers (BSrE asks for `nomor_telepon`). Mobile numbers have no area code:
 * `08` + operator block + subscriber, written `08…`, `628…` or `+628…`. The national significant
 * number (after the trunk `0` or the country code `62`) is `8[1-9]` then 7 to 10 digits, 9 to 12
 * digits in all, so 10 to 13 digits in the `08…` form (`0811-123-456` to `0812-3456-78901`).
 * `080x` blocks are toll-free, shared-cost and premium services, never a person's phone.
 */
import type { Brand, Result } from '../lib/brand';
import { fail, ok } from '../lib/brand';

/** E.164, `+628…`. Only `parseMobile` makes one. */
export type MobileNumber = Brand<string, 'MobileNumber'>;

export type PhoneProblem = 'required' | 'not-digits' | 'not-mobile' | 'wrong-length';

const MOBILE_NSN_MIN_DIGITS = 9;
const MOBILE_NSN_MAX_DIGITS = 12;

export function parseMobile(raw: string): Result<MobileNumber, PhoneProblem> {
  // Separators people write: spaces, dashes, dots, and brackets as in "(0812) 3456-7890".
  const compact = raw.replace(/[\s.()-]/g, '');
  if (compact === '') return fail('required');
  if (!/^\+?\d+$/.test(compact)) return fail('not-digits');

  let nsn: string;
  if (compact.startsWith('+')) {
    if (!compact.startsWith('+62')) return fail('not-mobile');
    nsn = compact.slice(3);
  } else if (compact.startsWith('62')) nsn = compact.slice(2);
  else if (compact.startsWith('0')) nsn = compact.slice(1);
  else return fail('not-mobile');
  // "+62 (0)812…": a trunk 0 kept after the country code; no national number starts with 0.
  if (compact.startsWith('+62') || compact.startsWith('62')) nsn = nsn.replace(/^0/, '');

  if (!/^8[1-9]/.test(nsn)) return fail('not-mobile');
  if (nsn.length < MOBILE_NSN_MIN_DIGITS || nsn.length > MOBILE_NSN_MAX_DIGITS) return fail('wrong-length');
  return ok(`+62${nsn}` as MobileNumber);
}

/** The problem with a typed mobile number, or null. */
export function phoneProblem(raw: string): PhoneProblem | null {
  const result = parseMobile(raw);
  return result.ok ? null : result.problem;
}
