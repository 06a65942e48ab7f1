/**
 * The one place that hides identity numbers before text reaches a log. Any run of 16 or more
 * digits (a NIK has 16, a NIP 18), also when written in groups (`19750117 199602 1 001`,
 * `3577.0145.0190.0003`), keeps only its last four digits: enough to tell two log lines apart.
 * Masking a long number that was not an identifier costs nothing; missing one leaks personal data.
 */
const DIGIT_RUN = /\d(?:[ .-]?\d)*/g;

export function redactText(text: string): string {
  return text.replace(DIGIT_RUN, (run) => {
    const digits = run.replace(/\D/g, '').length;
    if (digits < 16) return run;
    let toHide = digits - 4;
    return run.replace(/\d/g, (d) => (toHide-- > 0 ? '*' : d));
  });
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
  // The request holds the applicant's name and e-mail.
  'csrPem',
  'applicant',
] as const;
