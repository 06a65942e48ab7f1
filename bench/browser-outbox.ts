// Bundled by bench/outbox.ts and run in Chromium on the kiosk's origin: the kiosk's own Dexie
// outbox, sync use case and signed transport, timed in the browser.
import { openOutbox } from '../src/adapters/db/outbox-db';
import { createHttpTransport } from '../src/adapters/sync/http-transport';
import { enrollKiosk } from '../src/app/enroll-kiosk';
import type { OutboxItem, OutboxListOptions, OutboxView } from '../src/app/ports';
import { syncOutbox } from '../src/app/sync-outbox';
import { simulatedApplication, simulatedJpeg } from '../sync-server/src/simulator/applications';

const time = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
};

/** A few real applications (valid CSRs), cloned under fresh ids: making 10,000 CSRs is not what is measured. */
async function applications(count: number, attachmentBytes: number): Promise<OutboxItem[]> {
  const templates = await Promise.all(
    Array.from({ length: 20 }, (_, n) =>
      simulatedApplication(n, {
        attachmentBytes: 16,
        createdAt: new Date(),
        newId: () => crypto.randomUUID(),
      }),
    ),
  );
  const base = Date.now() - count * 1000;
  return templates.length === 0
    ? []
    : Array.from({ length: count }, (_, n) => {
        const template = templates[n % templates.length] as OutboxItem;
        const id = crypto.randomUUID();
        const createdAt = new Date(base + n * 1000).toISOString();
        return {
          ...template,
          id,
          createdAt,
          record: { ...template.record, id, createdAt },
          image: { mediaType: 'image/jpeg' as const, blob: simulatedJpeg(attachmentBytes, n) },
        };
      });
}

async function outboxOperations(count: number) {
  const outbox = openOutbox(`bench-outbox-${Date.now()}`);
  const items = await applications(count, 8 * 1024);
  const [, addMs] = await time(async () => {
    for (const item of items) await outbox.add(item);
  });
  // A realistic mix: most already synced, some waiting.
  await outbox.markSynced(
    items.slice(0, Math.floor(count * 0.9)).map((i) => i.id),
    new Date().toISOString(),
  );
  const runs = async (fn: () => Promise<unknown>) => {
    const samples: number[] = [];
    for (let i = 0; i < 7; i++) samples.push((await time(fn))[1]);
    return samples;
  };
  // What the outbox screen pays: one page (200, newest first) and the counts per state.
  const screenView = (options: OutboxListOptions) =>
    new Promise<OutboxView>((resolve) => {
      let stop: (() => void) | null = null;
      let done = false;
      stop = outbox.subscribe((view) => {
        if (done) return;
        done = true;
        queueMicrotask(() => stop?.());
        resolve(view);
      }, options);
    });
  return {
    count,
    addAllMs: addMs,
    screenAll: await runs(() => screenView({ limit: 200 })),
    screenQueued: await runs(() => screenView({ state: 'queued', limit: 200 })),
    listAll: await runs(() => outbox.list()),
    listQueued: await runs(() => outbox.list({ state: 'queued' })),
    listNewest50: await runs(() => outbox.list({ limit: 50 })),
    listSynced50: await runs(() => outbox.list({ state: 'synced', limit: 50 })),
  };
}

async function syncThousand(origin: string, code: string, count: number, attachmentBytes: number) {
  const outbox = openOutbox(`bench-sync-${Date.now()}`);
  const transport = createHttpTransport(origin, outbox);
  const enrolled = await enrollKiosk(code, { identity: outbox, transport, now: () => new Date() });
  if (!enrolled.ok) throw new Error(`bench: enrollment failed (${enrolled.problem})`);
  for (const item of await applications(count, attachmentBytes)) await outbox.add(item);
  const [passes, ms] = await time(async () => {
    let n = 0;
    for (; n < 1000 && (await outbox.list({ state: 'queued', limit: 1 })).length > 0; n++) {
      const report = await syncOutbox(
        { outbox, identity: outbox, transport, now: () => new Date(), random: Math.random },
        { ignoreBackoff: true },
      );
      if (report.credentials) throw new Error(`bench: ${report.credentials}`);
    }
    return n;
  });
  const synced = (await outbox.list({ state: 'synced' })).length;
  return { count, attachmentBytes, syncMs: ms, passes, synced };
}

(globalThis as Record<string, unknown>).sertelOutboxBench = { outboxOperations, syncThousand };
