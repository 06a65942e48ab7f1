/**
 * Revocation requests through the forwarding job to a real CA (Pasal 15): each sent exactly once,
 * even by two workers over one database; failures retried with back-off; a lapsed lease taken over;
 * the CA's CRL then lists the serial with its reason, as OpenSSL reads it.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, inject, test } from 'vitest';
import type { RevocationReasonCode } from '../../../src/protocol/lifecycle';
import {
  manualClock,
  manyApplications,
  type StoreTarget,
  seedApproved,
  storeTargets,
  testDevCa,
} from '../../../tests/support/forwarding-fixtures';
import { opensslWorkspace } from '../../../tests/support/openssl';
import { createLogger } from '../logger';
import type { NewRevocation, StoredRevocation } from '../store/lifecycle-store';
import type { Store } from '../store/store';
import { type CaConnector, CaError, type CaRevocationRequest } from './connector';
import type { DevCa } from './dev-ca/dev-ca';
import { createForwarder } from './forwarding';

const logger = createLogger('silent');
const OFFICER = '0b8a7c1e-5d2f-4e3a-9b6c-1d2e3f4a5b6c';
const KIOSK = '6f1d2c3b-4a59-4e68-9d7c-8b0a1f2e3d4c';

/** The CA with a script of revoke faults, counting every revoke call by request id. */
class ScriptedCa implements CaConnector {
  readonly name = 'scripted';
  readonly calls = new Map<string, number>();
  constructor(
    private readonly inner: CaConnector,
    private readonly script: ('ok' | 'fail-before' | 'lose-answer' | 'refuse-call')[] = [],
    private readonly latencyMs = 0,
  ) {}
  submit(requests: Parameters<CaConnector['submit']>[0]) {
    return this.inner.submit(requests);
  }
  poll(references: readonly string[]) {
    return this.inner.poll(references);
  }
  fetchCertificates(references: readonly string[]) {
    return this.inner.fetchCertificates(references);
  }
  async revoke(request: CaRevocationRequest) {
    this.calls.set(request.requestId, (this.calls.get(request.requestId) ?? 0) + 1);
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs * Math.random()));
    const fault = this.script.shift() ?? 'ok';
    if (fault === 'fail-before') throw new CaError('unavailable', 'HTTP 503');
    if (fault === 'refuse-call') throw new CaError('refused', 'HTTP 401 from revoke');
    const result = await this.inner.revoke(request);
    if (fault === 'lose-answer') throw new CaError('timeout', 'no answer within 30000 ms');
    return result;
  }
  fetchCrl() {
    return this.inner.fetchCrl();
  }
  close() {
    return this.inner.close();
  }
}

/** `count` applications issued by the CA through the forwarding job; their ids and serials. */
async function issued(store: Store, ca: CaConnector, now: () => Date, count: number) {
  const applications = await manyApplications(count);
  await seedApproved(store, applications, { release: true });
  const report = await createForwarder({ store, connector: ca, logger, now }).runOnce();
  expect(report.issued).toBe(count);
  return Promise.all(
    applications.map(async ({ id }) => {
      const stored = await store.getApplication(id);
      if (stored?.certificateSerialHex == null) throw new Error('not issued');
      return { applicationId: id, serialNumberHex: stored.certificateSerialHex };
    }),
  );
}

function revocationOf(
  certificate: { applicationId: string; serialNumberHex: string },
  at: Date,
  reason: RevocationReasonCode = 'keyCompromise',
): NewRevocation {
  return {
    requestId: randomUUID(),
    ...certificate,
    reason,
    lostKey: null,
    note: '',
    officerId: OFFICER,
    keyId: randomUUID(),
    kioskId: KIOSK,
    payload: `{"v":1,"type":"revocation","n":"${randomUUID()}"}`,
    signature: 'S'.repeat(86),
    requestedAt: at.toISOString(),
    receivedAt: at.toISOString(),
    attachments: [],
    incident: null,
  };
}

async function request(store: Store, revocation: NewRevocation): Promise<StoredRevocation> {
  const outcome = await store.recordRevocation(revocation);
  if (outcome.status !== 'requested') throw new Error(`revocation ${outcome.status}`);
  return outcome.revocation;
}

