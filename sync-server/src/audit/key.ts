/**
 * The server chain's MAC key, kept outside the database: whoever can edit the database (and so
 * re-hash the chain) still cannot make the MACs. From AUDIT_KEY, or made once into
 * DATA_DIR/audit-key (mode 600) as the dev CA's passphrase is.
 */
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from '../logger';
import { secretFromEnvOrFile } from '../secret-file';

export const AUDIT_KEY_FILE = 'audit-key';

export interface AuditKey {
  /** Names the key without giving it away (16 hex), stored with every MAC. */
  id: string;
  /** HMAC-SHA-256 of the text, hex. */
  mac(text: string): string;
}

export function auditKeyFrom(secret: string): AuditKey {
  const mac = (text: string) => createHmac('sha256', secret).update(text, 'utf8').digest('hex');
  return { id: mac('sertel-audit-key-id').slice(0, 16), mac };
}

export function loadAuditKey(
  dataDir: string,
  configured: string | undefined,
  logger?: Pick<Logger, 'warn'>,
): AuditKey {
  return auditKeyFrom(secretFromEnvOrFile(join(dataDir, AUDIT_KEY_FILE), configured, logger, 'AUDIT_KEY'));
}
