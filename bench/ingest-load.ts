/**
 * A lean load for the server ingest figure: the kiosks' batches are made before the clock starts
 * with the kiosk's own code (applications, batch planning, binary framing); during the push each
 * batch is signed as the kiosk signs it (body digest, timestamp, nonce, device key) and posted,
 * every kiosk waiting for its acknowledgement before its next batch. What the clock then measures
 * is mostly the server: on this 2-core machine the full simulator (`simulate()`) spends about as
 * much CPU per record as the server does, which a real kiosk spends on its own hardware.
 */
import { Agent, request as httpRequest } from 'node:http';
import { planBatches, toSyncBatch } from '../src/app/sync-outbox';
import { BATCH_FRAME_MEDIA_TYPE, encodeBatchFrame } from '../src/protocol/batch-frame';
import { newNonce, signRequest } from '../src/protocol/kiosk-auth';
import { SYNC_BATCHES_PATH, syncBatchResponseSchema } from '../src/protocol/sync';
import { simulatedApplication } from '../sync-server/src/simulator/applications';
import { type BatchTiming, enrollSimulatedKiosk } from '../sync-server/src/simulator/simulate';

export interface PreparedLoadOptions {
  url: string;
  adminToken: string;
  kiosks: number;
  records: number;
  attachmentKb: number;
  batchRecords: number;
  /** Called once the batches are ready, just before the clock starts. */
  onReady?: () => void;
  onBatch?: (timing: BatchTiming) => void;
}

export async function pushPrepared(options: PreparedLoadOptions) {
  const kiosks = await Promise.all(
    Array.from({ length: options.kiosks }, async (_, k) => {
      const { kioskId, identity, officer } = await enrollSimulatedKiosk(
        options.url,
        options.adminToken,
        `Beban ${k + 1}`,
      );
      return { kioskId, officer, privateKey: (await identity.deviceKey()).privateKey };
    }),
  );
  const base = Date.now() - options.records * 1000;
  const prepared = await Promise.all(
    kiosks.map(async (kiosk, k) => {
      const items = [];
      for (let n = k; n < options.records; n += kiosks.length) {
        items.push(
          await simulatedApplication(n, {
            attachmentBytes: options.attachmentKb * 1024,
            createdAt: new Date(base + n * 1000),
            newId: () => crypto.randomUUID(),
            officer: kiosk.officer,
          }),
        );
      }
      const batches = planBatches(items, { maxRecords: options.batchRecords, maxBytes: 8 * 1024 * 1024 });
      const bodies = [];
      for (const batch of batches) {
        const wire = await toSyncBatch(kiosk.kioskId, batch);
        bodies.push({
          records: batch.length,
          body: encodeBatchFrame({ kioskId: wire.kioskId, records: wire.records }, wire.files.flat()),
        });
      }
      return { ...kiosk, bodies };
    }),
  );
  options.onReady?.();

  let acknowledged = 0;
  // One kept-alive connection per kiosk, as a browser keeps one; Node's fetch spends about three
  // times the CPU of node:http on a 1.5 MB body, which would be charged to the server's figure.
  const agent = new Agent({ keepAlive: true, maxSockets: options.kiosks });
  const started = performance.now();
  await Promise.all(
    prepared.map(async ({ kioskId, privateKey, bodies }) => {
      for (const { records, body } of bodies) {
        const sent = performance.now();
        const headers = await signRequest(privateKey, {
          kioskId,
          method: 'POST',
          path: SYNC_BATCHES_PATH,
          timestamp: String(Date.now()),
          nonce: newNonce(),
          body,
        });
        const response = await post(agent, new URL(SYNC_BATCHES_PATH, options.url), body, {
          'content-type': BATCH_FRAME_MEDIA_TYPE,
          ...headers,
        });
        const answer = syncBatchResponseSchema.safeParse(response.body);
        options.onBatch?.({ records, ms: performance.now() - sent, status: response.status });
        if (!answer.success || response.status !== 200) {
          throw new Error(`the server answered ${response.status} to a prepared batch`);
        }
        acknowledged += answer.data.results.filter((r) => r.status === 'stored').length;
      }
    }),
  );
  const durationMs = Math.round(performance.now() - started);
  agent.destroy();
  return { sent: options.records, acknowledged, durationMs };
}

function post(
  agent: Agent,
  url: URL,
  body: Uint8Array,
  headers: Record<string, string>,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': String(body.byteLength) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          try {
            resolve({
              status: response.statusCode ?? 0,
              body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
            });
          } catch (error) {
            reject(error);
          }
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
