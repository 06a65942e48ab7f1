/** The kiosk's audit upload over HTTP, and the server events recorded around the admin API. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_CHAIN_BREAK, SYNC_AUDIT_PATH } from '../../../src/protocol/audit';
import { ADMIN_ENROLLMENT_CODES_PATH } from '../../../src/protocol/kiosk-auth';
import { errorBodySchema } from '../../../src/protocol/sync';
import { kioskChainPage } from '../../../tests/support/audit-chains';
import {
  appFetcher,
  enrollTestKiosk,
  type Fetcher,
  postSignedJson,
  TEST_ADMIN_TOKEN,
  type TestKiosk,
} from '../../../tests/support/signed-kiosk';
import { auditKeyFrom } from '../audit/key';
import { createServerAuditLog } from '../audit/server-chain';
import { verifyAuditStore } from '../audit/verify';
import { createLogger } from '../logger';
import { openStore } from '../store/open';
import type { Store } from '../store/store';
import { createApp } from './app';

const KEY = auditKeyFrom('audit key for the route tests, long enough');
const ALL_TIME = { from: '2000-01-01T00:00:00.000Z', to: '2100-01-01T00:00:00.000Z' };

describe('POST /api/v1/sync/audit', () => {
  let dataDir: string;
  let store: Store;
  let fetcher: Fetcher;
  let kiosk: TestKiosk;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sertel-audit-route-'));
    store = await openStore({ dataDir });
    const app = createApp({
      store,
      logger: createLogger('silent'),
      adminToken: TEST_ADMIN_TOKEN,
      audit: createServerAuditLog({ store, key: KEY }),
    });
    fetcher = appFetcher(app);
    kiosk = await enrollTestKiosk(fetcher, store);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses an unsigned request', async () => {
    const page = await kioskChainPage(kiosk, 2);
    const response = await fetcher(SYNC_AUDIT_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kioskId: kiosk.kioskId, ...page }),
    });
    expect(response.status).toBe(401);
    expect(await store.kioskAuditHead(kiosk.kioskId)).toBeNull();
  });

  it('refuses a body beyond the schema limits', async () => {
    const page = await kioskChainPage(kiosk, 1);
    const [event] = page.events;
    const huge = { ...event, detail: { ids: Array.from({ length: 60 }, () => 'x') } };
    const response = await postSignedJson(fetcher, kiosk, SYNC_AUDIT_PATH, {
      kioskId: kiosk.kioskId,
      events: [huge],
      checkpoints: page.checkpoints,
    });
    expect(response.status).toBe(400);
  });

  it('acknowledges the chain page by page; the store then verifies', async () => {
    const first = await kioskChainPage(kiosk, 30);
    const one = await postSignedJson(fetcher, kiosk, SYNC_AUDIT_PATH, { kioskId: kiosk.kioskId, ...first });
    expect(one.status).toBe(200);
    expect(await one.json()).toEqual({ acknowledgedSeq: 30 });
    const second = await kioskChainPage(kiosk, 3, first.events.at(-1));
    const two = await postSignedJson(fetcher, kiosk, SYNC_AUDIT_PATH, { kioskId: kiosk.kioskId, ...second });
    expect(await two.json()).toEqual({ acknowledgedSeq: 33 });
    const result = await verifyAuditStore(store, KEY);
    expect(result.ok).toBe(true);
    // The kiosk's enrollment and both pages are in the server chain.
    expect(result.chains[0]).toMatchObject({ chain: 'server', events: 3 });
  });

  it('answers a chain that does not link with audit-chain-break and raises an incident', async () => {
    const first = await kioskChainPage(kiosk, 3);
    await postSignedJson(fetcher, kiosk, SYNC_AUDIT_PATH, { kioskId: kiosk.kioskId, ...first });
    const fork = await kioskChainPage(kiosk, 2, { seq: 3, hash: `${'0'.repeat(63)}1` });
    const response = await postSignedJson(fetcher, kiosk, SYNC_AUDIT_PATH, {
      kioskId: kiosk.kioskId,
      ...fork,
    });
    expect(response.status).toBe(409);
    const body = errorBodySchema.parse(await response.json());
    expect(body.error.code).toBe(AUDIT_CHAIN_BREAK);
    const incidents = await store.listIncidents(ALL_TIME);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({
      type: 'authenticity',
      recordedBy: 'server',
      kioskId: kiosk.kioskId,
    });
    expect(body.error.message).toContain(incidents[0]?.id);
  });

  it('refuses a chain sent for another kiosk', async () => {
    const other = await enrollTestKiosk(fetcher, store, { name: 'Loket 2' });
    const page = await kioskChainPage(kiosk, 1);
    const response = await postSignedJson(fetcher, kiosk, SYNC_AUDIT_PATH, {
      kioskId: other.kioskId,
      ...page,
    });
    expect(response.status).toBe(403);
  });

  it('records a successful admin request in the server chain, by route and never by body', async () => {
    const response = await fetcher(ADMIN_ENROLLMENT_CODES_PATH, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Loket Rahasia' }),
    });
    expect(response.status).toBe(201);
    const refused = await fetcher(ADMIN_ENROLLMENT_CODES_PATH, {
      method: 'POST',
      headers: { authorization: 'Bearer wrong' },
    });
    expect(refused.status).toBe(401);
    const events = await store.serverAuditEvents(0, 100);
    const admin = events.filter((e) => e.type === 'admin-action');
    expect(admin).toHaveLength(1);
    expect(admin[0]?.detail).toEqual({ method: 'POST', route: ADMIN_ENROLLMENT_CODES_PATH, status: 201 });
    expect(JSON.stringify(events)).not.toContain('Rahasia');
  });
});
