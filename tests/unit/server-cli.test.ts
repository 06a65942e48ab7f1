/** The server's administrative commands, run as a real process against a SQLite store. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ENROLLMENT_CODE_PATTERN } from '../../src/protocol/kiosk-auth';
import { openStore } from '../../sync-server/src/store/open';
import { makeOpensslCa } from '../support/openssl-ca';
import { SERVER_TEST_BUNDLE } from '../support/server-bundle';
import { appFetcher, enrollWithCode } from '../support/signed-kiosk';
import { makeWireRecord } from '../support/wire-records';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let dataDir: string;

function cli(...args: string[]): Promise<Run> {
  return cliWith({}, ...args);
}

function cliWith(env: Record<string, string>, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--enable-source-maps', SERVER_TEST_BUNDLE, ...args],
      // No DATABASE_URL or ADMIN_TOKEN from the developer's shell may leak in.
      // ARCHIVE_PASSPHRASE: the CLI opens the sealed archive the test's own store wrote with.
      {
        env: {
          PATH: process.env.PATH,
          DATA_DIR: dataDir,
          LOG_LEVEL: 'silent',
          ARCHIVE_PASSPHRASE: process.env.ARCHIVE_PASSPHRASE,
          ...env,
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

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'sertel-cli-'));
});

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run server -- <command>', () => {
  let code: string;

  test('stats --json on a new store: no records, no states, nothing being forwarded', async () => {
    const run = await cli('stats', '--json');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual({ records: 0, byState: {}, forwarding: {} });
  });

  test('forward --json runs the forwarding job once against the dev CA, whose key passphrase only the owner can read', async () => {
    const run = await cli('forward', '--json');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual({
      connector: 'dev-ca',
      report: {
        submitted: 0,
        refused: 0,
        retried: 0,
        issued: 0,
        rejected: 0,
        pending: 0,
        attention: 0,
        revoked: 0,
        revocationsRetried: 0,
        revocationsFailed: 0,
      },
    });
    expect(statSync(join(dataDir, 'dev-ca', 'passphrase')).mode & 0o777).toBe(0o600);
    const off = await cliWith({ CA_CONNECTOR: 'none' }, 'forward');
    expect(off.code).toBe(1);
    expect(off.stderr).toContain('CA_CONNECTOR=none');
  });

  test('report --year 2026 prints the yearly report (CSV or a page to a file); a bad year is a usage error', async () => {
    const csv = await cli('report', '--year', '2026', '--format', 'csv');
    expect(csv).toMatchObject({ code: 0, stderr: '' });
    expect(csv.stdout.split('\r\n')[0]).toMatch(/^perangkat_daerah,certificate_type,applications,/);
    expect(csv.stdout).toContain('TOTAL,,0,0,0,0,0,0,0,0');
    const file = join(dataDir, 'laporan.html');
    const html = await cli('report', '--year', '2026', '--format', 'html', '--out', file);
    expect(html.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('Laporan Pengawasan dan Evaluasi');
    const bad = await cli('report', '--year', '26');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--year');
  });

  test('enroll-kiosk --name Loket-1 --json prints a one-time code valid for 24 hours', async () => {
    const before = Date.now();
    const run = await cli('enroll-kiosk', '--name', 'Loket-1', '--json');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const printed = JSON.parse(run.stdout) as { code: string; name: string; expiresAt: string };
    expect(Object.keys(printed).sort()).toEqual(['code', 'expiresAt', 'name']);
    expect(printed.name).toBe('Loket-1');
    expect(printed.code).toMatch(ENROLLMENT_CODE_PATTERN);
    const validFor = Date.parse(printed.expiresAt) - before;
    expect(validFor).toBeGreaterThan(24 * 3_600_000 - 60_000);
    expect(validFor).toBeLessThanOrEqual(24 * 3_600_000 + 60_000);
    code = printed.code;
  });

  test('the code enrolls a kiosk; list-kiosks --json shows it without its key; revoke-kiosk revokes it', async () => {
    const { createApp } = await import('../../sync-server/src/http/app');
    const { createLogger } = await import('../../sync-server/src/logger');
    const store = await openStore({ dataDir });
    let kioskId: string;
    try {
      const app = createApp({ store, logger: createLogger('silent') });
      const { kiosk } = await enrollWithCode(appFetcher(app), code);
      expect(kiosk?.name).toBe('Loket-1');
      kioskId = kiosk?.kioskId ?? '';
    } finally {
      await store.close();
    }

    const listed = await cli('list-kiosks', '--json');
    expect(listed.code).toBe(0);
    const { kiosks } = JSON.parse(listed.stdout) as { kiosks: Record<string, unknown>[] };
    expect(kiosks).toEqual([
      { id: kioskId, name: 'Loket-1', enrolledAt: expect.any(String), revokedAt: null },
    ]);

    const revoked = await cli('revoke-kiosk', '--id', kioskId);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(kioskId);
    const after = JSON.parse((await cli('list-kiosks', '--json')).stdout) as {
      kiosks: { revokedAt: unknown }[];
    };
    expect(after.kiosks[0]?.revokedAt).toEqual(expect.any(String));

    const unknown = await cli('revoke-kiosk', '--id', '00000000-0000-4000-8000-000000000000');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No kiosk/);
  });

  test('record-outcome imports a certificate only for its own application, and records a refusal', async () => {
    const [record, other] = await Promise.all([makeWireRecord(), makeWireRecord()]);
    const { ingestBatch } = await import('../../sync-server/src/domain/ingest');
    const store = await openStore({ dataDir });
    try {
      const batch = { kioskId: 'kiosk-cli', records: [record, other] };
      const response = await ingestBatch(store, batch, new Date().toISOString());
      expect(response.results.map((r) => r.status)).toEqual(['stored', 'stored']);
    } finally {
      await store.close();
    }
    const ca = makeOpensslCa();
    try {
      const mine = join(dataDir, 'mine.pem');
      const theirs = join(dataDir, 'theirs.pem');
      writeFileSync(mine, ca.sign(record.csrPem));
      writeFileSync(theirs, ca.sign(other.csrPem));

      const wrong = await cli('record-outcome', '--id', record.id, '--cert', theirs);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(/does not fit this application \(other-key\)/);

      const ok = await cli('record-outcome', '--id', record.id, '--cert', mine);
      expect(ok).toMatchObject({ code: 0, stderr: '' });
      expect(ok.stdout).toContain('issued');
      const refused = await cli('record-outcome', '--id', other.id, '--ca-rejected', 'NIP tidak aktif');
      expect(refused.code).toBe(0);

      const stats = JSON.parse((await cli('stats', '--json')).stdout) as { byState: Record<string, number> };
      expect(stats.byState).toEqual({ issued: 1, 'ca-rejected': 1 });
    } finally {
      ca.remove();
    }
  });

  test.each([
    [['record-outcome', '--id', '00000000-0000-4000-8000-000000000000']],
    [['record-outcome', '--cert', 'x.pem']],
    [['record-outcome', '--id', '00000000-0000-4000-8000-000000000000', '--cert', '/nonexistent.pem']],
    [['enroll-kiosk']],
    [['enroll-kiosk', '--name']],
    [['enroll-kiosk', '--name', 'X', '--expires-hours', 'soon']],
    [['enroll-kiosk', '--name', 'X', '--bogus']],
    [['revoke-kiosk']],
    [['revoke-kiosk', '--id', 'not-a-uuid']],
    [['stats', 'extra']],
    [['frobnicate']],
  ])('bad arguments %j → one line on stderr, exit 2', async (args) => {
    const run = await cli(...args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
