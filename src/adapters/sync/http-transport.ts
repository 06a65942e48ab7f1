import type { EnrollTransport } from '../../app/enroll-kiosk';
import type { DeviceIdentityStore, SyncTransport, TransportResult } from '../../app/ports';
import { readServerError } from '../../app/server-error';
import { BATCH_FRAME_MEDIA_TYPE, encodeBatchFrame } from '../../protocol/batch-frame';
import { ENROLL_PATH, newNonce, signRequest } from '../../protocol/kiosk-auth';
import { SYNC_BATCHES_PATH, SYNC_STATUSES_PATH } from '../../protocol/sync';

const utf8 = new TextEncoder();

async function send(url: URL, init: RequestInit, timeoutMs: number): Promise<TransportResult> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs), cache: 'no-store' });
  } catch (err) {
    return { kind: 'network-error', message: err instanceof Error ? err.message : String(err) };
  }
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  return { kind: 'response', status: response.status, body };
}

function staleServerTime(result: TransportResult): number | null {
  if (result.kind !== 'response' || result.status !== 401) return null;
  const { code, serverTime } = readServerError(result.body);
  if (code !== 'stale-request' || serverTime === undefined) return null;
  const time = Date.parse(serverTime);
  return Number.isNaN(time) ? null : time;
}

/**
 * Sync requests signed with the device key. A kiosk whose clock is off (days in the field, a flat
 * CMOS battery) learns the server's time from a `stale-request` answer and signs again once.
 */
export function createHttpTransport(
  baseUrl: string,
  identity: Pick<DeviceIdentityStore, 'deviceKey'>,
  options: { timeoutMs?: number; now?: () => number } = {},
): SyncTransport & EnrollTransport {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const now = options.now ?? Date.now;
  let clockOffsetMs = 0;

  const signedPost = async (
    path: string,
    kioskId: string,
    body: Uint8Array<ArrayBuffer>,
    contentType: string,
  ) => {
    const { privateKey } = await identity.deviceKey();
    const headers = await signRequest(privateKey, {
      kioskId,
      method: 'POST',
      path,
      timestamp: String(Math.round(now() + clockOffsetMs)),
      nonce: newNonce(),
      body,
    });
    return send(
      new URL(path, baseUrl),
      { method: 'POST', headers: { 'content-type': contentType, ...headers }, body },
      timeoutMs,
    );
  };

  const signed = async (
    path: string,
    kioskId: string,
    body: Uint8Array<ArrayBuffer>,
    contentType: string,
  ) => {
    const first = await signedPost(path, kioskId, body, contentType);
    const serverTime = staleServerTime(first);
    if (serverTime === null) return first;
    clockOffsetMs = serverTime - now();
    return signedPost(path, kioskId, body, contentType);
  };

  return {
    sendBatch: ({ kioskId, records, attachments }) =>
      signed(
        SYNC_BATCHES_PATH,
        kioskId,
        encodeBatchFrame({ kioskId, records }, attachments),
        BATCH_FRAME_MEDIA_TYPE,
      ),
    fetchStatuses: (request) =>
      signed(SYNC_STATUSES_PATH, request.kioskId, utf8.encode(JSON.stringify(request)), 'application/json'),
    enroll(request) {
      return send(
        new URL(ENROLL_PATH, baseUrl),
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) },
        timeoutMs,
      );
    },
  };
}
