/**
 * One of several server processes racing on one database, for the store contract: opens the store
 * (DATA_DIR or DATABASE_URL), waits for each call's start time and makes the call, then prints the
 * answers as JSON. Start it with `node --import tsx`, the job as JSON on stdin (`RaceJob`).
 * Needed for SQLite: two stores in one process would wait on each other's write lock with the
 * event loop blocked, which no two real processes do.
 */
import { openStore } from '../../sync-server/src/store/open';
import type { NewRelease, OfficerEnrollment } from '../../sync-server/src/store/store';

export type RaceCall =
  | { method: 'enrollOfficer'; arg: OfficerEnrollment }
  | { method: 'recordRelease'; arg: NewRelease };

export interface RaceJob {
  dataDir: string;
  databaseUrl?: string;
  /** Call i starts at `startAt + i * gapMs` (epoch ms): every racer gets the same schedule. */
  startAt: number;
  gapMs: number;
  calls: RaceCall[];
}

async function readStdin(): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of process.stdin) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

const job = JSON.parse(await readStdin()) as RaceJob;
const store = await openStore({ dataDir: job.dataDir, databaseUrl: job.databaseUrl });
const answers: unknown[] = [];
try {
  for (const [i, call] of job.calls.entries()) {
    const wait = job.startAt + i * job.gapMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    answers.push(
      call.method === 'enrollOfficer'
        ? await store.enrollOfficer(call.arg)
        : await store.recordRelease(call.arg),
    );
  }
} finally {
  await store.close();
}
process.stdout.write(JSON.stringify(answers));
