/**
 * Simulated kiosks for tests with more than one server process: the same applications (same ids,
 * same content) can sit in several outboxes at once, each syncing against its own server, which is
 * how "a resend reaches the other process" looks from the database. Everything goes through the
 * kiosk's own code (enrollment, batching, signing, acknowledgements, back-off), as in the simulator,
 * and every batch round trip is logged so a test can check what each server answered and when.
 */
import type { MemoryOutbox } from '../../src/adapters/db/memory-outbox';
import { createHttpTransport } from '../../src/adapters/sync/http-transport';
import type { DeviceIdentityStore, OutboxItem, SyncTransport } from '../../src/app/ports';
import { framedRecord, syncOutbox } from '../../src/app/sync-outbox';
import {
  type FramedRecord,
  framedRecordSchema,
  type RecordStatus,
  syncBatchResponseSchema,
} from '../../src/protocol/sync';
import { simulatedApplication } from '../../sync-server/src/simulator/applications';
import { enrollSimulatedKiosk } from '../../sync-server/src/simulator/simulate';
import { TEST_ADMIN_TOKEN } from './signed-kiosk';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The longest wait between two passes of `pushUntilSynced`. */
const POLL_MS = 250;

export interface EnrolledKiosk {
  kioskId: string;
  identity: DeviceIdentityStore;
}

/**
 * A kiosk enrolled with a code made by the admin API of `codeServerUrl`, redeemed at
 * `enrollServerUrl` (the two may differ when both servers share one database).
 */
export async function enrollMirroredKiosk(
  codeServerUrl: string,
  enrollServerUrl: string,
  name: string,
): Promise<EnrolledKiosk> {
  const { kioskId, identity } = await enrollSimulatedKiosk(
    codeServerUrl,
    TEST_ADMIN_TOKEN,
    name,
    enrollServerUrl,
  );
  return { kioskId, identity };
}

/**
 * Application number `n` as the simulator captures it, `n` seconds after `epoch`: capture order is
 * queue order, whenever the application is made.
 */
export function captureApplication(n: number, attachmentKb: number, epoch: number): Promise<OutboxItem> {
  return simulatedApplication(n, {
    attachmentBytes: attachmentKb * 1024,
    createdAt: new Date(epoch + n * 1000),
    newId: () => crypto.randomUUID(),
  });
}

/** The record exactly as the server reads it off a binary batch (schema-parsed), e.g. to hash it. */
export async function wireRecord(item: OutboxItem): Promise<FramedRecord> {
  // The kiosk's own framing of the record, as a batch carries it.
  return framedRecordSchema.parse((await framedRecord(item)).record);
}

export type ExchangeOutcome =
  | { kind: 'network-error'; message: string }
  /** `results` is null when the body was not a batch acknowledgement (an error answer). */
  | { kind: 'response'; status: number; results: Map<string, RecordStatus> | null; body: unknown };

/** One signed batch request and what came back. Times are `performance.now()` milliseconds. */
export interface BatchExchange {
  server: string;
  kioskId: string;
  ids: string[];
  startedAt: number;
  endedAt: number;
  outcome: ExchangeOutcome;
}

/** The kiosk's HTTP transport to `url`, appending every round trip to `log`. */
export function loggingTransport(
  server: string,
  url: string,
  identity: Pick<DeviceIdentityStore, 'deviceKey'>,
  log: BatchExchange[],
): SyncTransport {
  const transport = createHttpTransport(url, identity, { timeoutMs: 30_000 });
  return {
    async sendBatch(batch) {
      const startedAt = performance.now();
      const answer = await transport.sendBatch(batch);
      const endedAt = performance.now();
      let outcome: ExchangeOutcome;
      if (answer.kind === 'network-error') {
        outcome = { kind: 'network-error', message: answer.message };
      } else {
        const parsed = syncBatchResponseSchema.safeParse(answer.body);
        const results = parsed.success
          ? new Map(parsed.data.results.flatMap((r) => (r.id === null ? [] : [[r.id, r.status] as const])))
          : null;
        outcome = { kind: 'response', status: answer.status, results, body: answer.body };
      }
      log.push({
        server,
        kioskId: batch.kioskId,
        ids: batch.records.map((r) => r.id),
        startedAt,
        endedAt,
        outcome,
      });
      return answer;
    },
    fetchStatuses: (request) => transport.fetchStatuses(request),
  };
}

export interface PushOptions {
  outbox: MemoryOutbox;
  identity: DeviceIdentityStore;
  transport: SyncTransport;
  batchRecords: number;
  /** `performance.now()` after which the pusher gives up, leaving the rest queued. */
  deadline: number;
  /** While true, an empty outbox is polled for new applications instead of ending the push. */
  moreComing?: () => boolean;
}

/**
 * Syncs the outbox until nothing is queued and nothing more is coming (or the deadline passes): the
 * simulator's loop, except that it looks again at least every POLL_MS instead of sleeping until the
 * first back-off ends (each pass sends only what is due, so only new applications go sooner).
 * Resolves with the number of passes that failed.
 */
export async function pushUntilSynced(options: PushOptions): Promise<{ failedPasses: number }> {
  const limits = { maxRecords: options.batchRecords, maxBytes: 8 * 1024 * 1024 };
  let failedPasses = 0;
  for (;;) {
    const report = await syncOutbox({
      outbox: options.outbox,
      identity: options.identity,
      transport: options.transport,
      now: () => new Date(),
      random: Math.random,
      limits,
    });
    if (report.credentials) throw new Error(`the server refused the kiosk: ${report.credentials}`);
    // "Nothing more coming" first: then the outbox holds everything there will be.
    const finished =
      report.remaining === 0 && !options.moreComing?.() && (await options.outbox.queued()).length === 0;
    if (finished) return { failedPasses };
    if (report.failed > 0) failedPasses++;
    if (performance.now() > options.deadline) return { failedPasses };
    const queued = await options.outbox.queued();
    const next = Math.min(...queued.map((i) => (i.nextAttemptAt ? Date.parse(i.nextAttemptAt) : Date.now())));
    // An application captured while waiting is due at once: look again at least every POLL_MS.
    await sleep(queued.length === 0 ? 50 : Math.min(POLL_MS, Math.max(50, next - Date.now())));
  }
}
