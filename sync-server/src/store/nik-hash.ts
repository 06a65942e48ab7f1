import { createHmac } from 'node:crypto';

/**
 * The keyed NIK hash (HMAC-SHA-256, hex) under the RA's key: the same value `nikHash()` in
 * src/protocol/officer.ts gives on a kiosk holding that key, computed natively here.
 */
export function nikHashHex(key: Uint8Array, nik: string): string {
  return createHmac('sha256', key).update(nik, 'utf8').digest('hex');
}
