/**
 * A held application as the counter works on it (issue 8): a sealed one opened with the officer
 * session's keys (`openHeldApplication`) back into the clear shape the verification screen, the
 * duplicate-NIK check and the decision read; a clear one (a row the seal-pending step has not
 * sealed yet) as it is. The opened data lives in memory only, never written back.
 */
import { requestEvidenceOf } from '../../core/certificate/request-evidence';
import { fail, ok, type Result } from '../../core/lib/brand';
import type { SealOpeningKey } from '../../core/sealing/seal';
import { type AnyStoredItem, isSealedItem, type KeyMaterial, type StoredOutboxItem } from '../ports';
import { type OpenHeldProblem, openHeldApplication } from './seal-application';

export async function openAtCounter(
  item: AnyStoredItem,
  keys: readonly SealOpeningKey[],
): Promise<Result<StoredOutboxItem, OpenHeldProblem>> {
  if (!isSealedItem<AnyStoredItem>(item)) return ok(item);
  const opened = await openHeldApplication(item.sealed, item.id, keys);
  if (!opened.ok) return fail(opened.problem);
  const {
    sealed: _sealed,
    keyMaterial: _keyMaterial,
    record: clear,
    emailConfirmation,
    ...bookkeeping
  } = item;
  return ok({
    ...bookkeeping,
    ...(emailConfirmation
      ? {
          emailConfirmation: {
            email: opened.value.record.applicant.email,
            confirmedAt: emailConfirmation.confirmedAt,
          },
        }
      : {}),
    // The decision is kept beside the blob, never inside it.
    record: { ...opened.value.record, ...(clear.decision ? { decision: { ...clear.decision } } : {}) },
    image: opened.value.image,
    attachments: opened.value.attachments,
  });
}

/**
 * The private key and request evidence the handover needs: beside the blob when sealed, made from
 * the CSR in the record when clear (or in key material sealed before the evidence existed); null
 * once retention deleted them.
 */
export async function keyMaterialOf(item: AnyStoredItem): Promise<KeyMaterial | null> {
  const kept = isSealedItem<AnyStoredItem>(item)
    ? item.keyMaterial
    : { encryptedPrivateKeyPem: item.record.encryptedPrivateKeyPem, csrPem: item.record.csrPem };
  if (kept === null) return null;
  if ('request' in kept)
    return { encryptedPrivateKeyPem: kept.encryptedPrivateKeyPem, request: kept.request };
  const request = await requestEvidenceOf(kept.csrPem, item.id);
  return { encryptedPrivateKeyPem: kept.encryptedPrivateKeyPem, request: request.ok ? request.value : null };
}

/** The applicant's name where the kiosk still has it in clear; null for a sealed application. */
export function clearNameOf(item: { record: { applicant: { perangkatDaerah: string } } }): string | null {
  const { applicant } = item.record;
  return 'nama' in applicant && typeof applicant.nama === 'string' ? applicant.nama : null;
}

/** The NIK where the kiosk still has it in clear; null for a sealed application. */
export function clearNikOf(item: { record: { applicant: { perangkatDaerah: string } } }): string | null {
  const { applicant } = item.record;
  return 'nik' in applicant && typeof applicant.nik === 'string' ? applicant.nik : null;
}
