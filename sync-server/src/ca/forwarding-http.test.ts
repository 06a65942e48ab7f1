/**
 * The forwarding job through the http connector to the dev CA served over HTTP, behind a link that
 * fails the way real ones do: 5xx, no answer, an answer that is not JSON, and answers lost after
 * the CA acted. Every application must end issued, each made once at the CA.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, inject, test } from 'vitest';
import {
  manualClock,
  manyApplications,
  type StoreTarget,
  seedApproved,
  storeTargets,
  testDevCa,
} from '../../../tests/support/forwarding-fixtures';
import { createLogger } from '../logger';
import type { Store } from '../store/store';
import type { DevCa } from './dev-ca/dev-ca';
import { createForwarder, type ForwardReport } from './forwarding';
import { caHttpApp } from './http/ca-http-api';
import { createHttpConnector } from './http/http-connector';
import { type Running, referenceConfig, serveApp, TOKEN } from './http/test-fixtures';

type LinkFault = 'ok' | '503' | 'hang' | 'garbage' | 'act-then-503' | 'act-then-garbage';

/** A front for the CA's API that fails each request as the script says, then passes the rest on. */
async function faultyLink(upstream: string, script: LinkFault[]): Promise<Running & { faults: LinkFault[] }> {
  const seen: LinkFault[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const fault = script.shift() ?? 'ok';
      seen.push(fault);
      if (fault === 'hang') return;
      if (fault === '503') {
        res.writeHead(503).end();
        return;
      }
      if (fault === 'garbage') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"accepted": [');
        return;
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers[name] = value;
      }
      const method = req.method ?? 'GET';
      const answer = await fetch(`${upstream}${req.url ?? '/'}`, {
        method,
        headers,
        ...(method === 'GET' ? {} : { body: Buffer.concat(chunks) }),
      });
      const body = Buffer.from(await answer.arrayBuffer());
      if (fault === 'act-then-503') res.writeHead(503).end();
      else if (fault === 'act-then-garbage')
        res.writeHead(200, { 'content-type': 'application/json' }).end('<html>');
      else {
        res.writeHead(answer.status, {
          'content-type': answer.headers.get('content-type') ?? 'application/json',
        });
        res.end(body);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    faults: seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe.each(storeTargets(inject('databaseUrl')))(
  'forwarding over HTTP to the dev CA ($kind)',
  ({ create }) => {
    let target: StoreTarget;
    let store: Store;
    let ca: DevCa;
    let api: Running;
    let link: Running & { faults: LinkFault[] };
    const clock = manualClock();

    beforeEach(async () => {
      target = await create();
      store = await target.open();
      ca = await testDevCa(clock.now);
      api = await serveApp(caHttpApp(ca, { token: TOKEN }));
    });
    afterEach(async () => {
      await link.close();
      await api.close();
      await ca.close();
      await store.close();
      await target.dispose();
    });

    test('5xx, no answer, answers that are not JSON and answers lost after the CA acted: all retried, every application issued, each made once at the CA', async () => {
      const applications = await manyApplications(12);
      await seedApproved(store, applications, { release: true });
      link = await faultyLink(api.baseUrl, [
        '503',
        'hang',
        'act-then-garbage',
        'act-then-503',
        'garbage',
        'ok',
        'act-then-503',
        'hang',
        'ok',
        '503',
      ]);
      const connector = createHttpConnector(referenceConfig(link.baseUrl, { timeoutMs: 300 }), {
        env: { CA_HTTP_TOKEN: TOKEN },
      });
      const forwarder = createForwarder({
        store,
        connector,
        logger: createLogger('silent'),
        now: clock.now,
        batchSize: 4,
      });
      const totals: Partial<ForwardReport> = {};
      for (let round = 0; round < 30; round++) {
        const report = await forwarder.runOnce();
        for (const [key, n] of Object.entries(report) as [keyof ForwardReport, number][]) {
          totals[key] = (totals[key] ?? 0) + n;
        }
        if ((await store.countApplicationsByState()).issued === applications.length) break;
        clock.advance(2 * 60 * 60_000);
      }
      await connector.close();

      expect(await store.countApplicationsByState()).toEqual({ issued: applications.length });
      // Every fault of the script happened, and the job came through each.
      expect(new Set(link.faults)).toEqual(
        new Set(['ok', '503', 'hang', 'garbage', 'act-then-503', 'act-then-garbage']),
      );
      expect(totals.retried ?? 0).toBeGreaterThan(0);
      const log = await ca.submissionLog();
      const firsts = new Map<string, number>();
      for (const entry of log)
        if (!entry.repeat) firsts.set(entry.applicationId, (firsts.get(entry.applicationId) ?? 0) + 1);
      expect([...firsts.keys()].sort()).toEqual(applications.map((a) => a.id).sort());
      expect([...firsts.values()].every((n) => n === 1)).toBe(true);
      // Answers were lost after the CA acted: those applications went again, as repeats.
      expect(log.some((e) => e.repeat)).toBe(true);
      const errors = (await Promise.all(applications.map((a) => store.getForwarding(a.id)))).map(
        (f) => f?.attempts ?? 0,
      );
      expect(Math.max(...errors)).toBeGreaterThan(1);
    });
  },
);
