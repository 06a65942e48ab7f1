import { parseNik } from '../identity/nik';
import { type RegionTable, regionOf } from '../identity/regions';
import { type CalendarDate, isRealDate, toIsoDate } from '../lib/dates';
import { closestByKey, collapseSpaces, editDistance, lettersKey } from '../lib/text';
import {
  EKTP_FIELDS,
  type EktpField,
  type EktpOcrRead,
  type EktpReading,
  type EktpWarning,
  type EktpWarningCode,
  emptyFields,
  type OcrLine,
  zeroConfidence,
} from './types';

/*
 * e-KTP OCR text → fields. Pure: the same read always gives the same reading.
 *
 * 1. Each body line is matched against the printed labels by edit distance on `lettersKey`.
 * 2. Lines whose label is unreadable are placed by card order between recognised neighbours (a small
 *    dynamic programme that also decides which unlabelled line is a wrapped name or address).
 * 3. Each value is cleaned, repaired (look-alikes in the NIK, dates, RT/RW and, where unambiguous, in
 *    free text) or snapped to the allowed values, and gets a confidence that every repair, snap or
 *    fuzzy label lowers; anything doubtful becomes a warning, never a silent guess.
 */

export const DEFAULT_CONFIDENCE_THRESHOLD = 0.8;

export const JENIS_KELAMIN_VALUES = ['LAKI-LAKI', 'PEREMPUAN'] as const;
export const GOL_DARAH_VALUES = ['A', 'B', 'AB', 'O', '-'] as const;
/** Spelling variants are all allowed: the parser keeps the one printed (domain.md). */
export const AGAMA_VALUES = [
  'ISLAM',
  'KRISTEN',
  'KATHOLIK',
  'KATOLIK',
  'HINDU',
  'BUDHA',
  'BUDDHA',
  'KONGHUCU',
  'KHONGHUCU',
  'KEPERCAYAAN TERHADAP TUHAN YME',
] as const;
export const STATUS_PERKAWINAN_VALUES = ['BELUM KAWIN', 'KAWIN', 'CERAI HIDUP', 'CERAI MATI'] as const;
export const KEWARGANEGARAAN_VALUES = ['WNI', 'WNA'] as const;
export const SEUMUR_HIDUP = 'SEUMUR HIDUP';

/**
 * Occupations as the civil registry (Dukcapil) prints them: the e-KTP takes them from a fixed
 * list, so a near miss is snapped. The list here holds the common ones; a value not in it is kept.
 */
export const PEKERJAAN_VALUES = [
  'BELUM/TIDAK BEKERJA',
  'MENGURUS RUMAH TANGGA',
  'PELAJAR/MAHASISWA',
  'PENSIUNAN',
  'PEGAWAI NEGERI SIPIL',
  'TENTARA NASIONAL INDONESIA',
  'KEPOLISIAN RI',
  'PERDAGANGAN',
  'PETANI/PEKEBUN',
  'PETERNAK',
  'NELAYAN/PERIKANAN',
  'INDUSTRI',
  'KONSTRUKSI',
  'TRANSPORTASI',
  'KARYAWAN SWASTA',
  'KARYAWAN BUMN',
  'KARYAWAN BUMD',
  'KARYAWAN HONORER',
  'BURUH HARIAN LEPAS',
  'BURUH TANI/PERKEBUNAN',
  'PEMBANTU RUMAH TANGGA',
  'TUKANG JAHIT',
  'PERANGKAT DESA',
  'KEPALA DESA',
  'GURU',
  'DOSEN',
  'DOKTER',
  'BIDAN',
  'PERAWAT',
  'APOTEKER',
  'SOPIR',
  'PEDAGANG',
  'WIRASWASTA',
  'PENGACARA',
  'NOTARIS',
  'ARSITEK',
  'AKUNTAN',
  'WARTAWAN',
  'USTADZ/MUBALIGH',
  'PENDETA',
  'ANGGOTA DPRD KABUPATEN/KOTA',
  'BUPATI',
  'WAKIL BUPATI',
  'WALIKOTA',
  'WAKIL WALIKOTA',
  'LAINNYA',
] as const;

export interface ParseEktpOptions {
  /** A field below this confidence gets a `low-confidence` warning. */
  confidenceThreshold?: number;
  /** When given, a NIK whose district code the table does not know (for a listed regency) is doubted. */
  regions?: RegionTable;
}

// Confidence factors. They only rank doubt for the officer; the values are judgement, kept together.
const PER_LABEL_EDIT = 0.05; // each edit the label needed
const BY_POSITION = 0.85; // label unreadable: field placed by card order
const WRAPPED = 0.95; // a second line attached to a name or address
const PER_REPAIR = 0.1; // each look-alike repaired (NIK, date, RT/RW, free text)
const MIN_REPAIRED = 0.5;
const NOT_ALLOWED = 0.5; // kept as read although not an allowed value
const DISPUTED_NIK = 0.6; // two reads of the NIK band gave different valid numbers
const UNKNOWN_DISTRICT = 0.6; // the NIK's district code is not in the region table
const DISAGREES_WITH_NIK = 0.6; // the printed birth date or sex differs from the NIK's
const SNAP_WEIGHT = 0.5; // × share of the allowed value that had to be edited

// ---------------------------------------------------------------------------------------------
// Labels

type Slot =
  | 'nik'
  | 'nama'
  | 'ttl'
  | 'jenisKelamin'
  | 'golDarah'
  | 'alamat'
  | 'rtRw'
  | 'kelDesa'
  | 'kecamatan'
  | 'agama'
  | 'statusPerkawinan'
  | 'pekerjaan'
  | 'kewarganegaraan'
  | 'berlakuHingga';

/** The left column top to bottom. `Gol. Darah` shares the `Jenis Kelamin` line, so it has no place. */
const CARD_ORDER: readonly Slot[] = [
  'nik',
  'nama',
  'ttl',
  'jenisKelamin',
  'alamat',
  'rtRw',
  'kelDesa',
  'kecamatan',
  'agama',
  'statusPerkawinan',
  'pekerjaan',
  'kewarganegaraan',
  'berlakuHingga',
];

const PRINTED_LABELS: Record<Slot, string> = {
  nik: 'NIK',
  nama: 'Nama',
  ttl: 'Tempat/Tgl Lahir',
  jenisKelamin: 'Jenis Kelamin',
  golDarah: 'Gol. Darah',
  alamat: 'Alamat',
  rtRw: 'RT/RW',
  kelDesa: 'Kel/Desa',
  kecamatan: 'Kecamatan',
  agama: 'Agama',
  statusPerkawinan: 'Status Perkawinan',
  pekerjaan: 'Pekerjaan',
  kewarganegaraan: 'Kewarganegaraan',
  berlakuHingga: 'Berlaku Hingga',
};
const SLOTS = Object.keys(PRINTED_LABELS) as Slot[];
const WRAPPING_SLOTS: ReadonlySet<Slot> = new Set<Slot>(['nama', 'alamat']);

