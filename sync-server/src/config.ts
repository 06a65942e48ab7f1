import { resolve } from 'node:path';
import { z } from 'zod';

const envSchema = z.object({
  PORT: z
    .string()
    .regex(/^\d{1,5}$/, 'PORT must be a whole number from 0 to 65535')
    .default('8080')
    .transform(Number)
    .pipe(z.number().int().min(0).max(65535)),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://')
    .optional(),
  /** The built kiosk (vite build output) that the server also serves. */
  STATIC_DIR: z.string().default('./dist'),
  HTTPS_CERT_FILE: z.string().optional(),
  HTTPS_KEY_FILE: z.string().optional(),
  HTTPS_SELF_SIGNED: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
  /** Extra names for the self-signed certificate, comma separated (LAN host names or addresses). */
  HTTPS_HOSTNAMES: z.string().default(''),
  /** Bearer token of the admin API; without it the admin API does not exist. */
  ADMIN_TOKEN: z
    .string()
    .min(24, 'ADMIN_TOKEN must be at least 24 characters (e.g. openssl rand -base64 32)')
    .max(512, 'ADMIN_TOKEN must be at most 512 characters')
    .refine((token) => !/\s/.test(token), 'ADMIN_TOKEN must not contain spaces')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Two-person rule (docs/officers.md): the officer who decided may not release. On by default. */
  TWO_PERSON_RULE: z
    .enum(['0', '1', 'true', 'false'])
    .default('1')
    .transform((v) => v === '1' || v === 'true'),
  /** Where approved applications go (docs/ca-connector.md): the built-in dev CA, a CA's HTTP API, or nowhere. */
  CA_CONNECTOR: z.enum(['dev-ca', 'http', 'none']).default('dev-ca'),
  /** The http connector's mapping (JSON). */
  CA_HTTP_CONFIG: z.string().optional(),
  /** Encrypts the dev CA's keys at rest; unset: one is generated into DATA_DIR/dev-ca/passphrase. */
  DEV_CA_PASSPHRASE: z
    .string()
    .min(12, 'DEV_CA_PASSPHRASE must be at least 12 characters')
    .max(1024)
    .optional(),
  DEV_CA_DELAY_MS: z
    .string()
    .regex(/^\d{1,9}$/, 'DEV_CA_DELAY_MS must be a whole number of milliseconds')
    .default('0')
    .transform(Number),
  DEV_CA_FAILURE_RATE: z
    .string()
    .regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'DEV_CA_FAILURE_RATE must be a number from 0 to 1')
    .default('0')
    .transform(Number),
  /** Seconds between forwarding runs; 0: only `npm run server -- forward` and the admin API run it. */
  FORWARD_INTERVAL_SECONDS: z
    .string()
    .regex(/^\d{1,6}$/, 'FORWARD_INTERVAL_SECONDS must be a whole number of seconds')
    .default('60')
    .transform(Number),
  FORWARD_BATCH_SIZE: z
    .string()
    .regex(/^\d{1,3}$/, 'FORWARD_BATCH_SIZE must be a whole number from 1 to 200')
    .default('50')
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(1, 'FORWARD_BATCH_SIZE must be at least 1')
        .max(200, 'FORWARD_BATCH_SIZE must be at most 200'),
    ),
});

export type CaConfig =
  | { connector: 'none' }
  | { connector: 'http'; configFile: string }
  | {
      connector: 'dev-ca';
      dir: string;
      passphrase: string | undefined;
      delayMs: number;
      failureRate: number;
    };

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  staticDir: string;
  https:
    | { mode: 'off' }
    | { mode: 'files'; certFile: string; keyFile: string }
    | { mode: 'self-signed'; hostnames: string[] };
  /** The admin API's bearer token; undefined disables the admin API. */
  adminToken: string | undefined;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** Refuse a release by the officer who decided the application. */
  twoPersonRule: boolean;
  ca: CaConfig;
  forwarding: { intervalMs: number; batchSize: number };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  // An empty ADMIN_TOKEN means "no admin API", not a too-short token.
  const parsed = envSchema.safeParse({ ...env, ADMIN_TOKEN: env.ADMIN_TOKEN || undefined });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  if (Boolean(e.HTTPS_CERT_FILE) !== Boolean(e.HTTPS_KEY_FILE)) {
    throw new ConfigError('HTTPS_CERT_FILE and HTTPS_KEY_FILE must be set together');
  }
  let https: ServerConfig['https'] = { mode: 'off' };
  if (e.HTTPS_CERT_FILE && e.HTTPS_KEY_FILE) {
    https = { mode: 'files', certFile: resolve(e.HTTPS_CERT_FILE), keyFile: resolve(e.HTTPS_KEY_FILE) };
  } else if (e.HTTPS_SELF_SIGNED) {
    const hostnames = e.HTTPS_HOSTNAMES.split(',')
      .map((h) => h.trim())
      .filter(Boolean);
    https = { mode: 'self-signed', hostnames };
  }
  let ca: CaConfig;
  if (e.CA_CONNECTOR === 'http') {
    if (!e.CA_HTTP_CONFIG) throw new ConfigError('CA_CONNECTOR=http needs CA_HTTP_CONFIG (the mapping file)');
    ca = { connector: 'http', configFile: resolve(e.CA_HTTP_CONFIG) };
  } else if (e.CA_CONNECTOR === 'dev-ca') {
    ca = {
      connector: 'dev-ca',
      dir: resolve(e.DATA_DIR, 'dev-ca'),
      passphrase: e.DEV_CA_PASSPHRASE,
      delayMs: e.DEV_CA_DELAY_MS,
      failureRate: e.DEV_CA_FAILURE_RATE,
    };
  } else {
    ca = { connector: 'none' };
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    staticDir: resolve(e.STATIC_DIR),
    https,
    adminToken: e.ADMIN_TOKEN,
    logLevel: e.LOG_LEVEL,
    twoPersonRule: e.TWO_PERSON_RULE,
    ca,
    forwarding: { intervalMs: e.FORWARD_INTERVAL_SECONDS * 1000, batchSize: e.FORWARD_BATCH_SIZE },
  };
}
