/**
 * The CI audit's reading of `npm audit --json`, on output recorded from the real npm: a throwaway
 * project is audited against a stand-in registry that either reports a high advisory or refuses
 * the audit endpoint with 405 (what this machine's registry does). Then the script itself runs
 * against the same stand-in, for its exit codes. (Children run asynchronously: the stand-in
 * registry answers from this very process.)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { classifyAudit, decide } from '../../scripts/audit-deps';

type Mode = 'findings' | 'refused' | 'clean';

const ADVISORY = {
  'left-pad': [
    {
      id: 1_099_999,
      url: 'https://github.com/advisories/GHSA-test-test-test',
      title: 'Test advisory: left-pad pads the wrong way',
      severity: 'high',
      vulnerable_versions: '<1.3.0',
      cwe: ['CWE-20'],
      cvss: { score: 7.5, vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' },
    },
  ],
};

let mode: Mode = 'findings';
let server: Server;
let registry: string;
let project: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url?.startsWith('/-/npm/v1/security/advisories/bulk')) {
      if (mode === 'refused') {
        response.writeHead(405, { allow: 'GET,HEAD', 'content-length': '0' }).end();
        return;
      }
      request.resume();
      request.on('end', () => {
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify(mode === 'findings' ? ADVISORY : {}));
      });
      return;
    }
    // Packuments (npm asks for them to work out fixes): the versions the advisory names.
    if (request.url === '/left-pad') {
      const version = (v: string) => ({
        name: 'left-pad',
        version: v,
        dist: { tarball: `${registry}x.tgz` },
      });
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          name: 'left-pad',
          'dist-tags': { latest: '1.3.0' },
          versions: { '1.0.0': version('1.0.0'), '1.3.0': version('1.3.0') },
        }),
      );
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  registry = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  project = mkdtempSync(join(tmpdir(), 'sertel-audit-'));
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'audit-sample', version: '1.0.0', dependencies: { 'left-pad': '1.0.0' } }),
  );
  writeFileSync(
    join(project, 'package-lock.json'),
    JSON.stringify({
      name: 'audit-sample',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'audit-sample', version: '1.0.0', dependencies: { 'left-pad': '1.0.0' } },
        'node_modules/left-pad': {
          version: '1.0.0',
          resolved: `${registry}left-pad/-/left-pad-1.0.0.tgz`,
          integrity: 'sha512-AAAA',
        },
      },
    }),
  );
});

afterAll(async () => {
  await new Promise<void>((done) => server.close(() => done()));
  rmSync(project, { recursive: true, force: true });
});

const npmEnv = () => ({
  ...process.env,
  npm_config_registry: registry,
  npm_config_cache: join(project, '.npm-cache'),
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
});

/** Runs a command to its end without blocking this process (the stand-in registry lives here). */
function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: project, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

/** What `npm audit --json` really prints against the stand-in registry in `as` mode. */
async function recordAudit(as: Mode): Promise<string> {
  mode = as;
  return (await run('npm', ['audit', '--omit=dev', '--audit-level=high', '--json'], npmEnv())).stdout;
}

describe('classifyAudit on recorded npm output', () => {
  test('a high advisory is a finding that fails CI', async () => {
    const verdict = classifyAudit(await recordAudit('findings'));
    expect(verdict.kind).toBe('audited');
    if (verdict.kind !== 'audited') return;
    expect(verdict.counts.high).toBe(1);
    expect(verdict.blocking).toBe(1);
    expect(verdict.packages).toEqual(['left-pad (high)']);
    expect(decide(verdict, false).exitCode).toBe(1);
  });

  test('an audit endpoint answering 405 is "did not run": a loud warning, failing only when required', async () => {
    const verdict = classifyAudit(await recordAudit('refused'));
    expect(verdict).toEqual({ kind: 'unavailable', reason: expect.stringContaining('405') });
    const lenient = decide(verdict, false);
    expect(lenient.exitCode).toBe(0);
    expect(lenient.lines.join('\n')).toMatch(/WARNING: the dependency audit did not run/);
    expect(decide(verdict, true).exitCode).toBe(1);
  });

  test('no advisories is a pass', async () => {
    const verdict = classifyAudit(await recordAudit('clean'));
    expect(verdict.kind).toBe('audited');
    expect(decide(verdict, true).exitCode).toBe(0);
  });

  test('output that is not an audit report is "did not run", never a pass', () => {
    for (const junk of ['', 'npm ERR! something', '[]', '{"auditReportVersion":2}']) {
      expect(classifyAudit(junk).kind, junk).toBe('unavailable');
    }
  });
});

describe('scripts/audit-deps.ts as CI runs it', () => {
  const tsx = resolve('node_modules/.bin/tsx');
  const script = resolve('scripts/audit-deps.ts');
  const runScript = (as: Mode, env: Record<string, string> = {}) => {
    mode = as;
    return run(tsx, [script], { ...npmEnv(), ...env });
  };

  test('exit 1 on a high finding; exit 0 with a warning when refused; exit 1 when refused and required', async () => {
    const findings = await runScript('findings');
    expect(findings.status).toBe(1);
    expect(findings.stderr).toContain('left-pad (high)');

    const refused = await runScript('refused');
    expect(refused.status).toBe(0);
    expect(refused.stderr).toContain('WARNING: the dependency audit did not run');

    expect((await runScript('refused', { AUDIT_REQUIRED: '1' })).status).toBe(1);
    expect((await runScript('clean', { AUDIT_REQUIRED: '1' })).status).toBe(0);
  });
});