/** The CRL as OpenSSL prints it. */
async function crlText(ca: CaConnector): Promise<string> {
  const work = opensslWorkspace('sertel-crl');
  try {
    work.write('crl.der', (await ca.fetchCrl()).der);
    return work.must(['crl', '-inform', 'DER', '-in', 'crl.der', '-noout', '-text']).out;
  } finally {
    work.remove();
  }
}

describe.each(storeTargets(inject('databaseUrl')))(
  'revocations through the forwarding job ($kind)',
  ({ kind, create }) => {
    let target: StoreTarget;
    let store: Store;
    let ca: DevCa | undefined;
    const clock = manualClock();

    beforeEach(async () => {
      target = await create();
      store = await target.open();
    });
    afterEach(async () => {
      await ca?.close();
      ca = undefined;
      await store.close();
      await target.dispose();
    });

    test('a request goes to the CA once; the CRL lists the serial with its reason; the audit trail has it', async () => {
      ca = await testDevCa(clock.now);
      const [certificate] = await issued(store, ca, clock.now, 1);
      if (!certificate) throw new Error('one certificate expected');
      const forwarder = createForwarder({ store, connector: ca, logger, now: clock.now });
      const scripted = new ScriptedCa(ca);
      const viaScript = createForwarder({ store, connector: scripted, logger, now: clock.now });
      // Nothing asked yet: the CRL is empty and the run revokes nothing.
      expect(await crlText(ca)).toContain('No Revoked Certificates');
      expect((await forwarder.runOnce()).revoked).toBe(0);

      const revocation = await request(store, revocationOf(certificate, clock.now(), 'affiliationChanged'));
      expect(revocation).toMatchObject({ status: 'pending', outcome: null, attempts: 0 });
      expect(await viaScript.runOnce()).toMatchObject({
        revoked: 1,
        revocationsRetried: 0,
        revocationsFailed: 0,
      });
      expect(scripted.calls.get(revocation.requestId)).toBe(1);
      // Done: a later run asks the CA nothing.
      clock.advance(24 * 3_600_000);
      expect((await viaScript.runOnce()).revoked).toBe(0);
      expect(scripted.calls.get(revocation.requestId)).toBe(1);

      const stored = await store.getRevocation(revocation.requestId);
      expect(stored).toMatchObject({ status: 'done', outcome: 'revoked', attempts: 1, lastError: null });
      expect(stored?.revokedAt).toMatch(/^2026-11-26T03:00:00\.000Z$/);
      const text = await crlText(ca);
      expect(text).toContain(`Serial Number: ${certificate.serialNumberHex}`);
      expect(text).toMatch(
        new RegExp(`Serial Number: ${certificate.serialNumberHex}[\\s\\S]*?Affiliation Changed`),
      );
      const events = await store.listApplicationEvents(certificate.applicationId);
      expect(events.map((e) => e.event)).toEqual(
        expect.arrayContaining(['issued', 'revocation-requested', 'revoked']),
      );
      expect(events.find((e) => e.event === 'revoked')).toMatchObject({
        actor: 'ca',
        detail: {
          requestId: revocation.requestId,
          serialNumberHex: certificate.serialNumberHex,
          result: 'revoked',
        },
      });
      expect(await store.latestRevocationAt()).not.toBeNull();
      expect(
        await store.listRevocations({ from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' }),
      ).toEqual([expect.objectContaining({ requestId: revocation.requestId, outcome: 'revoked' })]);
      expect(
        await store.listRevocations({ from: '2027-01-01T00:00:00Z', to: '2028-01-01T00:00:00Z' }),
      ).toEqual([]);
    });

    test('a CA that fails before acting, loses its answer or refuses the call: retried after a back-off, revoked once at the CA', async () => {
      const inner = await testDevCa(clock.now);
      ca = inner;
      const certificates = await issued(store, inner, clock.now, 3);
      const scripted = new ScriptedCa(inner, ['fail-before', 'lose-answer', 'refuse-call']);
      const forwarder = createForwarder({
        store,
        connector: scripted,
        logger,
        now: clock.now,
        retry: { firstMs: 60_000, maxMs: 3_600_000 },
        random: () => 0.5,
      });
      const requests = [];
      for (const certificate of certificates)
        requests.push(await request(store, revocationOf(certificate, clock.now())));

      expect(await forwarder.runOnce()).toMatchObject({ revoked: 0, revocationsRetried: 3 });
      const rows = await Promise.all(requests.map((r) => store.getRevocation(r.requestId)));
      const byError = (prefix: string) => rows.find((r) => r?.lastError?.startsWith(prefix));
      expect(byError('unavailable:')).toMatchObject({ status: 'retry' });
      expect(Date.parse(byError('unavailable:')?.nextAttemptAt ?? '')).toBe(clock.now().getTime() + 60_000);
      // The refused call waits the longest back-off: an operator must look first.
      expect(Date.parse(byError('refused:')?.nextAttemptAt ?? '')).toBe(clock.now().getTime() + 3_600_000);

      clock.advance(61_000);
      expect(await forwarder.runOnce()).toMatchObject({ revoked: 2, revocationsRetried: 0 });
      clock.advance(3_600_000);
      expect(await forwarder.runOnce()).toMatchObject({ revoked: 1 });
      for (const r of requests) {
        expect(await store.getRevocation(r.requestId)).toMatchObject({ status: 'done', attempts: 2 });
      }
      // The lost answer's request reached the CA twice; the CA revoked it once and said so.
      const lost = rows.find((r) => r?.lastError?.startsWith('timeout:'));
      expect(scripted.calls.get(lost?.requestId ?? '')).toBe(2);
      expect(await store.getRevocation(lost?.requestId ?? '')).toMatchObject({ outcome: 'already-revoked' });
      const text = await crlText(inner);
      for (const c of certificates) expect(text).toContain(`Serial Number: ${c.serialNumberHex}`);
    });

    test('a certificate the CA does not know ends in attention with an event, and is not sent again', async () => {
      ca = await testDevCa(clock.now);
      const [certificate] = await issued(store, ca, clock.now, 1);
      if (!certificate) throw new Error('one certificate expected');
      // The RA's record names a serial the CA never issued.
      const wrong = { ...certificate, serialNumberHex: '7F'.repeat(16) };
      const revocation = await request(store, revocationOf(wrong, clock.now()));
      const scripted = new ScriptedCa(ca);
      const forwarder = createForwarder({ store, connector: scripted, logger, now: clock.now });
      expect(await forwarder.runOnce()).toMatchObject({ revoked: 0, revocationsFailed: 1 });
      expect(await store.getRevocation(revocation.requestId)).toMatchObject({
        status: 'attention',
        outcome: 'unknown-certificate',
      });
      expect((await store.listApplicationEvents(certificate.applicationId)).at(-1)).toMatchObject({
        event: 'revocation-failed',
        actor: 'ca',
      });
      clock.advance(48 * 3_600_000);
      await forwarder.runOnce();
      expect(scripted.calls.get(revocation.requestId)).toBe(1);
    });

    test('one request per certificate: the same request again is a duplicate, another request for the serial finds the first', async () => {
      ca = await testDevCa(clock.now);
      const [certificate] = await issued(store, ca, clock.now, 1);
      if (!certificate) throw new Error('one certificate expected');
      const first = revocationOf(certificate, clock.now());
      expect((await store.recordRevocation(first)).status).toBe('requested');
      expect(await store.recordRevocation(first)).toMatchObject({ status: 'duplicate' });
      const second = await store.recordRevocation(revocationOf(certificate, clock.now(), 'superseded'));
      expect(second).toMatchObject({
        status: 'already-requested',
        revocation: { requestId: first.requestId, reason: 'keyCompromise' },
      });
      // The first request's id with other content is a conflict.
      expect(await store.recordRevocation({ ...first, payload: '{"other":1}' })).toEqual({
        status: 'conflict',
      });
      const events = await store.listApplicationEvents(certificate.applicationId);
      expect(events.filter((e) => e.event === 'revocation-requested')).toHaveLength(1);
    });

    test('a worker that dies holding requests gives them up when its lease ends; its late answer is ignored', async () => {
      ca = await testDevCa(clock.now);
      const certificates = await issued(store, ca, clock.now, 2);
      for (const c of certificates) await request(store, revocationOf(c, clock.now()));
      const at = clock.now().toISOString();
      const leaseUntil = new Date(clock.now().getTime() + 60_000).toISOString();
      const dead = await store.claimForRevocation({ token: 'worker-a', at, leaseUntil, limit: 10 });
      expect(dead).toHaveLength(2);
      expect(await store.claimForRevocation({ token: 'worker-b', at, leaseUntil, limit: 10 })).toEqual([]);
      const after = new Date(clock.now().getTime() + 61_000).toISOString();
      const taken = await store.claimForRevocation({
        token: 'worker-b',
        at: after,
        leaseUntil: new Date(clock.now().getTime() + 121_000).toISOString(),
        limit: 10,
      });
      expect(taken.map((t) => t.attempts)).toEqual([2, 2]);
      const answer = (token: string) =>
        store.settleRevocations(
          token,
          dead.map((d) => ({ requestId: d.requestId, outcome: 'revoked' as const, revokedAt: after })),
          after,
        );
      expect(await answer('worker-a')).toBe(0);
      expect(await answer('worker-b')).toBe(2);
    });

    test('two workers over one database: each of 30 revocation requests reaches the CA exactly once', {
      timeout: 120_000,
    }, async () => {
      ca = await testDevCa(() => new Date());
      const certificates = await issued(store, ca, () => new Date(), 30);
      for (const c of certificates) await request(store, revocationOf(c, new Date()));
      // SQLite's workers share its one connection (see forwarding.test.ts); PostgreSQL's have their own.
      const second = kind === 'postgres' ? await target.open() : store;
      try {
        const scripted = new ScriptedCa(ca, [], 10);
        const workers = [store, second].map((s) =>
          createForwarder({ store: s, connector: scripted, logger, batchSize: 4 }),
        );
        const reports = await Promise.all(workers.map((w) => w.runOnce()));
        expect(reports.reduce((n, r) => n + r.revoked, 0)).toBe(30);
        expect(Math.min(...reports.map((r) => r.revoked))).toBeGreaterThan(0);
        expect(scripted.calls.size).toBe(30);
        expect([...scripted.calls.values()].every((n) => n === 1)).toBe(true);
        const text = await crlText(ca);
        for (const c of certificates) expect(text).toContain(`Serial Number: ${c.serialNumberHex}`);
      } finally {
        if (second !== store) await second.close();
      }
    });

    if (kind === 'postgres') {
      test('PostgreSQL: requests another transaction has locked are skipped, not waited for', async () => {
        ca = await testDevCa(clock.now);
        const certificates = await issued(store, ca, clock.now, 3);
        const ids = [];
        for (const c of certificates)
          ids.push((await request(store, revocationOf(c, clock.now()))).requestId);
        ids.sort();
        const client = new pg.Client({ connectionString: target.databaseUrl });
        await client.connect();
        try {
          await client.query('begin');
          await client.query('select id from revocations where id = $1 for update', [ids[0]]);
          const claim = {
            token: 'worker-a',
            at: clock.now().toISOString(),
            leaseUntil: new Date(clock.now().getTime() + 60_000).toISOString(),
            limit: 10,
          };
          const blocked = new Promise<'blocked'>((resolve) => setTimeout(() => resolve('blocked'), 5_000));
          const claimed = await Promise.race([store.claimForRevocation(claim), blocked]);
          if (claimed === 'blocked') throw new Error('the claim waited for a locked row');
          expect(claimed.map((c) => c.requestId)).toEqual(ids.slice(1));
          await client.query('commit');
          expect(
            (await store.claimForRevocation({ ...claim, token: 'worker-b' })).map((c) => c.requestId),
          ).toEqual([ids[0]]);
        } finally {
          await client.end();
        }
      });
    }
  },
);
