import { FOREIGN_WORDS, UNFIT_WORDS } from './excluded-words';

/** 4,096 words: 12 bits each, so 5 words give 60 bits. */
export const WORD_LIST_SIZE = 4096;

/** Words a person can read aloud and copy without doubt. */
const SHAPE = /^[a-z]{4,8}$/;
/** Enclitics and particles: `rumahnya`, `bukumu`, `pergilah` are forms of another word, not new words. */
const SUFFIXES = /(?:nya|mu|ku|lah|kah)$/;

export const EXCLUDED_WORDS: ReadonlySet<string> = new Set([...UNFIT_WORDS, ...FOREIGN_WORDS]);

/** The rules every word of the list obeys, apart from the names (checked against `names`). */
export function isListWord(word: string): boolean {
  return SHAPE.test(word) && !SUFFIXES.test(word) && !EXCLUDED_WORDS.has(word);
}

/**
 * The generator's word list, pure and deterministic: the first `size` words of `commonWords` (in
 * frequency order) that obey `isListWord` and are not a given name (`names`: a name in a passphrase
 * reads like personal data).
 */
export function deriveWordList(
  commonWords: readonly string[],
  names: readonly string[],
  size: number = WORD_LIST_SIZE,
): string[] {
  const nameSet = new Set(names.map((name) => name.toLowerCase()));
  const list = new Set<string>();
  for (const word of commonWords) {
    if (list.size === size) break;
    if (isListWord(word) && !nameSet.has(word)) list.add(word);
  }
  if (list.size < size) throw new Error(`Word list: only ${list.size} of ${size} words available`);
  return [...list];
}

let wordList: Promise<readonly string[]> | null = null;

/** The Indonesian word list, built once from `@zxcvbn-ts/language-id` (loaded on first use). */
export function loadWordList(): Promise<readonly string[]> {
  wordList ??= import('@zxcvbn-ts/language-id')
    .then(({ dictionary }) => deriveWordList(dictionary['commonWords-id'], dictionary['names-id']))
    .catch((error: unknown) => {
      wordList = null; // a failed chunk load may succeed later (e.g. after an update)
      throw error;
    });
  return wordList;
}
