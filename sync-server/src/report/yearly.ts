import { kioskConfig } from '../../../src/app/kiosk-config';
import type { Store } from '../store/store';
import { type ReportLanguage, renderReportHtml } from './report-html';
import {
  buildYearlyReport,
  type ReportFacts,
  type ReportPeriod,
  reportCsv,
  type YearlyReport,
  yearPeriod,
} from './yearly-report';

export type ReportFormat = 'json' | 'csv' | 'html';

/** Everything the report counts for the period, gathered from the store. */
export async function reportFacts(store: Store, period: ReportPeriod): Promise<ReportFacts> {
  const range = { from: period.from, to: period.to };
  const [applications, revocations, incidents] = await Promise.all([
    store.listReportApplications(),
    store.listRevocations(range),
    store.listIncidents(range),
  ]);
  return {
    applications,
    // Only what the CA actually revoked counts; a request still on its way does not.
    revocations: revocations.flatMap((r) =>
      r.revokedAt !== null && r.outcome === 'revoked'
        ? [{ applicationId: r.applicationId, revokedAt: r.revokedAt }]
        : [],
    ),
    incidents: incidents.map((i) => ({ applicationId: i.applicationId, occurredAt: i.occurredAt })),
  };
}

export async function yearlyReport(store: Store, year: number): Promise<YearlyReport> {
  const period = yearPeriod(year);
  return buildYearlyReport(await reportFacts(store, period), period);
}

/** The officers' words for rejection reasons, in the page's language. */
function reasonLabels(language: ReportLanguage): Record<string, string> {
  return Object.fromEntries(kioskConfig.rejectionReasons.map((r) => [r.code, r[language]]));
}

/** The report in one of its three forms, with the media type to serve it as. */
export function formatReport(
  report: YearlyReport,
  format: ReportFormat,
  options: { language: ReportLanguage; madeAt: Date },
): { body: string; mediaType: string } {
  switch (format) {
    case 'json':
      return { body: `${JSON.stringify(report, null, 2)}\n`, mediaType: 'application/json; charset=utf-8' };
    case 'csv':
      return { body: reportCsv(report), mediaType: 'text/csv; charset=utf-8' };
    case 'html':
      return {
        body: renderReportHtml(report, { ...options, reasonLabels: reasonLabels(options.language) }),
        mediaType: 'text/html; charset=utf-8',
      };
  }
}
