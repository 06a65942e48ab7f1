/**
 * Passphrase rules after NIST SP 800-63B-4: length matters, composition rules do not, and values an
 * attacker would try first (context words, the applicant's own data) are refused.
 */

/** zxcvbn's score: 0 too guessable … 4 very unguessable. */
export type StrengthScore = 0 | 1 | 2 | 3 | 4;

export interface PassphrasePolicy {
  minLength: number;
  maxLength: number;
  /** Score the strength estimate must reach, when there is one; 3 when absent. */
  minScore?: StrengthScore;
  /** Context words (city, agency, service): refused when the passphrase is mostly made of them. */
  blocklist?: readonly string[];
}

export const DEFAULT_MIN_SCORE: StrengthScore = 3;

export type PassphraseProblem =
  | { reason: 'empty' }
  | { reason: 'too-short'; minLength: number }
  | { reason: 'too-long'; maxLength: number }
  | { reason: 'personal' }
  | { reason: 'blocklisted' }
  | { reason: 'too-weak'; score: StrengthScore; minScore: StrengthScore }
  | { reason: 'mismatch' };

/** Values shorter than this are ignored: a 3-letter name part would forbid half the dictionary. */
const MIN_BLOCKED_LENGTH = 4;

/** NIST SP 800-63B counts each Unicode code point (after NFC) as one character. */
export function passphraseLength(text: string): number {
  return [...text.normalize('NFC')].length;
}

/** Lower case, letters and digits only: `Siti Rahayu`, `siti.rahayu` and `SITI-RAHAYU` compare equal. */
function fold(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
};

/** `p4ssw0rd` → `password`: the substitutions every cracking tool tries first. */
function unleet(text: string): string {
  return fold(
    text
      .normalize('NFC')
      .toLowerCase()
      .replace(/[013457@$]/g, (c) => LEET[c] ?? c),
  );
}

/** The passphrase as compared: as typed (folded) and with look-alike digits read as letters. */
function variants(passphrase: string): string[] {
  return [...new Set([fold(passphrase), unleet(passphrase)])];
}

function blockedValues(values: readonly string[]): string[] {
  return [...new Set(values.map(fold).filter((v) => v.length >= MIN_BLOCKED_LENGTH))];
}

/** True when the passphrase contains one of the applicant's values (NIK, NIP, name, birth date…). */
export function containsPersonal(passphrase: string, personal: readonly string[]): boolean {
  const values = blockedValues(personal);
  return variants(passphrase).some((v) => values.some((p) => v.includes(p)));
}

/**
 * True when the passphrase is mostly blocklist words: once every occurrence of them is removed,
 * fewer than 4 letters remain (`madiunmadiun`, `Password2024!`, `sertifikat madiun 1990`).
 */
export function isBlocklisted(passphrase: string, blocklist: readonly string[]): boolean {
  // Longest first, so `katasandi` goes before `sandi` could split it.
  const words = blockedValues(blocklist).sort((a, b) => b.length - a.length);
  if (words.length === 0) return false;
  return variants(passphrase).some((v) => {
    let rest = v;
    for (const word of words) rest = rest.split(word).join('');
    if (rest === v) return false;
    return rest.replace(/\P{L}/gu, '').length < MIN_BLOCKED_LENGTH;
  });
}

export function validatePassphrase(
  passphrase: string,
  confirmation: string,
  policy: PassphrasePolicy,
  /** The applicant's own values, see `personalValues`: a passphrase must not contain them. */
  personal: readonly string[],
  /** The strength estimate, when the kiosk has one (the UI does; the use case may not). */
  strength?: { score: StrengthScore } | null,
): PassphraseProblem | null {
  const n = passphraseLength(passphrase);
  if (n === 0) return { reason: 'empty' };
  if (n < policy.minLength) return { reason: 'too-short', minLength: policy.minLength };
  if (n > policy.maxLength) return { reason: 'too-long', maxLength: policy.maxLength };
  if (containsPersonal(passphrase, personal)) return { reason: 'personal' };
  if (isBlocklisted(passphrase, policy.blocklist ?? [])) return { reason: 'blocklisted' };
  const minScore = policy.minScore ?? DEFAULT_MIN_SCORE;
  if (strength && strength.score < minScore) return { reason: 'too-weak', score: strength.score, minScore };
  if (passphrase !== confirmation) return { reason: 'mismatch' };
  return null;
}

