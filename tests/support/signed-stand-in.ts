/**
 * A stand-in for the sync server in kiosk-side tests: it verifies each request's device signature
 * with the published key, records what came, and answers as the test scripts it.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { base64ToBytes } from '../../src/core/lib/pem';
import {
  DEVICE_KEY_ALGORITHM,
  SIGNATURE_HEADERS,
  verifyRequestSignature,
} from '../../src/protocol/kiosk-auth';

/** One request as the stand-in saw it. */
export interface SignedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: Uint8Array;
  kioskId: string;
  timestamp: number;
  /** The signature verifies over method, path, body, timestamp and nonce. */
  verified: boolean;
  /** The body as JSON; undefined for a body that is not (a binary batch). */
  json: unknown;
}

/** Status and JSON body of the answer to the n-th request (from 1). */
export type Answer = (request: SignedRequest, n: number) => [number, unknown] | Promise<[number, unknown]>;

const servers = new Set<Server>();

/** Closes every stand-in still listening; for `afterEach`. */
export function closeStandIns(): void {
  for (const server of servers) server.close();
  servers.clear();
}

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    return undefined;
  }
}

export async function listenSigned(
  publicKeySpki: string,
  answer: Answer,
): Promise<{ url: string; seen: SignedRequest[] }> {
  const publicKey = await crypto.subtle.importKey(
    'spki',
    base64ToBytes(publicKeySpki),
    DEVICE_KEY_ALGORITHM,
    false,
    ['verify'],
  );
  const seen: SignedRequest[] = [];
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = new Uint8Array(Buffer.concat(chunks));
    const header = (name: string) => String(request.headers[name] ?? '');
    const entry: SignedRequest = {
      path: request.url ?? '',
      headers: request.headers,
      body,
      kioskId: header(SIGNATURE_HEADERS.kiosk),
      timestamp: Number(header(SIGNATURE_HEADERS.timestamp)),
      verified: await verifyRequestSignature(
        publicKey,
        {
          kioskId: header(SIGNATURE_HEADERS.kiosk),
          method: request.method ?? '',
          path: request.url ?? '',
          timestamp: header(SIGNATURE_HEADERS.timestamp),
          nonce: header(SIGNATURE_HEADERS.nonce),
          body,
        },
        header(SIGNATURE_HEADERS.signature),
      ),
      json: parseJson(body),
    };
    seen.push(entry);
    const [status, json] = await answer(entry, seen.length);
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
  });
  servers.add(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen };
}
