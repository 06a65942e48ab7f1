import { execFile as execFileCallback, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './service-port';

const execFile = promisify(execFileCallback);

export interface ThrowawayPostgres {
  /** Superuser URL of the `postgres` database; trust auth, so no password. */
  url: string;
  /** The postmaster's process id (benchmarks add up the cluster's CPU time from it). */
  pid(): number;
  stop(): Promise<void>;
}

const hasServerTools = (dir: string): boolean =>
  existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'));

/**
 * The directory holding `initdb` and `pg_ctl`: `PG_BIN` if set, else Debian's
 * /usr/lib/postgresql/<highest version>/bin, else the PATH. Null when none has them.
 */
export function findPostgresBinaries(): string | null {
  const override = process.env.PG_BIN;
  if (override !== undefined && override !== '') return hasServerTools(override) ? override : null;

  const debianRoot = '/usr/lib/postgresql';
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot)
      .filter((name) => /^\d+(\.\d+)?$/.test(name))
      .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
    for (const version of versions) {
      const dir = join(debianRoot, version, 'bin');
      if (hasServerTools(dir)) return dir;
    }
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && hasServerTools(dir)) return dir;
  }
  return null;
}

/**
 * Starts a private cluster on a free loopback port; `stop()` removes every trace. Tests run it
 * without fsync; benchmarks ask for `durable` so figures compare with SQLite's synchronous=FULL.
 */
export async function startThrowawayPostgres(
  options: {
    durable?: boolean;
    /** Extra server settings, `name=value` each. */
    settings?: readonly string[];
  } = {},
): Promise<ThrowawayPostgres> {
  const bin = findPostgresBinaries();
  if (bin === null) throw new Error('PostgreSQL server binaries (initdb, pg_ctl) not found; set PG_BIN');

  // PostgreSQL refuses to run as root: hand the cluster to the postgres account.
  const asRoot = process.getuid?.() === 0;
  const command = (tool: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
  const run = async (tool: string, args: string[], cwd: string): Promise<void> => {
    const [file, fullArgs] = command(tool, args);
    try {
      await execFile(file, fullArgs, { cwd });
    } catch (error) {
      const output = error instanceof Error && 'stderr' in error ? String(error.stderr) : '';
      throw new Error(`${tool} failed: ${error instanceof Error ? error.message : String(error)}\n${output}`);
    }
  };

  const dir = mkdtempSync(join(tmpdir(), 'sertel-pg-'));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'log');
  try {
    if (asRoot) await execFile('chown', ['postgres:postgres', dir]);
    await run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], dir);

    // The port may be taken between probing and binding (another test run): try a few.
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      const serverOptions = [
        `-p ${port}`,
        `-k ${dir}`,
        '-c listen_addresses=127.0.0.1',
        // Throwaway data: durability only costs time here.
        ...(options.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
        ...(options.settings ?? []).map((setting) => `-c ${setting}`),
      ].join(' ');
      try {
        await run(
          'pg_ctl',
          ['-D', dataDir, '-l', logFile, '-w', '-t', '30', '-o', serverOptions, 'start'],
          dir,
        );
      } catch (error) {
        lastError = error;
        continue;
      }
      const stopSync = () => {
        const [file, args] = command('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
        try {
          execFileSync(file, args, { cwd: dir, stdio: 'ignore' });
        } catch {
          // Best effort on an abnormal exit; the directory goes regardless.
        }
        rmSync(dir, { recursive: true, force: true });
      };
      // If the runner dies without teardown, do not leave a postmaster behind.
      process.once('exit', stopSync);
      let stopped = false;
      return {
        url: `postgres://postgres@127.0.0.1:${port}/postgres`,
        pid: () => Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]),
        async stop() {
          if (stopped) return;
          stopped = true;
          process.off('exit', stopSync);
          try {
            await run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop'], dir);
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        },
      };
    }
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n') : '';
    throw new Error(`PostgreSQL did not start: ${String(lastError)}\n${log}`);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * A fresh, empty database on a running cluster (one per suite keeps suites independent);
 * `drop()` removes it even while connections are still open.
 */
export async function createScratchDatabase(
  adminUrl: string,
  prefix: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  const name = `${prefix}_${randomBytes(8).toString('hex')}`;
  await admin(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}
