/** Small text helpers for fuzzy matching of OCR output. Pure and dependency-free. */

/**
 * Edit distance with adjacent transpositions (the "optimal string alignment" variant of
 * Damerau-Levenshtein): insertions, deletions, substitutions and swaps of two neighbours cost 1 each.
 * Inputs are short (labels, enumerated values), so the O(|a|·|b|) table is fine.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let twoBack: number[] = [];
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      const swapped =
        i > 1 &&
        j > 1 &&
        a.charCodeAt(i - 1) === b.charCodeAt(j - 2) &&
        a.charCodeAt(i - 2) === b.charCodeAt(j - 1);
      if (swapped) d = Math.min(d, (twoBack[j - 2] ?? 0) + 1);
      cur.push(d);
    }
    twoBack = prev;
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

// Digits OCR returns for letters in a word (`PROV1NSI`, `G0L`, `5TATUS`, `8ERLAKU`).
const DIGIT_AS_LETTER: Record<string, string> = { '0': 'o', '1': 'i', '5': 's', '8': 'b' };

/**
 * The key two strings are compared on: lower case, letters only (spaces, punctuation and `/` vanish,
 * so `Tempat/TglLahir` and `Tempat/Tgl Lahir` agree), with the usual OCR confusions folded on both
 * sides: a digit read for a letter, and `rn` for `m` (`Narna` → `nama`), `vv` for `w`.
 */
export function lettersKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[0158]/g, (digit) => DIGIT_AS_LETTER[digit] ?? '')
    .replace(/[^a-z]/g, '')
    .replace(/rn/g, 'm')
    .replace(/vv/g, 'w');
}

/** Trimmed, with every run of whitespace collapsed to one space. */
export function collapseSpaces(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

export interface ClosestMatch<T extends string> {
  value: T;
  distance: number;
}

/** The candidate whose `lettersKey` is nearest to the input's; the first one wins a tie. */
export function closestByKey<T extends string>(
  input: string,
  candidates: readonly T[],
): ClosestMatch<T> | null {
  const key = lettersKey(input);
  let best: ClosestMatch<T> | null = null;
  for (const value of candidates) {
    const distance = editDistance(key, lettersKey(value));
    if (best === null || distance < best.distance) best = { value, distance };
  }
  return best;
}
