import { mkdtempSync } from 'node:fs';
import { type IncomingHttpHeaders, type OutgoingHttpHeaders, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { loadConfig } from '/work/main/sync-server/src/config';
import { createLogger } from '/work/main/sync-server/src/logger';
import { startServer } from '/work/main/sync-server/src/server';
interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** Set when the upload broke off after the server had already answered. */
  uploadError: Error | null;
}

type Body = Buffer | (() => AsyncIterable<Buffer>);

/**
 * One request on its own connection. The server may answer before it has read the whole body
 * (413) and then drop the connection; an upload error after a complete answer is not a failure.
 */
function send(
  url: string,
  method: string,
  headers: OutgoingHttpHeaders = {},
  body: Body | null = null,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false });
    let answer: Omit<RawResponse, 'uploadError'> | null = null;
    let upload: { error: Error | null } | null = null;
    const settle = () => {
      if (answer !== null && upload !== null) resolve({ ...answer, uploadError: upload.error });
    };
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        answer = { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() };
        settle();
      });
      res.on('error', reject);
    });
    const source = body === null ? [] : typeof body === 'function' ? body() : [body];
    pipeline(Readable.from(source), req).then(
      () => {
        upload = { error: null };
        settle();
      },
      (error: Error) => {
        upload = { error };
        // Without an answer the error is the result; with one, the server simply stopped reading.
        if (answer === null) req.once('close', () => (answer === null ? reject(error) : settle()));
        else settle();
      },
    );
  });
}

const json = { 'content-type': 'application/json' };
const FIFTY_MB = 50 * 1024 * 1024;
const CHUNK = 1024 * 1024;

async function* fiftyMegabytes(): AsyncIterable<Buffer> {
  const chunk = Buffer.alloc(CHUNK, 0x61);
  yield Buffer.from('{"kioskId":"');
  for (let sent = 0; sent < FIFTY_MB; sent += CHUNK) yield chunk;
}


const root = mkdtempSync(join(tmpdir(), 'probe-'));
const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: root, STATIC_DIR: join(root, 'x'), LOG_LEVEL: 'silent' });
const server = await startServer(config, createLogger('silent'));
const u = `${server.url}/api/v1/sync/batches`;
const counts: Record<string, number> = {};
for (let i = 0; i < Number(process.argv[2] ?? 100); i++) {
  for (const declared of [true, false]) {
    try {
      const r = await send(u, 'POST', declared ? { ...json, 'content-length': String(FIFTY_MB + 12) } : json, fiftyMegabytes);
      const k = `${declared ? 'declared' : 'chunked'} ${r.status} ${r.uploadError?.message ?? 'complete'}`;
      counts[k] = (counts[k] ?? 0) + 1;
    } catch (e) {
      const k = `${declared ? 'declared' : 'chunked'} FAIL ${(e as Error).message}`;
      counts[k] = (counts[k] ?? 0) + 1;
    }
  }
}
console.log(counts);
await server.close();
