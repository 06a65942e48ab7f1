import { spawnSync } from 'node:child_process';
import { SERVER_TEST_BUNDLE } from './server-bundle';

/**
 * Bundles the sync server once per test run, as `npm run build:server` does for production, for
 * the tests that run it as its own process (`server-process.ts`, the CLI tests): each start then
 * loads plain JavaScript in about 0.6 s instead of compiling the sources with tsx in about 1.8 s,
 * which the fault suite's 150 restarts feel. Built from this run's sources, never a stale
 * `dist-server`.
 */
export default function setup(): void {
  const built = spawnSync(process.execPath, ['scripts/build-server.mjs', SERVER_TEST_BUNDLE], {
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`building the server for the tests failed\n${built.stderr}`);
}
