/**
 * `npm run server -- verify-audit`: checks every kiosk's audit chain and the server's own in the
 * configured store, raises an incident per new break (Pasal 24), exit code 1 on any break. Also the
 * server events the other commands record.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { AuditDetail } from '../../../src/core/audit/chain';
import { loadAuditKey } from '../audit/key';
import { createServerAuditLog, type ServerAuditType } from '../audit/server-chain';
import { type ChainReport, verifyAuditStore } from '../audit/verify';
import type { ServerConfig } from '../config';
import type { Store } from '../store/store';
import { withStore } from './with-store';

export const AUDIT_USAGE = `  verify-audit [--json]                             verify every kiosk's audit chain and the server's;
                                                    exit code 1 and an incident for each break`;

/** The server chain as the CLI writes to it: actor `cli`. */
export function cliAudit(config: Pick<ServerConfig, 'dataDir' | 'auditKey'>, store: Store) {
  const log = createServerAuditLog({ store, key: loadAuditKey(config.dataDir, config.auditKey) });
  return (type: ServerAuditType, subject: string | null, detail?: AuditDetail) =>
    log.record(type, 'cli', subject, detail ?? null);
}

function line(report: ChainReport): string {
  const counts = `${report.events} events, ${report.checkpoints} checkpoints`;
  if (report.firstProblem === null) return `${report.chain}  ${counts}  ok`;
  const incident =
    report.incident === null
      ? ''
      : `; incident ${report.incident.id}${report.incident.new ? ' raised' : ' already recorded'}`;
  return `${report.chain}  ${counts}  BROKEN: ${report.firstProblem} (${report.problems.length} problems${incident})`;
}

export async function verifyAuditCommand(config: ServerConfig, args: string[]): Promise<number> {
  let json: boolean;
  try {
    const spec: NonNullable<ParseArgsConfig['options']> = { json: { type: 'boolean' } };
    json = parseArgs({ args, options: spec, strict: true, allowPositionals: false }).values.json === true;
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)} (npm run server -- help)`);
    return 2;
  }
  return withStore(config, async (store) => {
    const key = loadAuditKey(config.dataDir, config.auditKey);
    const result = await verifyAuditStore(store, key, { audit: createServerAuditLog({ store, key }) });
    if (json) console.log(JSON.stringify(result));
    else for (const report of result.chains) console.log(line(report));
    return result.ok ? 0 : 1;
  });
}
