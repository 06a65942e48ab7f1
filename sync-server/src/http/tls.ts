import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import type { ServerConfig } from '../config';

export interface TlsMaterial {
  cert: string;
  key: string;
  /** Where the certificate came from, for the start-up log. */
  source: string;
}

function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .flatMap((i) => (i && !i.internal ? [i.address] : []));
}

/**
 * Kiosks on the LAN get a service worker, WebCrypto and the camera only over HTTPS. A generated
 * certificate is kept in the data folder so that kiosks trust the same one across restarts.
 */
export async function loadTls(config: ServerConfig): Promise<TlsMaterial | null> {
  const https = config.https;
  if (https.mode === 'off') return null;
  if (https.mode === 'files') {
    return {
      cert: readFileSync(https.certFile, 'utf8'),
      key: readFileSync(https.keyFile, 'utf8'),
      source: https.certFile,
    };
  }
  const dir = join(config.dataDir, 'tls');
  const certFile = join(dir, 'self-signed.crt');
  const keyFile = join(dir, 'self-signed.key');
  if (existsSync(certFile) && existsSync(keyFile)) {
    return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), source: certFile };
  }
  const names = [...new Set(['localhost', hostname(), ...https.hostnames])];
  const ips = [...new Set(['127.0.0.1', '::1', ...lanAddresses(), ...https.hostnames.filter(isIp)])];
  const notBefore = new Date();
  const notAfter = new Date(notBefore.getTime() + 825 * 24 * 3600 * 1000);
  const pems = await generate([{ name: 'commonName', value: `sertel-kiosk ${hostname()}` }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: notBefore,
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...names.filter((n) => !isIp(n)).map((value) => ({ type: 2 as const, value })),
          ...ips.map((ip) => ({ type: 7 as const, ip })),
        ],
      },
    ],
  });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(keyFile, pems.private, { mode: 0o600 });
  writeFileSync(certFile, pems.cert);
  return { cert: pems.cert, key: pems.private, source: `${certFile} (generated)` };
}

function isIp(value: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(value) || value.includes(':');
}
