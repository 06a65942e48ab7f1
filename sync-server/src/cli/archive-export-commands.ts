/** `archive-export` (the access right) and `archive-purge` (retention): the sealed archive's CLI (issue 8). */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { exportApplicant } from '../archive/export';
import { purgeExpired } from '../archive/retention';
import { loadAuditKey } from '../audit/key';
import { createServerAuditLog } from '../audit/server-chain';
import type { ServerConfig } from '../config';
import { withStore } from './with-store';

export const ARCHIVE_EXPORT_USAGE = `  archive-export --nik <NIK> --officer <username> --reason <text> [--out file]
                                                    one person's applications opened from the archive, as
                                                    JSON (files base64), with events and corrections;
                                                    logged as archive-opened with the officer and reason
  archive-purge [--dry-run] [--json]                delete the personal data of applications past
                                                    ARCHIVE_RETENTION_YEARS (logged as archive-purged)`;

export async function archiveExportCommand(config: ServerConfig, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      nik: { type: 'string' },
      officer: { type: 'string' },
      reason: { type: 'string' },
      out: { type: 'string' },
    },
    strict: true,
  });
  if (values.nik === undefined || values.officer === undefined || values.reason === undefined) {
    console.error('archive-export needs --nik, --officer and --reason (npm run server -- help)');
    return 2;
  }
  const { nik, officer, reason } = values;
  return withStore(config, async (store) => {
    const audit = createServerAuditLog({ store, key: loadAuditKey(config.dataDir, config.auditKey) });
    const outcome = await exportApplicant(store, audit, {
      nik,
      officerUsername: officer,
      reason,
      now: new Date(),
    });
    if (!outcome.ok) {
      console.error(`archive-export refused: ${outcome.message}`);
      return 2;
    }
    const text = `${JSON.stringify(outcome.export, null, 2)}\n`;
    if (values.out === undefined) process.stdout.write(text);
    else {
      // Personal data: readable by the server's user only.
      writeFileSync(values.out, text, { mode: 0o600 });
      console.error(`${outcome.export.applications.length} applications written to ${values.out}`);
    }
    return 0;
  });
}

export async function archivePurgeCommand(config: ServerConfig, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } },
    strict: true,
  });
  return withStore(config, async (store) => {
    const audit = createServerAuditLog({ store, key: loadAuditKey(config.dataDir, config.auditKey) });
    const result = await purgeExpired({
      store,
      audit,
      actor: 'cli',
      retentionYears: config.archive.retentionYears,
      now: new Date(),
      dryRun: values['dry-run'] === true,
    });
    if (values.json === true) console.log(JSON.stringify(result));
    else {
      const verb = result.dryRun ? 'would purge' : 'purged';
      console.log(
        `${verb} ${result.ids.length} applications (retention ${result.retentionYears} years, cutoff ${result.cutoff})`,
      );
      for (const id of result.ids) console.log(id);
    }
    return 0;
  });
}
