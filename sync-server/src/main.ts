/**
 * `npm run server -- <command>`: `serve` (the default) runs the sync server; the other commands act
 * on the same store (DATA_DIR / DATABASE_URL) and exit.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { createEnrollmentCodeSchema, UUID_PATTERN } from '../../src/protocol/kiosk-auth';
import {
  createOfficerCodeSchema,
  createOfficerSchema,
  lockOfficerSchema,
  USERNAME_PATTERN,
} from '../../src/protocol/officer';
import { LIMITS, recordOutcomeSchema } from '../../src/protocol/sync';
import { crlDistributionUrl } from './ca/crl-url';
import { createForwarder } from './ca/forwarding';
import { openCaConnector } from './ca/open-connector';
import { ARCHIVE_USAGE, archiveKeysCommand, rotateArchiveKeyCommand } from './cli/archive-commands';
import {
  ARCHIVE_EXPORT_USAGE,
  archiveExportCommand,
  archivePurgeCommand,
} from './cli/archive-export-commands';
import { AUDIT_USAGE, cliAudit, verifyAuditCommand } from './cli/audit-commands';
import { expiringCommand, incidentsCommand, LIFECYCLE_USAGE } from './cli/lifecycle-commands';
import { withStore } from './cli/with-store';
import { ConfigError, loadConfig, type ServerConfig } from './config';
import { issueEnrollmentCode } from './domain/enrollment';
import {
  createOfficerAccount,
  type IssuedOfficerCode,
  issueOfficerCode,
  lockOfficerAccount,
  officerListView,
  unlockOfficerAccount,
} from './domain/officers';
import { describeOutcomeProblem, recordCaOutcome } from './domain/outcome';
import { createLogger, type Logger } from './logger';
import { formatReport, type ReportFormat, yearlyReport } from './report/yearly';
import { REPORT_MEASURES, type YearlyReport } from './report/yearly-report';
import { startServer } from './server';
import type { Kiosk, OfficerListEntry, Store, StoredOfficer } from './store/store';

/** Bad usage: one line on stderr, exit code 2. */
class UsageError extends Error {
  override name = 'UsageError';
}

const USAGE = `usage: npm run server -- [command]
  serve                                             start the sync server (the default)
  enroll-kiosk --name <name> [--expires-hours <n>] [--json]
                                                    create a one-time enrollment code
  revoke-kiosk --id <kioskId>                       refuse every further request of a kiosk
  list-kiosks [--json]                              enrolled kiosks (never their keys)
  stats [--json]                                    number of applications, by state
  record-outcome --id <applicationId> (--cert <file> | --ca-rejected <reason>)
                                                    the CA's answer, obtained outside the server
  add-officer --username <u> --name <nama> [--nip <nip>] [--valid-hours <n>] [--json]
                                                    an RA officer account and its one-time code
  officer-code --username <u> [--valid-hours <n>] [--json]
                                                    another one-time code (a second kiosk)
  lock-officer --username <u> [--reason <text>]     lock the account and revoke all its keys
  unlock-officer --username <u>                     unlock (the officer then enrolls again)
  list-officers [--json]                            officer accounts and their state
  forward [--json]                                  one forwarding run: submit approved, released
                                                    applications to the CA, fetch its answers
  report --year <yyyy> [--format text|csv|html|json] [--lang id|en] [--out <file>]
                                                    the yearly supervision and evaluation report
${LIFECYCLE_USAGE}
${ARCHIVE_USAGE}
${ARCHIVE_EXPORT_USAGE}
${AUDIT_USAGE}`;

const COMMANDS = [
  'serve',
  'enroll-kiosk',
  'revoke-kiosk',
  'list-kiosks',
  'stats',
  'record-outcome',
  'add-officer',
  'officer-code',
  'lock-officer',
  'unlock-officer',
  'list-officers',
  'forward',
  'report',
  'expiring',
  'incidents',
  'verify-audit',
  'archive-keys',
  'rotate-archive-key',
  'archive-export',
  'archive-purge',
  'help',
] as const;
type Command = (typeof COMMANDS)[number];

function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

