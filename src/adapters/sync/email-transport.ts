/** The e-mail confirmation's requests over HTTP, signed with the kiosk's device key like every sync request. */
import type { EmailTransport } from '../../app/email-confirmation';
import type { DeviceIdentityStore } from '../../app/ports';
import { EMAIL_CODES_PATH, EMAIL_VERIFY_PATH } from '../../protocol/email';
import { createSignedClient, type SignedClient } from './signed-client';

/**
 * `timeoutMs` (30 s by default: the server waits up to 20 s for the mail server) bounds each request,
 * also over a shared `client`. A request that times out is a `network-error`.
 */
export function createEmailHttpTransport(
  baseUrl: string,
  identity: Pick<DeviceIdentityStore, 'deviceKey'>,
  options: { timeoutMs?: number; now?: () => number; client?: SignedClient } = {},
): EmailTransport {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const client = options.client ?? createSignedClient(baseUrl, identity, { ...options, timeoutMs });
  const call = { timeoutMs };
  return {
    requestEmailCode: (kioskId, request) => client.postJson(EMAIL_CODES_PATH, kioskId, request, call),
    verifyEmailCode: (kioskId, request) => client.postJson(EMAIL_VERIFY_PATH, kioskId, request, call),
  };
}
