import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, inject, test } from 'vitest';
import { parseCertificates } from '../../../src/core/certificate/certificate';
import { makeApplication } from '../../../tests/support/applications';
import {
  applicantRequest,
  manualClock,
  manyApplications,
  type StoreTarget,
  seedApproved,
  storeTargets,
  testDevCa,
} from '../../../tests/support/forwarding-fixtures';
import { opensslWorkspace } from '../../../tests/support/openssl';
import { createLogger } from '../logger';
import type { Store } from '../store/store';
import { type CaConnector, CaError, type CaSubmitResult } from './connector';
import type { DevCa } from './dev-ca/dev-ca';
import { backoffMs, createForwarder, emptyForwardReport, type ForwardReport } from './forwarding';

const logger = createLogger('silent');

type Fault = 'ok' | 'fail-before' | 'lose-answer' | 'malformed-after' | 'drop-one' | 'refuse-call';

/**
 * The CA behind a bad link: per call a scripted fault. `fail-before` fails without the CA acting;
 * `lose-answer` and `malformed-after` let the CA act and lose or garble its answer; `drop-one`
 * answers for all but the first request.
 */
class FlakyCa implements CaConnector {
  readonly name = 'flaky';
  constructor(
    private readonly inner: CaConnector,
    private readonly script: { submit?: Fault[]; poll?: Fault[]; fetch?: Fault[] },
  ) {}

  private next(method: 'submit' | 'poll' | 'fetch'): Fault {
    return this.script[method]?.shift() ?? 'ok';
  }

  private static after(fault: Fault): void {
    if (fault === 'lose-answer') throw new CaError('timeout', 'no answer within 30000 ms');
    if (fault === 'malformed-after') throw new CaError('malformed', 'the answer is not JSON');
  }

  async submit(requests: Parameters<CaConnector['submit']>[0]): Promise<CaSubmitResult> {
    const fault = this.next('submit');
    if (fault === 'fail-before') throw new CaError('unavailable', 'HTTP 503');
    if (fault === 'refuse-call') throw new CaError('refused', 'HTTP 401 from submit');
    const result = await this.inner.submit(requests);
    FlakyCa.after(fault);
    return fault === 'drop-one' ? { ...result, accepted: result.accepted.slice(1) } : result;
  }

  async poll(references: readonly string[]) {
    const fault = this.next('poll');
    if (fault === 'fail-before') throw new CaError('unavailable', 'connection refused');
    const result = await this.inner.poll(references);
    FlakyCa.after(fault);
    return result;
  }

  async fetchCertificates(references: readonly string[]) {
    const fault = this.next('fetch');
    if (fault === 'fail-before') throw new CaError('unavailable', 'HTTP 502');
    const result = await this.inner.fetchCertificates(references);
    FlakyCa.after(fault);
    return result;
  }

  revoke(request: Parameters<CaConnector['revoke']>[0]) {
    return this.inner.revoke(request);
  }
  fetchCrl() {
    return this.inner.fetchCrl();
  }
  close() {
    return this.inner.close();
  }
}

/** Runs the forwarder until a run does nothing, moving the clock past every back-off before each run. */
async function drain(run: () => Promise<ForwardReport>, clock: { advance(ms: number): void }) {
  const totals = emptyForwardReport();
  for (let round = 0; round < 50; round++) {
    clock.advance(2 * 60 * 60_000);
    const report = await run();
    for (const key of Object.keys(totals) as (keyof ForwardReport)[]) totals[key] += report[key];
    if (Object.values(report).every((n) => n === 0)) return totals;
  }
  throw new Error('the forwarder never came to rest');
}

/** Non-repeat submissions per application, as the CA saw them. */
async function firstSubmissions(ca: DevCa): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const entry of await ca.submissionLog()) {
    if (!entry.repeat) counts.set(entry.applicationId, (counts.get(entry.applicationId) ?? 0) + 1);
  }
  return counts;
}

const postgresUrl = inject('databaseUrl');

