/**
 * The revocation request at the counter (Pasal 15): the officer has verified the owner, chooses the
 * RFC 5280 reason and, for a lost, damaged or inaccessible key (ayat 2-3), attaches the report to
 * the authorities and the owner's statement acknowledged by the superior. The statement names each
 * paper by length and SHA-256, so the signature covers the papers too. Online only: the server
 * records it and the forwarding job takes it to the CA.
 */

import { fail, ok, type Result } from '../../core/lib/brand';
import { bytesToBase64, bytesToHex } from '../../core/lib/pem';
import { revocationText } from '../../core/lifecycle/statements';
import {
  LIFECYCLE_LIMITS,
  type LostKeyKind,
  REVOCATION_ATTACHMENT_KINDS,
  REVOCATION_ATTACHMENT_MEDIA_TYPES,
  type RevocationAttachmentKind,
  type RevocationReasonCode,
  type RevocationRequest,
  type RevocationResponse,
  revocationResponseSchema,
} from '../../protocol/lifecycle';
import { type LifecycleDeps, type LifecycleProblem, readAnswer, signAsOfficer } from './officer-requests';
import type { RevocationLog } from './ports';

export interface RevokeInput {
  certificate: { applicationId: string; serialNumberHex: string };
  reason: RevocationReasonCode;
  /** Pasal 15 ayat 2; null for a revocation on other grounds. */
  lostKey: LostKeyKind | null;
  /** For the RA's file (not sent to the CA); at most 500 characters. */
  note: string;
  papers: readonly { kind: RevocationAttachmentKind; blob: Blob }[];
}

export type PaperProblem = 'missing' | 'unsupported-type' | 'empty' | 'too-large' | 'duplicate';

export type RevokeProblem =
  | LifecycleProblem
  | { kind: 'papers'; paper: RevocationAttachmentKind; problem: PaperProblem };

export interface RevokeDeps extends LifecycleDeps {
  log: Pick<RevocationLog, 'save'>;
  newId: () => string;
}

/** The first problem among the papers: a lost key needs both kinds; each a PDF, JPEG or PNG within the limit. */
export function paperProblem(
  lostKey: LostKeyKind | null,
  papers: RevokeInput['papers'],
): { paper: RevocationAttachmentKind; problem: PaperProblem } | null {
  const seen = new Set<string>();
  for (const { kind, blob } of papers) {
    if (seen.has(kind)) return { paper: kind, problem: 'duplicate' };
    seen.add(kind);
    if (!(REVOCATION_ATTACHMENT_MEDIA_TYPES as readonly string[]).includes(blob.type)) {
      return { paper: kind, problem: 'unsupported-type' };
    }
    if (blob.size === 0) return { paper: kind, problem: 'empty' };
    if (blob.size > LIFECYCLE_LIMITS.maxAttachmentBytes) return { paper: kind, problem: 'too-large' };
  }
  if (lostKey !== null) {
    const missing = REVOCATION_ATTACHMENT_KINDS.find((kind) => !seen.has(kind));
    if (missing !== undefined) return { paper: missing, problem: 'missing' };
  }
  return null;
}

export async function revokeCertificate(
  input: RevokeInput,
  deps: RevokeDeps,
): Promise<Result<RevocationResponse, RevokeProblem>> {
  const papersIssue = paperProblem(input.lostKey, input.papers);
  if (papersIssue !== null) return fail({ kind: 'papers', ...papersIssue });
  const papers = await Promise.all(
    input.papers.map(async ({ kind, blob }) => {
      const bytes = new Uint8Array(await blob.arrayBuffer());
      return {
        kind,
        mediaType: blob.type as (typeof REVOCATION_ATTACHMENT_MEDIA_TYPES)[number],
        bytes,
        sha256: bytesToHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))),
      };
    }),
  );
  const signed = await signAsOfficer(deps, (signer, at) =>
    revocationText({
      requestId: deps.newId(),
      applicationId: input.certificate.applicationId,
      serialNumberHex: input.certificate.serialNumberHex,
      reason: input.reason,
      lostKey: input.lostKey,
      note: input.note.trim(),
      attachments: papers.map((p) => ({
        kind: p.kind,
        mediaType: p.mediaType,
        byteLength: p.bytes.byteLength,
        sha256: p.sha256,
      })),
      ...signer,
      requestedAt: at,
    }),
  );
  if (!signed.ok) return signed;
  const request: RevocationRequest = {
    kioskId: signed.value.kioskId,
    revocation: signed.value.statement,
    attachments: papers.map((p) => ({
      kind: p.kind,
      mediaType: p.mediaType,
      dataBase64: bytesToBase64(p.bytes),
    })),
  };
  const answer = readAnswer(await deps.transport.revoke(request), revocationResponseSchema);
  if (!answer.ok) return answer;
  const { revocation, incidentId } = answer.value;
  // For the applicant's status page: what the server recorded, whoever asked first.
  await deps.log.save({ ...revocation, incidentId });
  return ok(answer.value);
}
