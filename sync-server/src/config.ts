import { resolve } from 'node:path';
import { z } from 'zod';
import { VERSION_PATTERN } from '../../src/core/outbox/guardrails';
import { type AdminRemoteAccess, checkAllowRules } from './http/admin-network';

/** A requests-per-minute setting: a whole number up to a million, 0 turning the limit off. */
function perMinute(name: string, fallback: string) {
  return z
    .string()
    .regex(/^\d{1,7}$/, `${name} must be a whole number of requests per minute (0: no limit)`)
    .default(fallback)
    .transform(Number)
    .pipe(z.number().int().max(1_000_000, `${name} must be at most 1000000`));
}

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
  /** Who besides loopback reaches the admin API: 0 (nobody), 1 (anyone), or IPs/CIDRs, comma separated. */
  ADMIN_ALLOW_REMOTE: z.string().trim().default('0'),
  /** Reverse proxies in front of the server whose X-Forwarded-For is believed; 0: none, the socket's peer is the client. */
  TRUST_PROXY: z
    .string()
    .regex(/^[0-5]$/, 'TRUST_PROXY must be the number of reverse proxies in front, 0 to 5')
    .default('0')
    .transform(Number),
  /** Requests per minute per client address on the routes without a kiosk signature; 0: no limit. */
  RATE_LIMIT_ADDRESS_PER_MINUTE: perMinute('RATE_LIMIT_ADDRESS_PER_MINUTE', '300'),
  /** Requests per minute per enrolled kiosk on the signed routes; 0: no limit. */
  RATE_LIMIT_KIOSK_PER_MINUTE: perMinute('RATE_LIMIT_KIOSK_PER_MINUTE', '3000'),
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
  /**
   * MACs the server's audit chain (issue 8), kept outside the database; unset: one is generated into
   * DATA_DIR/audit-key. Servers sharing one PostgreSQL must all be given the same.
   */
  AUDIT_KEY: z.string().min(32, 'AUDIT_KEY must be at least 32 characters').max(1024).optional(),
  /** Encrypts the dev CA's keys at rest; unset: one is generated into DATA_DIR/dev-ca/passphrase. */
  DEV_CA_PASSPHRASE: z
    .string()
    .min(12, 'DEV_CA_PASSPHRASE must be at least 12 characters')
    .max(1024)
    .optional(),
  /**
   * Encrypts the RA archive's private keys (sealed records, issue 8); unset: one is generated into
   * DATA_DIR/archive/passphrase. Servers sharing one PostgreSQL must all be given the same.
   */
  ARCHIVE_PASSPHRASE: z
    .string()
    .min(16, 'ARCHIVE_PASSPHRASE must be at least 16 characters')
    .max(1024)
    .optional(),
  /**
   * Years the sealed archive keeps an application's personal data after its certificate's end of
   * validity (or after the final refusal when none was issued); then `archive-purge` deletes it.
   */
  ARCHIVE_RETENTION_YEARS: z
    .string()
    .regex(/^\d{1,3}$/, 'ARCHIVE_RETENTION_YEARS must be a whole number of years')
    .default('5')
    .transform(Number)
    .pipe(z.number().int().min(1, 'ARCHIVE_RETENTION_YEARS must be at least 1').max(100)),
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
  /** Days the dev CA's certificates are valid (BSrE: two years); shorter to demonstrate renewal. */
  DEV_CA_VALIDITY_DAYS: z
    .string()
    .regex(/^\d{1,4}$/, 'DEV_CA_VALIDITY_DAYS must be a whole number of days')
    .default('730')
    .transform(Number)
    .pipe(z.number().int().min(1, 'DEV_CA_VALIDITY_DAYS must be at least 1').max(3650)),
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
  /** Where confirmation mails go (Pasal 10); unset: written as .eml files to DATA_DIR/mail-outbox. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^/?#\s]+/, 'SMTP_URL must be smtp://host[:port] or smtps://host[:port]')
    .optional(),
  MAIL_FROM: z
    .string()
    .trim()
    .min(3)
    .max(200)
    .regex(/^[^\r\n]*@[^\r\n]*$/, 'MAIL_FROM must be an address, optionally with a name: Name <a@b>')
    .default('Sertel Diskominfo <no-reply@madiunkota.go.id>'),
  /** The base of the links in confirmation mails; unset: the address the server listens on. */
  PUBLIC_URL: z
    .string()
    .regex(/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/, 'PUBLIC_URL must be an http:// or https:// URL')
    .optional(),
  EMAIL_CODE_TTL_MINUTES: z
    .string()
    .regex(/^\d{1,4}$/, 'EMAIL_CODE_TTL_MINUTES must be a whole number of minutes')
    .default('30')
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(1, 'EMAIL_CODE_TTL_MINUTES must be at least 1')
        .max(1440, 'EMAIL_CODE_TTL_MINUTES must be at most 1440'),
    ),
  EMAIL_LINK_TTL_HOURS: z
    .string()
    .regex(/^\d{1,4}$/, 'EMAIL_LINK_TTL_HOURS must be a whole number of hours')
    .default('72')
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(1, 'EMAIL_LINK_TTL_HOURS must be at least 1')
        .max(720, 'EMAIL_LINK_TTL_HOURS must be at most 720'),
    ),
  /** Days ahead the renewal list looks for certificates about to expire (Pasal 14). */
  RENEWAL_WINDOW_DAYS: z
    .string()
    .regex(/^\d{1,3}$/, 'RENEWAL_WINDOW_DAYS must be a whole number of days from 1 to 366')
    .default('30')
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(1, 'RENEWAL_WINDOW_DAYS must be at least 1')
        .max(366, 'RENEWAL_WINDOW_DAYS must be at most 366'),
    ),
  /** Kiosks older than this (x.y.z) stop taking new applications until updated; unset: no minimum. */
  MIN_KIOSK_VERSION: z
    .string()
    .trim()
    .regex(VERSION_PATTERN, 'MIN_KIOSK_VERSION must be a version like 1.4.0 (three whole numbers)')
    .optional(),
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
      validityDays: number;
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
  /** `AUDIT_KEY`: the server audit chain's MAC key; undefined: DATA_DIR/audit-key. */
  auditKey: string | undefined;
  /** `ADMIN_ALLOW_REMOTE`: who besides loopback may reach the admin API. */
  adminRemote: AdminRemoteAccess;
  /** `TRUST_PROXY`: reverse proxies in front whose X-Forwarded-For is believed. */
  trustedProxies: number;
  /** Requests per minute (0: no limit): per address on public routes, per kiosk on signed ones. */
  rateLimits: { addressPerMinute: number; kioskPerMinute: number };
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** Refuse a release by the officer who decided the application. */
  twoPersonRule: boolean;
  ca: CaConfig;
  forwarding: { intervalMs: number; batchSize: number };
  mail: MailConfig;
  /** How far ahead the renewal list looks (`RENEWAL_WINDOW_DAYS`, default 30). */
  renewalWindowDays: number;
  /** `MIN_KIOSK_VERSION`: older kiosks stop taking new applications; null: no minimum. */
  minimumKioskVersion: string | null;
  /** The RA archive's key passphrase (`ARCHIVE_PASSPHRASE`) and the file that holds one made on first start. */
  archive: { passphrase: string | undefined; passphraseFile: string; retentionYears: number };
}

