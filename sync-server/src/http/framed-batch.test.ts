/**
 * Binary batches: the records as JSON, the pictures as raw bytes after them. Stored exactly as JSON
 * batches are, deduplicated across both forms and against rows stored before this form existed;
 * a frame that cannot be trusted changes nothing.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { BATCH_FRAME_MEDIA_TYPE, encodeBatchFrame } from '../../../src/protocol/batch-frame';
import {
  type ApplicationRecord,
  applicationRecordSchema,
  errorBodySchema,
  type FramedRecord,
  LIMITS,
  syncBatchResponseSchema,
} from '../../../src/protocol/sync';
import {
  appFetcher,
  enrollTestKiosk,
  type Fetcher,
  postSignedBatch,
  signedInit,
  type TestKiosk,
} from '../../../tests/support/signed-kiosk';
import { makeWireRecord, tinyPng as tinyPngBytes } from '../../../tests/support/wire-records';
import { contentHash, legacyContentHash } from '../domain/ingest';
import { createLogger } from '../logger';
import { openStore } from '../store/open';
import type { Store } from '../store/store';
import { createApp } from './app';

/** The record as a kiosk frames it, and its picture's bytes. */
function framed(record: ApplicationRecord): { record: FramedRecord; picture: Uint8Array } {
  const picture = new Uint8Array(Buffer.from(record.ektpImage.dataBase64, 'base64'));
  const { mediaType } = record.ektpImage;
  return {
    record: {
      ...record,
      ektpImage: {
        mediaType,
        byteLength: picture.byteLength,
        sha256: createHash('sha256').update(picture).digest('hex'),
      },
    },
    picture,
  };
}

