import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { EMAIL_CONFIRM_PATH } from '../../../src/protocol/email';
import { API_PREFIX, SYNC_BATCHES_PATH } from '../../../src/protocol/sync';
import type { EmailConfirmations } from '../domain/email-confirmation';
import { createLogger } from '../logger';
import { openSqliteStore } from '../store/sqlite';
import type { Store } from '../store/store';
import { createApp } from './app';
import { API_CSP, HSTS, KIOSK_CSP, OCR_WORKER_CSP, WASM_WORKER_CSP } from './security-headers';

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sertel-headers-'));
  store = await openSqliteStore(join(dir, 'sertel.sqlite'));
  const dist = join(dir, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  mkdirSync(join(dist, 'tesseract'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>kiosk</title>');
  writeFileSync(join(dist, 'assets', 'index-Ab12.js'), 'export {}');
  writeFileSync(join(dist, 'assets', 'ocr.worker-DOF1jXWQ.js'), 'self.onmessage = null');
  writeFileSync(join(dist, 'assets', 'crypto.worker-1c01hcGh.js'), 'self.onmessage = null');
  writeFileSync(join(dist, 'tesseract', 'worker.min.js'), 'self.onmessage = null');
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const build = (https = false) =>
  createApp({
    store,
    logger: createLogger('silent'),
    staticDir: join(dir, 'dist'),
    https,
    // The e-mail page is the one API answer with its own policy; its domain is not under test here.
    email: {
      confirmations: {
        confirmLink: async () => ({ status: 'invalid' }),
      } as unknown as EmailConfirmations,
    },
  });

/** Directive name → sources, for assertions that do not depend on order or spacing. */
function directives(policy: string | null): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of (policy ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) map.set(name, sources);
  }
  return map;
}

const COMMON_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

describe('security headers', () => {
  test('the kiosk page: a strict CSP with no inline script, no eval and no other origin', async () => {
    for (const path of ['/', '/index.html', '/officer/queue']) {
      const response = await build().request(path);
      expect(response.status, path).toBe(200);
      for (const [name, value] of Object.entries(COMMON_HEADERS))
        expect(response.headers.get(name), name).toBe(value);
      expect(response.headers.get('permissions-policy')).toContain('camera=(self)');
      expect(response.headers.get('permissions-policy')).toContain('microphone=()');
      const csp = directives(response.headers.get('content-security-policy'));
      expect(csp.get('default-src')).toEqual(["'self'"]);
      expect(csp.get('script-src')).toEqual(["'self'"]);
      expect(csp.get('style-src')).toEqual(["'self'"]);
      expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
      expect(csp.get('base-uri')).toEqual(["'none'"]);
      // Nothing anywhere in the policy opens inline code, eval or a host of another origin.
      const all = [...csp.values()].flat();
      for (const source of all) {
        expect(["'self'", "'none'", 'blob:'], `${source} in ${KIOSK_CSP}`).toContain(source);
      }
    }
  });

  test('each worker script carries its own worker policy; other scripts the page policy', async () => {
    const app = build();
    const policyOf = async (path: string) => {
      const response = await app.request(path);
      expect(response.status, path).toBe(200);
      return response.headers.get('content-security-policy');
    };
    expect(await policyOf('/assets/ocr.worker-DOF1jXWQ.js')).toBe(OCR_WORKER_CSP);
    expect(await policyOf('/tesseract/worker.min.js')).toBe(WASM_WORKER_CSP);
    expect(await policyOf('/assets/crypto.worker-1c01hcGh.js')).toBe(KIOSK_CSP);
    expect(await policyOf('/assets/index-Ab12.js')).toBe(KIOSK_CSP);
    // Only the OCR worker may eval (OpenCV's bindings); only the two OCR workers compile WebAssembly.
    expect(directives(OCR_WORKER_CSP).get('script-src')).toEqual([
      "'self'",
      "'unsafe-eval'",
      "'wasm-unsafe-eval'",
    ]);
    expect(directives(WASM_WORKER_CSP).get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
  });

  test('API answers, errors included, carry nosniff and a policy that runs nothing', async () => {
    const app = build();
    for (const response of [
      await app.request(`${API_PREFIX}/health`),
      await app.request(SYNC_BATCHES_PATH, { method: 'POST', body: '{}' }),
      await app.request(`${API_PREFIX}/no-such-thing`),
    ]) {
      for (const [name, value] of Object.entries(COMMON_HEADERS))
        expect(response.headers.get(name), name).toBe(value);
      expect(response.headers.get('content-security-policy')).toBe(API_CSP);
    }
    expect(directives(API_CSP).get('default-src')).toEqual(["'none'"]);
    expect(directives(API_CSP).has('script-src')).toBe(false);
  });

  test('the e-mail confirmation page keeps its own policy; the common headers are added', async () => {
    const response = await build().request(`${EMAIL_CONFIRM_PATH}?token=x`);
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'",
    );
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  });

  test('HSTS only when the server speaks HTTPS', async () => {
    expect((await build(false).request('/')).headers.get('strict-transport-security')).toBeNull();
    expect((await build(true).request('/')).headers.get('strict-transport-security')).toBe(HSTS);
    expect((await build(true).request(`${API_PREFIX}/health`)).headers.get('strict-transport-security')).toBe(
      HSTS,
    );
  });
});