export interface MailConfig {
  /** smtp:// or smtps:// with optional user:pass; undefined: the development mail drop. */
  smtpUrl: string | undefined;
  from: string;
  /** Base URL of the confirmation links, without a trailing slash; undefined: the listening URL. */
  publicUrl: string | undefined;
  /** Where mails are written without SMTP_URL. */
  dropDir: string;
  codeTtlMs: number;
  linkTtlMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  // An empty ADMIN_TOKEN means "no admin API", not a too-short token; likewise an empty SMTP_URL or PUBLIC_URL.
  const parsed = envSchema.safeParse({
    ...env,
    ADMIN_TOKEN: env.ADMIN_TOKEN || undefined,
    SMTP_URL: env.SMTP_URL || undefined,
    PUBLIC_URL: env.PUBLIC_URL || undefined,
    MIN_KIOSK_VERSION: env.MIN_KIOSK_VERSION || undefined,
  });
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
      validityDays: e.DEV_CA_VALIDITY_DAYS,
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
    auditKey: e.AUDIT_KEY,
    adminRemote: adminRemoteAccess(e.ADMIN_ALLOW_REMOTE),
    trustedProxies: e.TRUST_PROXY,
    rateLimits: {
      addressPerMinute: e.RATE_LIMIT_ADDRESS_PER_MINUTE,
      kioskPerMinute: e.RATE_LIMIT_KIOSK_PER_MINUTE,
    },
    logLevel: e.LOG_LEVEL,
    twoPersonRule: e.TWO_PERSON_RULE,
    ca,
    forwarding: { intervalMs: e.FORWARD_INTERVAL_SECONDS * 1000, batchSize: e.FORWARD_BATCH_SIZE },
    renewalWindowDays: e.RENEWAL_WINDOW_DAYS,
    minimumKioskVersion: e.MIN_KIOSK_VERSION ?? null,
    archive: {
      passphrase: e.ARCHIVE_PASSPHRASE,
      passphraseFile: resolve(e.DATA_DIR, 'archive', 'passphrase'),
      retentionYears: e.ARCHIVE_RETENTION_YEARS,
    },
    mail: {
      smtpUrl: checkedSmtpUrl(e.SMTP_URL),
      from: e.MAIL_FROM,
      publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
      dropDir: resolve(e.DATA_DIR, 'mail-outbox'),
      codeTtlMs: e.EMAIL_CODE_TTL_MINUTES * 60_000,
      linkTtlMs: e.EMAIL_LINK_TTL_HOURS * 3_600_000,
    },
  };
}

/** `ADMIN_ALLOW_REMOTE`: 0 or empty, 1, or a comma-separated list of IP addresses and CIDR ranges. */
function adminRemoteAccess(value: string): AdminRemoteAccess {
  if (value === '' || value === '0' || value === 'false') return 'none';
  if (value === '1' || value === 'true') return 'any';
  const rules = value
    .split(',')
    .map((rule) => rule.trim())
    .filter(Boolean);
  try {
    checkAllowRules(rules);
  } catch {
    throw new ConfigError(
      'ADMIN_ALLOW_REMOTE must be 0, 1, or IP addresses and CIDR ranges separated by commas (e.g. 10.1.2.0/24)',
    );
  }
  return rules;
}

/** The URL as given, once it parses with a host and a port that is one; errors never echo it (it may carry a password). */
function checkedSmtpUrl(url: string | undefined): string | undefined {
  if (url === undefined || url === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('SMTP_URL is not a URL (smtp://user:pass@host:587 or smtps://host:465)');
  }
  if (parsed.hostname === '') throw new ConfigError('SMTP_URL has no host name');
  return url;
}
