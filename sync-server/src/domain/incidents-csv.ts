import type { IncidentView } from '../../../src/protocol/lifecycle';

/** The incident register's columns, in order (docs/api.md, "Incidents"). */
export const INCIDENT_CSV_COLUMNS = [
  'id',
  'type',
  'occurred_at',
  'recorded_at',
  'certificate_serial',
  'application_id',
  'description',
  'actions_taken',
  'reported_to',
  'recorded_by',
  'recorded_by_name',
  'revocation_id',
] as const;

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break. A text a
 * spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) is prefixed
 * with an apostrophe: the register holds free text typed at a kiosk.
 */
export function csvCell(value: string | null): string {
  if (value === null) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The register as CSV: a header line, then one line per incident, CRLF line ends. */
export function incidentsCsv(incidents: readonly IncidentView[]): string {
  const lines = [INCIDENT_CSV_COLUMNS.join(',')];
  for (const i of incidents) {
    lines.push(
      [
        i.id,
        i.type,
        i.occurredAt,
        i.recordedAt,
        i.certificateSerialHex,
        i.applicationId,
        i.description,
        i.actionsTaken,
        i.reportedTo,
        i.recordedBy,
        i.recordedByName,
        i.revocationId,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