interface LabelHit {
  /** Index in the text just after the label. */
  end: number;
  /** Edits the label needed (plus one when a mixed-case label was read in capitals; see below). */
  distance: number;
}

/** About one edit per four letters: `Narna`, `GoI. Darah`, `Kel/Oesa` pass, `Agama` is not `Nama`. */
function labelTolerance(key: string): number {
  return Math.max(1, Math.round(key.length * 0.25));
}

const isLetter = (ch: string | undefined): boolean => ch !== undefined && /[A-Za-z]/.test(ch);

/** A label ends where a word does: before a non-letter, or at `aB` (`NamaBUDI`, no separator). */
function isLabelBoundary(text: string, end: number): boolean {
  const next = text[end];
  if (!isLetter(next)) return true;
  const last = text[end - 1];
  return last !== undefined && /[a-z]/.test(last) && next !== undefined && /[A-Z]/.test(next);
}

function separatorFollows(text: string, end: number): boolean {
  return /^\s*[:;=]/.test(text.slice(end));
}

/**
 * The best reading of `printed` at `from`: the prefix ending at a word boundary whose key is closest.
 * Values are printed in capitals and most labels are not, so a capitals-only match with no separator
 * after it costs one more edit: a wrapped name `AGAM RAHMAN` must not become the `Agama` line.
 */
function matchLabel(text: string, from: number, printed: string): LabelHit | null {
  const key = lettersKey(printed);
  const tolerance = labelTolerance(key);
  const capitalsLabel = !/[a-z]/.test(printed);
  let best: LabelHit | null = null;
  let bestScore = Number.POSITIVE_INFINITY;
  for (let end = from + 1; end <= text.length; end++) {
    const candidate = lettersKey(text.slice(from, end));
    if (candidate.length > key.length + tolerance) break;
    if (candidate.length < key.length - tolerance || !isLabelBoundary(text, end)) continue;
    let distance = editDistance(candidate, key);
    if (!capitalsLabel && !/[a-z]/.test(text.slice(from, end)) && !separatorFollows(text, end)) distance += 1;
    if (distance > tolerance) continue;
    // Between equally close readings, one ending at a space or separator wins over one inside a word
    // (`PROVINS|` is the label misread, not `PROVINS` followed by a value `|`).
    const score = distance + (/^($|[\s:;=])/.test(text.slice(end, end + 1)) ? 0 : 0.25);
    if (best === null || score < bestScore) {
      best = { end, distance };
      bestScore = score;
    }
  }
  return best;
}

function firstAlnum(text: string, from = 0): number {
  const at = text.slice(from).search(/[A-Za-z0-9]/);
  return at < 0 ? -1 : from + at;
}

/** The label a body line starts with, if any: the smallest share of the label edited wins. */
function classifyLine(text: string): (LabelHit & { slot: Slot }) | null {
  const from = firstAlnum(text);
  if (from < 0) return null;
  let best: (LabelHit & { slot: Slot; share: number }) | null = null;
  for (const slot of SLOTS) {
    const hit = matchLabel(text, from, PRINTED_LABELS[slot]);
    if (hit === null) continue;
    const share = hit.distance / lettersKey(PRINTED_LABELS[slot]).length;
    if (best === null || share < best.share) best = { ...hit, slot, share };
  }
  return best === null ? null : { slot: best.slot, end: best.end, distance: best.distance };
}

/** Searches a label inside a line, at word starts (`LAKI-LAKI Gol. Darah : O`). */
function findLabelInside(text: string, from: number, printed: string): (LabelHit & { at: number }) | null {
  for (let at = from; at < text.length; at++) {
    const wordStart = at === 0 || /[\s:;=,.]/.test(text.charAt(at - 1));
    if (!wordStart || !/[A-Za-z0-9]/.test(text.charAt(at))) continue;
    const hit = matchLabel(text, at, printed);
    if (hit !== null) return { ...hit, at };
  }
  return null;
}

/**
 * Skips the separator between label and value: usually `:`, but OCR drops it, doubles it or reads
 * it as `;`, `.`, `=`, `-` or a lone lower-case `i` (values are printed in capitals).
 */
function skipSeparators(text: string, from: number): number {
  const run = /^(?:[\s:;.=-]|i(?![a-z]))*/.exec(text.slice(from));
  return from + (run?.[0].length ?? 0);
}

// ---------------------------------------------------------------------------------------------
// Spans of OCR text and their confidence

interface Span {
  line: OcrLine;
  start: number;
  end: number;
}

/** Where a field's value was found: the main span, then any wrapped continuation lines. */
interface Located {
  spans: Span[];
  /** Product of the penalties for how the field was found (fuzzy label, position, wrap). */
  factor: number;
}

const clamp01 = (x: number): number => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

function spanText({ line, start, end }: Span): string {
  return line.text.slice(start, end);
}

function trimSpan(span: Span): Span {
  const text = spanText(span);
  const lead = text.length - text.trimStart().length;
  const trail = text.length - text.trimEnd().length;
  return lead + trail >= text.length
    ? { ...span, end: span.start }
    : { ...span, start: span.start + lead, end: span.end - trail };
}

/**
 * The minimum confidence of the words overlapping the span, else the line's. Minimum, not mean: one
 * misread word makes the whole value wrong, and a mean over a long address would hide it.
 */
function spanConfidence({ line, start, end }: Span): number {
  const words = line.words ?? [];
  let cursor = 0;
  let min = Number.POSITIVE_INFINITY;
  for (const word of words) {
    if (word.text === '') continue;
    const at = line.text.indexOf(word.text, cursor);
    // The words do not line up with the line's text: trust the line instead.
    if (at < 0) return clamp01(line.confidence);
    cursor = at + word.text.length;
    if (at < end && cursor > start) min = Math.min(min, word.confidence);
  }
  return clamp01(min === Number.POSITIVE_INFINITY ? line.confidence : min);
}

function confidenceOf(spans: readonly Span[], factor: number): number {
  if (spans.length === 0) return 0;
  return clamp01(Math.min(...spans.map(spanConfidence)) * factor);
}

const labelFactor = (distance: number): number => 1 - PER_LABEL_EDIT * distance;
const repairFactor = (repairs: number): number => Math.max(MIN_REPAIRED, 1 - PER_REPAIR * repairs);