function stringOption(values: Record<string, unknown>, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

async function enrollKiosk(config: ServerConfig, args: string[]): Promise<number> {
  const { values } = parse(args, {
    name: { type: 'string' },
    'expires-hours': { type: 'string' },
    json: { type: 'boolean' },
  });
  const hoursText = stringOption(values, 'expires-hours') ?? '24';
  // The same rules as the admin API's; only decimal digits count as a number of hours.
  const parsed = createEnrollmentCodeSchema.safeParse({
    name: stringOption(values, 'name') ?? '',
    validHours: /^\d+$/.test(hoursText) ? Number(hoursText) : Number.NaN,
  });
  if (!parsed.success) {
    throw new UsageError(
      parsed.error.issues.some((issue) => issue.path[0] === 'name')
        ? '--name <name> is required (1 to 100 characters)'
        : '--expires-hours must be a whole number from 1 to 720',
    );
  }
  const { name, validHours = 24 } = parsed.data;
  const issued = await withStore(config, async (store) => {
    const made = await issueEnrollmentCode(store, { name, validMs: validHours * 3_600_000, now: new Date() });
    await cliAudit(config, store)('enrollment-code-issued', null, { expiresAt: made.expiresAt });
    return made;
  });
  if (values.json === true) {
    console.log(JSON.stringify(issued));
  } else {
    console.log(`Enrollment code for kiosk "${issued.name}": ${issued.code}`);
    console.log(`Valid once, until ${issued.expiresAt}. Type it on the kiosk's enrollment screen.`);
  }
  return 0;
}

async function revokeKiosk(config: ServerConfig, args: string[]): Promise<number> {
  const { values } = parse(args, { id: { type: 'string' } });
  const id = stringOption(values, 'id') ?? '';
  if (!UUID_PATTERN.test(id)) {
    throw new UsageError('--id <kioskId> is required (the kiosk id, a UUID; see list-kiosks)');
  }
  const outcome = await withStore(config, async (store) => {
    const revoked = await store.revokeKiosk(id, new Date().toISOString());
    if (revoked.status === 'revoked') await cliAudit(config, store)('kiosk-revoked', id);
    return revoked;
  });
  if (outcome.status === 'unknown') {
    console.error(`No kiosk has the id ${id}`);
    return 1;
  }
  console.log(`Kiosk ${outcome.kiosk.id} ("${outcome.kiosk.name}") revoked at ${outcome.kiosk.revokedAt}`);
  return 0;
}

function kioskLine(kiosk: Kiosk): string {
  const state = kiosk.revokedAt === null ? 'active' : `revoked ${kiosk.revokedAt}`;
  return `${kiosk.id}  ${kiosk.name}  enrolled ${kiosk.enrolledAt}  ${state}`;
}

async function listKiosks(config: ServerConfig, args: string[]): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean' } });
  const kiosks = await withStore(config, (store) => store.listKiosks());
  if (values.json === true) console.log(JSON.stringify({ kiosks }));
  else if (kiosks.length === 0) console.log('No kiosks enrolled.');
  else for (const kiosk of kiosks) console.log(kioskLine(kiosk));
  return 0;
}

async function stats(config: ServerConfig, args: string[]): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean' } });
  const [byState, forwarding] = await withStore(config, (store) =>
    Promise.all([store.countApplicationsByState(), store.countForwardingByStatus()]),
  );
  // Every application has a state, so the states add up to them all.
  const records = Object.values(byState).reduce((sum, count) => sum + count, 0);
  if (values.json === true) {
    console.log(JSON.stringify({ records, byState, forwarding }));
  } else {
    console.log(`applications: ${records}`);
    for (const [state, count] of Object.entries(byState)) console.log(`  ${state}: ${count}`);
    if (Object.keys(forwarding).length > 0) {
      console.log('forwarding to the CA:');
      for (const [status, count] of Object.entries(forwarding)) console.log(`  ${status}: ${count}`);
    }
  }
  return 0;
}

async function report(config: ServerConfig, args: string[]): Promise<number> {
  const { values } = parse(args, {
    year: { type: 'string' },
    format: { type: 'string' },
    lang: { type: 'string' },
    out: { type: 'string' },
  });
  const yearText = stringOption(values, 'year') ?? '';
  const year = /^\d{4}$/.test(yearText) ? Number(yearText) : Number.NaN;
  if (!(year >= 2019 && year <= 2100)) throw new UsageError('--year <yyyy> is required (2019 to 2100)');
  const format = stringOption(values, 'format') ?? 'text';
  if (!['text', 'csv', 'html', 'json'].includes(format)) {
    throw new UsageError('--format must be text, csv, html or json');
  }
  const language = stringOption(values, 'lang') ?? 'id';
  if (language !== 'id' && language !== 'en') throw new UsageError('--lang must be id or en');
  const made = await withStore(config, (store) => yearlyReport(store, year));
  const body =
    format === 'text'
      ? reportText(made)
      : formatReport(made, format as ReportFormat, { language, madeAt: new Date() }).body;
  const out = stringOption(values, 'out');
  if (out === undefined) process.stdout.write(body);
  else {
    writeFileSync(out, body);
    console.log(`Report ${year} written to ${out}`);
  }
  return 0;
}

