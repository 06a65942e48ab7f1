import type { KioskPolicyTransport } from '../../app/kiosk-policy';
import { ARCHIVE_KEY_PATH } from '../../protocol/archive';
import { KIOSK_POLICY_PATH, KIOSK_VERSION_HEADER } from '../../protocol/kiosk-policy';
import { send } from './signed-client';

/** The server's policy, unsigned (it is public); the kiosk's version goes along for the server's log. */
export function createKioskPolicyTransport(
  baseUrl: string,
  kioskVersion: string,
  timeoutMs = 15_000,
): KioskPolicyTransport {
  return {
    fetchPolicy: () =>
      send(
        new URL(KIOSK_POLICY_PATH, baseUrl),
        { method: 'GET', headers: { [KIOSK_VERSION_HEADER]: kioskVersion } },
        timeoutMs,
      ),
    fetchArchiveKey: () => send(new URL(ARCHIVE_KEY_PATH, baseUrl), { method: 'GET' }, timeoutMs),
  };
}
