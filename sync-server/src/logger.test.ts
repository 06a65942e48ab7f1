import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger('info', destination), text: () => lines.join('') };
}

const NIK = '3577014501900003';

describe('the server logger', () => {
  it.each([
    ['a bare error', (l: ReturnType<typeof capture>['logger']) => l.error(new Error(`no row for ${NIK}`))],
    [
      'an err without a message',
      (l: ReturnType<typeof capture>['logger']) => l.error({ err: new Error(`no row for ${NIK}`) }),
    ],
    [
      'an err with a message',
      (l: ReturnType<typeof capture>['logger']) => l.error({ err: new Error('x') }, `bad ${NIK}`),
    ],
    ['a plain message', (l: ReturnType<typeof capture>['logger']) => l.info(`record of ${NIK}`)],
  ])('masks a NIK in %s', (_what, log) => {
    const { logger, text } = capture();
    log(logger);
    expect(text()).not.toContain(NIK);
    expect(text()).toContain('************0003');
  });

  it('keeps the error type and drops personal-data fields wherever they sit', () => {
    const { logger, text } = capture();
    logger.error(
      {
        err: new TypeError('boom'),
        record: { applicant: { nama: 'SITI RAHAYU' }, csrPem: '-----BEGIN CERTIFICATE REQUEST-----' },
        nik: NIK,
      },
      'failed',
    );
    const line = JSON.parse(text()) as {
      err: { type: string };
      record: Record<string, unknown>;
      nik: string;
    };
    expect(line.err.type).toBe('TypeError');
    expect(line.nik).toBe('[redacted]');
    expect(line.record.applicant).toBe('[redacted]');
    expect(line.record.csrPem).toBe('[redacted]');
    expect(text()).not.toContain('SITI');
  });
});
