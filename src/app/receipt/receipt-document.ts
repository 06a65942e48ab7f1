import { applicationNumber } from '../../core/application/application-number';
import type { CertificateType } from '../../core/certificate/types';
import type { OutboxSummary } from '../ports';
import { clearNameOf } from '../sealing/open-at-counter';

/** What a receipt says, whatever draws it (the screen, the printer, the PDF). */
export interface ReceiptDocument {
  kind: 'submission' | 'handover';
  title: string;
  /** Label and value, in the order printed. */
  rows: { label: string; value: string }[];
  /** The application number, which the QR code carries. */
  applicationNumber: string;
  footer: string;
}

export interface SubmissionFacts {
  applicationId: string;
  certificateType: CertificateType;
  /** Null once the application is sealed: a reprint names no one (the kiosk keeps no name). */
  nama: string | null;
  perangkatDaerah: string;
  /** ISO time the application was submitted at the counter. */
  submittedAt: string;
  officer: { nama: string; nip: string | null } | null;
  /** ISO time the official e-mail was proven with the mailed code at the counter (Pasal 10). */
  emailConfirmedAt?: string | null;
}

export interface HandoverFacts extends Omit<SubmissionFacts, 'submittedAt'> {
  handedOverAt: string;
  serialNumberHex: string;
  notBefore: string;
  notAfter: string;
}

/** The receipt's words: the message catalog's, in the kiosk's language. */
export interface ReceiptWords {
  submissionTitle: string;
  handoverTitle: string;
  number: string;
  type: string;
  typeName(type: CertificateType): string;
  nama: string;
  perangkatDaerah: string;
  submittedAt: string;
  handedOverAt: string;
  officer: string;
  serial: string;
  validity: string;
  footer: string;
  /** The e-mail row: its label, and its value when the code was typed at the counter. */
  email: string;
  emailConfirmedAtCounter: string;
  /** A date and time as the receipt prints it (the kiosk's time zone). */
  dateTime(iso: string): string;
  date(iso: string): string;
}

/** A certificate serial as it is read out: hex pairs, upper case, colon-separated. */
export function formatSerial(hex: string): string {
  const even = hex.length % 2 === 0 ? hex : `0${hex}`;
  return (even.toUpperCase().match(/.{2}/g) ?? []).join(':');
}

function officerLine(officer: SubmissionFacts['officer']): string {
  if (!officer) return '-';
  return officer.nip ? `${officer.nama} (NIP ${officer.nip})` : officer.nama;
}

/** The rows both receipts open with: who applied for what, under which number. */
function applicationRows(facts: Omit<SubmissionFacts, 'submittedAt'>, words: ReceiptWords, number: string) {
  return [
    { label: words.number, value: number },
    { label: words.type, value: words.typeName(facts.certificateType) },
    ...(facts.nama === null ? [] : [{ label: words.nama, value: facts.nama }]),
    { label: words.perangkatDaerah, value: facts.perangkatDaerah },
  ];
}

export function submissionReceipt(facts: SubmissionFacts, words: ReceiptWords): ReceiptDocument {
  const number = applicationNumber(facts.applicationId);
  return {
    kind: 'submission',
    title: words.submissionTitle,
    applicationNumber: number,
    rows: [
      ...applicationRows(facts, words, number),
      { label: words.submittedAt, value: words.dateTime(facts.submittedAt) },
      // Only when proven at the counter; otherwise the link in the mail proves it later.
      ...(facts.emailConfirmedAt
        ? [
            {
              label: words.email,
              value: `${words.emailConfirmedAtCounter} (${words.dateTime(facts.emailConfirmedAt)})`,
            },
          ]
        : []),
      { label: words.officer, value: officerLine(facts.officer) },
    ],
    footer: words.footer,
  };
}

export function handoverReceipt(facts: HandoverFacts, words: ReceiptWords): ReceiptDocument {
  const number = applicationNumber(facts.applicationId);
  return {
    kind: 'handover',
    title: words.handoverTitle,
    applicationNumber: number,
    rows: [
      ...applicationRows(facts, words, number),
      { label: words.serial, value: formatSerial(facts.serialNumberHex) },
      { label: words.validity, value: `${words.date(facts.notBefore)} – ${words.date(facts.notAfter)}` },
      { label: words.handedOverAt, value: words.dateTime(facts.handedOverAt) },
      { label: words.officer, value: officerLine(facts.officer) },
    ],
    footer: words.footer,
  };
}

/** An outbox item as far as the handover receipt needs it (a summary or a stored item alike). */
export type HandedOverItem = Pick<OutboxSummary, 'id' | 'record' | 'handover'>;

/**
 * The handover receipt's facts from the outbox, so the receipt can be shown again after a reload;
 * null until the certificate was handed over, or when the handover is recorded without its validity
 * (the kiosk kept only the expiry before), since a receipt must not print a guessed date.
 */
export function handoverFactsOf(
  item: HandedOverItem,
  officer: HandoverFacts['officer'],
): HandoverFacts | null {
  const handover = item.handover;
  if (!handover) return null;
  const { handedOverAt, serialNumberHex, notAfter } = handover;
  // `??`: rows written before the key existed have no `notBefore` at all.
  const notBefore = handover.notBefore ?? null;
  if (handedOverAt === null || serialNumberHex === null || notBefore === null || notAfter === null)
    return null;
  return {
    applicationId: item.id,
    certificateType: item.record.certificateType,
    nama: clearNameOf(item),
    perangkatDaerah: item.record.applicant.perangkatDaerah,
    handedOverAt,
    serialNumberHex,
    notBefore,
    notAfter,
    officer,
  };
}