/** What the form shows while the applicant types: every rule at once, not only the first problem. */
export interface PassphraseHints {
  length: number;
  minLength: number;
  maxLength: number;
  personal: boolean;
  blocklisted: boolean;
  /** Null while the confirmation is empty: nothing to compare yet. */
  matches: boolean | null;
}

export function passphraseHints(
  passphrase: string,
  confirmation: string,
  policy: PassphrasePolicy,
  personal: readonly string[],
): PassphraseHints {
  return {
    length: passphraseLength(passphrase),
    minLength: policy.minLength,
    maxLength: policy.maxLength,
    personal: containsPersonal(passphrase, personal),
    blocklisted: isBlocklisted(passphrase, policy.blocklist ?? []),
    matches: confirmation === '' ? null : passphrase === confirmation,
  };
}

export interface PersonalData {
  nik?: string;
  nip?: string;
  nama?: string;
  /** `DD-MM-YYYY` as printed on the e-KTP; `YYYY-MM-DD` and `/` or `.` separators are read too. */
  tanggalLahir?: string;
  email?: string;
}

interface Ymd {
  y: string;
  m: string;
  d: string;
}

function parseDate(text: string): Ymd | null {
  const t = text.trim();
  const dmy = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(t);
  if (dmy?.[1] && dmy[2] && dmy[3])
    return { d: dmy[1].padStart(2, '0'), m: dmy[2].padStart(2, '0'), y: dmy[3] };
  const ymd = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(t);
  if (ymd?.[1] && ymd[2] && ymd[3])
    return { y: ymd[1], m: ymd[2].padStart(2, '0'), d: ymd[3].padStart(2, '0') };
  return null;
}

function dateForms({ y, m, d }: Ymd): string[] {
  return [
    `${d}${m}${y}`,
    `${d}-${m}-${y}`,
    `${d}/${m}/${y}`,
    `${y}${m}${d}`,
    `${y}-${m}-${d}`,
    `${d}${m}${y.slice(2)}`,
  ];
}

/**
 * The applicant's values a passphrase must not contain, also given to the strength estimator as
 * user inputs: NIK, NIP, name parts and whole name, birth date in the usual forms, e-mail local part.
 */
export function personalValues(data: PersonalData): string[] {
  const out: string[] = [];
  const nik = data.nik?.replace(/\s+/g, '') ?? '';
  if (nik !== '') {
    out.push(nik);
    // Digits 7–12 are the birth date DDMMYY, with 40 added to the day for women.
    const encoded = nik.slice(6, 12);
    if (/^\d{6}$/.test(encoded)) {
      const day = Number(encoded.slice(0, 2));
      const d = String(day > 40 ? day - 40 : day).padStart(2, '0');
      out.push(encoded, `${d}${encoded.slice(2)}`);
    }
  }
  const nip = data.nip?.replace(/\s+/g, '') ?? '';
  if (nip !== '') out.push(nip, ...(/^\d{8}/.test(nip) ? [nip.slice(0, 8)] : []));
  const nameParts = (data.nama ?? '')
    .normalize('NFC')
    .toLowerCase()
    .split(/[^\p{L}]+/u)
    .filter((part) => part !== '');
  out.push(...nameParts.filter((part) => part.length >= 3));
  if (nameParts.length > 1) out.push(nameParts.join(''));
  const date = data.tanggalLahir ? parseDate(data.tanggalLahir) : null;
  if (date) out.push(...dateForms(date));
  const local = data.email?.trim().toLowerCase().split('@')[0] ?? '';
  if (local !== '') {
    out.push(local, ...local.split(/[^\p{L}\p{N}]+/u).filter((part) => part.length >= 3));
  }
  return [...new Set(out)];
}

/** `count` words drawn with `randomInt`, joined by single spaces. */
export function generatePassphrase(
  words: readonly string[],
  count: number,
  randomInt: (maxExclusive: number) => number,
): string {
  if (words.length < 2) throw new RangeError('generatePassphrase: the word list needs at least 2 words');
  if (!Number.isInteger(count) || count < 1) throw new RangeError('generatePassphrase: count must be ≥ 1');
  const chosen: string[] = [];
  for (let i = 0; i < count; i++) {
    const word = words[randomInt(words.length)];
    if (word === undefined)
      throw new RangeError('generatePassphrase: randomInt returned an out-of-range index');
    chosen.push(word);
  }
  return chosen.join(' ');
}

/** Entropy of `wordCount` words drawn uniformly and independently from `listSize` words. */
export function passphraseEntropyBits(wordCount: number, listSize: number): number {
  return listSize < 1 ? 0 : wordCount * Math.log2(listSize);
}