/** A plain table for the terminal: one line per Perangkat Daerah and type, then the totals. */
function reportText(made: YearlyReport): string {
  const header = ['perangkat daerah / type', ...REPORT_MEASURES];
  const lines = made.rows.map((row) => [
    `${row.perangkatDaerah ?? '(no certificate)'} / ${row.certificateType ?? '-'}`,
    ...REPORT_MEASURES.map((m) => String(row.counts[m])),
  ]);
  lines.push(['TOTAL', ...REPORT_MEASURES.map((m) => String(made.totals[m]))]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const show = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return `Report ${made.period.label} (${made.period.from} to ${made.period.to})\n${[header, ...lines].map(show).join('\n')}\n`;
}

async function forward(config: ServerConfig, args: string[], logger: Logger): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean' } });
  const connector = await openCaConnector(config.ca, logger, { crlUrl: crlDistributionUrl(config) });
  if (connector === null) {
    console.error('No CA is configured (CA_CONNECTOR=none): nothing to forward');
    return 1;
  }
  try {
    const report = await withStore(config, (store) =>
      createForwarder({ store, connector, logger, batchSize: config.forwarding.batchSize }).runOnce(),
    );
    if (values.json === true) console.log(JSON.stringify({ connector: connector.name, report }));
    else for (const [what, count] of Object.entries(report)) console.log(`${what}: ${count}`);
    return 0;
  } finally {
    await connector.close();
  }
}

async function recordOutcome(config: ServerConfig, args: string[]): Promise<number> {
  const { values } = parse(args, {
    id: { type: 'string' },
    cert: { type: 'string' },
    'ca-rejected': { type: 'string' },
  });
  const id = stringOption(values, 'id') ?? '';
  const certFile = stringOption(values, 'cert');
  const reason = stringOption(values, 'ca-rejected');
  if (id === '') throw new UsageError('--id <applicationId> is required');
  if ((certFile === undefined) === (reason === undefined)) {
    throw new UsageError('give exactly one of --cert <file> and --ca-rejected <reason>');
  }
  let input: unknown;
  if (certFile !== undefined) {
    let certificatePem: string;
    try {
      certificatePem = readFileSync(certFile, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read ${certFile}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    input = { outcome: 'issued', certificatePem };
  } else {
    input = { outcome: 'ca-rejected', reason };
  }
  // The same rules as the admin API's.
  const parsed = recordOutcomeSchema.safeParse(input);
  if (!parsed.success) {
    throw new UsageError(
      certFile !== undefined
        ? `--cert ${certFile} must hold 1 to ${LIMITS.maxCertificatePemChars} characters`
        : `--ca-rejected needs a reason of 1 to ${LIMITS.maxReasonChars} characters`,
    );
  }
  const request = parsed.data;
  const result = await withStore(config, (store) =>
    recordCaOutcome(store, id, request, { now: new Date(), actor: 'admin' }),
  );
  if (!result.ok) {
    console.error(describeOutcomeProblem(result));
    return 1;
  }
  console.log(
    `application ${id}: ${result.state}${result.status === 'unchanged' ? ' (already recorded)' : ''}`,
  );
  return 0;
}

/** Account changes are logged as the server logs them, to stderr so stdout stays the answer. */
const cliLogger = (config: ServerConfig): Logger => createLogger(config.logLevel, process.stderr);

/** `--valid-hours` as the admin API takes it: whole hours, 1 to 720; absent: the default (24). */
function validHoursOption(values: Record<string, unknown>): number | undefined {
  const text = stringOption(values, 'valid-hours');
  if (text === undefined) return undefined;
  const parsed = createOfficerCodeSchema.safeParse({
    validHours: /^\d+$/.test(text) ? Number(text) : Number.NaN,
  });
  if (!parsed.success) throw new UsageError('--valid-hours must be a whole number from 1 to 720');
  return parsed.data.validHours;
}

function usernameOption(values: Record<string, unknown>): string {
  const username = stringOption(values, 'username') ?? '';
  if (!USERNAME_PATTERN.test(username)) {
    throw new UsageError('--username <u> is required (3-32 characters: lower-case letters, digits, . _ -)');
  }
  return username;
}

/** The account of `username`, or null after telling the operator there is none. */
async function officerNamed(store: Store, username: string): Promise<StoredOfficer | null> {
  const officer = await store.getOfficerByUsername(username);
  if (officer === null) console.error(`No officer has the username ${username}`);
  return officer;
}

function printOfficerCode(issued: IssuedOfficerCode, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(issued));
    return;
  }
  console.log(`Enrollment code for officer "${issued.officer.username}": ${issued.code}`);
  console.log(`Valid once, until ${issued.expiresAt}. The officer types it with the username at a kiosk.`);
}

