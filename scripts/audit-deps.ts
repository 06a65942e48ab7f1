/**
 * CI's dependency audit: `npm audit --omit=dev --audit-level=high`, told apart from an audit that
 * could not run. High or critical findings in the production dependencies fail; an unreachable
 * audit endpoint (some registries and mirrors refuse it: 405) prints a loud warning and fails only
 * with AUDIT_REQUIRED=1. Run as `tsx scripts/audit-deps.ts` in the project folder.
 */
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

export type Severity = 'info' | 'low' | 'moderate' | 'high' | 'critical';
export type SeverityCounts = Record<Severity, number>;

export type AuditVerdict =
  /** The audit ran; `blocking` counts the high and critical findings. */
  | { kind: 'audited'; counts: SeverityCounts; blocking: number; packages: string[] }
  /** The audit did not run: the endpoint refused or was unreachable, or npm said something else. */
  | { kind: 'unavailable'; reason: string };

const SEVERITIES: readonly Severity[] = ['info', 'low', 'moderate', 'high', 'critical'];
const BLOCKING: readonly Severity[] = ['high', 'critical'];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads `npm audit --json` output (npm 7 and later); never throws. */
export function classifyAudit(stdout: string): AuditVerdict {
  let report: unknown;
  try {
    report = JSON.parse(stdout);
  } catch {
    const first = stdout.trim().split('\n')[0] ?? '';
    return {
      kind: 'unavailable',
      reason: `npm audit printed no JSON${first ? `: ${first.slice(0, 200)}` : ''}`,
    };
  }
  if (!isRecord(report)) return { kind: 'unavailable', reason: 'npm audit printed an unexpected JSON value' };
  if ('error' in report) {
    const status = typeof report.statusCode === 'number' ? `HTTP ${report.statusCode}: ` : '';
    const error = isRecord(report.error) ? report.error : {};
    const text = [report.message, error.summary, error.code].find((v) => typeof v === 'string' && v !== '');
    return {
      kind: 'unavailable',
      reason: `${status}${typeof text === 'string' ? text : 'the audit failed'}`,
    };
  }
  const metadata = isRecord(report.metadata) ? report.metadata : null;
  const totals = metadata && isRecord(metadata.vulnerabilities) ? metadata.vulnerabilities : null;
  if (totals === null) return { kind: 'unavailable', reason: 'npm audit reported no vulnerability totals' };
  const counts = Object.fromEntries(
    SEVERITIES.map((s) => [s, typeof totals[s] === 'number' ? totals[s] : 0]),
  ) as SeverityCounts;
  const vulnerabilities = isRecord(report.vulnerabilities) ? report.vulnerabilities : {};
  const packages = Object.entries(vulnerabilities)
    .filter(([, v]) => isRecord(v) && BLOCKING.includes(v.severity as Severity))
    .map(([name, v]) => `${name} (${(v as Record<string, unknown>).severity})`);
  return { kind: 'audited', counts, blocking: counts.high + counts.critical, packages };
}

/** The exit code CI gets, and what it prints. */
export function decide(verdict: AuditVerdict, auditRequired: boolean): { exitCode: 0 | 1; lines: string[] } {
  if (verdict.kind === 'unavailable') {
    const bar = '!'.repeat(78);
    return {
      exitCode: auditRequired ? 1 : 0,
      lines: [
        bar,
        `WARNING: the dependency audit did not run (${verdict.reason}).`,
        'Known vulnerabilities in the production dependencies were NOT checked.',
        auditRequired
          ? 'AUDIT_REQUIRED=1: failing.'
          : 'Set AUDIT_REQUIRED=1 to fail instead, where the registry offers the audit endpoint.',
        bar,
      ],
    };
  }
  const summary = SEVERITIES.map((s) => `${verdict.counts[s]} ${s}`).join(', ');
  if (verdict.blocking > 0) {
    return {
      exitCode: 1,
      lines: [
        `Dependency audit: ${summary}.`,
        `High or critical in production dependencies: ${verdict.packages.join(', ')}`,
        'Run `npm audit --omit=dev` for the advisories and fixes.',
      ],
    };
  }
  return { exitCode: 0, lines: [`Dependency audit: ${summary}; nothing high or critical.`] };
}

function main(): void {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const run = spawnSync(npm, ['audit', '--omit=dev', '--audit-level=high', '--json'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const verdict: AuditVerdict =
    run.error !== undefined
      ? { kind: 'unavailable', reason: `npm could not be run: ${run.error.message}` }
      : classifyAudit(run.stdout);
  const { exitCode, lines } = decide(verdict, process.env.AUDIT_REQUIRED === '1');
  for (const line of lines)
    (exitCode === 0 && verdict.kind === 'audited' ? console.log : console.error)(line);
  process.exitCode = exitCode;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
