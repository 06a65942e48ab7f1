import type { DeviceIdentityStore, TransportResult } from '../../app/ports';
import { readServerError } from '../../app/server-error';
import { newNonce, signRequest } from '../../protocol/kiosk-auth';

const utf8 = new TextEncoder();

export async function send(url: URL, init: RequestInit, timeoutMs: number): Promise<TransportResult> {
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

/** Per request: `timeoutMs` replaces the client's timeout for each try of this request. */
export interface SignedCallOptions {
  timeoutMs?: number;
}

export interface SignedClient {
  post(
    path: string,
    kioskId: string,
    body: Uint8Array<ArrayBuffer>,
    contentType: string,
    options?: SignedCallOptions,
  ): Promise<TransportResult>;
  postJson(
    path: string,
    kioskId: string,
    value: unknown,
    options?: SignedCallOptions,
  ): Promise<TransportResult>;
}

/**
 * Requests signed with the device key. A kiosk whose clock is off (days in the field, a flat CMOS
 * battery) learns the server's time from a `stale-request` answer and signs again once; every
 * caller of one client shares what it learned.
 */
export function createSignedClient(
  baseUrl: string,
  identity: Pick<DeviceIdentityStore, 'deviceKey'>,
  options: { timeoutMs?: number; now?: () => number } = {},
): SignedClient {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const now = options.now ?? Date.now;
  let clockOffsetMs = 0;

  const once = async (
    path: string,
    kioskId: string,
    body: Uint8Array<ArrayBuffer>,
    contentType: string,
    callTimeoutMs: number,
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
      callTimeoutMs,
    );
  };

  const post: SignedClient['post'] = async (path, kioskId, body, contentType, call = {}) => {
    const callTimeoutMs = call.timeoutMs ?? timeoutMs;
    const first = await once(path, kioskId, body, contentType, callTimeoutMs);
    const serverTime = staleServerTime(first);
    if (serverTime === null) return first;
    clockOffsetMs = serverTime - now();
    return once(path, kioskId, body, contentType, callTimeoutMs);
  };

  return {
    post,
    postJson: (path, kioskId, value, call) =>
      post(path, kioskId, utf8.encode(JSON.stringify(value)), 'application/json', call),
  };
}
