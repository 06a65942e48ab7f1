/** `npm run server -- expiring` and `-- incidents`, run as real processes against a SQLite store. */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expiringResponseSchema } from '../../../src/protocol/lifecycle';
import { makeApplication } from '../../../tests/support/applications';
import { SERVER_TEST_BUNDLE } from '../../../tests/support/server-bundle';
import { crlDistributionUrl } from '../ca/crl-url';
import { loadConfig } from '../config';
import { csvCell } from '../domain/incidents-csv';
import { openStore } from '../store/open';
import { parseCliTime } from './lifecycle-commands';

const DAY = 86_400_000;
let dataDir: string;
let applicationId: string;

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--enable-source-maps', SERVER_TEST_BUNDLE, ...args],
      {
        env: {
          PATH: process.env.PATH,
          DATA_DIR: dataDir,
          LOG_LEVEL: 'silent',
          RENEWAL_WINDOW_DAYS: '14',
          // The CLI opens the sealed archive the test's store wrote with.
          ARCHIVE_PASSPHRASE: process.env.ARCHIVE_PASSPHRASE,
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sertel-lifecycle-cli-'));
  const store = await openStore({ dataDir });
  try {
    const application = makeApplication({ id: randomUUID(), perangkatDaerah: 'Dinas Kesehatan' });
    applicationId = application.id;
    await store.insertApplications([application], new Date().toISOString());
    await store.recordOutcome(
      application.id,
      {
        state: 'issued',
        certificatePem: 'PEM',
        notAfter: new Date(Date.now() + 10 * DAY).toISOString(),
        serialNumberHex: '4A6F',
      },
      { at: new Date().toISOString(), actor: 'ca' },
    );
    await store.recordIncident({
      id: randomUUID(),
      type: 'repudiation',
      occurredAt: '2026-03-01T10:00:00+07:00',
      recordedAt: '2026-03-02T10:00:00+07:00',
      certificateSerialHex: '4A6F',
      applicationId: application.id,
      description: 'Pemilik menyangkal, "tidak pernah" menandatangani',
      actionsTaken: 'Diperiksa bersama BSrE',
      reportedTo: 'Diskominfo',
      recordedBy: 'server',
      officerId: null,
      kioskId: null,
      revocationId: null,
      payload: null,
      signature: null,
    });
  } finally {
    await store.close();
  }
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm run server -- expiring | incidents', () => {
  test('expiring lists the certificate within RENEWAL_WINDOW_DAYS, per Perangkat Daerah; --days narrows it; bad days are a usage error', async () => {
    const json = await cli('expiring', '--json');
    expect(json).toMatchObject({ code: 0, stderr: '' });
    const answer = expiringResponseSchema.parse(JSON.parse(json.stdout));
    expect(answer.windowDays).toBe(14);
    expect(answer.groups).toEqual([
      {
        perangkatDaerah: 'Dinas Kesehatan',
        certificates: [expect.objectContaining({ applicationId, serialNumberHex: '4A6F' })],
      },
    ]);
    const text = await cli('expiring');
    expect(text.stdout).toContain('1 certificate ending within 14 days');
    expect(text.stdout).toContain('Dinas Kesehatan:');
    const narrow = await cli('expiring', '--days', '5', '--json');
    expect(expiringResponseSchema.parse(JSON.parse(narrow.stdout)).groups).toEqual([]);
    const bad = await cli('expiring', '--days', 'sebulan');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--days must be a whole number from 1 to 366');
  });

  test('incidents prints the register for a period (dates at 00:00 WIB) or CSV; a bad date is a usage error', async () => {
    const csv = await cli('incidents', '--from', '2026-03-01', '--to', '2026-03-02', '--csv');
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trimEnd().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(',repudiation,2026-03-01T03:00:00.000Z,');
    expect(lines[1]).toContain('"Pemilik menyangkal, ""tidak pernah"" menandatangani"');
    // 2026-03-01 10:00 WIB is before 2026-03-01T04:00Z… and after 00:00 WIB of that day.
    const none = await cli('incidents', '--from', '2026-03-01T04:00:00Z');
    expect(none.stdout).toContain('No incidents in this period.');
    const text = await cli('incidents');
    expect(text.stdout).toContain('repudiation');
    expect(text.stdout).toContain('reported to: Diskominfo');
    const bad = await cli('incidents', '--from', 'kemarin');
    expect(bad.code).toBe(2);
    const reversed = await cli('incidents', '--from', '2026-03-02', '--to', '2026-03-01');
    expect(reversed.code).toBe(2);
    expect(reversed.stderr).toContain('--from must be before --to');
  });
});

test.each([
  ['2026-01-01', '2025-12-31T17:00:00.000Z'],
  ['2026-01-01T08:30:00+07:00', '2026-01-01T01:30:00.000Z'],
  ['2026-01-01T08:30Z', '2026-01-01T08:30:00.000Z'],
  ['2026-13-01', null],
  ['2026-01-01T08:30', null],
  ['besok', null],
])('the CLI reads the time %s as %s', (text, expected) => {
  expect(parseCliTime(text)).toBe(expected);
});

test.each([
  ['=1+1', "'=1+1"],
  ['-5', "'-5"],
  ['@SUM(A1)', "'@SUM(A1)"],
  ['a,b', '"a,b"'],
  ['kata "kutip"', '"kata ""kutip"""'],
  ['baris\nbaru', '"baris\nbaru"'],
  ['biasa', 'biasa'],
])('a CSV cell %j is written as %j', (value, cell) => {
  expect(csvCell(value)).toBe(cell);
});

test('the CRL distribution point: PUBLIC_URL when set, else the listening address; none on port 0', () => {
  const base = { PORT: '8080', DATA_DIR: dataDir };
  expect(crlDistributionUrl(loadConfig(base))).toBe('http://localhost:8080/api/v1/ca/crl');
  expect(crlDistributionUrl(loadConfig({ ...base, HOST: '192.168.1.20', HTTPS_SELF_SIGNED: '1' }))).toBe(
    'https://192.168.1.20:8080/api/v1/ca/crl',
  );
  expect(crlDistributionUrl(loadConfig({ ...base, PUBLIC_URL: 'https://sertel.madiunkota.go.id/' }))).toBe(
    'https://sertel.madiunkota.go.id/api/v1/ca/crl',
  );
  expect(crlDistributionUrl(loadConfig({ ...base, PORT: '0' }))).toBeUndefined();
  expect(loadConfig(base).renewalWindowDays).toBe(30);
  expect(() => loadConfig({ ...base, RENEWAL_WINDOW_DAYS: '0' })).toThrow(
    /RENEWAL_WINDOW_DAYS must be at least 1/,
  );
});
