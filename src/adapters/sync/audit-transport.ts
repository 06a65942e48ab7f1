import type { AuditTransport } from '../../app/audit/ports';
import { SYNC_AUDIT_PATH } from '../../protocol/audit';
import type { SignedClient } from './signed-client';

/** The audit chain's pages, signed with the device key like every sync request. */
export function createAuditTransport(client: SignedClient): AuditTransport {
  return { sendAudit: (upload) => client.postJson(SYNC_AUDIT_PATH, upload.kioskId, upload) };
}
