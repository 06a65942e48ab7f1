import { type AuditEvent, GENESIS, nextEvent } from '../../core/audit/chain';
import {
  type AuditCheckpoint,
  signCheckpoint,
  verifyChain,
  verifyCheckpointSignature,
} from '../../core/audit/checkpoint';
import { KIOSK_CHECKPOINT_EVERY, type KioskAuditType } from '../../core/audit/kiosk-events';
import type { AuditTrail, KioskAuditEvent } from './ports';

/** An audit trail in memory, for use-case tests; `key` signs checkpoints as the device key would. */
export function createMemoryAuditLog(
  options: { now?: () => Date; key?: () => Promise<{ privateKey: CryptoKey; publicKeySpki: string }> } = {},
): AuditTrail & { events: KioskAuditEvent[]; stored: AuditCheckpoint[] } {
  const now = options.now ?? (() => new Date());
  const events: KioskAuditEvent[] = [];
  const stored: AuditCheckpoint[] = [];
  const acks = new Map<string, number>();
  let tail: Promise<unknown> = Promise.resolve();

  const checkpointAt = async (seq: number) => {
    const existing = stored.find((c) => c.seq === seq);
    if (existing) return existing;
    const event = events.find((e) => e.seq === seq);
    if (!event || !options.key) return null;
    const checkpoint = await signCheckpoint(event, now().toISOString(), await options.key());
    stored.push(checkpoint);
    stored.sort((a, b) => a.seq - b.seq);
    return checkpoint;
  };

  return {
    events,
    stored,
    append(type: KioskAuditType, subject = null, detail = null) {
      // One after the other, as the Dexie log's transactions are.
      const appended = tail.then(async () => {
        const event = await nextEvent(events.at(-1) ?? GENESIS, {
          at: now().toISOString(),
          type,
          subject,
          detail,
        });
        events.push(event);
        if (event.seq % KIOSK_CHECKPOINT_EVERY === 0) await checkpointAt(event.seq);
        return event;
      });
      tail = appended.catch(() => undefined);
      return appended;
    },
    async eventsAfter(seq, limit) {
      return events.filter((e) => e.seq > seq).slice(0, limit);
    },
    async checkpoints(from, to) {
      return stored.filter((c) => c.seq >= from && c.seq <= to);
    },
    checkpointAt,
    async acknowledged(kioskId) {
      return acks.get(kioskId) ?? 0;
    },
    async setAcknowledged(kioskId, seq) {
      acks.set(kioskId, seq);
    },
    verify: () =>
      verifyChain({
        events: events as readonly AuditEvent[],
        checkpoints: stored,
        verifyCheckpoint: (c) => verifyCheckpointSignature(c),
      }),
  };
}
