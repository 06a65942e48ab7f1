import type { EnrollTransport } from '../../app/enroll-kiosk';
import type { DeviceIdentityStore, SyncTransport } from '../../app/ports';
import { BATCH_FRAME_MEDIA_TYPE, encodeBatchFrame } from '../../protocol/batch-frame';
import { ENROLL_PATH } from '../../protocol/kiosk-auth';
import { SYNC_BATCHES_PATH, SYNC_STATUSES_PATH } from '../../protocol/sync';
import { createSignedClient, type SignedClient, send } from './signed-client';

/** Sync requests signed with the device key (`signed-client.ts`), and the unsigned enrollment. */
export function createHttpTransport(
  baseUrl: string,
  identity: Pick<DeviceIdentityStore, 'deviceKey'>,
  options: { timeoutMs?: number; now?: () => number; client?: SignedClient } = {},
): SyncTransport & EnrollTransport {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const client = options.client ?? createSignedClient(baseUrl, identity, options);
  return {
    sendBatch: ({ kioskId, records, files }) =>
      client.post(
        SYNC_BATCHES_PATH,
        kioskId,
        // Every record's files back to back, in record order (`recordFileLengths` cuts them apart).
        encodeBatchFrame({ kioskId, records }, files.flat()),
        BATCH_FRAME_MEDIA_TYPE,
      ),
    fetchStatuses: (request) => client.postJson(SYNC_STATUSES_PATH, request.kioskId, request),
    enroll(request) {
      return send(
        new URL(ENROLL_PATH, baseUrl),
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) },
        timeoutMs,
      );
    },
  };
}
