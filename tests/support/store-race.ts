/** Runs store calls in several real server processes at the same instants (`store-race-worker.ts`). */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RaceCall, RaceJob } from './store-race-worker';

const WORKER = fileURLToPath(new URL('./store-race-worker.ts', import.meta.url));
/** Long enough for every worker to start Node, load tsx and open the store. */
const START_DELAY_MS = 4000;

function runWorker(job: RaceJob): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
      env: { PATH: process.env.PATH, LOG_LEVEL: 'silent' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`race worker exited with ${code}: ${stderr}`));
      else resolve(JSON.parse(stdout) as unknown[]);
    });
    child.stdin.end(JSON.stringify(job));
  });
}

/**
 * `callsPerProcess[p]` is process p's list; call i of every process starts at the same instant.
 * Resolves with each process's answers, in call order.
 */
export function raceInProcesses(
  target: { dataDir: string; databaseUrl?: string },
  callsPerProcess: RaceCall[][],
  gapMs = 100,
): Promise<unknown[][]> {
  const startAt = Date.now() + START_DELAY_MS;
  return Promise.all(
    callsPerProcess.map((calls) =>
      runWorker({
        dataDir: target.dataDir,
        ...(target.databaseUrl ? { databaseUrl: target.databaseUrl } : {}),
        startAt,
        gapMs,
        calls,
      }),
    ),
  );
}
