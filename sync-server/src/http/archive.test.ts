/**
 * Kiosks learn the RA archive key they seal to at enrollment, and pick up a rotation from
 * `GET /api/v1/archive/key`; neither answer carries anything secret.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ARCHIVE_KEY_PATH, archiveKeySchema } from '../../../src/protocol/archive';
import { enrollResponseSchema } from '../../../src/protocol/kiosk-auth';
import { appFetcher, createTestEnrollmentCode, enrollWithCode } from '../../../tests/support/signed-kiosk';
import { createArchiveKeys } from '../archive/archive-keys';
import { createLogger } from '../logger';
import { openStore } from '../store/open';
import type { Store } from '../store/store';
import { createApp } from './app';

describe('the RA archive key for kiosks', () => {
  let dataDir: string;
  let store: Store;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sertel-archive-route-'));
    store = await openStore({ dataDir });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('enrollment hands over the current key; after a rotation the route gives the new one', async () => {
    const archiveKeys = createArchiveKeys({ store, passphrase: 'arsip-uji-rute-kios', iterations: 1000 });
    const app = createApp({ store, logger: createLogger('silent'), archiveKeys });
    const { code } = await createTestEnrollmentCode(store);
    const { response } = await enrollWithCode(appFetcher(app), code);
    expect(response.status).toBe(201);
    const enrolled = enrollResponseSchema.parse(await response.json());
    const current = await archiveKeys.current();
    expect(enrolled.archiveKey).toEqual({
      keyId: current.keyId,
      publicKeySpki: current.publicKeySpki,
      createdAt: current.createdAt,
    });

    const rotated = await archiveKeys.rotate();
    const fetched = await app.request(ARCHIVE_KEY_PATH);
    expect(fetched.status).toBe(200);
    const body = await fetched.json();
    expect(archiveKeySchema.strict().parse(body).keyId).toBe(rotated.keyId);
    expect(JSON.stringify(body)).not.toMatch(/PRIVATE|encrypted/i);
  });

  test('without archive keys the route does not exist and enrollment says nothing of them', async () => {
    const app = createApp({ store, logger: createLogger('silent') });
    expect((await app.request(ARCHIVE_KEY_PATH)).status).toBe(404);
    const { code } = await createTestEnrollmentCode(store);
    const { response } = await enrollWithCode(appFetcher(app), code);
    expect(enrollResponseSchema.parse(await response.json()).archiveKey).toBeUndefined();
  });
});
