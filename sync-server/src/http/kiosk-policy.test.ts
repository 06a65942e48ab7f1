/** The server's policy for kiosks (issue 8 guardrails): the minimum kiosk version, public. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { KIOSK_POLICY_PATH, kioskPolicySchema } from '../../../src/protocol/kiosk-policy';
import { createLogger } from '../logger';
import { openStore } from '../store/open';
import type { Store } from '../store/store';
import { createApp } from './app';

describe('GET /api/v1/kiosk-policy', () => {
  let dataDir: string;
  let store: Store;
  let logLines: string[];

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sertel-policy-'));
    store = await openStore({ dataDir });
    logLines = [];
  });

  afterEach(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const appWith = (minimumKioskVersion?: string | null) =>
    createApp({
      store,
      logger: createLogger('info', { write: (line: string) => void logLines.push(line) }),
      ...(minimumKioskVersion === undefined ? {} : { minimumKioskVersion }),
    });

  test('answers an unauthenticated kiosk with the configured minimum version, never cached', async () => {
    const response = await appWith('1.4.0').request(KIOSK_POLICY_PATH);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = kioskPolicySchema.parse(await response.json());
    expect(body).toEqual({ minimumKioskVersion: '1.4.0' });
  });

  test('says there is no minimum when none is configured', async () => {
    for (const app of [appWith(), appWith(null)]) {
      const response = await app.request(KIOSK_POLICY_PATH);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ minimumKioskVersion: null });
    }
  });

  test('logs a kiosk older than the minimum with its version, and nothing it cannot read', async () => {
    const app = appWith('1.4.0');
    const warnings = () => logLines.filter((l) => l.includes('kiosk older than the minimum version'));
    await app.request(KIOSK_POLICY_PATH, { headers: { 'x-kiosk-version': '1.4.0' } });
    await app.request(KIOSK_POLICY_PATH, { headers: { 'x-kiosk-version': '2.0.0' } });
    expect(warnings()).toEqual([]);
    await app.request(KIOSK_POLICY_PATH, { headers: { 'x-kiosk-version': '1.3.9' } });
    await app.request(KIOSK_POLICY_PATH, { headers: { 'x-kiosk-version': '<script>' } });
    expect(warnings()).toHaveLength(1);
    expect(JSON.parse(warnings()[0] ?? '{}')).toMatchObject({
      kioskVersion: '1.3.9',
      minimumKioskVersion: '1.4.0',
    });
    expect(logLines.join('\n')).not.toContain('<script>');
  });

  test('is read-only', async () => {
    const response = await appWith('1.4.0').request(KIOSK_POLICY_PATH, { method: 'POST' });
    expect(response.status).toBe(404);
  });
});
