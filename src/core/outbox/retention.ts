import type { OutboxHistoryEntry } from './lifecycle';

/**
 * Retention on the kiosk (issue 8): what of an application may be deleted now. Pure: the purge step
 * gathers the inputs. The sealed blob goes once the server has held the record for the grace
 * period (the kiosk cannot open it any more anyway); the encrypted private key only once it can no
 * longer be needed: the certificate was handed over, or none will ever be issued.
 */

export interface RetentionInput {
  history: readonly OutboxHistoryEntry[];
  /** The officer's decision, null while none. */
  decision: 'approved' | 'rejected' | null;
}

export interface PurgeVerdict {
  sealedBlob: boolean;
  privateKey: boolean;
}

const HOUR_MS = 60 * 60 * 1000;

/** When the state was last entered, or null. */
function enteredAt(
  history: readonly OutboxHistoryEntry[],
  state: OutboxHistoryEntry['state'],
): number | null {
  const entry = history.findLast((e) => e.state === state);
  if (!entry) return null;
  const at = Date.parse(entry.at);
  return Number.isNaN(at) ? null : at;
}

export function purgeVerdict(input: RetentionInput, now: Date, graceHours: number): PurgeVerdict {
  const graceMs = graceHours * HOUR_MS;
  const past = (at: number | null) => at !== null && now.getTime() - at >= graceMs;
  // The server's acknowledgement, or its refusal: either way the kiosk's copy is not needed to send.
  const acknowledged = enteredAt(input.history, 'synced') ?? enteredAt(input.history, 'rejected');
  const finalNoCertificate =
    input.decision === 'rejected'
      ? acknowledged
      : (enteredAt(input.history, 'ca-rejected') ?? enteredAt(input.history, 'rejected'));
  const handedOver = enteredAt(input.history, 'handed-over');
  return {
    // A certificate handed over before the record reached the server: the blob waits for the ack.
    sealedBlob: past(acknowledged),
    privateKey: past(acknowledged) && (past(handedOver) || past(finalNoCertificate)),
  };
}
