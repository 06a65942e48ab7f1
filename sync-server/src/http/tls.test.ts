import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { API_PREFIX } from '../../../src/protocol/sync';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { startServer } from '../server';
import { loadTls } from './tls';

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sertel-tls-'));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const selfSigned = (hostnames = '') =>
  loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: join(root, 'data'),
    STATIC_DIR: join(root, 'no-such-dist'),
    LOG_LEVEL: 'silent',
    HTTPS_SELF_SIGNED: '1',
    HTTPS_HOSTNAMES: hostnames,
  });

describe('self-signed TLS', () => {
  test('is off unless asked for', async () => {
    expect(await loadTls(loadConfig({ DATA_DIR: join(root, 'data') }))).toBeNull();
  });

  test('generates a certificate and key once, key file 0600, and reuses them afterwards', async () => {
    const config = selfSigned();
    const first = await loadTls(config);
    expect(first?.source).toMatch(/\(generated\)$/);

    const certFile = join(root, 'data', 'tls', 'self-signed.crt');
    const keyFile = join(root, 'data', 'tls', 'self-signed.key');
    expect(readFileSync(certFile, 'utf8')).toBe(first?.cert);
    expect(readFileSync(keyFile, 'utf8')).toBe(first?.key);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(first?.key).toMatch(/-----BEGIN (EC )?PRIVATE KEY-----/);

    const second = await loadTls(config);
    expect(second?.source).toBe(certFile);
    expect(second?.cert).toBe(first?.cert);
    expect(second?.key).toBe(first?.key);
  });

  test('the certificate names localhost, 127.0.0.1 and every HTTPS_HOSTNAMES entry', async () => {
    const tls = await loadTls(selfSigned('kiosk-ra.lan,192.168.10.5'));
    const cert = new X509Certificate(tls?.cert ?? '');
    const altNames = (cert.subjectAltName ?? '').split(', ');

    expect(altNames).toEqual(
      expect.arrayContaining([
        'DNS:localhost',
        'IP Address:127.0.0.1',
        'DNS:kiosk-ra.lan',
        'IP Address:192.168.10.5',
      ]),
    );
    // An address is not a DNS name: clients would never match it.
    expect(altNames).not.toContain('DNS:192.168.10.5');
    expect(cert.checkPrivateKey(createPrivateKey(tls?.key ?? ''))).toBe(true);
    expect(new Date(cert.validTo).getTime()).toBeGreaterThan(Date.now() + 365 * 24 * 3600 * 1000);
  });

  test('the server answers HTTPS on localhost, verified against the generated certificate', async () => {
    const config = selfSigned();
    const server = await startServer(config, createLogger(config.logLevel));
    try {
      expect(server.url).toMatch(/^https:\/\//);
      const { port } = new URL(server.url);
      // The certificate the server is using: loadTls hands back the one it generated.
      const ca = (await loadTls(config))?.cert ?? '';

      const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        get({ host: 'localhost', port, path: `${API_PREFIX}/health`, ca, agent: false }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          );
          res.on('error', reject);
        }).on('error', reject);
      });

      expect(status).toBe(200);
      expect(JSON.parse(body)).toEqual({ status: 'ok' });
    } finally {
      await server.close();
    }
  });
});
