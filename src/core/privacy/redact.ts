/**
 * The one place that hides identity numbers before text reaches a log. A NIK (16 digits) or NIP
 * (18 digits) keeps only its last four digits, enough to tell two log lines apart.
 */
export function redactText(text: string): string {
  return text.replace(
    /(?<!\d)(\d{12}|\d{14})(\d{4})(?!\d)/g,
    (_m, hidden: string, tail: string) => `${'*'.repeat(hidden.length)}${tail}`,
  );
}

/** Object keys whose values are personal data and never reach a log, whatever they hold. */
export const PERSONAL_DATA_KEYS = [
  'nik',
  'nip',
  'nama',
  'email',
  'ektpImage',
  'dataBase64',
  'ocrText',
  'passphrase',
  'encryptedPrivateKeyPem',
  'applicant',
] as const;