/**
 * Upper case, whitespace collapsed; '' when nothing letter- or digit-like is left. In the card's
 * Arial-like face `I` and `l` are the same stroke, so an `l` in an otherwise capital word is an `I`
 * (`MADlUN`), not an `L`.
 */
function cleanValue(text: string): string {
  const value = collapseSpaces(text)
    .replace(/\S+/g, (word) =>
      /[A-Z]/.test(word) && !/[a-km-z]/.test(word) ? word.replace(/l/g, 'I') : word,
    )
    .toUpperCase();
  return /[A-Z0-9]/.test(value) ? value : '';
}

/**
 * What a free-text field may hold: `name` (names, places, occupations: never a digit) or `address`
 * (house numbers, blocks and kilometres are digits: `BLOK F-29`, `KM 13`, `NO. 8A`).
 */
type TextKind = 'name' | 'address';

/** Digits and strokes OCR reads for capital letters. */
const LETTER_FOR: Record<string, string> = { '0': 'O', '1': 'I', '5': 'S', '8': 'B', '|': 'I', '!': 'I' };
/** Letters OCR reads for digits inside a number (`I42`, `1O`); `B`, `S` are left: `1B` is a house. */
const DIGIT_FOR: Record<string, string> = { I: '1', l: '1', '|': '1', O: '0', o: '0' };

const count = (text: string, pattern: RegExp): number => (text.match(pattern) ?? []).length;

/**
 * Repairs look-alikes inside one word, only where the reading is unambiguous:
 * - a digit among letters is a letter (`5URABAYA`, `PON0ROGO`, `8LOK`, `N0.`): in a name any word
 *   with two letters, in an address a word of at least three letters that are clearly the majority
 *   (`8OA` stays: it may be house 80A) or an abbreviation (a word before a `.`);
 * - in an address, `I`, `l`, `|`, `O` among digits are digits (`I42`, `1O`);
 * - a lower-case `l` is the capital `I` (same stroke in the card's face), or `1` next to a digit.
 */
function repairWord(word: string, kind: TextKind, abbreviation: boolean): { word: string; repairs: number } {
  // In a name a lower-case `l` is a letter (an `I`); in an address it may be a `1`.
  const letters = count(word, kind === 'name' ? /[A-Za-z]/g : /[A-Za-km-z]/g);
  const digits = count(word, /[0-9]/g);
  const strokes = count(word, /[0158|!]/g);
  if (kind === 'address' && digits > 0 && /^[0-9IOol|]+$/.test(word) && digits >= word.length - digits) {
    const repaired = [...word].map((c) => DIGIT_FOR[c] ?? c).join('');
    return { word: repaired, repairs: word.length - digits };
  }
  const wordy =
    (abbreviation && letters >= 1) ||
    (kind === 'name' ? letters >= 2 : letters >= 3 && letters > 2 * strokes);
  let repairs = 0;
  const chars = [...word];
  const repaired = chars.map((c, k) => {
    const letter = LETTER_FOR[c];
    if (letter !== undefined && wordy) {
      repairs += 1;
      return letter;
    }
    if (c !== 'l') return c;
    const nextToDigit = /[0-9]/.test(chars[k - 1] ?? '') || /[0-9]/.test(chars[k + 1] ?? '');
    return kind === 'address' && nextToDigit ? '1' : 'I';
  });
  return { word: repaired.join(''), repairs };
}

function repairLetters(text: string, kind: TextKind): { text: string; repairs: number } {
  let repairs = 0;
  const repaired = text.replace(/[^\s.,'/-]+/g, (word, at: number) => {
    const result = repairWord(word, kind, text.charAt(at + word.length) === '.');
    repairs += result.repairs;
    return result.word;
  });
  return { text: repaired, repairs };
}

// ---------------------------------------------------------------------------------------------
// Digits and dates

/** Characters OCR reads for digits in the NIK, dates and RT/RW. */
const LOOKALIKES: Record<string, string> = {
  O: '0',
  o: '0',
  D: '0',
  Q: '0',
  I: '1',
  l: '1',
  '|': '1',
  i: '1',
  '!': '1',
  B: '8',
  S: '5',
  s: '5',
  Z: '2',
  z: '2',
  G: '6',
  T: '7',
};
const DIGITISH = '[0-9OoDQIl|i!BSsZzGT]';

/** Every character a digit or a look-alike: the digits and how many had to be repaired. */
function repairDigits(text: string): { digits: string; repairs: number } | null {
  let digits = '';
  let repairs = 0;
  for (const ch of text) {
    if (/[0-9]/.test(ch)) digits += ch;
    else {
      const digit = LOOKALIKES[ch];
      if (digit === undefined) return null;
      digits += digit;
      repairs += 1;
    }
  }
  return { digits, repairs };
}

interface DateMatch {
  index: number;
  end: number;
  /** null when the digits do not make a real date (`31-02-1975`). */
  date: CalendarDate | null;
  repairs: number;
}

const DATE_SEP = '\\s*[-./,\\s]\\s*';
const DATE_PATTERN = new RegExp(
  `(?<![0-9])(${DIGITISH}{1,2})${DATE_SEP}(${DIGITISH}{1,2})${DATE_SEP}(${DIGITISH}{4})(?![0-9])`,
  'g',
);
const COMPACT_DATE_PATTERN = /(?<![0-9])([0-9]{2})([0-9]{2})([0-9]{4})(?![0-9])/g;

/** Printed dates (DD-MM-YYYY), with look-alike repair; dates before 1900 or after 2100 are not real. */
function findDates(text: string): DateMatch[] {
  const matches = [...text.matchAll(DATE_PATTERN)];
  const found = matches.length > 0 ? matches : [...text.matchAll(COMPACT_DATE_PATTERN)];
  return found.map((m) => {
    const day = repairDigits(m[1] ?? '');
    const month = repairDigits(m[2] ?? '');
    const year = repairDigits(m[3] ?? '');
    const index = m.index;
    const end = index + m[0].length;
    if (day === null || month === null || year === null) return { index, end, date: null, repairs: 0 };
    const date = { year: Number(year.digits), month: Number(month.digits), day: Number(day.digits) };
    const real = isRealDate(date) && date.year >= 1900 && date.year <= 2100;
    return { index, end, date: real ? date : null, repairs: day.repairs + month.repairs + year.repairs };
  });
}

/** The date printed at the very end of the text (trailing `.`/`,` allowed), if any. */
function dateAtEnd(text: string): DateMatch | null {
  const last = findDates(text).at(-1);
  if (last === undefined) return null;
  return /^[\s.,]*$/.test(text.slice(last.end)) ? last : null;
}

// ---------------------------------------------------------------------------------------------
// Enumerated values

interface Snap {
  value: string;
  distance: number;
  /** Letters in the allowed value, to weigh the distance. */
  length: number;
}

