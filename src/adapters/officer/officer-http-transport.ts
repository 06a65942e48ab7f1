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

export function createOfficerHttpTransport(
  baseUrl: string,
  identity: Pick<DeviceIdentityStore, 'deviceKey'>,
  options: { timeoutMs?: number; now?: () => number; client?: SignedClient } = {},
): OfficerTransport {
  const client = options.client ?? createSignedClient(baseUrl, identity, { timeoutMs: 30_000, ...options });
  return {
    enrollOfficer: (kioskId, request) => client.postJson(OFFICER_ENROLL_PATH, kioskId, request),
    reportOfficerLock: (request) => client.postJson(OFFICER_LOCK_PATH, request.kioskId, request),
    nikCheck: (request) => client.postJson(NIK_CHECK_PATH, request.kioskId, request),
    release: (request) => client.postJson(SYNC_RELEASES_PATH, request.kioskId, request),
  };
}
