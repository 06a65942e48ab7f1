/**
 * What the applicant's status page shows of an application. A server refusal shows as its stage
 * only: the server's message is an English log text for the officer, who sees it in the outbox. The page is open to anyone standing at
 * the kiosk with a receipt number, so it carries no NIK, no e-mail and no picture, and the name only
 * masked. An officer's rejection carries its reasons and note: the applicant must see them
 * (Pasal 11 ayat 3).
 */
import { type ApplicationNumber, applicationNumber } from '../../core/application/application-number';
import type { CertificateType } from '../../core/certificate/types';
import { officerDecision, type QueueStage, queueStage } from '../officer/queue-query';
import type { OutboxSummary } from '../ports';
import { clearNameOf } from '../sealing/open-at-counter';

export interface StatusDetails {
  number: ApplicationNumber;
  stage: QueueStage;
  certificateType: CertificateType;
  perangkatDaerah: string;
  /** `maskName` of the applicant's name; null for a sealed application (the kiosk keeps no name). */
  maskedName: string | null;
  /** ISO time of the capture at the kiosk. */
  submittedAt: string;
  /** The officer's rejection: reason codes (labels come from the configuration) and the note. */
  officerRejection: { reasons: string[]; note: string } | null;
  /** The CA's reason for its rejection. */
  caReason: string | null;
  /** ISO time the certificate was handed over. */
  handedOverAt: string | null;
  /**
   * The official e-mail (Pasal 10): `confirmed-at-counter` (the mailed code typed at the kiosk),
   * `confirmed` (the server says so: the link in the mail), `waiting` (approved, and the server
   * holds it for that alone), null (nothing known yet, or a server that does not say).
   */
  email: EmailStatus;
}

export type EmailStatus = 'confirmed-at-counter' | 'confirmed' | 'waiting' | null;

function emailStatus(item: OutboxSummary, stage: QueueStage): EmailStatus {
  if (item.emailConfirmation) return 'confirmed-at-counter';
  const confirmed = item.serverStatus?.emailConfirmed;
  if (confirmed === true) return 'confirmed';
  return confirmed === false && stage === 'approved' ? 'waiting' : null;
}

/** Each word's first letter, the rest as asterisks: `SITI RAHAYU` → `S*** R*****`. */
export function maskName(nama: string): string {
  return nama
    .trim()
    .split(/\s+/)
    .filter((word) => word !== '')
    .map((word) => {
      const [first = '', ...rest] = Array.from(word);
      return first + '*'.repeat(rest.length);
    })
    .join(' ');
}

function nameOf(item: OutboxSummary): string | null {
  const nama = clearNameOf(item);
  return nama === null ? null : maskName(nama);
}

export function statusDetails(item: OutboxSummary): StatusDetails {
  const stage = queueStage(item);
  const decision = officerDecision(item.record);
  const handedOver = item.history.findLast((e) => e.state === 'handed-over');
  return {
    number: applicationNumber(item.id),
    stage,
    certificateType: item.record.certificateType,
    perangkatDaerah: item.record.applicant.perangkatDaerah,
    maskedName: nameOf(item),
    submittedAt: item.createdAt,
    // Whatever happened after it (a server refusal), the officer's reasons stay the applicant's to see.
    officerRejection:
      decision?.decision === 'rejected' ? { reasons: [...decision.reasons], note: decision.note } : null,
    caReason: stage === 'ca-rejected' ? (item.serverStatus?.reason ?? null) : null,
    handedOverAt: item.handover?.handedOverAt ?? handedOver?.at ?? null,
    email: emailStatus(item, stage),
  };
}