/** About one edit per three letters; `WNI` allows one (`WNA` is then a tie: see kewarganegaraan). */
function snapTolerance(length: number): number {
  return Math.max(1, Math.round(length * 0.3));
}

/** The closest allowed value over the candidate readings, if close enough. */
function snap(candidates: readonly string[], allowed: readonly string[]): Snap | null {
  let best: Snap | null = null;
  for (const candidate of candidates) {
    if (lettersKey(candidate) === '') continue;
    const match = closestByKey(candidate, allowed);
    if (match === null) continue;
    const length = lettersKey(match.value).length;
    if (match.distance > snapTolerance(length)) continue;
    if (best === null || match.distance < best.distance) best = { ...match, length };
  }
  return best;
}

const snapFactor = (s: Snap): number => 1 - (SNAP_WEIGHT * s.distance) / Math.max(1, s.length);

const ALL_ENUMERATED: readonly string[] = [
  ...JENIS_KELAMIN_VALUES,
  ...AGAMA_VALUES,
  ...STATUS_PERKAWINAN_VALUES,
  ...KEWARGANEGARAAN_VALUES,
  SEUMUR_HIDUP,
];

function firstTokens(text: string, count: number): string {
  return collapseSpaces(text).split(' ').slice(0, count).join(' ');
}

// ---------------------------------------------------------------------------------------------
// Placing lines whose label is unreadable

const MISSING = 1; // a card field with no line
const DROPPED = 1; // a line that is no field
const WRAP = 0.3; // a line taken as the continuation of a name or address
const CONTRADICTS = 3; // the content cannot be this field

function digitsOutnumberLetters(text: string): boolean {
  const digits = (text.match(/[0-9]/g) ?? []).length;
  const letters = (text.match(/[A-Za-z]/g) ?? []).length;
  return digits > letters;
}

/** Content that belongs to a structured or enumerated field, not to free text. */
function looksStructured(text: string): boolean {
  if (digitsOutnumberLetters(text)) return true;
  const exact = closestByKey(text, ALL_ENUMERATED);
  return exact !== null && exact.distance === 0;
}

/**
 * How badly a line's content fits a field. `strict` (a gap at the top or bottom of the card, with a
 * recognised neighbour on one side only) accepts only content that identifies the field, or free text
 * that reads like a printed value.
 */
function fitCost(slot: Slot, text: string, strict: boolean): number {
  const unsure = strict ? CONTRADICTS : 1.5;
  switch (slot) {
    case 'nik':
      return digitsOutnumberLetters(text) && (text.match(/[0-9]/g) ?? []).length >= 10 ? 0 : CONTRADICTS;
    case 'ttl':
      return dateAtEnd(text) !== null ? 0 : unsure;
    case 'rtRw':
      return readRtRw(text) !== null ? 0 : unsure;
    case 'jenisKelamin':
      return snap([text, firstTokens(text, 1)], JENIS_KELAMIN_VALUES) !== null ? 0 : unsure;
    case 'agama':
      return snap([text], AGAMA_VALUES) !== null ? 0 : unsure;
    case 'statusPerkawinan':
      return snap([text], STATUS_PERKAWINAN_VALUES) !== null ? 0 : unsure;
    case 'kewarganegaraan':
      return snap([kewarganegaraanKey(firstTokens(text, 1))], KEWARGANEGARAAN_VALUES) !== null ? 0 : unsure;
    case 'berlakuHingga':
      return snap([text], [SEUMUR_HIDUP]) !== null || findDates(text).length > 0 ? 0 : unsure;
    case 'nama':
    case 'alamat':
    case 'kelDesa':
    case 'kecamatan':
    case 'pekerjaan':
    case 'golDarah':
      if (looksStructured(text)) return CONTRADICTS;
      if (!strict) return 0.2;
      return looksLikePrintedValue(text) ? 0.5 : CONTRADICTS;
  }
}

/**
 * Mostly letters and digits, the letters mostly capitals: what a printed value reads as, OCR slips
 * (`SANTOSl`) and address punctuation (`NO. 147 (BELAKANG MASJID)`) included.
 * At the edges of the body (where the region may cut through the NIK line or the photo's caption) a
 * free-text field takes only such a line, never OCR noise.
 */
function looksLikePrintedValue(text: string): boolean {
  const compact = text.replace(/\s+/g, '');
  const letters = count(compact, /[A-Za-z]/g);
  const capitals = count(compact, /[A-Z]/g);
  const alnum = letters + count(compact, /[0-9]/g);
  return letters >= 2 && alnum >= compact.length * 0.7 && capitals >= letters * 0.7;
}

/** A wrapped name or address line is printed text too: noise under a name is not part of it. */
const wrapCost = (text: string): number =>
  WRAP + (looksStructured(text) || !looksLikePrintedValue(text) ? CONTRADICTS : 0);

type Step =
  | { kind: 'field'; slot: Slot; lines: number[] }
  | { kind: 'wrap'; line: number }
  | { kind: 'drop' };

interface Plan {
  cost: number;
  steps: Step[];
}

/**
 * Places the unlabelled lines of one gap (in order) into the free fields of that gap (in card order):
 * each field takes no line, one line, or (name, address) two; a line may be dropped, and the first one
 * may continue the labelled name or address just above. Minimum total cost wins; ties go to the
 * option listed first, so the result is deterministic.
 */
function planGap(
  texts: readonly string[],
  free: readonly Slot[],
  wrapAbove: boolean,
  strict: boolean,
): Step[] {
  const memo = new Map<number, Plan>();
  const solve = (i: number, s: number): Plan => {
    const key = i * 64 + s;
    const cached = memo.get(key);
    if (cached) return cached;
    const options: Plan[] = [];
    const slot = free[s];
    const text = texts[i];
    if (slot === undefined) {
      options.push({ cost: DROPPED * (texts.length - i), steps: [] });
    } else if (text === undefined) {
      options.push({ cost: MISSING * (free.length - s), steps: [] });
    } else {
      const fit = fitCost(slot, text, strict);
      const one = solve(i + 1, s + 1);
      options.push({ cost: fit + one.cost, steps: [{ kind: 'field', slot, lines: [i] }, ...one.steps] });
      const next = texts[i + 1];
      if (WRAPPING_SLOTS.has(slot) && next !== undefined) {
        const two = solve(i + 2, s + 1);
        options.push({
          cost: fit + wrapCost(next) + two.cost,
          steps: [{ kind: 'field', slot, lines: [i, i + 1] }, ...two.steps],
        });
      }
      const skip = solve(i, s + 1);
      options.push({ cost: MISSING + skip.cost, steps: skip.steps });
      const drop = solve(i + 1, s);
      options.push({ cost: DROPPED + drop.cost, steps: [{ kind: 'drop' }, ...drop.steps] });
    }
    const best = options.reduce((a, b) => (b.cost < a.cost ? b : a));
    memo.set(key, best);
    return best;
  };

  const plain = solve(0, 0);
  const first = texts[0];
  if (wrapAbove && first !== undefined) {
    const rest = solve(1, 0);
    const cost = wrapCost(first) + rest.cost;
    if (cost < plain.cost) return [{ kind: 'wrap', line: 0 }, ...rest.steps];
  }
  return plain.steps;
}

