/**
 * A revocation as the store records it, for store tests that need one row and not its statement:
 * no lost key, note or incident, random officer, key and kiosk ids, and a stand-in signed statement.
 */
import { randomUUID } from 'node:crypto';
import type { NewRevocation } from '../../sync-server/src/store/lifecycle-store';

export function storeRevocation(
  fields: Pick<
    NewRevocation,
    | 'requestId'
    | 'applicationId'
    | 'serialNumberHex'
    | 'reason'
    | 'requestedAt'
    | 'receivedAt'
    | 'attachments'
  >,
): NewRevocation {
  return {
    ...fields,
    lostKey: null,
    note: '',
    officerId: randomUUID(),
    keyId: randomUUID(),
    kioskId: randomUUID(),
    payload: '{}',
    signature: 'S'.repeat(86),
    incident: null,
  };
}
