import type { StrengthScore } from '../../core/application/passphrase';
import { randomInt } from './random';
import { loadWordList } from './wordlist';

export type StrengthLanguage = 'id' | 'en';

export interface StrengthEstimate {
  score: StrengthScore;
  guessesLog10: number;
  /** zxcvbn's warning, in the requested language; null when it has none. */
  warning: string | null;
  suggestions: string[];
}

/** What the passphrase form needs from this adapter; passed in so the UI imports no adapter code. */
export interface PassphraseTools {
  estimateStrength(
    passphrase: string,
    userInputs: string[],
    language: StrengthLanguage,
  ): Promise<StrengthEstimate>;
  loadWordList(): Promise<readonly string[]>;
  randomInt(maxExclusive: number): number;
}

interface Checker {
  check(
    password: string,
    userInputs?: (string | number)[],
  ): {
    score: StrengthScore;
    guessesLog10: number;
    feedback: { warning: string | null; suggestions: string[] };
  };
}

/** One checker per language: the translations are fixed when the factory is built. */
const checkers = new Map<StrengthLanguage, Promise<Checker>>();

async function createChecker(language: StrengthLanguage): Promise<Checker> {
  // Loaded on first use: ~0.7 MB of dictionaries that the kiosk's first screen does not need.
  const [{ ZxcvbnFactory }, common, indonesian, translations] = await Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-id'),
    language === 'en'
      ? // Only the translations: the English dictionaries (~1.2 MB) add little for Indonesian passphrases.
        import('@zxcvbn-ts/language-en/dist/translations.mjs').then((module) => module.default)
      : import('@zxcvbn-ts/language-id').then((module) => module.translations),
  ]);
  return new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...indonesian.dictionary },
    graphs: common.adjacencyGraphs,
    translations,
  });
}

function checker(language: StrengthLanguage): Promise<Checker> {
  let pending = checkers.get(language);
  if (!pending) {
    pending = createChecker(language);
    checkers.set(language, pending);
    // A failed chunk load may succeed later: forget it so the next call retries.
    pending.catch(() => checkers.delete(language));
  }
  return pending;
}

/**
 * zxcvbn's estimate of how guessable the passphrase is, with the applicant's own values (NIK, name…)
 * and the policy's blocklist as extra dictionary words.
 */
export async function estimateStrength(
  passphrase: string,
  userInputs: string[],
  language: StrengthLanguage,
): Promise<StrengthEstimate> {
  const result = (await checker(language)).check(passphrase, userInputs);
  return {
    score: result.score,
    guessesLog10: result.guessesLog10,
    warning: result.feedback.warning || null,
    suggestions: [...result.feedback.suggestions],
  };
}

export const passphraseTools: PassphraseTools = { estimateStrength, loadWordList, randomInt };
