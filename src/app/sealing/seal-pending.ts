/**
 * The seal-pending step (issue 8): clear applications in the outbox (rows from before the outbox
 * sealed, which Dexie's version-5 upgrade marked because it cannot await WebCrypto inside the
 * upgrade) are sealed as capture seals them, once an archive key is there. Runs at start and before
 * every sync pass; a row is replaced only in one transaction with its sealed form, never lost.
 */
import type { SealPendingStore } from '../ports';
import { type SealRecipientsDeps, sealForOutbox, sealRecipients } from './seal-application';

export interface SealPendingDeps {
  store: SealPendingStore;
  recipients: SealRecipientsDeps;
  nikHashKey: () => Promise<CryptoKey | null>;
}

export interface SealPendingReport {
  sealed: number;
  /** Set when clear rows wait because no archive key was heard yet. */
  waiting: 'no-archive-key' | null;
}

export async function sealPendingApplications(deps: SealPendingDeps, chunk = 20): Promise<SealPendingReport> {
  const report: SealPendingReport = { sealed: 0, waiting: null };
  let pending = await deps.store.pendingSeal(chunk);
  if (pending.length === 0) return report;
  const recipients = await sealRecipients(deps.recipients);
  if (!recipients.ok) return { ...report, waiting: 'no-archive-key' };
  const nikKey = await deps.nikHashKey();
  while (pending.length > 0) {
    let progressed = false;
    for (const item of pending) {
      const { record, sealed, keyMaterial } = await sealForOutbox(item, recipients.value, nikKey);
      if (await deps.store.saveSealed(item.id, { record, sealed, keyMaterial })) {
        report.sealed++;
        progressed = true;
      }
    }
    // Rows that changed under us are left for the next run rather than looped over.
    if (!progressed) break;
    pending = await deps.store.pendingSeal(chunk);
  }
  return report;
}
