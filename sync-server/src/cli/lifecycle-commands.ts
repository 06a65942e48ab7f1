/**
 * `npm run server -- expiring` and `npm run server -- incidents`: the renewal list (Pasal 14) and
 * the incident register (Pasal 22, 24) from the command line, over the same store as the server.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { ServerConfig } from '../config';
import { incidentsCsv } from '../domain/incidents-csv';
import { expiringCertificates, incidentView } from '../domain/lifecycle';
import { withStore } from './with-store';

export const LIFECYCLE_USAGE = `  expiring [--days <n>] [--json]                    certificates ending within n days (RENEWAL_WINDOW_DAYS
                                                    by default), per Perangkat Daerah
  incidents [--from <date|time>] [--to <date|time>] [--csv]
                                                    the incident register (a date is 00:00 WIB)`;

/** Usage errors end with exit code 2 and one line on stderr, as the other commands'. */
function usage(message: string): number {
  console.error(`${message} (npm run server -- help)`);
  return 2;
}

function options(args: string[], spec: NonNullable<ParseArgsConfig['options']>) {
  try {
    return {
      ok: true as const,
      values: parseArgs({ args, options: spec, strict: true, allowPositionals: false }).values,
    };
  } catch (err) {
    return { ok: false as const, message: err instanceof Error ? err.message : String(err) };
  }
}

const WIB = '+07:00';

/** `2026-01-01` (00:00 WIB, the city's time) or a full ISO 8601 time; null when neither. */
export function parseCliTime(text: string): string | null {
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00${WIB}` : text;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(iso)) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

export async function expiringCommand(
  config: ServerConfig,
  args: string[],
  now = new Date(),
): Promise<number> {
  const parsed = options(args, { days: { type: 'string' }, json: { type: 'boolean' } });
  if (!parsed.ok) return usage(parsed.message);
  const daysText =
    typeof parsed.values.days === 'string' ? parsed.values.days : String(config.renewalWindowDays);
  const days = /^\d{1,3}$/.test(daysText) ? Number(daysText) : Number.NaN;
  if (!(days >= 1 && days <= 366)) return usage('--days must be a whole number from 1 to 366');
  const response = await withStore(config, (store) => expiringCertificates(store, { now, windowDays: days }));
  if (parsed.values.json === true) {
    console.log(JSON.stringify(response));
    return 0;
  }
  const count = response.groups.reduce((n, g) => n + g.certificates.length, 0);
  console.log(
    `${count} certificate${count === 1 ? '' : 's'} ending within ${days} days (before ${response.until})`,
  );
  for (const group of response.groups) {
    console.log(`${group.perangkatDaerah}:`);
    for (const c of group.certificates) {
      console.log(
        `  ${c.notAfter}  ${c.serialNumberHex}  ${c.certificateType}  ${c.nama}  ${c.applicationId}`,
      );
    }
  }
  return 0;
}

export async function incidentsCommand(config: ServerConfig, args: string[]): Promise<number> {
  const parsed = options(args, {
    from: { type: 'string' },
    to: { type: 'string' },
    csv: { type: 'boolean' },
  });
  if (!parsed.ok) return usage(parsed.message);
  const fromText = typeof parsed.values.from === 'string' ? parsed.values.from : undefined;
  const toText = typeof parsed.values.to === 'string' ? parsed.values.to : undefined;
  const from = fromText === undefined ? '1970-01-01T00:00:00.000Z' : parseCliTime(fromText);
  const to = toText === undefined ? '9999-12-31T23:59:59.999Z' : parseCliTime(toText);
  if (from === null || to === null) {
    return usage('--from and --to take a date (2026-01-01) or an ISO 8601 time with its offset');
  }
  if (!(from < to)) return usage('--from must be before --to');
  const incidents = (await withStore(config, (store) => store.listIncidents({ from, to }))).map(incidentView);
  if (parsed.values.csv === true) {
    process.stdout.write(incidentsCsv(incidents));
    return 0;
  }
  if (incidents.length === 0) console.log('No incidents in this period.');
  for (const i of incidents) {
    const about = [
      i.certificateSerialHex && `serial ${i.certificateSerialHex}`,
      i.applicationId && `application ${i.applicationId}`,
    ]
      .filter(Boolean)
      .join(', ');
    console.log(
      `${i.occurredAt}  ${i.type}  recorded ${i.recordedAt} by ${i.recordedByName ?? i.recordedBy}${about ? `  (${about})` : ''}`,
    );
    console.log(`  ${i.description.replaceAll(/\s+/g, ' ')}`);
    if (i.actionsTaken !== '') console.log(`  actions: ${i.actionsTaken.replaceAll(/\s+/g, ' ')}`);
    if (i.reportedTo !== '') console.log(`  reported to: ${i.reportedTo}`);
  }
  return 0;
}
