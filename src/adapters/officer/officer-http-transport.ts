/** The officer requests over HTTP, signed with the kiosk's device key like every sync request. */
import type { OfficerTransport } from '../../app/officer/ports';
import type { DeviceIdentityStore } from '../../app/ports';
import {
  NIK_CHECK_PATH,
  OFFICER_ENROLL_PATH,
  OFFICER_LOCK_PATH,
  SYNC_RELEASES_PATH,
} from '../../protocol/officer';
import { createSignedClient, type SignedClient } from '../sync/signed-client';

/** The duplicate-NIK question waits this long at most: the officer is deciding at the counter. */
const NIK_CHECK_TIMEOUT_MS = 15_000;

/**
 * `timeoutMs` (30 s by default) bounds each officer request, also over a shared `client`; the NIK
 * check waits at most 15 s. A request that times out is a `network-error`.
 */
export function createOfficerHttpTransport(
  baseUrl: string,
  identity: Pick<DeviceIdentityStore, 'deviceKey'>,
  options: { timeoutMs?: number; now?: () => number; client?: SignedClient } = {},
): OfficerTransport {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const client = options.client ?? createSignedClient(baseUrl, identity, { ...options, timeoutMs });
  const call = { timeoutMs };
  const nikCall = { timeoutMs: Math.min(timeoutMs, NIK_CHECK_TIMEOUT_MS) };
  return {
    enrollOfficer: (kioskId, request) => client.postJson(OFFICER_ENROLL_PATH, kioskId, request, call),
    reportOfficerLock: (request) => client.postJson(OFFICER_LOCK_PATH, request.kioskId, request, call),
    nikCheck: (request) => client.postJson(NIK_CHECK_PATH, request.kioskId, request, nikCall),
    release: (request) => client.postJson(SYNC_RELEASES_PATH, request.kioskId, request, call),
  };
}
