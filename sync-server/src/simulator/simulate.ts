/**
 * Simulated kiosks for load and fault tests: each enrolls through the admin API and pushes its
 * applications with the kiosk's own sync code (batching, signing, acknowledgements, back-off), so a
 * server restart in the middle is ridden out exactly as a real kiosk would.
 */
import { createMemoryIdentity, createMemoryOutbox } from '../../../src/adapters/db/memory-outbox';
import { createOfficerHttpTransport } from '../../../src/adapters/officer/officer-http-transport';
import { createHttpTransport } from '../../../src/adapters/sync/http-transport';
import { enrollKiosk } from '../../../src/app/enroll-kiosk';
import type { DeviceIdentityStore, SyncTransport } from '../../../src/app/ports';
import { readServerError } from '../../../src/app/server-error';
import { syncOutbox } from '../../../src/app/sync-outbox';
import { bytesToBase64 } from '../../../src/core/lib/pem';
import type { BackoffPolicy } from '../../../src/core/outbox/backoff';
import {
  ADMIN_ENROLLMENT_CODES_PATH,
  createEnrollmentCodeResponseSchema,
} from '../../../src/protocol/kiosk-auth';
import {
  ADMIN_OFFICERS_PATH,
  officerCodeResponseSchema,
  officerEnrollResponseSchema,
} from '../../../src/protocol/officer';
import { P256_KEY_ALGORITHM } from '../../../src/protocol/statement';
import { type SimulatedOfficer, simulatedApplication } from './applications';

export interface SimulateOptions {
  url: string;
  adminToken: string;
  kiosks: number;
  /** Applications in total, shared out over the kiosks in turn. */
  records: number;
  attachmentKb: number;
  /** Records per batch (the kiosk's default is 10). */
  batchRecords?: number;
  /** Give up (and report what was acknowledged) after this long. */
  timeoutMs?: number;
  /** Progress lines for a person watching; never personal data. */
  log?: (line: string) => void;
  /** Called once every application is captured, just before the push (and its clock) starts. */
  onReady?: () => void;
  /** The kiosks' retry back-off; the field's (`DEFAULT_BACKOFF`) unless given. */
  backoff?: BackoffPolicy;
  /**
   * Called after every batch request (a benchmark's latency figures): the records sent, the wall
   * time of the signed round trip (serialise, sign, send, wait for the answer) and the outcome.
   */
  onBatch?: (batch: BatchTiming) => void;
}

export interface BatchTiming {
  records: number;
  ms: number;
  /** The HTTP status, or null when the request failed on the network. */
  status: number | null;
}

export interface SimulateResult {
  sent: number;
  acknowledged: number;
  rejected: number;
  /** Batches that failed (network, 5xx) and were sent again. */
  retries: number;
  durationMs: number;
  /** The ids each kiosk acknowledged, in capture order: what a fault test checks the store against. */
  kiosks: { kioskId: string; ids: string[]; acknowledged: string[] }[];
}

export class SimulationError extends Error {
  override name = 'SimulationError';
}

/** A one-time enrollment code from the admin API, as an administrator makes one. */
export async function createCode(url: string, adminToken: string, name: string): Promise<string> {
  const response = await fetch(new URL(ADMIN_ENROLLMENT_CODES_PATH, url), {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (response.status !== 201) {
    throw new SimulationError(`the admin API refused to make an enrollment code (HTTP ${response.status})`);
  }
  const body = createEnrollmentCodeResponseSchema.safeParse(await response.json());
  if (!body.success) throw new SimulationError('the admin API sent no enrollment code');
  return body.data.code;
}

export interface SimulatedKiosk {
  kioskId: string;
  identity: DeviceIdentityStore;
  /** The kiosk's HTTP transport to the server it enrolled at. */
  transport: SyncTransport;
  /** The RA officer enrolled on this kiosk, who signs every application's decision. */
  officer: SimulatedOfficer;
}

/**
 * An officer account made through the admin API and enrolled on a simulated kiosk through the
 * kiosk-signed route, with a P-256 key made by WebCrypto as the kiosk makes it.
 */
async function enrollSimulatedOfficer(
  url: string,
  adminToken: string,
  kioskId: string,
  identity: DeviceIdentityStore,
  enrollUrl: string,
): Promise<SimulatedOfficer> {
  const created = await fetch(new URL(ADMIN_OFFICERS_PATH, url), {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      username: `simulasi.${kioskId.slice(0, 8)}`,
      nama: 'PETUGAS SIMULASI',
    }),
  });
  if (created.status !== 201) {
    throw new SimulationError(`the admin API refused to make an officer (HTTP ${created.status})`);
  }
  const account = officerCodeResponseSchema.safeParse(await created.json());
  if (!account.success) throw new SimulationError('the admin API sent no officer code');
  const keys = await crypto.subtle.generateKey(P256_KEY_ALGORITHM, false, ['sign']);
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
  const answer = await createOfficerHttpTransport(enrollUrl, identity, { timeoutMs: 30_000 }).enrollOfficer(
    kioskId,
    {
      username: account.data.officer.username,
      code: account.data.code,
      publicKeySpki: bytesToBase64(spki),
    },
  );
  const enrolled =
    answer.kind === 'response' && answer.status < 300
      ? officerEnrollResponseSchema.safeParse(answer.body)
      : null;
  if (!enrolled?.success) {
    const why =
      answer.kind === 'response'
        ? `HTTP ${answer.status}${readServerError(answer.body).suffix}`
        : `network: ${answer.message}`;
    throw new SimulationError(`the simulated officer could not enroll (${why})`);
  }
  return {
    officerId: enrolled.data.officer.id,
    keyId: enrolled.data.keyId,
    kioskId,
    privateKey: keys.privateKey,
  };
}

