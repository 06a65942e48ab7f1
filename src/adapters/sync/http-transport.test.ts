import { afterEach, describe, expect, it } from 'vitest';
import { closeStandIns, listenSigned } from '../../../tests/support/signed-stand-in';
import { BATCH_FRAME_MEDIA_TYPE, decodeBatchFrame } from '../../protocol/batch-frame';
import { SIGNATURE_HEADERS } from '../../protocol/kiosk-auth';
import type { SyncBatch } from '../../protocol/sync';
import { openOutbox } from '../db/outbox-db';
import { createHttpTransport } from './http-transport';

const KIOSK_ID = '0f6d1c4a-2b3e-4d5f-8a9b-0c1d2e3f4a5b';

afterEach(closeStandIns);

describe('createHttpTransport', () => {
  it('signs each batch with the device key over the exact bytes it sends, with a fresh nonce', async () => {
    const identity = openOutbox(`transport-${crypto.randomUUID()}`);
    const { publicKeySpki } = await identity.deviceKey();
    const { url, seen } = await listenSigned(publicKeySpki, () => [200, { results: [] }]);
    const transport = createHttpTransport(url, identity);
    // Records as opaque to the transport: it frames whatever it is given.
    const records = [{ id: 'a' }, { id: 'b' }] as unknown as SyncBatch['records'];
    // Record a: a picture and a paper; record b: a picture.
    const files = [
      [new Uint8Array([1, 2, 3]), new Uint8Array([4, 5])],
      [new Uint8Array([0xff, 0xd8, 0xff, 0])],
    ];
    const batch = { kioskId: KIOSK_ID, records, files };
    expect(await transport.sendBatch(batch)).toEqual({
      kind: 'response',
      status: 200,
      body: { results: [] },
    });
    await transport.sendBatch(batch);
    expect(seen.map((s) => s.verified)).toEqual([true, true]);
    expect(seen[0]?.headers[SIGNATURE_HEADERS.kiosk]).toBe(KIOSK_ID);
    // A binary batch: the records as JSON, then their files' raw bytes in record order, not base64.
    expect(seen[0]?.headers['content-type']).toBe(BATCH_FRAME_MEDIA_TYPE);
    const frame = decodeBatchFrame(seen[0]?.body ?? new Uint8Array(), 1 << 20);
    expect(frame.ok && frame.value.manifest).toEqual({ kioskId: KIOSK_ID, records });
    expect(frame.ok && [...frame.value.attachments]).toEqual([1, 2, 3, 4, 5, 0xff, 0xd8, 0xff, 0]);
    expect(seen[0]?.headers[SIGNATURE_HEADERS.nonce]).not.toBe(seen[1]?.headers[SIGNATURE_HEADERS.nonce]);
  });

  it('corrects its clock from a stale-request answer and signs again, once', async () => {
    const identity = openOutbox(`transport-${crypto.randomUUID()}`);
    const { publicKeySpki } = await identity.deviceKey();
    const serverNow = Date.parse('2026-11-25T08:00:00.000Z');
    // The kiosk's clock is three days behind, as after a long time in the field with a flat battery.
    const kioskNow = serverNow - 3 * 86_400_000;
    const { url, seen } = await listenSigned(publicKeySpki, (s) =>
      Math.abs(s.timestamp - serverNow) > 300_000
        ? [
            401,
            {
              error: {
                code: 'stale-request',
                message: 'stale',
                serverTime: new Date(serverNow).toISOString(),
              },
            },
          ]
        : [200, { results: [] }],
    );
    const transport = createHttpTransport(url, identity, { now: () => kioskNow });
    const answer = await transport.sendBatch({ kioskId: KIOSK_ID, records: [], files: [] });
    expect(answer).toMatchObject({ kind: 'response', status: 200 });
    expect(seen).toHaveLength(2);
    expect(seen[1]?.timestamp).toBe(serverNow);
    // Remembered: the next batch is right the first time.
    await transport.sendBatch({ kioskId: KIOSK_ID, records: [], files: [] });
    expect(seen).toHaveLength(3);
  });

  it('gives up after one correction: a server that keeps calling it stale gets its answer passed on', async () => {
    const identity = openOutbox(`transport-${crypto.randomUUID()}`);
    const { publicKeySpki } = await identity.deviceKey();
    const { url, seen } = await listenSigned(publicKeySpki, () => [
      401,
      { error: { code: 'stale-request', message: 'stale', serverTime: new Date().toISOString() } },
    ]);
    const answer = await createHttpTransport(url, identity).sendBatch({
      kioskId: KIOSK_ID,
      records: [],
      files: [],
    });
    expect(answer).toMatchObject({ kind: 'response', status: 401 });
    expect(seen).toHaveLength(2);
  });

  it('reports an unreachable server as a network error', async () => {
    const identity = openOutbox(`transport-${crypto.randomUUID()}`);
    const answer = await createHttpTransport('http://127.0.0.1:9', identity, { timeoutMs: 2000 }).sendBatch({
      kioskId: KIOSK_ID,
      records: [],
      files: [],
    });
    expect(answer.kind).toBe('network-error');
  });
});
