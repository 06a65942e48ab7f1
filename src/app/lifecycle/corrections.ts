/**
 * The officer's correction of an applicant's data (issue 8, the right to rectification): a signed
 * statement the server keeps beside the record and applies on every read; the record itself is
 * never edited. Online only.
 */

import { normaliseNama } from '../../core/application/application';
import { parseNip } from '../../core/identity/nip';
import { parseMobile } from '../../core/identity/phone';
import type { Result } from '../../core/lib/brand';
import { correctionText } from '../../core/lifecycle/statements';
import {
  type CORRECTABLE_FIELDS,
  type CorrectionFields,
  type CorrectionResponse,
  correctionResponseSchema,
} from '../../protocol/lifecycle';
import { type LifecycleDeps, type LifecycleProblem, readAnswer, signAsOfficer } from './officer-requests';

export type CorrectableField = (typeof CORRECTABLE_FIELDS)[number];

export interface CorrectionInput {
  /** The application's id (uuid). */
  applicationId: string;
  /** The corrected values as typed; a blank or absent field is left as it is. */
  fields: Partial<Record<CorrectableField, string>>;
  reason: string;
}

/**
 * The typed values as the record keeps them: the nama as the form writes it, the NIP's digits, the
 * mobile number in E.164. A value that does not read is passed on as typed, for the statement's
 * schema to name it.
 */
export function correctedFields(typed: CorrectionInput['fields']): CorrectionFields {
  const fields: Partial<Record<CorrectableField, string>> = {};
  const nama = typed.nama === undefined ? '' : normaliseNama(typed.nama);
  if (nama !== '') fields.nama = nama;
  const nip = typed.nip?.trim() ?? '';
  if (nip !== '') {
    const parsed = parseNip(nip);
    fields.nip = parsed.ok ? parsed.value.nip : nip;
  }
  const jabatan = typed.jabatan?.trim() ?? '';
  if (jabatan !== '') fields.jabatan = jabatan;
  const mobile = typed.mobile?.trim() ?? '';
  if (mobile !== '') {
    const parsed = parseMobile(mobile);
    fields.mobile = parsed.ok ? parsed.value : mobile;
  }
  return fields;
}

export async function recordCorrection(
  input: CorrectionInput,
  deps: LifecycleDeps & { newId: () => string },
): Promise<Result<CorrectionResponse, LifecycleProblem>> {
  const signed = await signAsOfficer(deps, (signer, at) =>
    correctionText({
      correctionId: deps.newId(),
      applicationId: input.applicationId.trim(),
      fields: correctedFields(input.fields),
      reason: input.reason.trim(),
      ...signer,
      correctedAt: at,
    }),
  );
  if (!signed.ok) return signed;
  return readAnswer(
    await deps.transport.recordCorrection({
      kioskId: signed.value.kioskId,
      correction: signed.value.statement,
    }),
    correctionResponseSchema,
  );
}
