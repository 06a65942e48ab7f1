/**
 * The way back to the kiosk: an administrator records the CA's answer (a certificate obtained from
 * the BSrE portal, or a refusal), and only the kiosk that delivered the application can read it.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import {
  ADMIN_APPLICATION_OUTCOME_PATH,
  type ApplicationRecord,
  errorBodySchema,
  LIMITS,
  SYNC_STATUSES_PATH,
  statusResponseSchema,
} from '../../../src/protocol/sync';
import { makeOpensslCa, type OpensslCa } from '../../../tests/support/openssl-ca';
import {
  appFetcher,
  enrollTestKiosk,
  type Fetcher,
  postSignedBatch,
  signedInit,
  TEST_ADMIN_TOKEN,
  type TestKiosk,
} from '../../../tests/support/signed-kiosk';
import { makeWireRecord } from '../../../tests/support/wire-records';
import { createLogger } from '../logger';
import { openStore } from '../store/open';
import type { Store } from '../store/store';
import { createApp } from './app';

let ca: OpensslCa;
let records: ApplicationRecord[];
beforeAll(async () => {
  ca = makeOpensslCa();
  records = await Promise.all([makeWireRecord(), makeWireRecord(), makeWireRecord(), makeWireRecord()]);
});
afterAll(() => ca.remove());

describe('statuses and outcomes', () => {
  let dataDir: string;
  let store: Store;
  let fetcher: Fetcher;
  let logLines: string[];
  let kioskA: TestKiosk;
  let kioskB: TestKiosk;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sertel-statuses-'));
    store = await openStore({ dataDir });
    logLines = [];
    const app = createApp({
      store,
      logger: createLogger('info', { write: (line: string) => void logLines.push(line) }),
      adminToken: TEST_ADMIN_TOKEN,
    });
    fetcher = appFetcher(app);
    kioskA = await enrollTestKiosk(fetcher, store, { name: 'Loket 1' });
    kioskB = await enrollTestKiosk(fetcher, store, { name: 'Tim Lapangan' });
    const [a1, a2, a3, b1] = records;
    if (!a1 || !a2 || !a3 || !b1) throw new Error('records not made');
    for (const [kiosk, batch] of [
      [kioskA, [a1, a2, a3]],
      [kioskB, [b1]],
    ] as const) {
      const response = await postSignedBatch(fetcher, kiosk, { kioskId: kiosk.kioskId, records: batch });
      expect(response.status).toBe(200);
    }
  });

  afterEach(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const recordOf = (n: number): ApplicationRecord => {
    const record = records[n];
    if (!record) throw new Error(`no record ${n}`);
    return record;
  };
  const postOutcome = (id: string, body: unknown, token = TEST_ADMIN_TOKEN) =>
    fetcher(ADMIN_APPLICATION_OUTCOME_PATH.replace(':id', id), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
  const askStatuses = async (kiosk: TestKiosk, ids: string[], kioskId = kiosk.kioskId) =>
    fetcher(
      SYNC_STATUSES_PATH,
      await signedInit(kiosk, JSON.stringify({ kioskId, ids }), { path: SYNC_STATUSES_PATH }),
    );
  const errorOf = async (response: Response) => errorBodySchema.parse(await response.json()).error;

  test('the delivering kiosk reads the certificate and the CA’s reason; others’ ids are unknown', async () => {
    const certificatePem = ca.sign(recordOf(0).csrPem);
    const issued = await postOutcome(recordOf(0).id, { outcome: 'issued', certificatePem });
    expect(issued.status).toBe(200);
    expect(await issued.json()).toEqual({ id: recordOf(0).id, state: 'issued', status: 'recorded' });
    const refused = await postOutcome(recordOf(1).id, { outcome: 'ca-rejected', reason: 'NIP tidak aktif' });
    expect(refused.status).toBe(200);

    const stranger = randomUUID();
    const response = await askStatuses(kioskA, [
      recordOf(0).id,
      recordOf(1).id,
      recordOf(2).id,
      recordOf(3).id,
      stranger,
    ]);
    expect(response.status).toBe(200);
    const body = statusResponseSchema.parse(await response.json());
    const byId = new Map(body.statuses.map((s) => [s.id, s]));
    expect(byId.get(recordOf(0).id)).toMatchObject({ state: 'issued', certificatePem, reason: null });
    expect(byId.get(recordOf(1).id)).toMatchObject({
      state: 'ca-rejected',
      certificatePem: null,
      reason: 'NIP tidak aktif',
    });
    expect(byId.get(recordOf(2).id)).toMatchObject({ state: 'received', certificatePem: null });
    // Kiosk B's application is not A's to see, and must look exactly like an id nobody has.
    expect(body.statuses).toHaveLength(3);
    expect(body.unknown.sort()).toEqual([recordOf(3).id, stranger].sort());

    const events = await store.listApplicationEvents(recordOf(0).id);
    expect(events.map((e) => [e.event, e.actor])).toEqual([
      ['received', `kiosk:${kioskA.kioskId}`],
      ['issued', 'admin'],
    ]);
    expect(events[1]?.detail?.serialNumberHex).toMatch(/^[0-9A-F]+$/);
  });

  test('a certificate for another key or subject is refused and changes nothing', async () => {
    const forOther = ca.sign(recordOf(3).csrPem);
    const response = await postOutcome(recordOf(0).id, { outcome: 'issued', certificatePem: forOther });
    expect(response.status).toBe(422);
    expect(await errorOf(response)).toMatchObject({ code: 'certificate-mismatch' });
    expect(await store.getApplication(recordOf(0).id)).toMatchObject({
      state: 'received',
      certificatePem: null,
    });
    expect(await store.listApplicationEvents(recordOf(0).id)).toHaveLength(1);
  });

  test('outcomes only move forward; the same one again is harmless', async () => {
    const certificatePem = ca.sign(recordOf(0).csrPem);
    expect((await postOutcome(recordOf(0).id, { outcome: 'issued', certificatePem })).status).toBe(200);
    const again = await postOutcome(recordOf(0).id, { outcome: 'issued', certificatePem });
    expect(await again.json()).toMatchObject({ status: 'unchanged' });
    const backwards = await postOutcome(recordOf(0).id, { outcome: 'ca-rejected', reason: 'terlambat' });
    expect(backwards.status).toBe(409);
    expect(await errorOf(backwards)).toMatchObject({ code: 'illegal-transition' });
    expect((await store.listApplicationEvents(recordOf(0).id)).map((e) => e.event)).toEqual([
      'received',
      'issued',
    ]);

    expect((await postOutcome(randomUUID(), { outcome: 'ca-rejected', reason: 'x' })).status).toBe(404);
    expect((await postOutcome(recordOf(1).id, { outcome: 'ca-rejected', reason: '' })).status).toBe(400);
    expect((await postOutcome(recordOf(1).id, { outcome: 'issued' })).status).toBe(400);
    expect(
      (await postOutcome(recordOf(1).id, { outcome: 'issued', certificatePem: 'x' }, 'wrong')).status,
    ).toBe(401);
    expect(await store.getApplication(recordOf(1).id)).toMatchObject({ state: 'received' });
  });

  test('status requests must be signed by the kiosk they name, and stay within the limits', async () => {
    const unsigned = await fetcher(SYNC_STATUSES_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kioskId: kioskA.kioskId, ids: [recordOf(0).id] }),
    });
    expect(unsigned.status).toBe(401);

    // Signed by B but asking as A: refused, not answered with A's data.
    const impostor = await askStatuses(kioskB, [recordOf(0).id], kioskA.kioskId);
    expect(impostor.status).toBe(403);
    expect(await errorOf(impostor)).toMatchObject({ code: 'kiosk-mismatch' });

    const tooMany = await askStatuses(
      kioskA,
      Array.from({ length: LIMITS.maxStatusIds + 1 }, () => randomUUID()),
    );
    expect(tooMany.status).toBe(400);
    expect((await askStatuses(kioskA, [])).status).toBe(400);
    expect((await askStatuses(kioskA, ['not-a-uuid'])).status).toBe(400);

    const huge = JSON.stringify({
      kioskId: kioskA.kioskId,
      ids: [],
      pad: 'x'.repeat(LIMITS.maxStatusRequestBytes),
    });
    const tooLarge = await fetcher(
      SYNC_STATUSES_PATH,
      await signedInit(kioskA, huge, { path: SYNC_STATUSES_PATH }),
    );
    expect(tooLarge.status).toBe(413);

    expect(logLines.join('\n')).not.toContain(recordOf(0).applicant.nik);
  });
});
