/**
 * Fourteen days in the field with no link: 500 applications queued while every sync attempt fails,
 * then the link comes back. Nothing is dropped by age, each arrives once, in capture order.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryIdentity, createMemoryOutbox } from '../../src/adapters/db/memory-outbox';
import { createHttpTransport } from '../../src/adapters/sync/http-transport';
import { enrollKiosk } from '../../src/app/enroll-kiosk';
import type { SyncTransport } from '../../src/app/ports';
import { syncOutbox } from '../../src/app/sync-outbox';
import { loadConfig } from '../../sync-server/src/config';
import { createLogger } from '../../sync-server/src/logger';
import { type RunningServer, startServer } from '../../sync-server/src/server';
import { simulatedApplication } from '../../sync-server/src/simulator/applications';
import { createEnrollmentCodeViaAdmin, TEST_ADMIN_TOKEN, urlFetcher } from '../support/signed-kiosk';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const COUNT = 500;

let server: RunningServer;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sertel-offline-days-'));
  server = await startServer(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      LOG_LEVEL: 'silent',
    }),
    createLogger('silent'),
  );
});

afterAll(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('fourteen days offline', () => {
  it('keeps 500 applications through every failed attempt and sends each once, in capture order', {
    timeout: 120_000,
  }, async () => {
    const start = Date.now() - 14 * DAY;
    let clock = start;
    const now = () => new Date(clock);
    const outbox = createMemoryOutbox();
    const identity = createMemoryIdentity();
    const http = createHttpTransport(server.url, identity);
    const { code } = await createEnrollmentCodeViaAdmin(urlFetcher(server.url), 'Tim Lapangan 1');
    expect((await enrollKiosk(code, { identity, transport: http, now })).ok).toBe(true);

    let online = false;
    const arrived: string[] = [];
    const transport: SyncTransport = {
      async sendBatch(batch) {
        if (!online) return { kind: 'network-error', message: 'no route to host' };
        const answer = await http.sendBatch(batch);
        if (answer.kind === 'response' && answer.status === 200)
          arrived.push(...batch.records.map((r) => r.id));
        return answer;
      },
      async fetchStatuses(request) {
        if (!online) return { kind: 'network-error', message: 'no route to host' };
        return http.fetchStatuses(request);
      },
    };
    const deps = { outbox, identity, transport, now, random: Math.random };

    // Two weeks of work: applications through the day, a sync attempt every hour, each one failing.
    const captured: string[] = [];
    let attempts = 0;
    for (let n = 0; n < COUNT; n++) {
      clock = start + Math.floor((n / COUNT) * 14 * DAY);
      const item = await simulatedApplication(n, {
        attachmentBytes: 2048,
        createdAt: now(),
        newId: () => crypto.randomUUID(),
      });
      await outbox.add(item);
      captured.push(item.id);
      if (n % 3 === 0) {
        clock += HOUR;
        const report = await syncOutbox(deps);
        attempts++;
        expect(report.synced).toBe(0);
      }
    }
    expect(attempts).toBeGreaterThan(100);
    expect((await outbox.queued()).length).toBe(COUNT);
    // Some items failed many times and carry the longest back-off; none was dropped for it.
    expect(Math.max(...(await outbox.queued()).map((i) => i.attempts))).toBeGreaterThan(5);

    // Back in the office: the `online` event forces a pass that ignores the back-off.
    online = true;
    clock = Date.now();
    for (let pass = 0; pass < 100 && (await outbox.queued()).length > 0; pass++) {
      await syncOutbox(deps, { ignoreBackoff: true });
    }
    expect((await outbox.queued()).length).toBe(0);
    expect(arrived).toEqual(captured);
    expect(await server.store.countApplications()).toBe(COUNT);
    for (const id of [captured[0], captured[COUNT - 1]]) {
      expect((await server.store.getApplication(id ?? ''))?.id).toBe(id);
    }
  });
});
