import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from './config';

/** The ConfigError thrown for `env`, or a failure when none is thrown. */
function configErrorFor(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  test('an empty environment gives the defaults: port 8080, SQLite in ./data, HTTPS off, the dev CA every minute', () => {
    expect(loadConfig({})).toEqual({
      port: 8080,
      host: '0.0.0.0',
      dataDir: resolve('data'),
      databaseUrl: undefined,
      staticDir: resolve('dist'),
      https: { mode: 'off' },
      logLevel: 'info',
      twoPersonRule: true,
      ca: {
        connector: 'dev-ca',
        dir: resolve('data', 'dev-ca'),
        passphrase: undefined,
        delayMs: 0,
        failureRate: 0,
        validityDays: 730,
      },
      forwarding: { intervalMs: 60_000, batchSize: 50 },
      renewalWindowDays: 30,
      minimumKioskVersion: null,
      archive: {
        passphrase: undefined,
        passphraseFile: resolve('data', 'archive', 'passphrase'),
        retentionYears: 5,
      },
      adminRemote: 'none',
      trustedProxies: 0,
      rateLimits: { addressPerMinute: 300, kioskPerMinute: 3000 },
      mail: {
        smtpUrl: undefined,
        from: 'Sertel Diskominfo <no-reply@madiunkota.go.id>',
        publicUrl: undefined,
        dropDir: resolve('data', 'mail-outbox'),
        codeTtlMs: 30 * 60_000,
        linkTtlMs: 72 * 3_600_000,
      },
    });
  });

  test('CA settings: the http connector needs its mapping file; a failure rate is a fraction; 0 s stops the schedule', () => {
    expect(configErrorFor({ CA_CONNECTOR: 'http' }).message).toContain('CA_HTTP_CONFIG');
    expect(loadConfig({ CA_CONNECTOR: 'http', CA_HTTP_CONFIG: 'ca.json' }).ca).toEqual({
      connector: 'http',
      configFile: resolve('ca.json'),
    });
    expect(loadConfig({ CA_CONNECTOR: 'none' }).ca).toEqual({ connector: 'none' });
    expect(
      loadConfig({ DEV_CA_FAILURE_RATE: '0.25', DEV_CA_DELAY_MS: '1500', DEV_CA_VALIDITY_DAYS: '20' }).ca,
    ).toMatchObject({
      failureRate: 0.25,
      delayMs: 1500,
      validityDays: 20,
    });
    expect(configErrorFor({ DEV_CA_VALIDITY_DAYS: '0' }).message).toContain('DEV_CA_VALIDITY_DAYS');
    for (const rate of ['1.5', '-0.1', 'half']) {
      expect(configErrorFor({ DEV_CA_FAILURE_RATE: rate }).message).toContain('DEV_CA_FAILURE_RATE');
    }
    expect(configErrorFor({ CA_CONNECTOR: 'bsre' }).message).toContain('CA_CONNECTOR');
    expect(configErrorFor({ FORWARD_BATCH_SIZE: '500' }).message).toContain('FORWARD_BATCH_SIZE');
    expect(configErrorFor({ DEV_CA_PASSPHRASE: 'short' }).message).toContain('DEV_CA_PASSPHRASE');
    expect(loadConfig({ FORWARD_INTERVAL_SECONDS: '0' }).forwarding.intervalMs).toBe(0);
  });

  test.each([
    ['0', 0],
    ['3000', 3000],
    ['65535', 65535],
  ])('PORT=%s → %i', (value, port) => {
    expect(loadConfig({ PORT: value }).port).toBe(port);
  });

  test.each(['abc', '70000', '-1', '80.5', '', '0x50', ' 80'])(
    'PORT=%j is a ConfigError naming PORT',
    (value) => {
      const error = configErrorFor({ PORT: value });
      expect(error.name).toBe('ConfigError');
      expect(error.message).toMatch(/\bPORT\b/);
    },
  );

  test.each(['postgres://u@db:5432/sertel', 'postgresql://u@db/sertel'])('DATABASE_URL=%s is kept', (url) => {
    expect(loadConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
  });

  test.each(['mysql://u@db/sertel', 'sqlite:./x.db', 'db.example:5432'])(
    'DATABASE_URL=%s is a ConfigError naming DATABASE_URL',
    (url) => {
      expect(configErrorFor({ DATABASE_URL: url }).message).toContain('DATABASE_URL');
    },
  );

  test('a DATABASE_URL error does not echo the URL, which may carry a password', () => {
    const message = configErrorFor({ DATABASE_URL: 'mysql://admin:s3cret@db/sertel' }).message;
    expect(message).not.toContain('s3cret');
  });

  test.each([{ HTTPS_CERT_FILE: '/etc/sertel/cert.pem' }, { HTTPS_KEY_FILE: '/etc/sertel/key.pem' }])(
    'one of HTTPS_CERT_FILE / HTTPS_KEY_FILE alone is a ConfigError (%o)',
    (env) => {
      expect(configErrorFor(env).message).toMatch(/HTTPS_CERT_FILE and HTTPS_KEY_FILE/);
    },
  );

  test('HTTPS_CERT_FILE with HTTPS_KEY_FILE → files mode with absolute paths', () => {
    expect(loadConfig({ HTTPS_CERT_FILE: 'tls/cert.pem', HTTPS_KEY_FILE: 'tls/key.pem' }).https).toEqual({
      mode: 'files',
      certFile: resolve('tls/cert.pem'),
      keyFile: resolve('tls/key.pem'),
    });
  });

  test('HTTPS_SELF_SIGNED=1 → self-signed mode with HTTPS_HOSTNAMES split and trimmed', () => {
    const config = loadConfig({ HTTPS_SELF_SIGNED: '1', HTTPS_HOSTNAMES: ' kiosk-ra.lan, 192.168.10.5 ,,' });
    expect(config.https).toEqual({ mode: 'self-signed', hostnames: ['kiosk-ra.lan', '192.168.10.5'] });
  });

  test.each([
    ['true', 'self-signed'],
    ['0', 'off'],
    ['false', 'off'],
  ])('HTTPS_SELF_SIGNED=%s → %s', (value, mode) => {
    expect(loadConfig({ HTTPS_SELF_SIGNED: value }).https.mode).toBe(mode);
  });

  test('HTTPS_SELF_SIGNED with a value it does not know is a ConfigError naming it', () => {
    expect(configErrorFor({ HTTPS_SELF_SIGNED: 'yes' }).message).toContain('HTTPS_SELF_SIGNED');
  });

  test.each([
    ['0', false],
    ['false', false],
    ['1', true],
    ['true', true],
  ])('TWO_PERSON_RULE=%s → %s', (value, on) => {
    expect(loadConfig({ TWO_PERSON_RULE: value }).twoPersonRule).toBe(on);
  });

  test('TWO_PERSON_RULE with a value it does not know is a ConfigError naming it', () => {
    expect(configErrorFor({ TWO_PERSON_RULE: 'off' }).message).toContain('TWO_PERSON_RULE');
  });

  test('a LOG_LEVEL pino does not know is a ConfigError naming it', () => {
    expect(configErrorFor({ LOG_LEVEL: 'verbose' }).message).toContain('LOG_LEVEL');
  });

  test('ADMIN_TOKEN of 24+ characters enables the admin API; unset or empty disables it', () => {
    const token = 'a'.repeat(24);
    expect(loadConfig({ ADMIN_TOKEN: token }).adminToken).toBe(token);
    expect(loadConfig({}).adminToken).toBeUndefined();
    expect(loadConfig({ ADMIN_TOKEN: '' }).adminToken).toBeUndefined();
  });

  test.each([
    ['too short', 'short-token'],
    ['with a space', 'this token has spaces in it ok'],
  ])('ADMIN_TOKEN %s is a ConfigError naming it, never echoing it', (_why, token) => {
    const message = configErrorFor({ ADMIN_TOKEN: token }).message;
    expect(message).toContain('ADMIN_TOKEN');
    expect(message).not.toContain(token);
  });

  test('mail settings: SMTP_URL and PUBLIC_URL are kept (empty means unset), the drop follows DATA_DIR, the times are minutes and hours', () => {
    const mail = loadConfig({
      SMTP_URL: 'smtps://sertel:s3cret@mail.madiunkota.go.id:465',
      MAIL_FROM: 'RA Diskominfo <ra@madiunkota.go.id>',
      PUBLIC_URL: 'https://sertel.madiunkota.go.id/',
      EMAIL_CODE_TTL_MINUTES: '10',
      EMAIL_LINK_TTL_HOURS: '24',
      DATA_DIR: '/var/lib/sertel',
    }).mail;
    expect(mail).toEqual({
      smtpUrl: 'smtps://sertel:s3cret@mail.madiunkota.go.id:465',
      from: 'RA Diskominfo <ra@madiunkota.go.id>',
      publicUrl: 'https://sertel.madiunkota.go.id',
      dropDir: resolve('/var/lib/sertel', 'mail-outbox'),
      codeTtlMs: 10 * 60_000,
      linkTtlMs: 24 * 3_600_000,
    });
    expect(loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525' }).mail.smtpUrl).toBe('smtp://127.0.0.1:2525');
    expect(loadConfig({ SMTP_URL: '', PUBLIC_URL: '' }).mail).toMatchObject({
      smtpUrl: undefined,
      publicUrl: undefined,
    });
  });

  test.each([
    ['SMTP_URL', 'http://sertel:s3cret@mail.example'],
    ['SMTP_URL', 'mail.example:25'],
    ['SMTP_URL', 'smtp://sertel:s3cret@'],
    ['SMTP_URL', 'smtp://sertel:s3cret@mail example'],
    ['MAIL_FROM', 'no address here'],
    ['PUBLIC_URL', 'sertel.madiunkota.go.id'],
    ['PUBLIC_URL', 'ftp://sertel.madiunkota.go.id'],
    ['EMAIL_CODE_TTL_MINUTES', '0'],
    ['EMAIL_CODE_TTL_MINUTES', '1441'],
    ['EMAIL_CODE_TTL_MINUTES', 'half an hour'],
    ['EMAIL_LINK_TTL_HOURS', '0'],
    ['EMAIL_LINK_TTL_HOURS', '721'],
  ])('%s=%j is a ConfigError naming it', (name, value) => {
    expect(configErrorFor({ [name]: value }).message).toContain(name);
  });

  test('MIN_KIOSK_VERSION: unset or empty is no minimum; x.y.z is kept; anything else is a ConfigError', () => {
    expect(loadConfig({ MIN_KIOSK_VERSION: '' }).minimumKioskVersion).toBeNull();
    expect(loadConfig({ MIN_KIOSK_VERSION: '1.4.0' }).minimumKioskVersion).toBe('1.4.0');
    expect(loadConfig({ MIN_KIOSK_VERSION: ' 0.10.2 ' }).minimumKioskVersion).toBe('0.10.2');
    for (const bad of ['1.4', 'v1.4.0', '1.4.0-rc.1', 'latest', '1.04.0']) {
      expect(configErrorFor({ MIN_KIOSK_VERSION: bad }).message).toContain('MIN_KIOSK_VERSION');
    }
  });

  test('hardening: the admin API from loopback only unless ADMIN_ALLOW_REMOTE says 1 or names networks', () => {
    expect(loadConfig({ ADMIN_ALLOW_REMOTE: '' }).adminRemote).toBe('none');
    expect(loadConfig({ ADMIN_ALLOW_REMOTE: '0' }).adminRemote).toBe('none');
    expect(loadConfig({ ADMIN_ALLOW_REMOTE: '1' }).adminRemote).toBe('any');
    expect(loadConfig({ ADMIN_ALLOW_REMOTE: '10.1.2.0/24, 192.168.5.7 ,fd00::/8' }).adminRemote).toEqual([
      '10.1.2.0/24',
      '192.168.5.7',
      'fd00::/8',
    ]);
    for (const bad of ['yes', '10.1.2.0/33', 'intranet.lan', '10.1.2.0/24;rm']) {
      expect(configErrorFor({ ADMIN_ALLOW_REMOTE: bad }).message).toContain('ADMIN_ALLOW_REMOTE');
    }
  });

  test('hardening: rate limits and TRUST_PROXY are whole numbers; 0 turns a limit off', () => {
    const config = loadConfig({
      RATE_LIMIT_ADDRESS_PER_MINUTE: '0',
      RATE_LIMIT_KIOSK_PER_MINUTE: '120',
      TRUST_PROXY: '1',
    });
    expect(config.rateLimits).toEqual({ addressPerMinute: 0, kioskPerMinute: 120 });
    expect(config.trustedProxies).toBe(1);
  });

  test.each([
    ['RATE_LIMIT_ADDRESS_PER_MINUTE', '-1'],
    ['RATE_LIMIT_ADDRESS_PER_MINUTE', 'lots'],
    ['RATE_LIMIT_KIOSK_PER_MINUTE', '2000000'],
    ['RATE_LIMIT_KIOSK_PER_MINUTE', '1.5'],
    ['TRUST_PROXY', 'true'],
    ['TRUST_PROXY', '6'],
  ])('%s=%j is a ConfigError naming it', (name, value) => {
    expect(configErrorFor({ [name]: value }).message).toContain(name);
  });

  test('an SMTP_URL error never echoes the URL, which carries the password', () => {
    for (const url of [
      'http://sertel:s3cret@mail.example',
      'smtp://sertel:s3cret@mail example',
      'smtp://sertel:s3cret@',
    ]) {
      const message = configErrorFor({ SMTP_URL: url }).message;
      expect(message).toContain('SMTP_URL');
      expect(message).not.toContain('s3cret');
    }
  });
});

describe('ARCHIVE_PASSPHRASE', () => {
  test('is kept as given, and refused when shorter than 16 characters', () => {
    expect(loadConfig({ ARCHIVE_PASSPHRASE: 'frasa-sandi-arsip-ra' }).archive.passphrase).toBe(
      'frasa-sandi-arsip-ra',
    );
    expect(() => loadConfig({ ARCHIVE_PASSPHRASE: 'pendek' })).toThrow(
      /ARCHIVE_PASSPHRASE must be at least 16/,
    );
  });
});

describe('ARCHIVE_RETENTION_YEARS', () => {
  test('defaults to 5 years, takes whole years from 1 to 100', () => {
    expect(loadConfig({}).archive.retentionYears).toBe(5);
    expect(loadConfig({ ARCHIVE_RETENTION_YEARS: '10' }).archive.retentionYears).toBe(10);
    expect(() => loadConfig({ ARCHIVE_RETENTION_YEARS: '0' })).toThrow(/at least 1/);
    expect(() => loadConfig({ ARCHIVE_RETENTION_YEARS: '2.5' })).toThrow(/whole number of years/);
  });
});
