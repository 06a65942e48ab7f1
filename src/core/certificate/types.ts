/** Pasal 6: the three kinds of certificate the RA registers. */
export const CERTIFICATE_TYPES = ['individu', 'jabatan', 'sistem-elektronik'] as const;
export type CertificateType = (typeof CERTIFICATE_TYPES)[number];

/** Key algorithms a kiosk may generate; RSA 2048 / SHA-256 is what BSrE issues today. */
export const KEY_ALGORITHMS = ['RSA-2048', 'RSA-3072', 'ECDSA-P256'] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];