async function addOfficer(config: ServerConfig, args: string[]): Promise<number> {
  const { values } = parse(args, {
    username: { type: 'string' },
    name: { type: 'string' },
    nip: { type: 'string' },
    'valid-hours': { type: 'string' },
    json: { type: 'boolean' },
  });
  const validHours = validHoursOption(values);
  // The same rules as the admin API's.
  const parsed = createOfficerSchema.safeParse({
    username: stringOption(values, 'username') ?? '',
    nama: stringOption(values, 'name') ?? '',
    nip: stringOption(values, 'nip') ?? null,
    validHours,
  });
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path[0];
    throw new UsageError(
      field === 'username'
        ? '--username <u> is required (3-32 characters: lower-case letters, digits, . _ -)'
        : field === 'nip'
          ? '--nip must be an 18-digit NIP'
          : '--name <nama> is required (the officer full name)',
    );
  }
  const request = parsed.data;
  const result = await withStore(config, async (store) => {
    const created = await createOfficerAccount(store, request, {
      now: new Date(),
      actor: 'cli',
      logger: cliLogger(config),
    });
    if (created.ok) await cliAudit(config, store)('officer-created', created.issued.officer.id);
    return created;
  });
  if (!result.ok) {
    console.error(`An officer already has the username ${request.username}`);
    return 1;
  }
  printOfficerCode(result.issued, values.json === true);
  return 0;
}

async function officerCode(config: ServerConfig, args: string[]): Promise<number> {
  const { values } = parse(args, {
    username: { type: 'string' },
    'valid-hours': { type: 'string' },
    json: { type: 'boolean' },
  });
  const username = usernameOption(values);
  const validHours = validHoursOption(values);
  return withStore(config, async (store) => {
    const officer = await officerNamed(store, username);
    if (officer === null) return 1;
    const result = await issueOfficerCode(store, officer.id, {
      now: new Date(),
      validHours,
      actor: 'cli',
      logger: cliLogger(config),
    });
    if (!result.ok) {
      console.error(`Officer ${username} is ${officer.status}: unlock-officer first`);
      return 1;
    }
    await cliAudit(config, store)('officer-code-issued', officer.id);
    printOfficerCode(result.issued, values.json === true);
    return 0;
  });
}

async function lockOfficer(config: ServerConfig, args: string[]): Promise<number> {
  const { values } = parse(args, { username: { type: 'string' }, reason: { type: 'string' } });
  const username = usernameOption(values);
  const parsed = lockOfficerSchema.safeParse({ reason: stringOption(values, 'reason') });
  if (!parsed.success) throw new UsageError('--reason must be 1 to 200 characters');
  const { reason } = parsed.data;
  return withStore(config, async (store) => {
    const officer = await officerNamed(store, username);
    if (officer === null) return 1;
    const result = await lockOfficerAccount(store, officer.id, {
      now: new Date(),
      reason,
      actor: 'cli',
      logger: cliLogger(config),
    });
    if (!result.ok) return 1;
    await cliAudit(config, store)('officer-locked', officer.id, { revokedKeys: result.revokedKeys });
    const keys = `${result.revokedKeys} key${result.revokedKeys === 1 ? '' : 's'} revoked`;
    console.log(
      result.status === 'locked'
        ? `Officer ${username} locked at ${result.officer.lockedAt}; ${keys}.`
        : `Officer ${username} was already ${result.officer.status}; ${keys}.`,
    );
    return 0;
  });
}

