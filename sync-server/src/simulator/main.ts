// `npm run simulate -- --url <server> --admin-token <t> --kiosks <n> --records <n> [--attachment-kb <n>]
//   [--batch-records <n>] [--timeout-s <n>] [--json]`
import { parseArgs } from 'node:util';
import { SimulationError, simulate } from './simulate';

const USAGE =
  'usage: npm run simulate -- --url <server> --admin-token <token> --kiosks <n> --records <n> [--attachment-kb <n>] [--batch-records <n>] [--timeout-s <n>] [--json]';

function positive(name: string, value: string | undefined, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || (n === 0 && name !== 'attachment-kb')) {
    console.error(
      `simulate: --${name} must be a whole number${name === 'attachment-kb' ? '' : ' above 0'}\n${USAGE}`,
    );
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2).filter((a) => a !== '--'),
      options: {
        url: { type: 'string' },
        'admin-token': { type: 'string' },
        kiosks: { type: 'string' },
        records: { type: 'string' },
        'attachment-kb': { type: 'string' },
        'batch-records': { type: 'string' },
        'timeout-s': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    console.error(`simulate: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    process.exit(2);
  }
  const url = values.url;
  const adminToken = values['admin-token'] ?? process.env.ADMIN_TOKEN;
  if (typeof url !== 'string' || typeof adminToken !== 'string') {
    console.error(`simulate: --url and --admin-token (or ADMIN_TOKEN) are required\n${USAGE}`);
    process.exit(2);
  }
  const str = (key: string) => (typeof values[key] === 'string' ? (values[key] as string) : undefined);
  const json = values.json === true;
  const result = await simulate({
    url,
    adminToken,
    kiosks: positive('kiosks', str('kiosks')),
    records: positive('records', str('records')),
    attachmentKb: positive('attachment-kb', str('attachment-kb'), 150),
    batchRecords: positive('batch-records', str('batch-records'), 10),
    timeoutMs: positive('timeout-s', str('timeout-s'), 600) * 1000,
    ...(json ? {} : { log: (line: string) => console.error(`simulate: ${line}`) }),
  });
  if (json) {
    console.log(
      JSON.stringify({
        sent: result.sent,
        acknowledged: result.acknowledged,
        durationMs: result.durationMs,
        rejected: result.rejected,
        retries: result.retries,
      }),
    );
  } else {
    console.log(
      `sent ${result.sent}, acknowledged ${result.acknowledged}, rejected ${result.rejected}, ` +
        `retried batches ${result.retries}, in ${result.durationMs} ms`,
    );
  }
  if (result.acknowledged + result.rejected < result.sent) process.exit(1);
}

main().catch((err: unknown) => {
  console.error(
    `simulate: ${err instanceof SimulationError ? err.message : `failed (${err instanceof Error ? err.message : 'unknown error'})`}`,
  );
  process.exit(1);
});
