/**
 * The application number printed on the receipt (tanda terima) and typed to find the status page:
 * derived from the application's uuid, so every kiosk makes one offline without coordination.
 *
 * `SK-XXXX-XXXX-XXC`: the first 50 bits of the uuid as 10 Crockford base-32 characters, then
 * Crockford's mod-37 check symbol, grouped 4-4-3 so it reads aloud in short chunks and the check
 * character travels inside the last group instead of being dropped as a stray suffix.
 * For a v4 uuid bits 48-49 are the version's (always `01`), so 48 of the 50 bits are random: the
 * chance of two numbers colliding among 10,000 applications is about 2 in 10 million.
 * The check symbol catches every single-character substitution and every swap of neighbours
 * (37 is prime and larger than the alphabet); it may be one of `* ~ $ = U`.
 */
import type { Brand, Result } from '../lib/brand';
import { fail, ok } from '../lib/brand';

/** The canonical form `SK-XXXX-XXXX-XXC`. Only `applicationNumber` and the parser make one. */
export type ApplicationNumber = Brand<string, 'ApplicationNumber'>;

export type ApplicationNumberProblem = 'empty' | 'wrong-length' | 'bad-character' | 'wrong-check';

const PREFIX = 'SK';
const DATA_CHARS = 10;
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CHECK_SYMBOLS = `${ALPHABET}*~$=U`;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function format(body: string): ApplicationNumber {
  return `${PREFIX}-${body.slice(0, 4)}-${body.slice(4, 8)}-${body.slice(8)}` as ApplicationNumber;
}

/** 50 bits fit exactly in a double, so plain arithmetic does. */
function encode(value: number): string {
  let data = '';
  let rest = value;
  for (let i = 0; i < DATA_CHARS; i += 1) {
    data = ALPHABET.charAt(rest % 32) + data;
    rest = Math.floor(rest / 32);
  }
  return data + CHECK_SYMBOLS.charAt(value % 37);
}

/** The value of base-32 data characters (upper case, aliases replaced); null on one outside the alphabet. */
function decode(data: string): number | null {
  let value = 0;
  for (const char of data) {
    const digit = ALPHABET.indexOf(char);
    if (digit < 0) return null;
    value = value * 32 + digit;
  }
  return value;
}

/** The number of an application, from its uuid; throws on anything but a uuid (a programming error). */
export function applicationNumber(id: string): ApplicationNumber {
  if (!UUID_PATTERN.test(id)) throw new Error('an application id must be a uuid');
  const first52 = Number.parseInt(id.replace(/-/g, '').slice(0, 13), 16);
  return format(encode(Math.floor(first52 / 4)));
}

/**
 * Reads a typed or scanned number: any case, dashes and spaces anywhere or nowhere, the `SK`
 * prefix optional, and Crockford's aliases (O for 0, I and L for 1).
 */
export function parseApplicationNumber(text: string): Result<ApplicationNumber, ApplicationNumberProblem> {
  let compact = text.replace(/[\s-]/g, '').toUpperCase();
  if (compact === '') return fail('empty');
  // With the prefix the text is 13 characters, without it 11: the length tells them apart.
  if (compact.length === DATA_CHARS + 3 && compact.startsWith(PREFIX)) compact = compact.slice(PREFIX.length);
  if (compact.length !== DATA_CHARS + 1) return fail('wrong-length');
  compact = compact.replace(/O/g, '0').replace(/[IL]/g, '1');

  const value = decode(compact.slice(0, DATA_CHARS));
  if (value === null) return fail('bad-character');
  const check = CHECK_SYMBOLS.indexOf(compact.charAt(DATA_CHARS));
  if (check < 0) return fail('bad-character');
  if (check !== value % 37) return fail('wrong-check');
  return ok(format(compact));
}

/**
 * The start of the uuid every application with this number has (`xxxxxxxx-xxxx-`, 48 bits), so a
 * store can find candidates by prefix and keep those whose `applicationNumber` matches.
 */
export function idPrefixOf(number: ApplicationNumber): string {
  const value = decode(number.replace(/-/g, '').slice(PREFIX.length, PREFIX.length + DATA_CHARS));
  // Only `applicationNumber` and the parser make an ApplicationNumber: anything else is a programming error.
  if (value === null) throw new Error('not a canonical application number');
  const hex = Math.floor(value / 4)
    .toString(16)
    .padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8)}-`;
}
