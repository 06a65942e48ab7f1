/** The officer commands of `npm run server --`, run as a real process against a SQLite store. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ENROLLMENT_CODE_PATTERN } from '../../src/protocol/kiosk-auth';
import { officerCodeResponseSchema } from '../../src/protocol/officer';
import { createApp } from '../../sync-server/src/http/app';
import { createLogger } from '../../sync-server/src/logger';
import { openStore } from '../../sync-server/src/store/open';
import { enrollOfficerWithCode, type TestOfficer } from '../support/officer-fixtures';
import { SERVER_TEST_BUNDLE } from '../support/server-bundle';
import { appFetcher, enrollTestKiosk } from '../support/signed-kiosk';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let dataDir: string;

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--enable-source-maps', SERVER_TEST_BUNDLE, ...args],
      // No DATABASE_URL or ADMIN_TOKEN from the developer's shell may leak in.
      { env: { PATH: process.env.PATH, DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Enrolls `username` with `code` on a fresh kiosk through the API, as the kiosk does. */
async function enrollOnKiosk(
  username: string,
  code: string,
): Promise<{ status: number; officer: TestOfficer | null }> {
  const store = await openStore({ dataDir });
  try {
    const fetcher = appFetcher(createApp({ store, logger: createLogger('silent') }));
    const kiosk = await enrollTestKiosk(fetcher, store);
    const { response, officer } = await enrollOfficerWithCode(fetcher, kiosk, { username, code });
    return { status: response.status, officer };
  } finally {
    await store.close();
  }
}

interface ListedOfficer {
  id: string;
  username: string;
  nama: string;
  nip: string | null;
  status: string;
  lockedAt: string | null;
  lockReason: string | null;
  activeKeys: number;
}

async function listed(): Promise<ListedOfficer[]> {
  const run = await cli(['list-officers', '--json']);
  expect(run).toMatchObject({ code: 0, stderr: '' });
  return (JSON.parse(run.stdout) as { officers: ListedOfficer[] }).officers;
}

