import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A scratch directory and the system `openssl` (3.x) working in it, for interop tests of the core.
 * Secrets go to OpenSSL through files in the directory (`-passin file:pass.txt`), never argv.
 */
export interface OpensslWorkspace {
  dir: string;
  path(name: string): string;
  write(name: string, data: string | Uint8Array): void;
  read(name: string): Uint8Array;
  readText(name: string): string;
  /** Runs openssl in the directory; `out` is stdout and stderr together (-info writes to stderr). */
  run(args: string[]): { status: number | null; stdout: string; stderr: string; out: string };
  /** Like run, but throws with OpenSSL's message when it fails. */
  must(args: string[]): { stdout: string; out: string };
  remove(): void;
}

export function opensslWorkspace(prefix: string): OpensslWorkspace {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const run = (args: string[]) => {
    const result = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (result.error) throw result.error;
    return {
      status: result.status,
      stdout: result.stdout,
      stderr: result.stderr,
      out: `${result.stdout}${result.stderr}`,
    };
  };
  return {
    dir,
    path: (name) => join(dir, name),
    write: (name, data) => writeFileSync(join(dir, name), data),
    read: (name) => new Uint8Array(readFileSync(join(dir, name))),
    readText: (name) => readFileSync(join(dir, name), 'utf8'),
    run,
    must: (args) => {
      const result = run(args);
      if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr}`);
      return result;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