async function unlockOfficer(config: ServerConfig, args: string[]): Promise<number> {
  const { values } = parse(args, { username: { type: 'string' } });
  const username = usernameOption(values);
  return withStore(config, async (store) => {
    const officer = await officerNamed(store, username);
    if (officer === null) return 1;
    const result = await unlockOfficerAccount(store, officer.id, { actor: 'cli', logger: cliLogger(config) });
    if (!result.ok) return 1;
    if (result.status === 'unlocked') await cliAudit(config, store)('officer-unlocked', officer.id);
    if (result.status === 'unchanged') {
      console.log(`Officer ${username} is ${result.officer.status}, not locked: nothing to do.`);
    } else {
      console.log(`Officer ${username} unlocked. The old keys stay revoked: enroll again with a new code`);
      console.log(`(npm run server -- officer-code --username ${username}).`);
    }
    return 0;
  });
}

function officerLine(officer: OfficerListEntry): string {
  const lock = officer.lockedAt === null ? '' : ` since ${officer.lockedAt} (${officer.lockReason ?? ''})`;
  const nip = officer.nip === null ? '' : `  NIP ${officer.nip}`;
  return `${officer.username}  ${officer.status}${lock}  ${officer.nama}${nip}  keys ${officer.activeKeys}  created ${officer.createdAt}`;
}

async function listOfficers(config: ServerConfig, args: string[]): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean' } });
  const officers = await withStore(config, (store) => store.listOfficers());
  if (values.json === true) console.log(JSON.stringify({ officers: officers.map(officerListView) }));
  else if (officers.length === 0) console.log('No officers.');
  else for (const officer of officers) console.log(officerLine(officer));
  return 0;
}

async function serve(config: ServerConfig, args: string[]): Promise<void> {
  parse(args, {});
  const logger = createLogger(config.logLevel);
  const server = await startServer(config, logger);
  console.log(`sertel-kiosk is running at ${server.url}`);

  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

async function main(argv: string[]): Promise<void> {
  const first = argv[0];
  // No command, or options straight away, means serve: `npm start` and the e2e setup rely on it.
  const command = first === undefined || first.startsWith('-') ? 'serve' : first;
  const rest = command === first ? argv.slice(1) : argv;
  if (!COMMANDS.includes(command as Command)) throw new UsageError(`unknown command "${command}"`);
  if (command === 'help') {
    console.log(USAGE);
    return;
  }
  let config: ServerConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  switch (command as Exclude<Command, 'help'>) {
    case 'serve':
      return serve(config, rest);
    case 'enroll-kiosk':
      process.exitCode = await enrollKiosk(config, rest);
      return;
    case 'revoke-kiosk':
      process.exitCode = await revokeKiosk(config, rest);
      return;
    case 'list-kiosks':
      process.exitCode = await listKiosks(config, rest);
      return;
    case 'stats':
      process.exitCode = await stats(config, rest);
      return;
    case 'record-outcome':
      process.exitCode = await recordOutcome(config, rest);
      return;
    case 'add-officer':
      process.exitCode = await addOfficer(config, rest);
      return;
    case 'officer-code':
      process.exitCode = await officerCode(config, rest);
      return;
    case 'lock-officer':
      process.exitCode = await lockOfficer(config, rest);
      return;
    case 'unlock-officer':
      process.exitCode = await unlockOfficer(config, rest);
      return;
    case 'list-officers':
      process.exitCode = await listOfficers(config, rest);
      return;
    case 'forward':
      process.exitCode = await forward(config, rest, cliLogger(config));
      return;
    case 'report':
      process.exitCode = await report(config, rest);
      return;
    case 'expiring':
      process.exitCode = await expiringCommand(config, rest);
      return;
    case 'incidents':
      process.exitCode = await incidentsCommand(config, rest);
      return;
    case 'verify-audit':
      process.exitCode = await verifyAuditCommand(config, rest);
      return;
    case 'archive-keys':
      process.exitCode = await archiveKeysCommand(config, rest, cliLogger(config));
      return;
    case 'rotate-archive-key':
      process.exitCode = await rotateArchiveKeyCommand(config, rest, cliLogger(config));
      return;
    case 'archive-export':
      process.exitCode = await archiveExportCommand(config, rest);
      return;
    case 'archive-purge':
      process.exitCode = await archivePurgeCommand(config, rest);
      return;
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError) {
    console.error(`${err.message} (npm run server -- help)`);
    process.exit(2);
  }
  console.error('sync server failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