/** Where the value starts in a line whose label could not be read (the garbled label is skipped). */
function unlabelledValueStart(text: string): number {
  const separator = text.search(/[:;=]/);
  if (separator >= 0 && separator <= 24) return skipSeparators(text, separator);
  // No separator: skip up to three leading words that look like a label (lower-case letters) or are
  // no word at all (`%%%`).
  let at = 0;
  for (let words = 0; words < 3; words++) {
    const word = /^\s*(\S+)/.exec(text.slice(at))?.[0];
    if (word === undefined) break;
    const labelLike = (word.match(/[a-z]/g) ?? []).length >= 2 || !/[A-Za-z0-9]/.test(word);
    if (!labelLike) break;
    at += word.length;
  }
  return skipSeparators(text, at);
}

interface BodyLine {
  line: OcrLine;
  index: number;
  hit: (LabelHit & { slot: Slot }) | null;
}

function locateBody(body: readonly OcrLine[]): Map<Slot, Located> {
  const lines: BodyLine[] = body
    .filter((line) => line.text.trim() !== '')
    .map((line, index) => ({ line, index, hit: classifyLine(line.text) }));

  // One line per label: the closest match keeps it, the other is treated as unlabelled.
  const byLabel = new Map<Slot, BodyLine>();
  for (const entry of lines) {
    const hit = entry.hit;
    if (hit === null) continue;
    const other = byLabel.get(hit.slot);
    if (other?.hit && other.hit.distance <= hit.distance) {
      entry.hit = null;
      continue;
    }
    if (other) other.hit = null;
    byLabel.set(hit.slot, entry);
  }

  const located = new Map<Slot, Located>();
  for (const [slot, entry] of byLabel) {
    if (entry.hit === null) continue;
    const { text } = entry.line;
    // Gol. Darah keeps its raw remainder: `-` is both a separator and a value there.
    const start = slot === 'golDarah' ? entry.hit.end : skipSeparators(text, entry.hit.end);
    located.set(slot, {
      spans: [{ line: entry.line, start, end: text.length }],
      factor: labelFactor(entry.hit.distance),
    });
  }

  const anchors = lines.filter((l) => l.hit !== null && l.hit.slot !== 'golDarah');
  // With no recognised label there are no neighbours to place anything by: never guess a whole card.
  if (anchors.length === 0) return located;

  const bounds: (BodyLine | null)[] = [null, ...anchors, null];
  for (let b = 0; b + 1 < bounds.length; b++) {
    const above = bounds[b] ?? null;
    const below = bounds[b + 1] ?? null;
    const lo = above ? above.index : -1;
    const hi = below ? below.index : lines.length;
    const gap = lines.filter((l) => l.hit === null && l.index > lo && l.index < hi);
    if (gap.length === 0) continue;

    const aboveSlot = above?.hit?.slot;
    const belowSlot = below?.hit?.slot;
    const loOrder = aboveSlot === undefined ? -1 : CARD_ORDER.indexOf(aboveSlot);
    const hiOrder = belowSlot === undefined ? CARD_ORDER.length : CARD_ORDER.indexOf(belowSlot);
    const free = CARD_ORDER.filter((slot, order) => order > loOrder && order < hiOrder && !located.has(slot));
    const starts = gap.map((l) => unlabelledValueStart(l.line.text));
    const texts = gap.map((l, k) => l.line.text.slice(starts[k] ?? 0));
    const wrapAbove =
      aboveSlot !== undefined && WRAPPING_SLOTS.has(aboveSlot) && gap[0]?.index === (above?.index ?? -2) + 1;
    const strict = above === null || below === null;

    for (const step of planGap(texts, free, wrapAbove, strict)) {
      if (step.kind === 'drop') continue;
      if (step.kind === 'wrap') {
        const target = aboveSlot === undefined ? undefined : located.get(aboveSlot);
        const entry = gap[step.line];
        if (target && entry) {
          target.spans.push({ line: entry.line, start: 0, end: entry.line.text.length });
          target.factor *= WRAPPED;
        }
        continue;
      }
      const spans: Span[] = [];
      step.lines.forEach((lineIndex, k) => {
        const entry = gap[lineIndex];
        if (entry === undefined) return;
        const start = k === 0 ? (starts[lineIndex] ?? 0) : 0;
        spans.push({ line: entry.line, start, end: entry.line.text.length });
      });
      located.set(step.slot, { spans, factor: BY_POSITION * (spans.length > 1 ? WRAPPED : 1) });
    }
  }
  return located;
}

// ---------------------------------------------------------------------------------------------
// Field readers

interface FieldValue {
  value: string;
  confidence: number;
  warnings: EktpWarningCode[];
}

const notRead = (...warnings: EktpWarningCode[]): FieldValue => ({ value: '', confidence: 0, warnings });

function rawText(loc: Located | undefined): string {
  return loc === undefined ? '' : loc.spans.map(spanText).join(' ');
}

/** A value as read, cleaned; `kind` asks for look-alike repair of free text (see `repairLetters`). */
function readText(loc: Located | undefined, kind?: TextKind): FieldValue {
  if (loc === undefined) return notRead();
  const spans = loc.spans.map(trimSpan).filter((s) => s.end > s.start);
  const joined = spans.map(spanText).join(' ');
  const { text, repairs } = kind === undefined ? { text: joined, repairs: 0 } : repairLetters(joined, kind);
  const value = cleanValue(text);
  if (value === '') return notRead();
  return { value, confidence: confidenceOf(spans, loc.factor * repairFactor(repairs)), warnings: [] };
}

/** Snaps to an allowed value; when nothing is close, keeps what was read with less confidence. */
function readEnumerated(
  loc: Located | undefined,
  allowed: readonly string[],
  candidates: (text: string) => string[] = (text) => [text],
): FieldValue {
  const read = readText(loc);
  if (read.value === '') return read;
  const snapped = snap(candidates(read.value), allowed);
  if (snapped === null)
    return { value: read.value, confidence: read.confidence * NOT_ALLOWED, warnings: ['value-not-allowed'] };
  return { value: snapped.value, confidence: read.confidence * snapFactor(snapped), warnings: [] };
}

