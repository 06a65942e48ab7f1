import { Hono } from 'hono';
import { describe, expect, test } from 'vitest';
import { declaredBodyLimit } from './body-limit';

function app(maxSize: number) {
  const app = new Hono();
  app.post('/', declaredBodyLimit({ maxSize, onError: (c) => c.text('too large', 413) }), async (c) =>
    c.text(String((await c.req.arrayBuffer()).byteLength)),
  );
  return app;
}

/**
 * A request with a declared length whose body stream must never be opened: reading `body` is
 * what makes @hono/node-server wrap the socket in a web stream (the cost the limit avoids).
 */
function declared(length: number) {
  const request = new Request('http://localhost/', {
    method: 'POST',
    headers: { 'content-length': String(length) },
    body: 'x'.repeat(length),
  });
  let bodyReads = 0;
  Object.defineProperty(request, 'body', {
    get() {
      bodyReads++;
      throw new Error('the body stream was read');
    },
  });
  return { request, bodyReads: () => bodyReads };
}

describe('declaredBodyLimit', () => {
  test('a declared length over the limit is refused before the body is read', async () => {
    const response = await app(10).request('/', {
      method: 'POST',
      headers: { 'content-length': '11' },
      body: 'x'.repeat(11),
    });
    expect(response.status).toBe(413);
    const watched = declared(11);
    expect((await app(10).request(watched.request)).status).toBe(413);
    expect(watched.bodyReads()).toBe(0);
  });

  test('a declared length at the limit is read whole', async () => {
    const response = await app(10).request('/', {
      method: 'POST',
      headers: { 'content-length': '10' },
      body: 'x'.repeat(10),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('10');
    // Judged by the declaration alone: the handler reads the body, the limit never opens its stream.
    const watched = declared(10);
    const read = await app(10).request(watched.request);
    expect(read.status).toBe(200);
    expect(await read.text()).toBe('10');
    expect(watched.bodyReads()).toBe(0);
  });

  test('without a declared length (chunked) the body is counted as it streams', async () => {
    const stream = (bytes: number) =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (let sent = 0; sent < bytes; sent += 4)
            controller.enqueue(new Uint8Array(Math.min(4, bytes - sent)));
          controller.close();
        },
      });
    const send = (bytes: number) =>
      app(10).request('/', { method: 'POST', body: stream(bytes), duplex: 'half' } as RequestInit);
    expect((await send(11)).status).toBe(413);
    const atLimit = await send(10);
    expect(atLimit.status).toBe(200);
    expect(await atLimit.text()).toBe('10');
  });
});
