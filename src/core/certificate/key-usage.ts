/** RFC 5280 key usage bits by name; the value is the bit number. */
export const KEY_USAGE_BITS = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
} as const;
export type KeyUsage = keyof typeof KEY_USAGE_BITS;
export const KEY_USAGES = Object.keys(KEY_USAGE_BITS) as [KeyUsage, ...KeyUsage[]];
/** RFC 5480: an ECDSA key must not assert the RSA encryption bits. */
export const RSA_ONLY_USAGES: readonly KeyUsage[] = ['keyEncipherment', 'dataEncipherment'];

/** Pasal 7 ayat 5: signing, e-mail protection, document protection; TLS client for systems. */
export const EXTENDED_KEY_USAGE_OIDS = {
  emailProtection: '1.3.6.1.5.5.7.3.4',
  /** id-kp-documentSigning, RFC 9336. */
  documentSigning: '1.3.6.1.5.5.7.3.36',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  serverAuth: '1.3.6.1.5.5.7.3.1',
} as const;
export type ExtendedKeyUsage = keyof typeof EXTENDED_KEY_USAGE_OIDS;
export const EXTENDED_KEY_USAGES = Object.keys(EXTENDED_KEY_USAGE_OIDS) as [
  ExtendedKeyUsage,
  ...ExtendedKeyUsage[],
];
