/** `npm run server -- verify-audit` as a real process against a SQLite store: output and exit codes. */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ingestKioskAudit } from '../../sync-server/src/audit/kiosk-chain';
import { openStore, SQLITE_FILE_NAME } from '../../sync-server/src/store/open';
import { kioskChainPage } from '../support/audit-chains';
import { SERVER_TEST_BUNDLE } from '../support/server-bundle';
import { enrollTestKioskInStore } from '../support/signed-kiosk';

let dataDir: string;
let kioskId: string;

function verifyAudit(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--enable-source-maps', SERVER_TEST_BUNDLE, 'verify-audit', ...args],
      { env: { PATH: process.env.PATH, DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1,
          stdout,
          stderr,
        });
      },
    );
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sertel-audit-cli-'));
  const store = await openStore({ dataDir });
  try {
    const kiosk = await enrollTestKioskInStore(store, { kioskId: randomUUID() });
    kioskId = kiosk.kioskId;
    const page = await kioskChainPage(kiosk, 12);
    await ingestKioskAudit(store, { kioskId, ...page }, { receivedAt: new Date().toISOString() });
  } finally {
    await store.close();
  }
});

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run server -- verify-audit', () => {
  test('an untouched store verifies: exit 0, one line per chain; the key file is the owner’s only', async () => {
    const run = await verifyAudit();
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('server  0 events, 0 checkpoints  ok');
    expect(run.stdout).toContain(`kiosk:${kioskId}  12 events, 1 checkpoints  ok`);
    expect(statSync(join(dataDir, 'audit-key')).mode & 0o777).toBe(0o600);
  });

  test('a changed event: exit 1, the break named, an incident raised once', async () => {
    const raw = new Database(join(dataDir, SQLITE_FILE_NAME));
    raw.prepare("update kiosk_audit_events set type = 'purged' where seq = 5").run();
    raw.close();
    const run = await verifyAudit('--json');
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as {
      ok: boolean;
      chains: {
        chain: string;
        problems: { kind: string; seq: number }[];
        incident: { id: string; new: boolean };
      }[];
    };
    expect(result.ok).toBe(false);
    const kiosk = result.chains.find((c) => c.chain === `kiosk:${kioskId}`);
    expect(kiosk?.problems[0]).toEqual({ kind: 'hash-mismatch', seq: 5 });
    expect(kiosk?.incident.new).toBe(true);

    const again = await verifyAudit();
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('BROKEN: event 5 does not match its hash (changed)');
    expect(again.stdout).toContain(`incident ${kiosk?.incident.id} already recorded`);
  });

  test('bad usage: exit 2', async () => {
    expect((await verifyAudit('--nope')).code).toBe(2);
  });
});
