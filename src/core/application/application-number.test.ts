import { describe, expect, it } from 'vitest';
import {
  type ApplicationNumber,
  type ApplicationNumberProblem,
  applicationNumber,
  idPrefixOf,
  parseApplicationNumber,
} from './application-number';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CHECK_SYMBOLS = `${ALPHABET}*~$=U`;

/** Version 4 uuids from a seeded generator (mulberry32), so a failure can be replayed. */
function uuidSource(seed: number): () => string {
  let state = seed >>> 0;
  const byte = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) & 0xff;
  };
  return () => {
    const b = Array.from({ length: 16 }, byte);
    b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
    b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
    const hex = b.map((x) => x.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
}

function numberOf(text: string): ApplicationNumber {
  const result = parseApplicationNumber(text);
  if (!result.ok) throw new Error(`expected a number, got ${result.problem}`);
  return result.value;
}

describe('applicationNumber', () => {
  it.each([
    // Worked out by hand (Python) from the first 13 hex digits shifted right by 2.
    ['0b9e4f8a-3c2d-4e5f-8a6b-7c8d9e0f1a2b', 'SK-1EF4-Z2HW-5NT'],
    ['0B9E4F8A-3C2D-4E5F-8A6B-7C8D9E0F1A2B', 'SK-1EF4-Z2HW-5NT'],
    ['ffffffff-ffff-4fff-bfff-ffffffffffff', 'SK-ZZZZ-ZZZZ-ZXV'],
    ['00000000-0000-4000-8000-000000000000', 'SK-0000-0000-011'],
  ])('numbers %s as %s', (id, number) => {
    expect(applicationNumber(id)).toBe(number);
  });

  it('depends only on the first 50 bits', () => {
    expect(applicationNumber('0b9e4f8a-3c2d-4fff-bfff-ffffffffffff')).toBe('SK-1EF4-Z2HW-5NT');
    expect(applicationNumber('0b9e4f8a-3c2d-4e5f-8a6b-7c8d9e0f1a2b')).not.toBe(
      applicationNumber('0b9e4f8a-3c2e-4e5f-8a6b-7c8d9e0f1a2b'),
    );
  });

  it('refuses what is not a uuid', () => {
    expect(() => applicationNumber('0b9e4f8a3c2d')).toThrow(/uuid/);
  });

  it('gives 10,000 random applications 10,000 different numbers', () => {
    const next = uuidSource(20260126);
    const numbers = new Set(Array.from({ length: 10_000 }, () => applicationNumber(next())));
    expect(numbers.size).toBe(10_000);
  });

  it('always reads back as itself', () => {
    const next = uuidSource(7);
    for (let i = 0; i < 1000; i += 1) {
      const number = applicationNumber(next());
      expect(parseApplicationNumber(number)).toEqual({ ok: true, value: number });
    }
  });
});

describe('parseApplicationNumber', () => {
  it.each([
    ['the canonical form', 'SK-1EF4-Z2HW-5NT'],
    ['lower case', 'sk-1ef4-z2hw-5nt'],
    ['no dashes', 'SK1EF4Z2HW5NT'],
    ['no prefix', '1EF4Z2HW5NT'],
    ['spaces instead of dashes', ' SK 1EF4 Z2HW 5NT '],
    ['other groupings', 'SK-1EF4Z-2HW5N-T'],
  ])('accepts %s', (_what, text) => {
    expect(numberOf(text)).toBe('SK-1EF4-Z2HW-5NT');
  });

  it('reads O as 0 and I, L as 1', () => {
    expect(numberOf('SK-oooo-oooo-oIl')).toBe('SK-0000-0000-011');
  });

  it('accepts the check symbols that are not letters or digits', () => {
    // Values whose remainder mod 37 is 32..36 end in * ~ $ = U.
    const next = uuidSource(99);
    const seen = new Set<string>();
    for (let i = 0; i < 2000 && seen.size < 5; i += 1) {
      const number = applicationNumber(next());
      const check = number.at(-1) ?? '';
      if ('*~$=U'.includes(check)) {
        seen.add(check);
        expect(numberOf(number.toLowerCase())).toBe(number);
      }
    }
    expect([...seen].sort()).toEqual(['$', '*', '=', 'U', '~']);
  });

  it.each<[string, string, ApplicationNumberProblem]>([
    ['nothing', '  ', 'empty'],
    ['a character short', 'SK-1EF4-Z2HW-5N', 'wrong-length'],
    ['a character too many', 'SK-1EF4-Z2HW-5NTT', 'wrong-length'],
    ['another prefix', 'XX-1EF4-Z2HW-5NT', 'wrong-length'],
    ['U among the data', 'SK-1EF4-Z2HU-5NT', 'bad-character'],
    ['punctuation among the data', 'SK-1EF4-Z2H*-5NT', 'bad-character'],
    ['a check character outside the 37', 'SK-1EF4-Z2HW-5N#', 'bad-character'],
    ['the wrong check character', 'SK-1EF4-Z2HW-5NV', 'wrong-check'],
  ])('refuses %s', (_what, text, problem) => {
    expect(parseApplicationNumber(text)).toEqual({ ok: false, problem });
  });

  it('catches every single-character substitution', () => {
    const next = uuidSource(11);
    let tried = 0;
    for (let n = 0; n < 50; n += 1) {
      const body = applicationNumber(next()).replace(/^SK-|-/g, '');
      for (let i = 0; i < body.length; i += 1) {
        const symbols = i < body.length - 1 ? ALPHABET : CHECK_SYMBOLS;
        for (const symbol of symbols) {
          if (symbol === body[i]) continue;
          const typo = body.slice(0, i) + symbol + body.slice(i + 1);
          expect(parseApplicationNumber(typo).ok, typo).toBe(false);
          tried += 1;
        }
      }
    }
    expect(tried).toBe(50 * (10 * 31 + 36));
  });

  it('catches every swap of two different neighbours', () => {
    const next = uuidSource(12);
    for (let n = 0; n < 200; n += 1) {
      const body = applicationNumber(next()).replace(/^SK-|-/g, '');
      for (let i = 0; i < body.length - 1; i += 1) {
        if (body[i] === body[i + 1]) continue;
        const swapped = body.slice(0, i) + body[i + 1] + body[i] + body.slice(i + 2);
        expect(parseApplicationNumber(swapped).ok, swapped).toBe(false);
      }
    }
  });
});

describe('idPrefixOf', () => {
  it('gives the start of the uuid the number came from', () => {
    const next = uuidSource(5);
    for (let n = 0; n < 200; n += 1) {
      const id = next();
      const prefix = idPrefixOf(applicationNumber(id));
      expect(prefix).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-$/);
      expect(id.startsWith(prefix)).toBe(true);
    }
  });
});
