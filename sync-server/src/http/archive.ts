import type { Hono } from 'hono';
import { ARCHIVE_KEY_PATH, type ArchiveKey } from '../../../src/protocol/archive';
import type { ArchiveKeyInfo, ArchiveKeys } from '../archive/archive-keys';

export const publicArchiveKey = ({ keyId, publicKeySpki, createdAt }: ArchiveKeyInfo): ArchiveKey => ({
  keyId,
  publicKeySpki,
  createdAt,
});

/** The current RA archive key, for kiosks to pick up a rotation (no secret in it). */
export function registerArchiveKeyRoute(app: Hono, archiveKeys: ArchiveKeys): void {
  app.get(ARCHIVE_KEY_PATH, async (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.json(publicArchiveKey(await archiveKeys.current()));
  });
}
