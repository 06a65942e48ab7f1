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

describe('declaredBodyLimit', () => {
  test('a declared length over the limit is refused before the body is read', async () => {
    const response = await app(10).request('/', {
      method: 'POST',
      headers: { 'content-length': '11' },
      body: 'x'.repeat(11),
    });
    expect(response.status).toBe(413);
  });

  test('a declared length at the limit is read whole', async () => {
    const response = await app(10).request('/', {
      method: 'POST',
      headers: { 'content-length': '10' },
      body: 'x'.repeat(10),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('10');
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
