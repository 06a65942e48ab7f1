/**
 * SIGTERM while a batch is on its way in: the server stops taking new connections but finishes the
 * batch in flight, acknowledges it after the commit, and only then exits. Nothing is half-stored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SYNC_BATCHES_PATH } from '../../src/protocol/sync';
import { openStore } from '../../sync-server/src/store/open';
import { serverProcess } from '../support/server-process';
import { freePort } from '../support/service-port';
import { enrollTestKioskViaAdmin, signedHeaders, urlFetcher } from '../support/signed-kiosk';
import { makeWireRecord } from '../support/wire-records';

const dataDir = mkdtempSync(join(tmpdir(), 'sertel-shutdown-'));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Sends `body` in two halves with a pause between, calling `between` in the pause. */
function slowPost(url: string, headers: Record<string, string>, body: Buffer, between: () => Promise<void>) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const target = new URL(SYNC_BATCHES_PATH, url);
    const req = request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'content-length': body.length },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    const half = Math.floor(body.length / 2);
    req.write(body.subarray(0, half));
    void between().then(() => req.end(body.subarray(half)));
  });
}

describe('graceful shutdown', () => {
  it('finishes the batch in flight, then exits 0; a new connection after SIGTERM is refused', {
    timeout: 60_000,
  }, async () => {
    const server = serverProcess(await freePort(), { DATA_DIR: dataDir });
    await server.start();
    const kiosk = await enrollTestKioskViaAdmin(urlFetcher(server.url));
    const records = await Promise.all(
      Array.from({ length: 20 }, () => makeWireRecord({ certificateType: 'individu' })),
    );
    const body = Buffer.from(JSON.stringify({ kioskId: kiosk.kioskId, records }));
    const headers = await signedHeaders(kiosk, body);

    let exit: Promise<number | null> = Promise.resolve(null);
    let refusedAfterTerm = false;
    const answer = await slowPost(server.url, headers, body, async () => {
      await sleep(200);
      exit = server.terminate();
      await sleep(300);
      // The listener is closed: a new kiosk connecting now is turned away, not half-served.
      refusedAfterTerm = await fetch(`${server.url}/api/v1/health`).then(
        () => false,
        () => true,
      );
    });
    expect(answer.status).toBe(200);
    const results = (JSON.parse(answer.text) as { results: { status: string }[] }).results;
    expect(results.map((r) => r.status)).toEqual(records.map(() => 'stored'));
    expect(refusedAfterTerm).toBe(true);
    expect(await exit).toBe(0);

    // What was acknowledged is there after the restart, once.
    const store = await openStore({ dataDir });
    try {
      expect(await store.countApplications()).toBe(records.length);
      for (const record of records) expect((await store.getApplication(record.id))?.id).toBe(record.id);
    } finally {
      await store.close();
    }
  });
});