describe('binary batches', () => {
  let dataDir: string;
  let store: Store;
  let fetcher: Fetcher;
  let kiosk: TestKiosk;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sertel-framed-'));
    store = await openStore({ dataDir });
    fetcher = appFetcher(createApp({ store, logger: createLogger('silent') }));
    kiosk = await enrollTestKiosk(fetcher, store);
  });

  afterEach(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const postFrame = async (body: Uint8Array, signer = kiosk) =>
    fetcher('/api/v1/sync/batches', await signedInit(signer, body, { contentType: BATCH_FRAME_MEDIA_TYPE }));
  const postRecords = (items: { record: unknown; picture: Uint8Array }[], kioskId = kiosk.kioskId) =>
    postFrame(
      encodeBatchFrame(
        { kioskId, records: items.map((i) => i.record) },
        items.map((i) => i.picture),
      ),
    );
  const statuses = async (response: Response) => {
    expect(response.status).toBe(200);
    return syncBatchResponseSchema.parse(await response.json()).results.map((r) => r.code ?? r.status);
  };

  test('stores each record with its picture byte for byte, under the v2 hash of its framed form', async () => {
    const records = await Promise.all([makeWireRecord(), makeWireRecord()]);
    const items = records.map(framed);
    expect(await statuses(await postRecords(items))).toEqual(['stored', 'stored']);
    for (const { record, picture } of items) {
      const stored = await store.getApplication(record.id);
      expect(Buffer.compare(stored?.ektpImage ?? new Uint8Array(), picture)).toBe(0);
      expect(stored?.contentHash).toBe(contentHash(kiosk.kioskId, record));
      expect(stored?.contentHash).toMatch(/^v2:[0-9a-f]{64}$/);
    }
  });

  test("the applicant's category, mobile number and accepted agreement are stored as they came", async () => {
    const base = await makeWireRecord();
    const agreement = {
      version: '2026-01',
      acceptedAt: '2026-11-26T02:10:00.000Z',
      obligationsAcceptedAt: '2026-11-26T02:09:30.000Z',
    };
    const record = {
      ...base,
      applicant: { ...base.applicant, category: 'pns' as const, mobile: '+6281234567890' },
      agreement,
    };
    expect(await statuses(await postRecords([framed(record)]))).toEqual(['stored']);
    const stored = await store.getApplication(record.id);
    expect([stored?.category, stored?.mobile, stored?.agreement]).toEqual([
      'pns',
      '+6281234567890',
      agreement,
    ]);
  });

  test('a record sent as JSON and again framed (a kiosk updated in between) is one record', async () => {
    const record = await makeWireRecord();
    expect(
      (await postSignedBatch(fetcher, kiosk, { kioskId: kiosk.kioskId, records: [record] })).status,
    ).toBe(200);
    expect(await statuses(await postRecords([framed(record)]))).toEqual(['duplicate']);
    const changed = framed({ ...record, ocrText: 'lain' });
    expect(await statuses(await postRecords([changed]))).toEqual(['id-conflict']);
    expect(await store.countApplications()).toBe(1);
  });

  test('a row stored before v2 hashes still recognises its resend, and a different record under its id', async () => {
    const record = applicationRecordSchema.parse(await makeWireRecord());
    const { record: asFramed, picture } = framed(record);
    // Written the way the previous version of the server wrote it: bare legacy hash.
    await store.insertApplications(
      [
        {
          id: record.id,
          kioskId: kiosk.kioskId,
          createdAt: record.createdAt,
          certificateType: record.certificateType,
          nama: record.applicant.nama,
          nik: record.applicant.nik,
          nip: record.applicant.nip,
          email: record.applicant.email,
          perangkatDaerah: record.applicant.perangkatDaerah,
          jabatan: null,
          host: null,
          ektpMediaType: record.ektpImage.mediaType,
          ektpImage: picture,
          ocrText: record.ocrText,
          ektpJson: null,
          csrPem: record.csrPem,
          encryptedPrivateKeyPem: record.encryptedPrivateKeyPem,
          contentHash: legacyContentHash(kiosk.kioskId, record),
        },
      ],
      new Date().toISOString(),
    );
    expect(await statuses(await postRecords([{ record: asFramed, picture }]))).toEqual(['duplicate']);
    expect(
      await statuses(await postSignedBatch(fetcher, kiosk, { kioskId: kiosk.kioskId, records: [record] })),
    ).toEqual(['duplicate']);
    const other = framed({ ...record, ocrText: 'teks lain' });
    expect(await statuses(await postRecords([other]))).toEqual(['id-conflict']);
  });

  test('a picture that does not match its SHA-256, or is not what it claims, is refused alone', async () => {
    const [good, tampered, notPng] = (
      await Promise.all([makeWireRecord(), makeWireRecord(), makeWireRecord()])
    ).map(framed);
    if (!good || !tampered || !notPng) throw new Error('records not made');
    const flipped = tampered.picture.slice();
    flipped[flipped.length - 1] = (flipped.at(-1) ?? 0) ^ 1;
    const jpegBytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
    const lying = {
      record: {
        ...notPng.record,
        ektpImage: {
          mediaType: 'image/png',
          byteLength: jpegBytes.byteLength,
          sha256: createHash('sha256').update(jpegBytes).digest('hex'),
        },
      },
      picture: jpegBytes,
    };
    expect(
      await statuses(await postRecords([good, { record: tampered.record, picture: flipped }, lying])),
    ).toEqual(['stored', 'invalid-image', 'invalid-image']);
    expect(await store.countApplications()).toBe(1);
  });

  test('attachments travel after the picture, each checked by its digest and kind, and are stored by kind', async () => {
    const pdf = new TextEncoder().encode('%PDF-1.7\n% surat pengantar\n%%EOF\n');
    const png = tinyPngBytes();
    const digest = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    const withPapers = (
      item: { record: FramedRecord; picture: Uint8Array },
      papers: [string, string, Uint8Array][],
    ) => ({
      record: {
        ...item.record,
        attachments: papers.map(([kind, mediaType, bytes]) => ({
          kind,
          mediaType,
          byteLength: bytes.byteLength,
          sha256: digest(bytes),
        })),
      },
      files: [item.picture, ...papers.map(([, , bytes]) => bytes)],
    });
    const [a, b, c] = (await Promise.all([makeWireRecord(), makeWireRecord(), makeWireRecord()])).map(framed);
    if (!a || !b || !c) throw new Error('records not made');
    const good = withPapers(a, [
      ['surat-pengantar', 'application/pdf', pdf],
      ['signature-specimen', 'image/png', png],
    ]);
    const tampered = withPapers(b, [['surat-pengantar', 'application/pdf', pdf]]);
    tampered.files[1] = Uint8Array.from(pdf, (x, i) => (i === pdf.length - 2 ? x ^ 1 : x));
    const lying = withPapers(c, [['surat-rekomendasi', 'application/pdf', png]]);
    const body = encodeBatchFrame(
      { kioskId: kiosk.kioskId, records: [good.record, tampered.record, lying.record] },
      [good, tampered, lying].flatMap((x) => x.files),
    );
    expect(await statuses(await postFrame(body))).toEqual([
      'stored',
      'invalid-attachment',
      'invalid-attachment',
    ]);
    const stored = await store.getApplication(a.record.id);
    expect(
      stored?.attachments?.map((f) => [
        f.kind,
        f.mediaType,
        Buffer.from(f.data).equals(Buffer.from(f.kind === 'surat-pengantar' ? pdf : png)),
      ]),
    ).toEqual([
      ['signature-specimen', 'image/png', true],
      ['surat-pengantar', 'application/pdf', true],
    ]);
    expect(Buffer.compare(stored?.ektpImage ?? new Uint8Array(), a.picture)).toBe(0);
    // An attachment's bytes missing from the frame: the lengths no longer add up.
    const short = encodeBatchFrame(
      {
        kioskId: kiosk.kioskId,
        records: [withPapers(b, [['surat-pengantar', 'application/pdf', pdf]]).record],
      },
      [b.picture],
    );
    expect((await postFrame(short)).status).toBe(400);
    expect(await store.countApplications()).toBe(1);
  });

  test('a frame that cannot be trusted is refused whole and stores nothing', async () => {
    const item = framed(await makeWireRecord());
    const frame = encodeBatchFrame({ kioskId: kiosk.kioskId, records: [item.record] }, [item.picture]);
    const refusals: [string, Uint8Array][] = [
      ['no magic', Uint8Array.from([1, 2, 3, 4, ...frame.subarray(4)])],
      ['cut short', frame.subarray(0, frame.byteLength - 1)],
      ['one byte too many', Uint8Array.from([...frame, 0])],
      [
        'manifest length beyond the body',
        (() => {
          const copy = frame.slice();
          new DataView(copy.buffer).setUint32(4, 0x7fffffff, false);
          return copy;
        })(),
      ],
      ['manifest not JSON', encodeBatchFrameRaw('{"kioskId":', item.picture)],
    ];
    for (const [why, body] of refusals) {
      const response = await postFrame(body);
      expect(response.status, why).toBe(400);
      expect((await errorOf(response)).code, why).toBe('invalid-batch');
    }
    const noLength = { ...item.record, ektpImage: { ...item.record.ektpImage, byteLength: 'many' } };
    expect((await postRecords([{ record: noLength, picture: item.picture }])).status).toBe(400);
    const tooLarge = new Uint8Array(8);
    tooLarge.set([0x53, 0x54, 0x42, 0x31]);
    new DataView(tooLarge.buffer).setUint32(4, LIMITS.maxManifestBytes + 1, false);
    const tooLargeResponse = await postFrame(tooLarge);
    expect(tooLargeResponse.status).toBe(400);
    expect((await errorOf(tooLargeResponse)).message).toBe(
      `The batch manifest exceeds ${LIMITS.maxManifestBytes} bytes`,
    );
    expect(await store.countApplications()).toBe(0);
  });

  test('the manifest must name the kiosk that signed the request', async () => {
    const other = await enrollTestKiosk(fetcher, store, { name: 'Loket Lain' });
    const item = framed(await makeWireRecord());
    const response = await postRecords([item], other.kioskId);
    expect(response.status).toBe(403);
    expect((await errorOf(response)).code).toBe('kiosk-mismatch');
    expect(await store.countApplications()).toBe(0);
  });
});

async function errorOf(response: Response) {
  return errorBodySchema.parse(await response.json()).error;
}

/** A frame whose manifest is the given text, verbatim (possibly not JSON). */
function encodeBatchFrameRaw(manifest: string, picture: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(manifest);
  const body = new Uint8Array(8 + json.byteLength + picture.byteLength);
  body.set([0x53, 0x54, 0x42, 0x31]);
  new DataView(body.buffer).setUint32(4, json.byteLength, false);
  body.set(json, 8);
  body.set(picture, 8 + json.byteLength);
  return body;
}
