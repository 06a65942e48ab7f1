/** The sync server as its own process, as it runs in production: for kill and shutdown tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_TEST_BUNDLE } from './server-bundle';
import { TEST_ADMIN_TOKEN } from './signed-kiosk';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ServerProcess {
  url: string;
  /** Starts a process on the port and waits until it answers `/ready`. */
  start(): Promise<void>;
  /** SIGKILL: no chance to finish anything. */
  kill(): Promise<void>;
  /** SIGTERM: the graceful way; resolves with the exit code. */
  terminate(): Promise<number | null>;
  readonly process: ChildProcess | null;
}

export interface ServerProcessOptions {
  /** Receives what the process writes to stdout and stderr (otherwise both are discarded). */
  onOutput?: (text: string) => void;
  /**
   * How long `start()` waits for `/ready` (10 s by default); a process that exits meanwhile fails
   * the start at once.
   */
  readyTimeoutMs?: number;
}

export function serverProcess(
  port: number,
  env: Record<string, string>,
  options: ServerProcessOptions = {},
): ServerProcess {
  let child: ChildProcess | null = null;
  const url = `http://127.0.0.1:${port}`;
  const exited = (process: ChildProcess) =>
    // A process killed by a signal has a signalCode and no exitCode.
    process.exitCode !== null || process.signalCode !== null;
  const stop = async (signal: NodeJS.Signals): Promise<number | null> => {
    const dying = child;
    if (!dying || exited(dying)) return dying?.exitCode ?? null;
    const done = new Promise<number | null>((resolve) => dying.once('exit', (code) => resolve(code)));
    dying.kill(signal);
    return done;
  };
  return {
    url,
    get process() {
      return child;
    },
    async start() {
      if (!existsSync(SERVER_TEST_BUNDLE))
        throw new Error(`no server bundle at ${SERVER_TEST_BUNDLE}: vitest's globalSetup builds it`);
      // The production form: one bundle, no TypeScript loader (see server-bundle-setup.ts).
      const spawned = spawn(process.execPath, ['--enable-source-maps', SERVER_TEST_BUNDLE], {
        cwd: ROOT,
        env: {
          ...process.env,
          ...env,
          PORT: String(port),
          HOST: '127.0.0.1',
          ADMIN_TOKEN: TEST_ADMIN_TOKEN,
          LOG_LEVEL: 'silent',
          STATIC_DIR: join(ROOT, 'no-kiosk-build'),
        },
        stdio: options.onOutput ? ['ignore', 'pipe', 'pipe'] : 'ignore',
      });
      child = spawned;
      const { onOutput } = options;
      if (onOutput) {
        spawned.stdout?.on('data', (chunk: Buffer) => onOutput(chunk.toString()));
        spawned.stderr?.on('data', (chunk: Buffer) => onOutput(chunk.toString()));
      }
      const deadline = performance.now() + (options.readyTimeoutMs ?? 10_000);
      for (;;) {
        try {
          if ((await fetch(`${url}/api/v1/ready`)).ok) return;
        } catch {
          // not listening yet
        }
        if (exited(spawned)) {
          throw new Error(
            `the server exited before it became ready (${spawned.exitCode ?? spawned.signalCode})`,
          );
        }
        if (performance.now() > deadline) throw new Error('the server did not become ready');
        await sleep(50);
      }
    },
    kill: async () => {
      await stop('SIGKILL');
    },
    terminate: () => stop('SIGTERM'),
  };
}
