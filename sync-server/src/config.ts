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
});

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
  };
}
