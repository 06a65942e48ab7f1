/** The lifecycle requests over HTTP, signed with the kiosk's device key like every sync request. */
import type { LifecycleTransport } from '../../app/lifecycle/ports';
import type { DeviceIdentityStore } from '../../app/ports';
import {
  CERTIFICATES_EXPIRING_PATH,
  CERTIFICATES_LOOKUP_PATH,
  CORRECTIONS_PATH,
  INCIDENTS_LIST_PATH,
  INCIDENTS_PATH,
  REVOCATIONS_PATH,
} from '../../protocol/lifecycle';
import { createSignedClient, type SignedClient } from '../sync/signed-client';

/** A revocation carries up to two scanned papers (10 MB): it may take a while on a field link. */
const REVOCATION_TIMEOUT_MS = 120_000;

export function createLifecycleHttpTransport(
  baseUrl: string,
  identity: Pick<DeviceIdentityStore, 'deviceKey'>,
  options: { timeoutMs?: number; client?: SignedClient } = {},
): LifecycleTransport {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const client = options.client ?? createSignedClient(baseUrl, identity, { timeoutMs });
  const call = { timeoutMs };
  return {
    expiring: (request) => client.postJson(CERTIFICATES_EXPIRING_PATH, request.kioskId, request, call),
    lookup: (request) => client.postJson(CERTIFICATES_LOOKUP_PATH, request.kioskId, request, call),
    listIncidents: (request) => client.postJson(INCIDENTS_LIST_PATH, request.kioskId, request, call),
    revoke: (request) =>
      client.postJson(REVOCATIONS_PATH, request.kioskId, request, { timeoutMs: REVOCATION_TIMEOUT_MS }),
    recordIncident: (request) => client.postJson(INCIDENTS_PATH, request.kioskId, request, call),
    recordCorrection: (request) => client.postJson(CORRECTIONS_PATH, request.kioskId, request, call),
  };
}
