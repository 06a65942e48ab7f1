import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { applicationRecordSchema, isBase64Text } from '../../../src/protocol/sync';
import { KIOSK_ID, makeWireRecord } from '../../../tests/support/wire-records';
import { legacyContentHash } from './ingest';

/** The definition the stored hashes were made with: a resend of an old record must still match. */
const reference = (kioskId: string, record: unknown) =>
  createHash('sha256')
    .update(JSON.stringify([kioskId, record]))
    .digest('hex');

describe('legacyContentHash (rows stored before binary batches)', () => {
  test('is the SHA-256 of the JSON of [kioskId, record], for ordinary and awkward records', async () => {
    const records = [
      await makeWireRecord(),
      await makeWireRecord({ applicant: { nama: 'DEWI "DATABASE64" LESTARI' } }),
      // Text that looks like the picture's key, in the OCR text and a name: still hashed as a whole.
      await makeWireRecord({ ocrText: 'NIK\n"dataBase64":"AAAA" ünïcödé \u2028 \\ "' }),
      await makeWireRecord({ ektpImage: { dataBase64: Buffer.alloc(150 * 1024, 9).toString('base64') } }),
      await makeWireRecord({ ektpImage: { dataBase64: 'iVBORw==' } }),
    ];
    for (const raw of records) {
      // The server hashes what the schema returns (its key order), as ingest does.
      const record = applicationRecordSchema.parse(raw);
      expect(legacyContentHash(KIOSK_ID, record)).toBe(reference(KIOSK_ID, record));
    }
  });

  test('a different picture, or another kiosk, gives a different hash', async () => {
    const record = applicationRecordSchema.parse(await makeWireRecord());
    const other = {
      ...record,
      ektpImage: { ...record.ektpImage, dataBase64: `${record.ektpImage.dataBase64}AAAA` },
    };
    expect(legacyContentHash(KIOSK_ID, other)).not.toBe(legacyContentHash(KIOSK_ID, record));
    expect(legacyContentHash('00000000-0000-4000-8000-000000000000', record)).not.toBe(
      legacyContentHash(KIOSK_ID, record),
    );
  });
});

describe('isBase64Text', () => {
  const regex = /^[A-Za-z0-9+/]*={0,2}$/;
  test.each([
    '',
    'QQ==',
    'QQ=',
    'QQ',
    'Zm9vYmFy',
    'a+b/',
    '===',
    '=',
    '==',
    'Q=Q=',
    'QQ==\n',
    ' QQ==',
    'QQ-_',
    'QQ\u00e9=',
    'QQ\u0100',
    'QQ\u{1F600}',
    'A'.repeat(200_000),
    `${'A'.repeat(200_000)}*`,
  ])('agrees with the regular expression it replaces: %j', (text) => {
    expect(isBase64Text(text)).toBe(regex.test(text));
  });

  test('agrees on every single character, alone and before padding', () => {
    for (let c = 0; c < 0x180; c++) {
      const ch = String.fromCharCode(c);
      for (const text of [ch, `AA${ch}`, `AA${ch}=`, `${ch}==`, `A${ch}A=`]) {
        expect(isBase64Text(text), JSON.stringify(text)).toBe(regex.test(text));
      }
    }
  });
});

describe('ingestBatch: the picture must be canonical base64', () => {
  test('refuses other alphabets, whitespace and missing padding, naming the field only, and stores the rest', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { openStore } = await import('../store/open');
    const { ingestBatch } = await import('./ingest');
    const dataDir = mkdtempSync(join(tmpdir(), 'sertel-ingest-'));
    const store = await openStore({ dataDir });
    try {
      const good = await makeWireRecord();
      const text = good.ektpImage.dataBase64;
      expect(text.endsWith('=')).toBe(true);
      const variants = [
        `${text.slice(0, 8)}\n${text.slice(8)}`,
        text.replace(/=+$/, ''),
        text.replace('+', '-').replace('/', '_').replace(/[A-Z]/, '-'),
        `${text.slice(0, -4)}****`,
      ];
      const bad = await Promise.all(
        variants.map((dataBase64) => makeWireRecord({ ektpImage: { dataBase64 } })),
      );
      const response = await ingestBatch(
        store,
        { kioskId: KIOSK_ID, records: [...bad, good] },
        new Date().toISOString(),
      );
      expect(response.results.map((r) => r.status)).toEqual([...bad.map(() => 'rejected'), 'stored']);
      for (const result of response.results.slice(0, bad.length)) {
        expect(result).toMatchObject({
          code: 'invalid-record',
          message: 'invalid fields: ektpImage.dataBase64',
        });
      }
      expect(await store.countApplications()).toBe(1);
    } finally {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
