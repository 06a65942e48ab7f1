/**
 * The incident register at the counter (Pasal 22, 24): problems with authentication, authenticity
 * or repudiation, and security incidents, recorded by the officer with a signed statement; the
 * register read back for a period. Online only.
 */

import { fail, type Result } from '../../core/lib/brand';
import { incidentText } from '../../core/lifecycle/statements';
import {
  type IncidentListResponse,
  type IncidentResponse,
  type IncidentType,
  incidentListResponseSchema,
  incidentResponseSchema,
} from '../../protocol/lifecycle';
import { signedQuery } from './certificates';
import { type LifecycleDeps, type LifecycleProblem, readAnswer, signAsOfficer } from './officer-requests';

export interface IncidentInput {
  incidentType: IncidentType;
  /** ISO 8601 with its offset: when it happened (the officer's best knowledge). */
  occurredAt: string;
  /** Upper-case hex, or null when no certificate is concerned. */
  certificateSerialHex: string | null;
  applicationId: string | null;
  description: string;
  actionsTaken: string;
  reportedTo: string;
}

export async function recordIncident(
  input: IncidentInput,
  deps: LifecycleDeps & { newId: () => string },
): Promise<Result<IncidentResponse, LifecycleProblem>> {
  if (Date.parse(input.occurredAt) > deps.now().getTime())
    return fail({ kind: 'invalid', fields: ['occurredAt'] });
  const signed = await signAsOfficer(deps, (signer, at) =>
    incidentText({
      incidentId: deps.newId(),
      incidentType: input.incidentType,
      occurredAt: input.occurredAt,
      certificateSerialHex: input.certificateSerialHex,
      applicationId: input.applicationId,
      description: input.description.trim(),
      actionsTaken: input.actionsTaken.trim(),
      reportedTo: input.reportedTo.trim(),
      ...signer,
      recordedAt: at,
    }),
  );
  if (!signed.ok) return signed;
  return readAnswer(
    await deps.transport.recordIncident({ kioskId: signed.value.kioskId, incident: signed.value.statement }),
    incidentResponseSchema,
  );
}

/** The register for `[from, to)`, oldest first. */
export async function listIncidents(
  range: { from: string; to: string },
  deps: LifecycleDeps,
): Promise<Result<IncidentListResponse, LifecycleProblem>> {
  const signed = await signedQuery(deps, { kind: 'incidents', from: range.from, to: range.to });
  if (!signed.ok) return signed;
  return readAnswer(await deps.transport.listIncidents(signed.value), incidentListResponseSchema);
}
