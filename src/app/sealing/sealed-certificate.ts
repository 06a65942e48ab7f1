/**
 * The issued certificate between its arrival and the handover (issue 8). It names the applicant
 * (CN, e-mail), so the kiosk keeps it as it keeps the application: sealed, context
 * `<id>/certificate`, to the RA archive and to the counter keys (each enrolled officer's, or the
 * kiosk's fallback key while none is), opened in memory by the officer session that hands it
 * over. A kiosk without an archive key keeps it as the server sent it (nothing may be lost).
 */
import { base64ToBytes, bytesToBase64 } from '../../core/lib/pem';
import {
  openBytesWithAnyKey,
  type SealOpeningKey,
  type SealRecipientKey,
  sealToBytes,
} from '../../core/sealing/seal';
import type { ApplicationStatus } from '../../protocol/sync';
import type { StoredServerStatus } from '../ports';

export const certificateContext = (applicationId: string) => `${applicationId}/certificate`;

/** The status as the kiosk is to keep it: the certificate's text replaced by its sealed bytes. */
export async function sealIssuedCertificate(
  status: ApplicationStatus,
  recipients: readonly SealRecipientKey[],
): Promise<StoredServerStatus> {
  if (status.certificatePem === null) return status;
  const sealed = await sealToBytes(
    new TextEncoder().encode(status.certificatePem),
    certificateContext(status.id),
    recipients,
  );
  return { ...status, certificatePem: null, certificateSealed: bytesToBase64(sealed) };
}

export type IssuedCertificate =
  | { kind: 'none' }
  | { kind: 'text'; pem: string }
  /** Sealed, and none of these keys opens it: an officer enrolled after it arrived; a file will do. */
  | { kind: 'no-key' }
  | { kind: 'damaged' };

/** The certificate the server brought back, opened with the session's keys when sealed. */
export async function openIssuedCertificate(
  status: StoredServerStatus | undefined,
  keys: readonly SealOpeningKey[],
): Promise<IssuedCertificate> {
  if (!status) return { kind: 'none' };
  if (status.certificatePem !== null) return { kind: 'text', pem: status.certificatePem };
  if (!status.certificateSealed) return { kind: 'none' };
  let bytes: Uint8Array;
  try {
    bytes = base64ToBytes(status.certificateSealed);
  } catch {
    return { kind: 'damaged' };
  }
  const opened = await openBytesWithAnyKey(bytes, keys, certificateContext(status.id));
  if (opened.ok) return { kind: 'text', pem: new TextDecoder().decode(opened.value) };
  return opened.problem === 'not-a-recipient' ? { kind: 'no-key' } : { kind: 'damaged' };
}
