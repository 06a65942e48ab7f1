/**
 * Sealed applications from kiosks (issue 8): the server opens each with the RA archive key and
 * stores what is inside exactly as its plain twin; a blob it cannot trust is refused on its own
 * while the rest of the batch is stored.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  generateSealKeyPair,
  importSealPublicKey,
  type SealRecipientKey,
  sealToBytes,
} from '../../../src/core/sealing/seal';
import { BATCH_FRAME_MEDIA_TYPE, encodeBatchFrame } from '../../../src/protocol/batch-frame';
import { encodeSealedPlaintext, sealedRecordContext } from '../../../src/protocol/sealed-record';
import {
  type ApplicationRecord,
  type FramedRecord,
  syncBatchResponseSchema,
} from '../../../src/protocol/sync';
import {
  appFetcher,
  enrollTestKiosk,
  type Fetcher,
  signedInit,
  type TestKiosk,
} from '../../../tests/support/signed-kiosk';
import { makeWireRecord } from '../../../tests/support/wire-records';
import { type ArchiveKeys, createArchiveKeys } from '../archive/archive-keys';
import { createLogger } from '../logger';
import { openStore } from '../store/open';
import type { Store } from '../store/store';
import { createApp } from './app';

interface Item {
  record: unknown;
  files: Uint8Array[];
}

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function framed(record: ApplicationRecord): { record: FramedRecord; picture: Uint8Array } {
  const picture = new Uint8Array(Buffer.from(record.ektpImage.dataBase64, 'base64'));
  return {
    record: {
      ...record,
      ektpImage: {
        mediaType: record.ektpImage.mediaType,
        byteLength: picture.byteLength,
        sha256: sha256Hex(picture),
      },
    },
    picture,
  };
}

const PASSPHRASE = 'arsip-uji-rekaman-tersegel';

describe('sealed records in a sync batch', () => {
  let dataDir: string;
  let store: Store;
  let archiveKeys: ArchiveKeys;
  let fetcher: Fetcher;
  let kiosk: TestKiosk;
  let archive: SealRecipientKey;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sertel-sealed-batch-'));
    // The server's archive keys and the store's sealed archive share one passphrase, as in server.ts.
    store = await openStore({ dataDir, archivePassphrase: PASSPHRASE });
    archiveKeys = createArchiveKeys({ store, passphrase: PASSPHRASE, iterations: 1000 });
    fetcher = appFetcher(createApp({ store, logger: createLogger('silent'), archiveKeys }));
    kiosk = await enrollTestKiosk(fetcher, store);
    const current = await archiveKeys.current();
    const publicKey = await importSealPublicKey(current.publicKeySpki);
    if (publicKey === null) throw new Error('no archive public key');
    archive = { kind: 'archive', keyId: current.keyId, publicKey };
  });

  afterEach(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** As the kiosk seals at capture: the framed record without decision, its files after it. */
  async function sealed(
    record: ApplicationRecord,
    options: { id?: string; context?: string; recipients?: SealRecipientKey[] } = {},
  ): Promise<Item> {
    const { record: plain, picture } = framed(record);
    const blob = await sealToBytes(
      encodeSealedPlaintext(plain, [picture]),
      options.context ?? sealedRecordContext(options.id ?? record.id),
      options.recipients ?? [archive],
    );
    return {
      record: {
        id: options.id ?? record.id,
        sealed: { byteLength: blob.byteLength, sha256: sha256Hex(blob) },
      },
      files: [blob],
    };
  }

  const plainItem = (record: ApplicationRecord): Item => {
    const { record: r, picture } = framed(record);
    return { record: r, files: [picture] };
  };

  async function post(items: Item[]): Promise<string[]> {
    const body = encodeBatchFrame(
      { kioskId: kiosk.kioskId, records: items.map((i) => i.record) },
      items.flatMap((i) => i.files),
    );
    const response = await fetcher(
      '/api/v1/sync/batches',
      await signedInit(kiosk, body, { contentType: BATCH_FRAME_MEDIA_TYPE }),
    );
    expect(response.status).toBe(200);
    return syncBatchResponseSchema.parse(await response.json()).results.map((r) => r.code ?? r.status);
  }

  test('a sealed record is stored exactly as its plain twin: the twin is then a duplicate', async () => {
    const record = await makeWireRecord();
    expect(await post([await sealed(record)])).toEqual(['stored']);
    const stored = await store.getApplication(record.id);
    expect(stored?.nik).toBe(record.applicant.nik);
    expect(stored?.nama).toBe(record.applicant.nama);
    expect(
      Buffer.compare(
        stored?.ektpImage ?? new Uint8Array(),
        Buffer.from(record.ektpImage.dataBase64, 'base64'),
      ),
    ).toBe(0);
    // Same content hash, same kiosk: the plain form of the same application is the same record.
    expect(await post([plainItem(record)])).toEqual(['duplicate']);
    // And a second sealing of it (a fresh blob, same content) too.
    expect(await post([await sealed(record)])).toEqual(['duplicate']);
    expect(await store.countApplications()).toBe(1);
  });

  test('tampered, misdirected and unknown-key blobs are refused one by one; the rest is stored', async () => {
    const [good, tampered, otherId, unknownKey, plain] = await Promise.all([
      makeWireRecord(),
      makeWireRecord(),
      makeWireRecord(),
      makeWireRecord(),
      makeWireRecord(),
    ]);
    const tamperedItem = await sealed(tampered);
    const blob = tamperedItem.files[0] ?? new Uint8Array();
    const changed = new Uint8Array(blob);
    changed[changed.length - 5] = (changed[changed.length - 5] ?? 0) ^ 1;
    // The sha256 names the changed bytes: only the seal itself can tell.
    const tamperedRef = {
      id: tampered.id,
      sealed: { byteLength: changed.byteLength, sha256: sha256Hex(changed) },
    };
    // Sealed for another application's context, sent under this one's id.
    const misdirected = await sealed(otherId, { context: sealedRecordContext(good.id) });
    const stranger = await generateSealKeyPair();
    const strangerItem = await sealed(unknownKey, {
      recipients: [{ kind: 'archive', keyId: 'archive-unknown', publicKey: stranger.publicKey }],
    });
    const wrongSha = await sealed(await makeWireRecord());
    const wrongShaRef = {
      ...(wrongSha.record as object),
      sealed: { byteLength: wrongSha.files[0]?.byteLength, sha256: '0'.repeat(64) },
    };

    expect(
      await post([
        await sealed(good),
        { record: tamperedRef, files: [changed] },
        misdirected,
        strangerItem,
        { record: wrongShaRef, files: wrongSha.files },
        plainItem(plain),
      ]),
    ).toEqual([
      'stored',
      'sealed-unreadable',
      'sealed-mismatch',
      'sealed-unknown-key',
      'sealed-unreadable',
      'stored',
    ]);
    expect(await store.getApplication(good.id)).not.toBeNull();
    expect(await store.getApplication(plain.id)).not.toBeNull();
    expect(await store.countApplications()).toBe(2);
  });

  test('a blob holding another application than its ref names is a mismatch', async () => {
    const [outer, inner] = await Promise.all([makeWireRecord(), makeWireRecord()]);
    // Sealed in the outer id's context, but the record inside is another one.
    const item = await sealed(inner, { id: outer.id });
    expect(await post([item])).toEqual(['sealed-mismatch']);
    expect(await store.countApplications()).toBe(0);
  });

  test('a sealed record without a server archive key is refused, not stored in the clear', async () => {
    const record = await makeWireRecord();
    const item = await sealed(record);
    const bare = appFetcher(createApp({ store, logger: createLogger('silent') }));
    const body = encodeBatchFrame({ kioskId: kiosk.kioskId, records: [item.record] }, item.files);
    const response = await bare(
      '/api/v1/sync/batches',
      await signedInit(kiosk, body, { contentType: BATCH_FRAME_MEDIA_TYPE }),
    );
    const results = syncBatchResponseSchema.parse(await response.json()).results;
    expect(results.map((r) => r.code)).toEqual(['sealed-unsupported']);
  });
});
