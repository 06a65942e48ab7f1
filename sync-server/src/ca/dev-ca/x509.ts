import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { bytesToHex, fromPem } from '../../../../src/core/lib/pem';

/* The pieces of X.509 the dev CA's certificates and CRLs share. */

export const OID_SUBJECT_KEY_IDENTIFIER = '2.5.29.14';
export const OID_KEY_USAGE = '2.5.29.15';
export const OID_SUBJECT_ALT_NAME = '2.5.29.17';
export const OID_BASIC_CONSTRAINTS = '2.5.29.19';
export const OID_CRL_NUMBER = '2.5.29.20';
export const OID_CRL_REASON = '2.5.29.21';
export const OID_CRL_DISTRIBUTION_POINTS = '2.5.29.31';
export const OID_AUTHORITY_KEY_IDENTIFIER = '2.5.29.35';
export const OID_EXT_KEY_USAGE = '2.5.29.37';

/** The CA keys: ECDSA P-256 signs in well under a millisecond and its keys are generated at once. */
export const CA_KEY_ALGORITHM: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
export const SIGNATURE_HASH = 'SHA-256';

const DAY_MS = 86_400_000;

export { buildName } from '../../../../src/core/certificate/csr';

/** X.509 times have whole seconds; truncating here keeps what is stored equal to what is signed. */
export function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/** RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
export function x509Time(date: Date): pkijs.Time {
  return new pkijs.Time({ type: date.getUTCFullYear() < 2050 ? 0 : 1, value: date });
}

/**
 * A fresh serial: 16 random bytes (CA/B BR ask for at least 64 bits of entropy), the top bit clear
 * so the INTEGER is positive without a sign byte, the first byte non-zero so it is 16 bytes long
 * and its hex has one spelling. Lower-case hex, two digits a byte.
 */
export function drawSerial(crypto: Crypto = globalThis.crypto): string {
  for (;;) {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[0] = (bytes[0] ?? 0) & 0x7f;
    if (bytes[0] !== 0) return bytesToHex(bytes);
  }
}

export function serialInteger(serialHex: string): asn1js.Integer {
  return new asn1js.Integer({ valueHex: hexToBytes(serialHex) });
}

export function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/**
 * The one spelling of a serial this CA stores (lower case, two digits a byte, no leading zero
 * byte), whatever spelling the caller used; null for text that is not hex.
 */
export function canonicalSerialHex(text: string): string | null {
  const trimmed = text.trim().toLowerCase();
  if (!/^[0-9a-f]+$/.test(trimmed)) return null;
  const digits = trimmed.replace(/^0+/, '');
  if (digits === '') return null;
  return digits.length % 2 === 0 ? digits : `0${digits}`;
}

/** DER named-bit list: bit 0 is the high bit of the first byte, trailing zero bits are dropped. */
export function namedBits(bits: readonly number[]): asn1js.BitString {
  const highest = Math.max(...bits);
  const bytes = new Uint8Array((highest >> 3) + 1);
  for (const bit of bits) bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) | (0x80 >> (bit & 7));
  return new asn1js.BitString({ valueHex: bytes, unusedBits: 7 - (highest & 7) });
}

/** RFC 5280 4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING's contents. */
export async function keyIdentifier(
  spki: pkijs.PublicKeyInfo,
  crypto: Crypto = globalThis.crypto,
): Promise<Uint8Array<ArrayBuffer>> {
  const key = spki.subjectPublicKey.valueBlock.valueHexView.slice();
  return new Uint8Array(await crypto.subtle.digest('SHA-1', key));
}

export function extension(extnID: string, critical: boolean, value: asn1js.AsnType): pkijs.Extension {
  return new pkijs.Extension({ extnID, critical, extnValue: value.toBER(false) });
}

export function subjectKeyIdentifierExtension(id: Uint8Array<ArrayBuffer>): pkijs.Extension {
  return extension(OID_SUBJECT_KEY_IDENTIFIER, false, new asn1js.OctetString({ valueHex: id }));
}

export function authorityKeyIdentifierExtension(id: Uint8Array<ArrayBuffer>): pkijs.Extension {
  return extension(
    OID_AUTHORITY_KEY_IDENTIFIER,
    false,
    new pkijs.AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: id }) }).toSchema(),
  );
}

export function parseCertificatePem(pem: string): pkijs.Certificate {
  const der = fromPem('CERTIFICATE', pem);
  if (!der) throw new Error('not a PEM certificate');
  return pkijs.Certificate.fromBER(der);
}
