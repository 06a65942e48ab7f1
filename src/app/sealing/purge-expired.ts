/**
 * The kiosk's purge (issue 8, `core/outbox/retention.ts`): a sealed application's blob goes once
 * the server has held it for `retention.graceHours`, its key material once it can no longer be
 * needed (handed over, or no certificate will be issued). One `purged` audit event per run that
 * deleted anything, with the ids and counts; the outbox screen shows the report.
 */
import { purgeVerdict } from '../../core/outbox/retention';
import type { AuditLog } from '../audit/ports';
import { officerDecision } from '../officer/queue-query';
import type { OutboxStore, RetentionStore } from '../ports';

export interface PurgeReport {
  at: string;
  /** The applications something was deleted of, in this run. */
  ids: string[];
  sealedBlobs: number;
  privateKeys: number;
}

export interface PurgeDeps {
  outbox: Pick<OutboxStore, 'list'> & RetentionStore;
  audit?: AuditLog;
  now: () => Date;
  graceHours: number;
}

export async function purgeExpired(deps: PurgeDeps): Promise<PurgeReport> {
  const now = deps.now();
  const at = now.toISOString();
  const report: PurgeReport = { at, ids: [], sealedBlobs: 0, privateKeys: 0 };
  // Only what the server acknowledged or refused can be due.
  const candidates = [
    ...(await deps.outbox.list({ state: 'synced' })),
    ...(await deps.outbox.list({ state: 'rejected' })),
  ];
  for (const item of candidates) {
    if (!('sealedBytes' in item)) continue;
    const verdict = purgeVerdict(
      { history: item.history, decision: officerDecision(item.record)?.decision ?? null },
      now,
      deps.graceHours,
    );
    const parts = {
      sealedBlob: verdict.sealedBlob && item.sealedBytes > 0,
      privateKey: verdict.privateKey && item.hasKeyMaterial,
    };
    if (!parts.sealedBlob && !parts.privateKey) continue;
    const done = await deps.outbox.purge(item.id, parts, at);
    if (!done.sealedBlob && !done.privateKey) continue;
    report.ids.push(item.id);
    if (done.sealedBlob) report.sealedBlobs++;
    if (done.privateKey) report.privateKeys++;
  }
  if (report.ids.length > 0)
    await deps.audit?.append('purged', null, {
      ids: report.ids,
      sealedBlobs: report.sealedBlobs,
      privateKeys: report.privateKeys,
    });
  return report;
}
