import type { AuditTrail, KioskAuditEvent } from '../../app/audit/ports';
import type { DeviceIdentityStore } from '../../app/ports';
import { type AuditEvent, GENESIS, nextEvent } from '../../core/audit/chain';
import { signCheckpoint, verifyChain, verifyCheckpointSignature } from '../../core/audit/checkpoint';
import { KIOSK_CHECKPOINT_EVERY } from '../../core/audit/kiosk-events';
import { OutboxDatabase } from './outbox-db';

/** Two tabs appending at once: the loser reads the new head and tries again, this many times. */
const MAX_APPEND_TRIES = 50;

const ackKey = (kioskId: string) => `auditAck:${kioskId}`;

/**
 * The kiosk's audit chain in the outbox database (tables `audit` and `auditCheckpoints`, schema
 * version 4). An append hashes outside the transaction (WebCrypto would let IndexedDB commit it)
 * and then adds the event only if the head is still the one it followed.
 */
export function openAuditLog(
  identity: Pick<DeviceIdentityStore, 'deviceKey'>,
  options: { name?: string; now?: () => Date } = {},
): AuditTrail {
  const db = new OutboxDatabase(options.name ?? 'sertel-kiosk');
  const now = options.now ?? (() => new Date());

  const headOf = async () => (await db.audit.orderBy('seq').last()) ?? GENESIS;

  const checkpointAt: AuditTrail['checkpointAt'] = async (seq) => {
    const existing = await db.auditCheckpoints.get(seq);
    if (existing) return existing;
    const event = await db.audit.get(seq);
    if (!event) return null;
    const checkpoint = await signCheckpoint(event, now().toISOString(), await identity.deviceKey());
    // Another tab may have signed the same head meanwhile: either signature is as good.
    await db.auditCheckpoints.put(checkpoint);
    return checkpoint;
  };

  return {
    async append(type, subject = null, detail = null) {
      for (let attempt = 0; attempt < MAX_APPEND_TRIES; attempt++) {
        const head = await headOf();
        const event = (await nextEvent(head, {
          at: now().toISOString(),
          type,
          subject,
          detail,
        })) as KioskAuditEvent;
        const added = await db.transaction('rw', db.audit, async () => {
          const current = (await db.audit.orderBy('seq').last()) ?? GENESIS;
          if (current.seq !== head.seq || current.hash !== head.hash) return false;
          await db.audit.add(event);
          return true;
        });
        if (!added) continue;
        if (event.seq % KIOSK_CHECKPOINT_EVERY === 0) await checkpointAt(event.seq);
        return event;
      }
      throw new Error('the audit chain is being appended to too fast to add an event');
    },
    async eventsAfter(seq, limit) {
      return (await db.audit.where('seq').above(seq).limit(limit).toArray()) as KioskAuditEvent[];
    },
    checkpoints: (from, to) => db.auditCheckpoints.where('seq').between(from, to, true, true).toArray(),
    checkpointAt,
    async acknowledged(kioskId) {
      const row = await db.meta.get(ackKey(kioskId));
      const seq = Number(row?.value ?? '0');
      return Number.isSafeInteger(seq) && seq >= 0 ? seq : 0;
    },
    async setAcknowledged(kioskId, seq) {
      await db.meta.put({ key: ackKey(kioskId), value: String(seq) });
    },
    async verify() {
      const [events, checkpoints] = await db.transaction('r', db.audit, db.auditCheckpoints, () =>
        Promise.all([db.audit.toArray(), db.auditCheckpoints.toArray()]),
      );
      return verifyChain({
        events: events as AuditEvent[],
        checkpoints,
        verifyCheckpoint: (c) => verifyCheckpointSignature(c),
      });
    },
  };
}