/**
 * Gang and street numbers use Roman numerals (`GG. MAWAR I`): a lone stroke is an `I`, and an `I`
 * glued to the `NO.` that follows it is split off again.
 */
function tidyAddress(read: FieldValue): FieldValue {
  const value = read.value.replace(/(^| )[|!l](?= |$)/g, '$1I').replace(/(^| )(I{1,3})NO\./g, '$1$2 NO.');
  return value === read.value ? read : { ...read, value, confidence: read.confidence * (1 - PER_REPAIR) };
}

/**
 * The card's own regency is known from its header: its kecamatan is one of the region table's
 * districts for that regency, so a near miss (`KARTOMARJO`) snaps to the name (`KARTOHARJO`).
 */
function snapKecamatan(read: FieldValue, kota: string, regions: RegionTable): FieldValue {
  if (read.value === '' || kota === '') return read;
  const regency = Object.entries(regions.regencies).find(([, name]) => name === kota)?.[0];
  if (regency === undefined) return read;
  const names = Object.entries(regions.districts)
    .filter(([code]) => code.startsWith(regency))
    .map(([, name]) => name);
  const snapped = snap([read.value], names);
  return snapped === null
    ? read
    : { ...read, value: snapped.value, confidence: read.confidence * snapFactor(snapped) };
}

/** Snapped to the registry's list when close; an occupation missing from the list is kept as read. */
function readPekerjaan(loc: Located | undefined): FieldValue {
  const read = readText(loc, 'name');
  if (read.value === '') return read;
  const snapped = snap([read.value], PEKERJAAN_VALUES);
  return snapped === null
    ? read
    : { ...read, value: snapped.value, confidence: read.confidence * snapFactor(snapped) };
}

/**
 * The NIK carries the birth date and sex. When a confidently read NIK disagrees with the printed
 * date or sex, one of them was probably misread: lower that field's confidence so the officer
 * looks (the cross-checks say why; a real difference stays possible, so nothing is changed).
 */
function agreeWithNik(values: Record<EktpField, FieldValue>): void {
  const nik = parseNik(values.nik.value);
  if (!nik.ok || values.nik.confidence < DEFAULT_CONFIDENCE_THRESHOLD) return;
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(values.tanggalLahir.value);
  if (date) {
    const [, year, month, day] = date;
    const same =
      Number(day) === nik.value.birthDay &&
      Number(month) === nik.value.birthMonth &&
      Number(year) % 100 === nik.value.birthYearTwoDigits;
    if (!same)
      values.tanggalLahir = {
        ...values.tanggalLahir,
        confidence: values.tanggalLahir.confidence * DISAGREES_WITH_NIK,
      };
  }
  const sex = values.jenisKelamin.value;
  if (sex !== '' && (sex === 'PEREMPUAN') !== (nik.value.sex === 'female')) {
    values.jenisKelamin = {
      ...values.jenisKelamin,
      confidence: values.jenisKelamin.confidence * DISAGREES_WITH_NIK,
    };
  }
}

/**
 * A district code the region table does not know, in a regency whose districts it lists, is more
 * often a misread digit (0 read as 6) than a real district: the officer should look.
 */
function doubtUnknownDistrict(values: Record<EktpField, FieldValue>, regions: RegionTable): void {
  const region = regionOf(values.nik.value, regions);
  if (region === null || region.regency === null || region.district !== null) return;
  const listed = Object.keys(regions.districts).some((code) => code.startsWith(region.regencyCode));
  if (listed) values.nik = { ...values.nik, confidence: values.nik.confidence * UNKNOWN_DISTRICT };
}

/** `WNl`, `WN1`, `WN|`: a lone stroke is an `I` here, else `WNI` and `WNA` tie. */
function kewarganegaraanKey(text: string): string {
  return text.replace(/[l1|!]/g, 'I');
}

function readTempatTanggal(loc: Located | undefined): { tempat: FieldValue; tanggal: FieldValue } {
  const span = loc?.spans[0];
  if (loc === undefined || span === undefined) return { tempat: notRead(), tanggal: notRead() };
  const text = spanText(span);
  const date = dateAtEnd(text);
  let placeEnd: number;
  let tanggal: FieldValue;
  if (date === null) {
    // No date: the place is what comes before a comma or the first word with digits in it.
    const cut = text.search(/,|\S*[0-9]/);
    placeEnd = cut < 0 ? text.length : cut;
    tanggal = notRead();
  } else {
    placeEnd = date.index;
    const dateSpan = { ...span, start: span.start + date.index, end: span.start + date.end };
    tanggal =
      date.date === null
        ? notRead()
        : {
            value: toIsoDate(date.date),
            confidence: confidenceOf([dateSpan], loc.factor * repairFactor(date.repairs)),
            warnings: [],
          };
  }
  const placeText = text.slice(0, placeEnd).replace(/[\s,.]+$/, '');
  const tempat = readText(
    { spans: [{ ...span, end: span.start + placeText.length }], factor: loc.factor },
    'name',
  );
  return { tempat, tanggal };
}

/** `003/012`; tolerates `003 / 012`, `003/12`, `O03/012`, a missing slash or one read as `|`. */
function readRtRw(text: string): { value: string; repairs: number } | null {
  const match =
    new RegExp(`(${DIGITISH}{1,3})\\s*[/\\\\]\\s*(${DIGITISH}{1,3})`).exec(text) ??
    new RegExp(`^\\s*(${DIGITISH}{3})\\s*[|Il1!]?\\s*(${DIGITISH}{3})\\s*$`).exec(text);
  if (match === null) return null;
  const rt = repairDigits(match[1] ?? '');
  const rw = repairDigits(match[2] ?? '');
  if (rt === null || rw === null) return null;
  // A missing leading zero is restored, and counted as a repair: it is an inference.
  const padded = (rt.digits.length < 3 ? 1 : 0) + (rw.digits.length < 3 ? 1 : 0);
  return {
    value: `${rt.digits.padStart(3, '0')}/${rw.digits.padStart(3, '0')}`,
    repairs: rt.repairs + rw.repairs + padded,
  };
}

function readRtRwField(loc: Located | undefined): FieldValue {
  const read = readText(loc);
  if (read.value === '') return read;
  // Look-alikes are case-sensitive (`l` is a 1, `L` is not): parse before upper-casing.
  const rtRw = readRtRw(rawText(loc));
  if (rtRw === null)
    return { ...read, confidence: read.confidence * NOT_ALLOWED, warnings: ['value-not-allowed'] };
  return { value: rtRw.value, confidence: read.confidence * repairFactor(rtRw.repairs), warnings: [] };
}

