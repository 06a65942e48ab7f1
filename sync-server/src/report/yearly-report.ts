import { CERTIFICATE_TYPES, type CertificateType } from '../../../src/core/certificate/types';

/**
 * The yearly supervision and evaluation report (Pasal 23): for a period, per Perangkat Daerah and
 * certificate type, what happened to applications and certificates. Pure: the store gathers the
 * facts, this counts them.
 */

/** One application as the report sees it: no personal data beyond its Perangkat Daerah. */
export interface ReportApplication {
  id: string;
  perangkatDaerah: string;
  certificateType: CertificateType;
  /** When the applicant applied at the kiosk. */
  createdAt: string;
  decision: { kind: 'approved' | 'rejected'; decidedAt: string; reasons: readonly string[] } | null;
  /** When the certificate was issued (the server recorded the CA's answer); null if never. */
  issuedAt: string | null;
  certificateNotAfter: string | null;
  relation: 'renewal' | 'replacement' | null;
}

export interface ReportRevocation {
  applicationId: string;
  revokedAt: string;
}

export interface ReportIncident {
  /** The application of the certificate concerned, if any: it gives the row. */
  applicationId: string | null;
  occurredAt: string;
}

export interface ReportFacts {
  applications: readonly ReportApplication[];
  revocations: readonly ReportRevocation[];
  incidents: readonly ReportIncident[];
}

export const REPORT_MEASURES = [
  'applications',
  'approved',
  'rejected',
  'issued',
  'renewed',
  'revoked',
  'expiring',
  'incidents',
] as const;
export type ReportMeasure = (typeof REPORT_MEASURES)[number];
export type ReportCounts = Record<ReportMeasure, number>;

export interface ReportRow {
  /** Null: incidents that concern no certificate. */
  perangkatDaerah: string | null;
  certificateType: CertificateType | null;
  counts: ReportCounts;
}

export interface ReportPeriod {
  /** Inclusive start, exclusive end (ISO). */
  from: string;
  to: string;
  /** What the period is called on the page and in file names (`2026`). */
  label: string;
}

export interface YearlyReport {
  period: ReportPeriod;
  /** Sorted by Perangkat Daerah, then certificate type; the no-certificate row last. */
  rows: ReportRow[];
  totals: ReportCounts;
  /** Rejections per reason code in the period (one rejection may give several reasons). */
  rejectionReasons: Record<string, number>;
}

/** Kota Madiun keeps Western Indonesian Time (UTC+7, no daylight saving): a year starts at its midnight. */
const WIB = '+07:00';

export function yearPeriod(year: number): ReportPeriod {
  if (!Number.isInteger(year) || year < 2000 || year > 9998) throw new RangeError('year out of range');
  return {
    from: new Date(`${year}-01-01T00:00:00${WIB}`).toISOString(),
    to: new Date(`${year + 1}-01-01T00:00:00${WIB}`).toISOString(),
    label: String(year),
  };
}

const zero = (): ReportCounts => ({
  applications: 0,
  approved: 0,
  rejected: 0,
  issued: 0,
  renewed: 0,
  revoked: 0,
  expiring: 0,
  incidents: 0,
});

export function buildYearlyReport(facts: ReportFacts, period: ReportPeriod): YearlyReport {
  const from = Date.parse(period.from);
  const to = Date.parse(period.to);
  // Times carry offsets (a kiosk's +07:00, the server's Z): compared as instants, never as text.
  const within = (time: string | null | undefined) => {
    if (time === null || time === undefined) return false;
    const t = Date.parse(time);
    return t >= from && t < to;
  };
  const rows = new Map<string, ReportRow>();
  const rowFor = (perangkatDaerah: string | null, certificateType: CertificateType | null) => {
    const key = JSON.stringify([perangkatDaerah, certificateType]);
    let row = rows.get(key);
    if (row === undefined) {
      row = { perangkatDaerah, certificateType, counts: zero() };
      rows.set(key, row);
    }
    return row.counts;
  };
  const byId = new Map(facts.applications.map((a) => [a.id, a]));
  const rejectionReasons: Record<string, number> = {};

  for (const a of facts.applications) {
    const counts = () => rowFor(a.perangkatDaerah, a.certificateType);
    if (within(a.createdAt)) counts().applications++;
    if (a.decision !== null && within(a.decision.decidedAt)) {
      if (a.decision.kind === 'approved') counts().approved++;
      else {
        counts().rejected++;
        for (const reason of a.decision.reasons)
          rejectionReasons[reason] = (rejectionReasons[reason] ?? 0) + 1;
      }
    }
    if (within(a.issuedAt)) {
      counts().issued++;
      if (a.relation === 'renewal') counts().renewed++;
    }
    if (a.issuedAt !== null && within(a.certificateNotAfter)) counts().expiring++;
  }
  for (const r of facts.revocations) {
    const a = byId.get(r.applicationId);
    if (a !== undefined && within(r.revokedAt)) rowFor(a.perangkatDaerah, a.certificateType).revoked++;
  }
  for (const i of facts.incidents) {
    if (!within(i.occurredAt)) continue;
    const a = i.applicationId === null ? undefined : byId.get(i.applicationId);
    rowFor(a?.perangkatDaerah ?? null, a?.certificateType ?? null).incidents++;
  }

  const typeOrder = (t: CertificateType | null) =>
    t === null ? CERTIFICATE_TYPES.length : CERTIFICATE_TYPES.indexOf(t);
  const sorted = [...rows.values()]
    // A row of zeros only arises from a fact outside the period: left out.
    .filter((row) => REPORT_MEASURES.some((m) => row.counts[m] > 0))
    .sort((a, b) => {
      if (a.perangkatDaerah === null || b.perangkatDaerah === null) {
        if (a.perangkatDaerah !== b.perangkatDaerah) return a.perangkatDaerah === null ? 1 : -1;
      } else if (a.perangkatDaerah !== b.perangkatDaerah) {
        return a.perangkatDaerah.localeCompare(b.perangkatDaerah, 'id');
      }
      return typeOrder(a.certificateType) - typeOrder(b.certificateType);
    });
  const totals = zero();
  for (const row of sorted) for (const m of REPORT_MEASURES) totals[m] += row.counts[m];
  return { period, rows: sorted, totals, rejectionReasons };
}

/** RFC 4180 CSV, one row per Perangkat Daerah and type, then the totals, then reasons. */
export function reportCsv(report: YearlyReport): string {
  const cell = (value: string | number) => {
    const text = String(value);
    // A leading =, +, - or @ would be a formula to a spreadsheet: quoted with a leading apostrophe.
    const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
    return /[",\r\n]/.test(safe) || safe !== text ? `"${safe.replaceAll('"', '""')}"` : safe;
  };
  const lines = [['perangkat_daerah', 'certificate_type', ...REPORT_MEASURES]];
  for (const row of report.rows) {
    lines.push([
      row.perangkatDaerah ?? '',
      row.certificateType ?? '',
      ...REPORT_MEASURES.map((m) => String(row.counts[m])),
    ]);
  }
  lines.push(['TOTAL', '', ...REPORT_MEASURES.map((m) => String(report.totals[m]))]);
  const out = lines.map((line) => line.map(cell).join(','));
  out.push('', 'rejection_reason,count');
  for (const [reason, count] of Object.entries(report.rejectionReasons).sort((a, b) => b[1] - a[1])) {
    out.push(`${cell(reason)},${count}`);
  }
  return `${out.join('\r\n')}\r\n`;
}