/**
 * A kiosk with a fresh device identity, enrolled with a code from the admin API of `url`, as an
 * administrator and a kiosk do it; `enrollUrl` is where the code is redeemed (by default `url`).
 */
export async function enrollSimulatedKiosk(
  url: string,
  adminToken: string,
  name: string,
  enrollUrl: string = url,
): Promise<SimulatedKiosk> {
  const identity = createMemoryIdentity();
  const transport = createHttpTransport(enrollUrl, identity, { timeoutMs: 30_000 });
  const code = await createCode(url, adminToken, name);
  const enrolled = await enrollKiosk(code, { identity, transport, now: () => new Date() });
  if (!enrolled.ok)
    throw new SimulationError(`simulated kiosk "${name}" could not enroll: ${enrolled.problem}`);
  const { kioskId } = enrolled.value;
  const officer = await enrollSimulatedOfficer(url, adminToken, kioskId, identity, enrollUrl);
  return { kioskId, identity, transport, officer };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The same transport, reporting the time of every batch round trip; nothing else changes. */
function timedTransport(transport: SyncTransport, onBatch: (batch: BatchTiming) => void): SyncTransport {
  return {
    async sendBatch(batch) {
      const started = performance.now();
      const answer = await transport.sendBatch(batch);
      onBatch({
        records: batch.records.length,
        ms: performance.now() - started,
        status: answer.kind === 'response' ? answer.status : null,
      });
      return answer;
    },
    fetchStatuses: (request) => transport.fetchStatuses(request),
  };
}

export async function simulate(options: SimulateOptions): Promise<SimulateResult> {
  const log = options.log ?? (() => {});
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const kiosks = await Promise.all(
    Array.from({ length: options.kiosks }, async (_, k) => {
      const { identity, transport, kioskId, officer } = await enrollSimulatedKiosk(
        options.url,
        options.adminToken,
        `Simulasi ${k + 1}`,
      );
      return {
        officer,
        identity,
        transport: options.onBatch ? timedTransport(transport, options.onBatch) : transport,
        outbox: createMemoryOutbox(),
        kioskId,
        ids: [] as string[],
      };
    }),
  );
  log(`enrolled ${kiosks.length} simulated kiosks`);

  const base = Date.now() - options.records * 1000;
  for (let n = 0; n < options.records; n++) {
    const kiosk = kiosks[n % kiosks.length];
    if (!kiosk) continue;
    const item = await simulatedApplication(n, {
      attachmentBytes: options.attachmentKb * 1024,
      createdAt: new Date(base + n * 1000),
      newId: () => crypto.randomUUID(),
      officer: kiosk.officer,
    });
    await kiosk.outbox.add(item);
    kiosk.ids.push(item.id);
  }
  log(`captured ${options.records} applications`);
  options.onReady?.();

  const limits = { maxRecords: options.batchRecords ?? 10, maxBytes: 8 * 1024 * 1024 };
  const started = performance.now();
  let retries = 0;
  await Promise.all(
    kiosks.map(async (kiosk) => {
      for (;;) {
        const report = await syncOutbox({
          outbox: kiosk.outbox,
          identity: kiosk.identity,
          transport: kiosk.transport,
          now: () => new Date(),
          random: Math.random,
          limits,
          ...(options.backoff ? { backoff: options.backoff } : {}),
        });
        if (report.credentials)
          throw new SimulationError(`the server refused kiosk ${kiosk.kioskId}: ${report.credentials}`);
        if (report.remaining === 0) return;
        if (report.failed > 0) retries++;
        if (performance.now() - started > timeoutMs) return;
        // Wait, like the kiosk's timer, until the first queued record may be tried again.
        const queued = await kiosk.outbox.queued();
        const next = Math.min(
          ...queued.map((i) => (i.nextAttemptAt ? Date.parse(i.nextAttemptAt) : Date.now())),
        );
        await sleep(Math.max(50, next - Date.now()));
      }
    }),
  );
  const durationMs = Math.round(performance.now() - started);

  const perKiosk = await Promise.all(
    kiosks.map(async (kiosk) => {
      const all = await kiosk.outbox.list();
      const acknowledged = new Set(all.filter((i) => i.state === 'synced').map((i) => i.id));
      return {
        kioskId: kiosk.kioskId,
        ids: kiosk.ids,
        acknowledged: kiosk.ids.filter((id) => acknowledged.has(id)),
        rejected: all.filter((i) => i.state === 'rejected').length,
      };
    }),
  );
  return {
    sent: options.records,
    acknowledged: perKiosk.reduce((n, k) => n + k.acknowledged.length, 0),
    rejected: perKiosk.reduce((n, k) => n + k.rejected, 0),
    retries,
    durationMs,
    kiosks: perKiosk.map(({ kioskId, ids, acknowledged }) => ({ kioskId, ids, acknowledged })),
  };
}