/** `O` may be read as `0`, `D` or `Q`, `B` as `8`; a `-` is both a separator and the value "unknown". */
function readGolDarah(loc: Located | undefined): FieldValue {
  const span = loc?.spans[0];
  if (loc === undefined || span === undefined) return notRead();
  const tokens = spanText(span)
    .replace(/[:;=]/g, ' ')
    .split(/\s+/)
    .filter((t) => t !== '' && t !== 'i' && t !== '.');
  const [first, second] = tokens;
  if (first === undefined) return notRead();
  const confidence = confidenceOf([span], loc.factor);
  const asType = (token: string): { value: string; repairs: number } | null => {
    const upper = token.toUpperCase().replace(/[.,]+$/, '');
    const value = upper.replace(/[0DQ]/g, 'O').replace(/8/g, 'B');
    const allowed: readonly string[] = GOL_DARAH_VALUES;
    if (value === '-' || !allowed.includes(value)) return null;
    return { value, repairs: [...upper].filter((c, k) => c !== value[k]).length };
  };
  const type = asType(first) ?? (/^-+$/.test(first) && second !== undefined ? asType(second) : null);
  if (type !== null)
    return { value: type.value, confidence: confidence * repairFactor(type.repairs), warnings: [] };
  if (/^-+$/.test(first)) return { value: '-', confidence, warnings: [] };
  return { value: cleanValue(first), confidence: confidence * NOT_ALLOWED, warnings: ['value-not-allowed'] };
}

function readBerlakuHingga(loc: Located | undefined): FieldValue {
  const read = readText(loc);
  if (read.value === '') return read;
  const lifelong = snap([read.value, firstTokens(read.value, 2)], [SEUMUR_HIDUP]);
  if (lifelong !== null)
    return { value: SEUMUR_HIDUP, confidence: read.confidence * snapFactor(lifelong), warnings: [] };
  // Cards from 2011-2013 may print a date; the first one is it (a merged issue date comes after).
  const date = findDates(rawText(loc))[0];
  if (date !== undefined) {
    if (date.date === null) return notRead();
    return {
      value: toIsoDate(date.date),
      confidence: read.confidence * repairFactor(date.repairs),
      warnings: [],
    };
  }
  return { value: read.value, confidence: read.confidence * NOT_ALLOWED, warnings: ['value-not-allowed'] };
}

/**
 * OCR merges the place and date of issue printed under the photo into the lines beside it: strips a
 * trailing date and a trailing `KOTA|KABUPATEN <X>` equal to the header's kota, in any order.
 */
function stripIssuePlaceAndDate(loc: Located | undefined, kota: string): Located | undefined {
  const span = loc?.spans[0];
  if (loc === undefined || span === undefined) return loc;
  let end = span.end;
  for (;;) {
    const text = span.line.text.slice(span.start, end).replace(/[\s.,]+$/, '');
    const date = dateAtEnd(text);
    if (date !== null && /[A-Za-z]/.test(text.slice(0, date.index))) {
      end = span.start + date.index;
      continue;
    }
    const cut = kota === '' ? null : trailingKota(text, kota);
    if (cut !== null) {
      end = span.start + cut;
      continue;
    }
    end = span.start + text.length;
    break;
  }
  return { ...loc, spans: [{ ...span, end }, ...loc.spans.slice(1)] };
}

/** Index where the trailing words matching `kota` start, when something precedes them. */
function trailingKota(text: string, kota: string): number | null {
  const size = kota.split(' ').length;
  const words = [...text.matchAll(/\S+/g)];
  if (words.length <= size) return null;
  const first = words[words.length - size];
  if (first === undefined) return null;
  const key = lettersKey(kota);
  return editDistance(lettersKey(text.slice(first.index)), key) <= labelTolerance(key) ? first.index : null;
}

// ---------------------------------------------------------------------------------------------
// NIK

interface NikCandidate {
  nik: string;
  repairs: number;
  confidence: number;
}

/** A structurally valid NIK from the text, repairing look-alikes only when that makes one. */
function nikFrom(text: string, confidence: number): NikCandidate | null {
  // The NIK band is read with its label (`NIK :`), which must not count as look-alike digits.
  const value = text.replace(/^\s*N\s*[I1l|]\s*K\b\s*[:;.=-]*/i, '');
  // Spaces and punctuation between digit groups are not digits; `|` and `!` are look-alikes.
  const compact = value.replace(/[^0-9A-Za-z|!]/g, '');
  if (parseNik(compact).ok) return { nik: compact, repairs: 0, confidence };
  const repaired = repairDigits(compact);
  if (repaired === null || !parseNik(repaired.digits).ok) return null;
  return {
    nik: repaired.digits,
    repairs: repaired.repairs,
    confidence: confidence * repairFactor(repaired.repairs),
  };
}

/**
 * Prefers the digit-only read of the NIK band (a dedicated, whitelisted read) over the body line, and a
 * number read as is over a repaired one (a repair is a guess, however constrained).
 */
function readNik(
  bandLine: OcrLine | null,
  loc: Located | undefined,
  digitLine: OcrLine | null = null,
): FieldValue {
  const sources: { text: string; confidence: number }[] = [];
  for (const line of [bandLine, digitLine]) {
    if (line !== null && line.text.trim() !== '')
      sources.push({ text: line.text, confidence: confidenceOf([fullSpan(line)], 1) });
  }
  const bodySpan = loc?.spans[0];
  if (loc !== undefined && bodySpan !== undefined && spanText(bodySpan).trim() !== '')
    sources.push({ text: spanText(bodySpan), confidence: confidenceOf([trimSpan(bodySpan)], loc.factor) });
  if (sources.length === 0) return notRead();

  const candidates = sources.map((s) => nikFrom(s.text, s.confidence));
  const chosen = candidates.find((c) => c !== null && c.repairs === 0) ?? candidates.find((c) => c !== null);
  if (chosen) {
    // Another read that makes a different valid NIK means one of them is wrong: say so.
    const disputed = candidates.some((c) => c !== null && c.nik !== chosen.nik);
    return {
      value: chosen.nik,
      confidence: chosen.confidence * (disputed ? DISPUTED_NIK : 1),
      warnings: chosen.repairs > 0 ? ['nik-repaired'] : [],
    };
  }

  // Nothing valid: keep the digits read, from the source closest to sixteen digits.
  const bestRead = sources
    .map((s) => ({ ...s, digits: s.text.replace(/[^0-9]/g, '') }))
    .reduce((a, b) => (Math.abs(b.digits.length - 16) < Math.abs(a.digits.length - 16) ? b : a));
  if (bestRead.digits === '') return notRead('nik-invalid');
  return { value: bestRead.digits, confidence: bestRead.confidence * NOT_ALLOWED, warnings: ['nik-invalid'] };
}

