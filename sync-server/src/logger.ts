import { type Logger, type LoggerOptions, pino } from 'pino';
import { PERSONAL_DATA_KEYS, redactText } from '../../src/core/privacy/redact';

export type { Logger };

/**
 * Every log line passes through here: personal-data keys are removed wherever they sit, and any
 * identity number left in a message is masked.
 */
export function createLogger(
  level: LoggerOptions['level'] = 'info',
  destination?: pino.DestinationStream,
): Logger {
  const paths = PERSONAL_DATA_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);
  const options: LoggerOptions = {
    level,
    base: { service: 'sertel-sync' },
    redact: { paths, censor: '[redacted]' },
    // The formatter below already turned `err` into a redacted plain object; pino's default err
    // serializer would run on it afterwards and overwrite `type` with "Object".
    serializers: { err: (value: unknown) => value },
    hooks: {
      logMethod(args, method) {
        const [first, ...rest] = args as unknown[];
        // pino copies a bare error's message (or an `err` without a message) into `msg` itself,
        // past the masking below; give it an already masked message instead.
        const err = first instanceof Error ? first : (first as { err?: unknown } | undefined)?.err;
        const normalised =
          err instanceof Error && typeof rest[0] !== 'string'
            ? [first instanceof Error ? { err } : first, err.message, ...rest]
            : args;
        const masked = normalised.map((a) => (typeof a === 'string' ? redactText(a) : a));
        method.apply(this, masked as Parameters<typeof method>);
      },
    },
    formatters: {
      log(object) {
        const err = object.err as Error | undefined;
        if (err instanceof Error) {
          return {
            ...object,
            err: { type: err.name, message: redactText(err.message), stack: redactText(err.stack ?? '') },
          };
        }
        return object;
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
