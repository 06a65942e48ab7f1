/**
 * The acceptance of issue 8 item 4 on SQLite and PostgreSQL: a kiosk chain arrives through the
 * domain function, the server records its own events, and `verifyAuditStore` (what
 * `verify-audit` runs) passes on an untouched store and reports one changed, deleted or reordered
 * row in either chain, raising one incident per break.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { type AuditEvent, GENESIS, hashEvent, nextEvent } from '../../../src/core/audit/chain';
import { signCheckpoint } from '../../../src/core/audit/checkpoint';
import { kioskChainPage, type RawStoreTarget, rawStoreTargets } from '../../../tests/support/audit-chains';
import { enrollTestKioskInStore, type TestKiosk } from '../../../tests/support/signed-kiosk';
import type { Store } from '../store/store';
import { auditKeyFrom } from './key';
import { ingestKioskAudit } from './kiosk-chain';
import { createServerAuditLog, hashedBody, type ServerAuditLog } from './server-chain';
import { verifyAuditStore } from './verify';

const KEY = auditKeyFrom('audit key for the tests, outside the database');
const ALL_TIME = { from: '2000-01-01T00:00:00.000Z', to: '2100-01-01T00:00:00.000Z' };

describe.each(rawStoreTargets(inject('databaseUrl')))('audit chains ($kind)', ({ create }) => {
  let target: RawStoreTarget;
  let store: Store;
  let audit: ServerAuditLog;
  let kiosk: TestKiosk;

  beforeEach(async () => {
    target = await create();
    store = target.store;
    audit = createServerAuditLog({ store, key: KEY });
    kiosk = await enrollTestKioskInStore(store, { kioskId: randomUUID() });
  });
  afterEach(async () => {
    await target.dispose();
  });

  /** 25 kiosk events in two pages and five server events: a store that verifies. */
  async function populate(): Promise<void> {
    const first = await kioskChainPage(kiosk, 15);
    const upload = (page: typeof first) =>
      ingestKioskAudit(
        store,
        { kioskId: kiosk.kioskId, ...page },
        { receivedAt: new Date().toISOString(), audit },
      );
    expect(await upload(first)).toEqual({ status: 'acknowledged', acknowledgedSeq: 15 });
    const second = await kioskChainPage(kiosk, 10, first.events.at(-1));
    expect(await upload(second)).toEqual({ status: 'acknowledged', acknowledgedSeq: 25 });
    await audit.record('admin-action', 'admin', null, {
      method: 'POST',
      route: '/api/v1/admin/forward',
      status: 200,
    });
    await audit.record('officer-created', 'cli', randomUUID());
    await audit.record('ca-call', 'server', null, {
      call: 'submit',
      outcome: 'answered',
      applicationIds: [randomUUID()],
    });
  }

  it('verifies an untouched store', async () => {
    await populate();
    const result = await verifyAuditStore(store, KEY);
    expect(result.ok).toBe(true);
    expect(result.chains.map((c) => [c.chain, c.events, c.problems])).toEqual([
      // Two anchors of the kiosk pages and the three events above.
      ['server', 5, []],
      [`kiosk:${kiosk.kioskId}`, 25, []],
    ]);
    expect(await store.listIncidents(ALL_TIME)).toEqual([]);
  });

  const kioskTampering = {
    changed: async () => {
      await target.sql('update kiosk_audit_events set subject = ? where kiosk_id = ? and seq = 7', [
        randomUUID(),
        kiosk.kioskId,
      ]);
      return { kind: 'hash-mismatch', seq: 7 };
    },
    deleted: async () => {
      await target.sql('delete from kiosk_audit_events where kiosk_id = ? and seq = 7', [kiosk.kioskId]);
      return { kind: 'seq-gap', seq: 8, expected: 7 };
    },
    reordered: async () => {
      const swap = 'update kiosk_audit_events set seq = ? where kiosk_id = ? and seq = ?';
      await target.sql(swap, [-1, kiosk.kioskId, 7]);
      await target.sql(swap, [7, kiosk.kioskId, 8]);
      await target.sql(swap, [8, kiosk.kioskId, -1]);
      return { kind: 'hash-mismatch', seq: 7 };
    },
  };

  it.each(Object.keys(kioskTampering) as (keyof typeof kioskTampering)[])(
    'reports a %s kiosk event and raises one incident for it',
    async (how) => {
      await populate();
      const expected = await kioskTampering[how]();
      const result = await verifyAuditStore(store, KEY, { audit });
      expect(result.ok).toBe(false);
      const report = result.chains.find((c) => c.chain === `kiosk:${kiosk.kioskId}`);
      expect(report?.problems[0]).toEqual(expected);
      expect(result.chains.find((c) => c.chain === 'server')?.problems).toEqual([]);
      expect(report?.incident?.new).toBe(true);
      const incidents = await store.listIncidents(ALL_TIME);
      expect(incidents).toHaveLength(1);
      expect(incidents[0]).toMatchObject({
        id: report?.incident?.id,
        type: 'authenticity',
        kioskId: kiosk.kioskId,
      });

      // Found again: the same break, no second incident.
      const again = await verifyAuditStore(store, KEY, { audit });
      expect(again.chains.find((c) => c.chain === `kiosk:${kiosk.kioskId}`)?.incident).toEqual({
        id: report?.incident?.id,
        new: false,
      });
      expect(await store.listIncidents(ALL_TIME)).toHaveLength(1);
    },
  );

  const serverTampering = {
    changed: async () => {
      await target.sql("update server_audit_events set actor = 'someone' where seq = 3");
      return { kind: 'hash-mismatch', seq: 3 };
    },
    deleted: async () => {
      await target.sql('delete from server_audit_events where seq = 3');
      return { kind: 'seq-gap', seq: 4, expected: 3 };
    },
    reordered: async () => {
      await target.sql('update server_audit_events set seq = -1 where seq = 3');
      await target.sql('update server_audit_events set seq = 3 where seq = 4');
      await target.sql('update server_audit_events set seq = 4 where seq = -1');
      return { kind: 'hash-mismatch', seq: 3 };
    },
  };

  it.each(Object.keys(serverTampering) as (keyof typeof serverTampering)[])(
    'reports a %s server event and raises one incident for it',
    async (how) => {
      await populate();
      const expected = await serverTampering[how]();
      const result = await verifyAuditStore(store, KEY, { audit });
      expect(result.ok).toBe(false);
      const report = result.chains.find((c) => c.chain === 'server');
      expect(report?.problems[0]).toEqual(expected);
      expect(report?.incident?.new).toBe(true);
      expect((await store.listIncidents(ALL_TIME)).map((i) => i.id)).toEqual([report?.incident?.id]);
    },
  );

  it('catches a server chain re-hashed after an edit: the MAC key is not in the database', async () => {
    await populate();
    const rows = await target.sql('select * from server_audit_events order by seq');
    let previous = GENESIS.hash;
    for (const row of rows) {
      const seq = Number(row.seq);
      const detail = row.detail === null ? null : JSON.parse(String(row.detail));
      const body = {
        seq,
        at: String(row.at),
        type: String(row.type),
        actor: seq === 3 ? 'someone-else' : String(row.actor),
        subject: (row.subject as string | null) ?? null,
        detail,
        prevHash: previous,
      };
      const hash = await hashEvent(hashedBody(body));
      await target.sql('update server_audit_events set actor = ?, prev_hash = ?, hash = ? where seq = ?', [
        body.actor,
        previous,
        hash,
        seq,
      ]);
      previous = hash;
    }
    const result = await verifyAuditStore(store, KEY, { raiseIncidents: false });
    const problems = result.chains.find((c) => c.chain === 'server')?.problems ?? [];
    // The links hold again, the MACs do not.
    expect(problems.map((p) => p.kind)).not.toContain('prev-hash-break');
    expect(problems[0]).toEqual({ kind: 'bad-checkpoint-signature', seq: 3 });
    // Verified with another key, nothing verifies.
    const other = await verifyAuditStore(store, auditKeyFrom('another key that is also long enough'), {
      raiseIncidents: false,
    });
    expect(other.chains.find((c) => c.chain === 'server')?.problems[0]?.kind).toBe('unknown-checkpoint-key');
  });

  it('catches a kiosk chain re-hashed and re-signed in the database through the server chain', async () => {
    await populate();
    // An attacker with the database: a new device key of their own, registered as a kiosk's.
    const forger = await enrollTestKioskInStore(store, { kioskId: randomUUID() });
    const rows = await target.sql('select * from kiosk_audit_events where kiosk_id = ? order by seq', [
      kiosk.kioskId,
    ]);
    let head = GENESIS;
    await target.sql('delete from kiosk_audit_checkpoints where kiosk_id = ?', [kiosk.kioskId]);
    for (const row of rows) {
      const seq = Number(row.seq);
      const event: AuditEvent = await nextEvent(head, {
        at: String(row.at),
        type: String(row.type),
        subject: seq === 4 ? randomUUID() : ((row.subject as string | null) ?? null),
        detail: row.detail === null ? null : JSON.parse(String(row.detail)),
      });
      await target.sql(
        'update kiosk_audit_events set subject = ?, prev_hash = ?, hash = ? where kiosk_id = ? and seq = ?',
        [event.subject, event.prevHash, event.hash, kiosk.kioskId, seq],
      );
      head = event;
    }
    const checkpoint = await signCheckpoint(head, new Date().toISOString(), forger);
    await target.sql(
      'insert into kiosk_audit_checkpoints (kiosk_id, seq, hash, at, key_fingerprint, public_key_spki, signature, received_at) values (?, ?, ?, ?, ?, ?, ?, ?)',
      [
        kiosk.kioskId,
        head.seq,
        head.hash,
        checkpoint.at,
        checkpoint.keyFingerprint,
        checkpoint.publicKeySpki,
        checkpoint.signature,
        checkpoint.at,
      ],
    );
    const result = await verifyAuditStore(store, KEY, { raiseIncidents: false });
    const problems = result.chains.find((c) => c.chain === `kiosk:${kiosk.kioskId}`)?.problems ?? [];
    // The heads recorded (and MACed) in the server chain on arrival no longer match.
    expect(problems).toContainEqual({ kind: 'checkpoint-mismatch', seq: 15 });
    expect(problems).toContainEqual({ kind: 'checkpoint-mismatch', seq: 25 });
  });

  it('refuses an upload that does not continue the chain held, keeps it as evidence, raises one incident', async () => {
    const first = await kioskChainPage(kiosk, 5);
    const at = new Date().toISOString();
    await ingestKioskAudit(store, { kioskId: kiosk.kioskId, ...first }, { receivedAt: at, audit });
    // A page that follows another event 5 than the one held.
    const fork = await kioskChainPage(kiosk, 3, { seq: 5, hash: 'f'.repeat(64) });
    const outcome = await ingestKioskAudit(
      store,
      { kioskId: kiosk.kioskId, ...fork },
      { receivedAt: at, audit },
    );
    expect(outcome).toMatchObject({ status: 'break', problem: { kind: 'prev-hash-break', seq: 6 } });
    expect(await store.kioskAuditHead(kiosk.kioskId)).toEqual({ seq: 5, hash: first.events[4]?.hash });
    const [kept] = await store.listAuditBreaks();
    expect(kept).toMatchObject({ chain: `kiosk:${kiosk.kioskId}`, seq: 6, source: 'upload' });
    expect(JSON.parse(kept?.evidence ?? '{}').upload.events).toHaveLength(3);
    const again = await ingestKioskAudit(
      store,
      { kioskId: kiosk.kioskId, ...fork },
      { receivedAt: at, audit },
    );
    expect(again).toEqual(outcome);
    expect(await store.listIncidents(ALL_TIME)).toHaveLength(1);
  });

  it('refuses a page whose checkpoint another key signed, or that ends without one', async () => {
    const stranger = { ...(await kioskChainPage(kiosk, 1)), kioskId: kiosk.kioskId };
    const outsider = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify',
    ]);
    const spki = Buffer.from(await crypto.subtle.exportKey('spki', outsider.publicKey)).toString('base64');
    const page = await kioskChainPage({ privateKey: outsider.privateKey, publicKeySpki: spki }, 2);
    const at = new Date().toISOString();
    expect(
      await ingestKioskAudit(store, { kioskId: kiosk.kioskId, ...page }, { receivedAt: at }),
    ).toMatchObject({
      status: 'break',
      problem: { kind: 'unknown-checkpoint-key', seq: 2 },
    });
    expect(await ingestKioskAudit(store, { ...stranger, checkpoints: [] }, { receivedAt: at })).toMatchObject(
      { status: 'break', problem: { kind: 'head-not-checkpointed', seq: 1 } },
    );
  });

  it('accepts a page sent again and answers what it holds', async () => {
    const first = await kioskChainPage(kiosk, 4);
    const at = new Date().toISOString();
    const send = (page: typeof first) =>
      ingestKioskAudit(store, { kioskId: kiosk.kioskId, ...page }, { receivedAt: at });
    expect(await send(first)).toEqual({ status: 'acknowledged', acknowledgedSeq: 4 });
    expect(await send(first)).toEqual({ status: 'acknowledged', acknowledgedSeq: 4 });
    // A page past what is held: the server asks for the chain from its head.
    const later = await kioskChainPage(kiosk, 2, { seq: 6, hash: 'a'.repeat(64) });
    expect(await send(later)).toEqual({ status: 'acknowledged', acknowledgedSeq: 4 });
  });

  it('gives concurrent server events one seq each', async () => {
    const other = createServerAuditLog({ store, key: KEY });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? audit : other).record('admin-action', 'admin', null, { n: i }),
      ),
    );
    const result = await verifyAuditStore(store, KEY);
    expect(result.ok).toBe(true);
    expect(result.chains[0]?.events).toBe(20);
  });
});
