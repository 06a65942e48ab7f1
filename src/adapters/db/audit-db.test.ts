import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import type { AuditTrail } from '../../app/audit/ports';
import { KIOSK_CHECKPOINT_EVERY } from '../../core/audit/kiosk-events';
import { openAuditLog } from './audit-db';
import { openOutbox } from './outbox-db';

const APP = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
// fake-indexeddb lives in memory: a fresh name per test is a fresh database.
let dbCounter = 0;

/** A fresh database with `count` events (a captured, decided, synced… mix) and its raw tables. */
async function chainOf(count: number): Promise<{ log: AuditTrail; raw: Dexie }> {
  const name = `audit-test-${++dbCounter}`;
  const outbox = openOutbox(name);
  let tick = 0;
  const log = openAuditLog(outbox, { name, now: () => new Date(Date.UTC(2026, 2, 1, 8, 0, tick++)) });
  for (let i = 1; i <= count; i++) {
    if (i % 3 === 1) await log.append('captured', APP(i));
    else if (i % 3 === 2)
      await log.append('decided', APP(i - 1), { officerId: APP(900), decision: 'approve' });
    else await log.append('synced', null, { ids: [APP(i - 2)] });
  }
  const raw = new Dexie(name);
  await raw.open();
  return { log, raw };
}

describe('the kiosk audit chain in IndexedDB', () => {
  it('verifies an untouched chain, with a signed checkpoint every N events', async () => {
    const { log, raw } = await chainOf(KIOSK_CHECKPOINT_EVERY + 3);
    expect(await log.verify()).toEqual([]);
    const checkpoints = await log.checkpoints(1, 1000);
    expect(checkpoints.map((c) => c.seq)).toEqual([KIOSK_CHECKPOINT_EVERY]);
    const rows = await raw.table('audit').toArray();
    expect(rows.map((r: { seq: number }) => r.seq)).toEqual(
      Array.from({ length: KIOSK_CHECKPOINT_EVERY + 3 }, (_, i) => i + 1),
    );
    // Ids and codes only: the chain never holds personal data.
    expect(JSON.stringify(rows)).not.toMatch(/SITI|3577/);
    raw.close();
  });

  it('gives every append its own seq when two tabs append at once', async () => {
    const name = `audit-test-${++dbCounter}`;
    const outbox = openOutbox(name);
    const tabA = openAuditLog(outbox, { name });
    const tabB = openAuditLog(outbox, { name });
    const made = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? tabA : tabB).append('captured', APP(i))),
    );
    expect(made.map((e) => e.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await tabA.verify()).toEqual([]);
  });

  it('detects one changed event', async () => {
    const { log, raw } = await chainOf(8);
    await raw.table('audit').update(4, { subject: APP(77) });
    expect((await log.verify())[0]).toEqual({ kind: 'hash-mismatch', seq: 4 });
    raw.close();
  });

  it('detects one deleted event', async () => {
    const { log, raw } = await chainOf(8);
    await raw.table('audit').delete(5);
    expect((await log.verify())[0]).toEqual({ kind: 'seq-gap', seq: 6, expected: 5 });
    raw.close();
  });

  it('detects two events swapped', async () => {
    const { log, raw } = await chainOf(8);
    const table = raw.table('audit');
    const [third, fourth] = await Promise.all([table.get(3), table.get(4)]);
    // The key is the seq: a swap moves each event's content under the other's seq.
    await table.put({ ...fourth, seq: 3 });
    await table.put({ ...third, seq: 4 });
    const problems = await log.verify();
    expect(problems[0]).toEqual({ kind: 'hash-mismatch', seq: 3 });
    expect(problems).toContainEqual({ kind: 'prev-hash-break', seq: 3 });
    raw.close();
  });

  it('detects a tampered checkpoint signature', async () => {
    const { log, raw } = await chainOf(KIOSK_CHECKPOINT_EVERY);
    const checkpoint = (await log.checkpoints(1, 1000))[0];
    expect(checkpoint).toBeDefined();
    const signature = checkpoint?.signature ?? '';
    await raw.table('auditCheckpoints').update(KIOSK_CHECKPOINT_EVERY, {
      signature: `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`,
    });
    expect(await log.verify()).toEqual([{ kind: 'bad-checkpoint-signature', seq: KIOSK_CHECKPOINT_EVERY }]);
    raw.close();
  });

  it('keeps the acknowledged seq per enrollment', async () => {
    const { log, raw } = await chainOf(1);
    expect(await log.acknowledged(APP(1))).toBe(0);
    await log.setAcknowledged(APP(1), 7);
    expect(await log.acknowledged(APP(1))).toBe(7);
    expect(await log.acknowledged(APP(2))).toBe(0);
    raw.close();
  });
});
