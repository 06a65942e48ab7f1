/** Passphrase rules after NIST SP 800-63B: length matters, composition rules do not. */
export interface PassphrasePolicy {
  minLength: number;
  maxLength: number;
}

export type PassphraseProblem =
  | { reason: 'too-short'; minLength: number }
  | { reason: 'too-long'; maxLength: number }
  | { reason: 'mismatch' }
  | { reason: 'personal' };

/** NIST SP 800-63B counts each Unicode code point (after NFC) as one character. */
function length(text: string): number {
  return [...text.normalize('NFC')].length;
}

export function validatePassphrase(
  passphrase: string,
  confirmation: string,
  policy: PassphrasePolicy,
  /** The applicant's own values (NIK, NIP, name): a passphrase must not contain them. */
  personal: readonly string[],
): PassphraseProblem | null {
  const n = length(passphrase);
  if (n < policy.minLength) return { reason: 'too-short', minLength: policy.minLength };
  if (n > policy.maxLength) return { reason: 'too-long', maxLength: policy.maxLength };
  const fold = (text: string) => text.normalize('NFC').toLowerCase().replace(/\s+/g, '');
  const folded = fold(passphrase);
  if (personal.map(fold).some((p) => p.length >= 4 && folded.includes(p))) {
    return { reason: 'personal' };
  }
  if (passphrase !== confirmation) return { reason: 'mismatch' };
  return null;
}