const fullSpan = (line: OcrLine): Span => ({ line, start: 0, end: line.text.length });

// ---------------------------------------------------------------------------------------------
// Header

function readHeader(header: readonly OcrLine[]): { provinsi: FieldValue; kota: FieldValue } {
  let provinsi: FieldValue = notRead();
  let kota: FieldValue = notRead();
  for (const line of header) {
    const { text } = line;
    const from = firstAlnum(text);
    if (from < 0) continue;
    const province = matchLabel(text, from, 'PROVINSI');
    // The two header lines may come back as one: `PROVINSI JAWA TIMUR KOTA MADIUN`.
    const cityStart = province === null ? from : (findCityInside(text, province.end)?.at ?? text.length);
    if (province !== null && provinsi.value === '') {
      const span = trimSpan({ line, start: skipSeparators(text, province.end), end: cityStart });
      const read = readText({ spans: [span], factor: labelFactor(province.distance) }, 'name');
      if (read.value !== '') provinsi = read;
    }
    if (kota.value === '' && cityStart < text.length) kota = readCity(line, cityStart);
  }
  return { provinsi, kota };
}

function findCityInside(text: string, from: number): { at: number } | null {
  const kotaHit = findLabelInside(text, from, 'KOTA');
  const kabupatenHit = findLabelInside(text, from, 'KABUPATEN');
  const hits = [kotaHit, kabupatenHit].filter((h) => h !== null);
  return hits.length === 0 ? null : { at: Math.min(...hits.map((h) => h.at)) };
}

/** `KOTA <X>` / `KABUPATEN <X>` kept as printed, the fuzzily read word written correctly. */
function readCity(line: OcrLine, from: number): FieldValue {
  const { text } = line;
  const hits = (['KOTA', 'KABUPATEN'] as const)
    .map((word) => ({ word, hit: matchLabel(text, from, word) }))
    .filter((h): h is { word: 'KOTA' | 'KABUPATEN'; hit: LabelHit } => h.hit !== null)
    .sort((a, b) => a.hit.distance - b.hit.distance);
  const best = hits[0];
  if (best === undefined) return notRead();
  const nameSpan = trimSpan({ line, start: skipSeparators(text, best.hit.end), end: text.length });
  const name = repairLetters(spanText(nameSpan), 'name');
  const value = cleanValue(name.text);
  if (value === '') return notRead();
  const factor = labelFactor(best.hit.distance) * repairFactor(name.repairs);
  return {
    value: `${best.word} ${value}`,
    confidence: confidenceOf([{ line, start: from, end: nameSpan.end }], factor),
    warnings: [],
  };
}

// ---------------------------------------------------------------------------------------------

/** Reads the 17 e-KTP fields from OCR output. Never throws; every doubt is a warning. */
export function parseEktp(read: EktpOcrRead, options: ParseEktpOptions = {}): EktpReading {
  const threshold = options.confidenceThreshold ?? DEFAULT_CONFIDENCE_THRESHOLD;
  const { provinsi, kota } = readHeader(read.header);
  const located = locateBody(read.body);

  // Gol. Darah is normally on the Jenis Kelamin line; a line of its own is the fallback.
  let jenisKelaminLoc = located.get('jenisKelamin');
  let golDarahLoc = located.get('golDarah');
  const jkSpan = jenisKelaminLoc?.spans[0];
  if (jenisKelaminLoc !== undefined && jkSpan !== undefined) {
    // Searched from the line start: when the Jenis Kelamin label was unreadable, the value was taken
    // after the first `:`, which may be the one after `Gol. Darah`.
    const text = jkSpan.line.text;
    const inner = findLabelInside(text, 0, PRINTED_LABELS.golDarah);
    if (inner !== null) {
      golDarahLoc = {
        spans: [{ line: jkSpan.line, start: inner.end, end: jkSpan.end }],
        factor: jenisKelaminLoc.factor * labelFactor(inner.distance),
      };
      const start = inner.at < jkSpan.start ? unlabelledValueStart(text.slice(0, inner.at)) : jkSpan.start;
      jenisKelaminLoc = { ...jenisKelaminLoc, spans: [{ ...jkSpan, start, end: inner.at }] };
    }
  }

  const { tempat, tanggal } = readTempatTanggal(located.get('ttl'));
  const values: Record<EktpField, FieldValue> = {
    provinsi,
    kota,
    nik: readNik(read.nik, located.get('nik'), read.nikDigits ?? null),
    nama: readText(located.get('nama'), 'name'),
    tempatLahir: tempat,
    tanggalLahir: tanggal,
    // `LAKI-LAKI` is one word: try the first word when junk follows it.
    jenisKelamin: readEnumerated(jenisKelaminLoc, JENIS_KELAMIN_VALUES, (t) => [t, firstTokens(t, 1)]),
    golDarah: readGolDarah(golDarahLoc),
    alamat: tidyAddress(readText(located.get('alamat'), 'address')),
    rtRw: readRtRwField(located.get('rtRw')),
    kelDesa: readText(located.get('kelDesa'), 'name'),
    kecamatan: readText(located.get('kecamatan'), 'name'),
    agama: readEnumerated(located.get('agama'), AGAMA_VALUES),
    statusPerkawinan: readEnumerated(located.get('statusPerkawinan'), STATUS_PERKAWINAN_VALUES),
    pekerjaan: readPekerjaan(stripIssuePlaceAndDate(located.get('pekerjaan'), kota.value)),
    kewarganegaraan: readEnumerated(
      stripIssuePlaceAndDate(located.get('kewarganegaraan'), kota.value),
      KEWARGANEGARAAN_VALUES,
      (t) => [kewarganegaraanKey(t), kewarganegaraanKey(firstTokens(t, 1))],
    ),
    berlakuHingga: readBerlakuHingga(located.get('berlakuHingga')),
  };

  agreeWithNik(values);
  if (options.regions) {
    doubtUnknownDistrict(values, options.regions);
    values.kecamatan = snapKecamatan(values.kecamatan, values.kota.value, options.regions);
  }

  const fields = emptyFields();
  const confidence = zeroConfidence();
  const warnings: EktpWarning[] = [];
  for (const field of EKTP_FIELDS) {
    const { value, confidence: c, warnings: codes } = values[field];
    fields[field] = value;
    confidence[field] = value === '' ? 0 : clamp01(c);
    for (const code of codes) warnings.push({ field, code });
    // An empty field says `not-read`; `low-confidence` is kept for values the officer must check.
    if (value === '' && !codes.includes('not-read')) warnings.push({ field, code: 'not-read' });
    if (value !== '' && confidence[field] < threshold) warnings.push({ field, code: 'low-confidence' });
  }
  return { fields, confidence, warnings };
}