/** The accounts straight from the store: cheaper than another process where the command is not under test. */
async function stored() {
  const store = await openStore({ dataDir });
  try {
    return await store.listOfficers();
  } finally {
    await store.close();
  }
}

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'sertel-officer-cli-'));
});

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run server -- <officer command>', () => {
  let sitiCode: string;
  let sitiId: string;

  test('list-officers on a new store: none', async () => {
    const run = await cli(['list-officers']);
    expect(run).toMatchObject({ code: 0, stdout: 'No officers.\n', stderr: '' });
    expect(await listed()).toEqual([]);
  });

  test('add-officer --json prints the account and a one-time code valid for 24 hours', async () => {
    const before = Date.now();
    const run = await cli([
      'add-officer',
      '--username',
      'siti',
      '--name',
      'SITI RAHAYU',
      '--nip',
      '199001052015032001',
      '--json',
    ]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const printed = officerCodeResponseSchema.parse(JSON.parse(run.stdout));
    expect(printed.officer).toMatchObject({
      username: 'siti',
      nama: 'SITI RAHAYU',
      nip: '199001052015032001',
      status: 'active',
    });
    expect(printed.code).toMatch(ENROLLMENT_CODE_PATTERN);
    const validFor = Date.parse(printed.expiresAt) - before;
    expect(validFor).toBeGreaterThan(24 * 3_600_000 - 60_000);
    expect(validFor).toBeLessThanOrEqual(24 * 3_600_000 + 60_000);
    sitiCode = printed.code;
    sitiId = printed.officer.id;

    const taken = await cli(['add-officer', '--username', 'siti', '--name', 'SITI LAIN']);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/already has the username siti/);
  });

  test('without --json it prints the code in a sentence; --valid-hours sets the expiry', async () => {
    const run = await cli([
      'add-officer',
      '--username',
      'budi.s',
      '--name',
      'BUDI SANTOSO',
      '--valid-hours',
      '2',
    ]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const code = /: ([2-9A-HJKMNP-Z]{4}(?:-[2-9A-HJKMNP-Z]{4}){3})\n/.exec(run.stdout)?.[1];
    expect(code).toMatch(ENROLLMENT_CODE_PATTERN);
    const until = /until (\S+)\./.exec(run.stdout)?.[1] ?? '';
    expect(Date.parse(until) - Date.now()).toBeLessThanOrEqual(2 * 3_600_000);
    expect(Date.parse(until) - Date.now()).toBeGreaterThan(2 * 3_600_000 - 60_000);
  });

  test('the code enrolls the officer on a kiosk once; officer-code makes another for a second kiosk', async () => {
    expect((await enrollOnKiosk('siti', sitiCode)).status).toBe(201);
    expect((await enrollOnKiosk('siti', sitiCode)).status).toBe(409);
    const second = await cli(['officer-code', '--username', 'siti', '--json']);
    expect(second).toMatchObject({ code: 0, stderr: '' });
    const { code } = officerCodeResponseSchema.parse(JSON.parse(second.stdout));
    expect(code).not.toBe(sitiCode);
    expect((await enrollOnKiosk('siti', code)).status).toBe(201);
    expect((await listed()).find((o) => o.username === 'siti')).toMatchObject({
      id: sitiId,
      status: 'active',
      activeKeys: 2,
    });
  });

  test('lock-officer locks and revokes every key; unlock-officer unlocks and the keys stay revoked', async () => {
    const locked = await cli(['lock-officer', '--username', 'siti', '--reason', 'cuti panjang']);
    expect(locked).toMatchObject({ code: 0, stderr: '' });
    expect(locked.stdout).toMatch(/Officer siti locked at .+; 2 keys revoked\./);
    expect((await listed()).find((o) => o.username === 'siti')).toMatchObject({
      status: 'locked',
      lockReason: 'cuti panjang',
      lockedAt: expect.any(String),
      activeKeys: 0,
    });
    const again = await cli(['lock-officer', '--username', 'siti']);
    expect(again.stdout).toMatch(/already locked; 0 keys revoked/);
    const noCode = await cli(['officer-code', '--username', 'siti']);
    expect(noCode.code).toBe(1);
    expect(noCode.stderr).toMatch(/locked: unlock-officer first/);

    const unlocked = await cli(['unlock-officer', '--username', 'siti']);
    expect(unlocked).toMatchObject({ code: 0, stderr: '' });
    expect(unlocked.stdout).toMatch(/unlocked\. The old keys stay revoked/);
    expect((await listed()).find((o) => o.username === 'siti')).toMatchObject({
      status: 'active',
      lockedAt: null,
      lockReason: null,
      activeKeys: 0,
    });
    const twice = await cli(['unlock-officer', '--username', 'siti']);
    expect(twice.stdout).toMatch(/not locked: nothing to do/);

    const text = await cli(['list-officers']);
    expect(text.stdout).toMatch(/^budi\.s {2}active {2}BUDI SANTOSO {2}keys 0/m);
    expect(text.stdout).toMatch(/^siti {2}active {2}SITI RAHAYU {2}NIP 199001052015032001 {2}keys 0/m);
  });

  test('account changes are logged (to stderr, so stdout stays the answer) without personal data', async () => {
    const run = await cli(['lock-officer', '--username', 'budi.s', '--reason', 'laptop hilang'], {
      LOG_LEVEL: 'info',
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Officer budi\.s locked/);
    const line = JSON.parse(run.stderr.trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ msg: 'officer locked', actor: 'cli', status: 'locked' });
    for (const secret of ['BUDI', 'budi.s', 'laptop hilang']) expect(run.stderr).not.toContain(secret);
  });

  test.each([
    [['lock-officer', '--username', 'nobody']],
    [['unlock-officer', '--username', 'nobody']],
    [['officer-code', '--username', 'nobody']],
  ])('an unknown username %j → exit 1', async (args) => {
    const run = await cli(args);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/No officer has the username nobody/);
  });

  test.each([
    [['add-officer']],
    [['add-officer', '--username', 'siti2']],
    [['add-officer', '--username', 'Siti', '--name', 'X']],
    [['add-officer', '--username', 'siti2', '--name', 'X', '--nip', '123']],
    [['add-officer', '--username', 'siti2', '--name', 'X', '--valid-hours', '0']],
    [['add-officer', '--username', 'siti2', '--name', 'X', '--valid-hours', 'soon']],
    [['add-officer', '--username', 'siti2', '--name', 'X', '--bogus']],
    [['officer-code']],
    [['officer-code', '--username', 'siti', '--valid-hours', '721']],
    [['lock-officer']],
    [['lock-officer', '--username', 'siti', '--reason', 'x'.repeat(201)]],
    [['unlock-officer', '--username']],
    [['list-officers', 'extra']],
  ])('bad arguments %j → one line on stderr, exit 2, nothing changed', async (args) => {
    const before = await stored();
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(await stored()).toEqual(before);
  });
});