describe.each(storeTargets(postgresUrl))('forwarding to the CA ($kind)', ({ kind, create }) => {
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

  test('only approved and released applications go out, once each; the certificate and its chain come back checked', async () => {
    ca = await testDevCa(clock.now);
    const released = [
      makeApplication({ ...(await applicantRequest()), id: randomUUID() }),
      makeApplication({
        ...(await applicantRequest({
          certificateType: 'sistem-elektronik',
          nama: 'SISTEM SURAT ELEKTRONIK',
          host: 'surat.madiunkota.go.id',
          email: 'diskominfo@madiunkota.go.id',
          keyAlgorithm: 'RSA-2048',
        })),
        id: randomUUID(),
      }),
    ];
    const unreleased = makeApplication({ ...(await applicantRequest()), id: randomUUID() });
    await seedApproved(store, released, { release: true });
    await seedApproved(store, [unreleased], { release: false });
    const forwarder = createForwarder({ store, connector: ca, logger, now: clock.now });

    const report = await forwarder.runOnce();
    expect(report).toMatchObject({ submitted: 2, issued: 2, retried: 0, attention: 0 });

    const work = opensslWorkspace('sertel-forwarded');
    try {
      work.write('root.pem', ca.rootCertificatePem);
      for (const { id } of released) {
        const stored = await store.getApplication(id);
        expect(stored?.state).toBe('issued');
        // The holder's certificate, then the issuing CA and the root.
        const blocks = parseCertificates(stored?.certificatePem ?? '');
        expect(blocks.ok && blocks.value.length).toBe(3);
        work.write('issued.pem', stored?.certificatePem ?? '');
        work.write(
          'leaf.pem',
          (stored?.certificatePem ?? '').split(/(?<=-----END CERTIFICATE-----)/)[0] ?? '',
        );
        expect(
          work.run(['verify', '-CAfile', 'root.pem', '-untrusted', 'issued.pem', 'leaf.pem']).out,
        ).toContain('leaf.pem: OK');
        const events = await store.listApplicationEvents(id);
        const sent = events.find((e) => e.event === 'sent-to-ca');
        const issued = events.find((e) => e.event === 'issued');
        expect(sent).toMatchObject({ actor: 'server:forwarding' });
        expect(sent?.detail?.caReference).toBe((await store.getForwarding(id))?.caReference);
        expect(issued?.actor).toBe('ca');
        expect(issued?.detail?.serialNumberHex).toMatch(/^[0-9A-F]{2,40}$/);
        expect(await store.getForwarding(id)).toMatchObject({ status: 'done', attempts: 1 });
      }
    } finally {
      work.remove();
    }
    expect((await store.getApplication(unreleased.id))?.state).toBe('received');
    expect(await store.getForwarding(unreleased.id)).toBeNull();

    // Nothing is due any more: a second run asks the CA nothing.
    expect(Object.values(await forwarder.runOnce()).every((n) => n === 0)).toBe(true);
    expect((await ca.submissionLog()).map((e) => e.applicationId).sort()).toEqual(
      released.map((a) => a.id).sort(),
    );
  });

  test('an application whose official e-mail is not confirmed stays on the server (Pasal 10); once it is, the next run sends it', async () => {
    ca = await testDevCa(clock.now);
    const [application] = await manyApplications(1, { email: 'siti.rahayu@madiunkota.go.id' });
    if (!application) throw new Error('one application expected');
    await seedApproved(store, [application], { release: true, confirmEmail: false });
    const forwarder = createForwarder({ store, connector: ca, logger, now: clock.now });

    expect(await forwarder.runOnce()).toMatchObject({ submitted: 0, retried: 0 });
    expect(await store.getForwarding(application.id)).toBeNull();
    expect((await store.getApplication(application.id))?.state).toBe('received');
    expect(await store.applicationStatuses(application.kioskId, [application.id])).toEqual([
      expect.objectContaining({ state: 'received', emailConfirmed: false }),
    ]);

    // Another address proven for this application is not this application's address.
    await store.recordEmailConfirmation({
      applicationId: application.id,
      email: 'orang.lain@madiunkota.go.id',
      confirmedAt: clock.now().toISOString(),
      via: 'code',
      actor: 'test',
    });
    expect(await forwarder.runOnce()).toMatchObject({ submitted: 0 });
    expect(await ca.submissionLog()).toHaveLength(0);

    // The address as the applicant typed it in the mail client's case: still the same address.
    await store.recordEmailConfirmation({
      applicationId: application.id,
      email: 'Siti.Rahayu@MadiunKota.go.id',
      confirmedAt: clock.now().toISOString(),
      via: 'link',
      actor: 'email-link',
    });
    expect(await store.applicationStatuses(application.kioskId, [application.id])).toEqual([
      expect.objectContaining({ emailConfirmed: true }),
    ]);
    expect(await forwarder.runOnce()).toMatchObject({ submitted: 1, issued: 1 });
    expect((await store.getApplication(application.id))?.state).toBe('issued');
    expect((await ca.submissionLog()).map((e) => e.applicationId)).toEqual([application.id]);
  });

  test('a request pending at the CA is asked about again after a back-off, then issued', async () => {
    ca = await testDevCa(clock.now, { delayMs: 10 * 60_000 });
    const [application] = await manyApplications(1);
    if (!application) throw new Error('one application expected');
    await seedApproved(store, [application], { release: true });
    const forwarder = createForwarder({ store, connector: ca, logger, now: clock.now });

    expect(await forwarder.runOnce()).toMatchObject({ submitted: 1, pending: 1, issued: 0 });
    expect((await store.getApplication(application.id))?.state).toBe('sent-to-ca');
    const waiting = await store.getForwarding(application.id);
    expect(waiting).toMatchObject({ status: 'submitted', pollAttempts: 1 });
    // Not due yet: the CA is not asked.
    expect(await forwarder.runOnce()).toMatchObject({ pending: 0, issued: 0 });

    clock.advance(11 * 60_000);
    expect(await forwarder.runOnce()).toMatchObject({ issued: 1 });
    expect((await store.getApplication(application.id))?.state).toBe('issued');
  });

  test('a certificate that starts a minute after the RA’s clock (clocks differ) is fetched again later, not put before an operator', async () => {
    ca = await testDevCa(() => new Date(clock.now().getTime() + 60_000));
    const [application] = await manyApplications(1);
    if (!application) throw new Error('one application expected');
    await seedApproved(store, [application], { release: true });
    const forwarder = createForwarder({ store, connector: ca, logger, now: clock.now });
    expect(await forwarder.runOnce()).toMatchObject({ submitted: 1, pending: 1, attention: 0 });
    expect(await store.getForwarding(application.id)).toMatchObject({ status: 'submitted' });
    clock.advance(60 * 60_000);
    expect(await forwarder.runOnce()).toMatchObject({ issued: 1 });
  });

  test('a CSR the CA will not sign ends as the CA’s refusal, with its reason, and is not sent again', async () => {
    ca = await testDevCa(clock.now);
    // The request says one name, the application another: the CA's profile check refuses it.
    const misfit = makeApplication({
      ...(await applicantRequest({ nama: 'BUDI SANTOSO' })),
      nama: 'SITI RAHAYU',
      id: randomUUID(),
    });
    await seedApproved(store, [misfit], { release: true });
    const forwarder = createForwarder({ store, connector: ca, logger, now: clock.now });

    expect(await forwarder.runOnce()).toMatchObject({ refused: 1, submitted: 0 });
    const stored = await store.getApplication(misfit.id);
    expect(stored?.state).toBe('ca-rejected');
    expect(stored?.stateReason).toBeTruthy();
    expect(await store.getForwarding(misfit.id)).toMatchObject({ status: 'done' });
    clock.advance(24 * 60 * 60_000);
    await forwarder.runOnce();
    expect(await ca.submissionLog()).toHaveLength(1);
  });

  test('CA failures (unavailable, a lost answer, a malformed one, one left out) are retried until issued, and the CA makes each request once', async () => {
    const inner = await testDevCa(clock.now);
    ca = inner;
    const applications = await manyApplications(12);
    await seedApproved(store, applications, { release: true });
    const flaky = new FlakyCa(inner, {
      submit: ['fail-before', 'lose-answer', 'malformed-after', 'drop-one'],
      poll: ['fail-before', 'lose-answer'],
      fetch: ['fail-before', 'malformed-after'],
    });
    const forwarder = createForwarder({ store, connector: flaky, logger, now: clock.now, batchSize: 5 });

    const first = await forwarder.runOnce();
    expect(first).toMatchObject({ retried: 12, submitted: 0 });
    const waiting = (await Promise.all(applications.map((a) => store.getForwarding(a.id)))).filter(
      (f) => f?.status === 'retry',
    );
    // Three batches: refused before the CA acted, answer lost after it acted, answer garbled.
    expect(waiting).toHaveLength(12);
    const errors = waiting.map((f) => f?.lastError ?? '');
    expect(errors.filter((e) => e.startsWith('unavailable:'))).toHaveLength(5);
    expect(errors.filter((e) => e.startsWith('timeout:'))).toHaveLength(5);
    expect(errors.filter((e) => e.startsWith('malformed:'))).toHaveLength(2);
    for (const row of waiting) {
      expect(Date.parse(row?.nextAttemptAt ?? '')).toBeGreaterThan(clock.now().getTime());
    }

    await drain(() => forwarder.runOnce(), clock);
    for (const application of applications) {
      expect((await store.getApplication(application.id))?.state).toBe('issued');
    }
    const firsts = await firstSubmissions(inner);
    expect([...firsts.keys()].sort()).toEqual(applications.map((a) => a.id).sort());
    expect([...firsts.values()].every((n) => n === 1)).toBe(true);
    // Answers were lost after the CA acted: those applications were sent again, as repeats.
    expect((await inner.submissionLog()).some((e) => e.repeat)).toBe(true);
  });

  test('a submission call the CA refuses outright (a 4xx) keeps the applications, waits the longest back-off, then goes through', async () => {
    const inner = await testDevCa(clock.now);
    ca = inner;
    const applications = await manyApplications(2);
    await seedApproved(store, applications, { release: true });
    const forwarder = createForwarder({
      store,
      connector: new FlakyCa(inner, { submit: ['refuse-call'] }),
      logger,
      now: clock.now,
      retry: { firstMs: 1_000, maxMs: 3_600_000 },
    });
    expect(await forwarder.runOnce()).toMatchObject({ retried: 2, submitted: 0 });
    for (const application of applications) {
      const row = await store.getForwarding(application.id);
      expect(row?.lastError).toMatch(/^refused:/);
      expect(Date.parse(row?.nextAttemptAt ?? '')).toBe(clock.now().getTime() + 3_600_000);
    }
    clock.advance(30 * 60_000);
    expect(await forwarder.runOnce()).toMatchObject({ submitted: 0 });
    clock.advance(31 * 60_000);
    expect(await forwarder.runOnce()).toMatchObject({ submitted: 2, issued: 2 });
  });

  test('a worker that dies holding applications gives them up when its lease ends; its late answer is ignored', async () => {
    const applications = await manyApplications(3);
    await seedApproved(store, applications, { release: true });
    const at = clock.now().toISOString();
    const leaseUntil = new Date(clock.now().getTime() + 60_000).toISOString();
    const dead = await store.claimForSubmission({ token: 'worker-a', at, leaseUntil, limit: 10 });
    expect(dead.map((c) => c.application.id).sort()).toEqual(applications.map((a) => a.id).sort());
    expect(dead[0]?.application.csrPem).toBe(
      applications.find((a) => a.id === dead[0]?.application.id)?.csrPem,
    );

    expect(await store.claimForSubmission({ token: 'worker-b', at, leaseUntil, limit: 10 })).toEqual([]);
    const afterLease = new Date(clock.now().getTime() + 61_000).toISOString();
    const taken = await store.claimForSubmission({
      token: 'worker-b',
      at: afterLease,
      leaseUntil: new Date(clock.now().getTime() + 121_000).toISOString(),
      limit: 10,
    });
    expect(taken.map((c) => c.attempts)).toEqual([2, 2, 2]);

    const late = dead.map((c) => ({
      applicationId: c.application.id,
      outcome: 'accepted' as const,
      caReference: 'A',
    }));
    expect(await store.settleSubmissions('worker-a', late, afterLease)).toBe(0);
    const current = taken.map((c) => ({
      applicationId: c.application.id,
      outcome: 'accepted' as const,
      caReference: 'B',
    }));
    expect(await store.settleSubmissions('worker-b', current, afterLease)).toBe(3);
    for (const application of applications) {
      expect(await store.getForwarding(application.id)).toMatchObject({
        status: 'submitted',
        caReference: 'B',
      });
      expect((await store.getApplication(application.id))?.state).toBe('sent-to-ca');
    }
  });

  test('two forwarding workers over one database with 1,000 approved applications: each is submitted exactly once', {
    timeout: 180_000,
  }, async () => {
    ca = await testDevCa(() => new Date());
    const applications = await manyApplications(1000);
    await seedApproved(store, applications, { release: true });
    // SQLite is one process's database: two connections in one process would wait on each other's
    // write lock synchronously. Its two workers share the one connection; PostgreSQL's get their own.
    const second = kind === 'postgres' ? await target.open() : store;
    try {
      // Each worker's first call to the CA waits (up to 10 s) until the other worker has a batch at
      // the CA too: from then on both hold claims at once, whatever the scheduler does. A worker that
      // could not claim while the other holds rows would leave the wait to time out and submit 0.
      const arrivals = [0, 1].map(() => {
        let arrive = () => {};
        const arrived = new Promise<void>((resolve) => {
          arrive = resolve;
        });
        return { arrive, arrived, first: true };
      });
      const atTheCa = (worker: 0 | 1, inner: CaConnector): CaConnector =>
        new Proxy(inner, {
          get(object, property, receiver) {
            const value = Reflect.get(object, property, receiver) as unknown;
            if (property !== 'submit' || typeof value !== 'function') return value;
            return async (...args: unknown[]) => {
              const mine = arrivals[worker];
              const other = arrivals[1 - worker];
              if (mine?.first && other) {
                mine.first = false;
                mine.arrive();
                await Promise.race([other.arrived, new Promise((resolve) => setTimeout(resolve, 10_000))]);
              }
              // A little latency at the CA, so the workers' claims and answers keep interleaving.
              await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 5));
              return (value as (...a: unknown[]) => unknown).apply(object, args);
            };
          },
        });
      const workers = ([store, second] as const).map((s, worker) =>
        createForwarder({
          store: s,
          connector: atTheCa(worker === 0 ? 0 : 1, ca as DevCa),
          logger,
          batchSize: 25,
          maxBatchesPerRun: 100,
        }),
      );
      const reports = await Promise.all(workers.map((w) => w.runOnce()));
      const submitted = reports.map((r) => r.submitted);
      expect(submitted.reduce((a, b) => a + b, 0)).toBe(1000);
      // Both did a share of the work.
      expect(Math.min(...submitted)).toBeGreaterThan(0);
      const log = await ca.submissionLog();
      expect(log).toHaveLength(1000);
      expect(log.some((e) => e.repeat)).toBe(false);
      expect(new Set(log.map((e) => e.applicationId)).size).toBe(1000);
      const states = await store.countApplicationsByState();
      expect(states).toEqual({ issued: 1000 });
    } finally {
      if (second !== store) await second.close();
    }
  });

  test('two workers and a CA that fails a third of the calls in every way: each application ends issued, and the CA made each request once', {
    timeout: 120_000,
  }, async () => {
    const inner = await testDevCa(clock.now);
    ca = inner;
    const applications = await manyApplications(200);
    await seedApproved(store, applications, { release: true });
    const second = kind === 'postgres' ? await target.open() : store;
    try {
      // A fixed pseudo-random sequence of faults: the same run every time.
      let x = 2463534242;
      const faults: Fault[] = ['fail-before', 'lose-answer', 'malformed-after', 'drop-one'];
      const nextFault = (): Fault => {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        const r = (x >>> 0) / 2 ** 32;
        return r < 2 / 3 ? 'ok' : (faults[Math.floor((r - 2 / 3) * 3 * faults.length)] ?? 'ok');
      };
      const script = () => ({
        submit: Array.from({ length: 400 }, nextFault),
        poll: Array.from({ length: 400 }, () => (nextFault() === 'drop-one' ? 'ok' : nextFault())),
        fetch: Array.from({ length: 400 }, () => (nextFault() === 'drop-one' ? 'ok' : nextFault())),
      });
      const workers = [store, second].map((s) =>
        createForwarder({
          store: s,
          connector: new FlakyCa(inner, script()),
          logger,
          now: clock.now,
          batchSize: 10,
        }),
      );
      await drain(async () => {
        const reports = await Promise.all(workers.map((w) => w.runOnce()));
        return reports.reduce((sum, r) => {
          for (const key of Object.keys(sum) as (keyof ForwardReport)[]) sum[key] += r[key];
          return sum;
        });
      }, clock);
      expect(await store.countApplicationsByState()).toEqual({ issued: 200 });
      const firsts = await firstSubmissions(inner);
      expect(firsts.size).toBe(200);
      expect([...firsts.values()].every((n) => n === 1)).toBe(true);
    } finally {
      if (second !== store) await second.close();
    }
  });

  if (kind === 'postgres') {
    test('PostgreSQL: applications another transaction has locked are skipped, not waited for', async () => {
      const applications = await manyApplications(4);
      await seedApproved(store, applications, { release: true });
      const ids = applications.map((a) => a.id).sort();
      const client = new pg.Client({ connectionString: target.databaseUrl });
      await client.connect();
      try {
        await client.query('begin');
        await client.query('select id from applications where id = any($1) for update', [ids.slice(0, 2)]);
        const claim = {
          token: 'worker-a',
          at: clock.now().toISOString(),
          leaseUntil: new Date(clock.now().getTime() + 60_000).toISOString(),
          limit: 10,
        };
        const blocked = new Promise<'blocked'>((resolve) => setTimeout(() => resolve('blocked'), 5_000));
        const claimed = await Promise.race([store.claimForSubmission(claim), blocked]);
        if (claimed === 'blocked') throw new Error('the claim waited for a locked row');
        expect(claimed.map((c) => c.application.id)).toEqual(ids.slice(2));
        await client.query('commit');
        const rest = await store.claimForSubmission({ ...claim, token: 'worker-b' });
        expect(rest.map((c) => c.application.id)).toEqual(ids.slice(0, 2));
      } finally {
        await client.end();
      }
    });
  }
});

test('back-off doubles per attempt from the first wait, stays within its cap, and is jittered by ±25 %', () => {
  const policy = { firstMs: 30_000, maxMs: 3_600_000 };
  expect(backoffMs(policy, 1, () => 0.5)).toBe(30_000);
  expect(backoffMs(policy, 2, () => 0.5)).toBe(60_000);
  expect(backoffMs(policy, 4, () => 0.5)).toBe(240_000);
  expect(backoffMs(policy, 30, () => 0.5)).toBe(3_600_000);
  expect(backoffMs(policy, 1, () => 0)).toBe(22_500);
  expect(backoffMs(policy, 1, () => 1)).toBe(37_500);
});
