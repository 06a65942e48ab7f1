/**
 * The applicant form's start from an existing certificate (renewal or replacement): what it fills
 * in, and what the receipt adds. Pure: the form calls these once, when it opens.
 */
import type { FollowUpStart } from '../../app/lifecycle/follow-up';
import { formatSerial, type ReceiptDocument } from '../../app/receipt/receipt-document';
import type { ApplicationDraft } from '../../core/application/application';

type OwnDraft = Pick<
  ApplicationDraft,
  'certificateType' | 'nip' | 'email' | 'perangkatDaerah' | 'jabatan' | 'host'
>;

/** The form's own fields as the old application had them; the rest of the form starts blank. */
export function followUpDraft(start: FollowUpStart | null | undefined): Partial<OwnDraft> {
  if (!start) return {};
  const p = start.prefill;
  return {
    certificateType: start.certificateType,
    nip: p.nip,
    email: p.email,
    perangkatDaerah: p.perangkatDaerah,
    jabatan: p.jabatan,
    host: p.host,
  };
}

/**
 * The mobile number as an applicant types it (`0812…`), from the E.164 form the server keeps
 * (`+62812…`); anything else as it is.
 */
export function mobileForInput(e164: string): string {
  return /^\+628\d+$/.test(e164) ? `0${e164.slice(3)}` : e164;
}

/** The receipt of a follow-up names the certificate it renews or replaces, after the type. */
export function withFollowUpRow(
  receipt: ReceiptDocument,
  start: FollowUpStart | null | undefined,
  label: (relation: FollowUpStart['previous']['relation']) => string,
): ReceiptDocument {
  if (!start) return receipt;
  const row = { label: label(start.previous.relation), value: formatSerial(start.previous.serialNumberHex) };
  const rows = [...receipt.rows];
  rows.splice(Math.min(2, rows.length), 0, row);
  return { ...receipt, rows };
}
