import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './tests/support/chromium';

// The config is read by the runner and again by each worker: the first read picks the data
// folder and the workers inherit it through the environment.
process.env.E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'sertel-e2e-'));
const dataDir = process.env.E2E_DATA_DIR;
const port = Number(process.env.E2E_PORT ?? 8181);
process.env.E2E_PORT = String(port);
// The admin API token of the test server: tests make enrollment codes with it, as an administrator would.
process.env.E2E_ADMIN_TOKEN ??= `e2e-admin-${Math.random().toString(36).slice(2)}-${Date.now()}`;
const adminToken = process.env.E2E_ADMIN_TOKEN;

const executablePath = findChromium();
if (!executablePath)
  throw new Error('No Chromium: run `node scripts/ensure-chromium.mjs` or set CHROMIUM_PATH');

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    launchOptions: { executablePath, args: CHROMIUM_ARGS },
    serviceWorkers: 'allow',
    trace: 'retain-on-failure',
  },
  webServer: {
    // The real server on the production build (the service worker does not exist in `vite dev`).
    // The bundle `npm run build` makes, exactly what `npm start` runs.
    command: `exec node --enable-source-maps dist-server/main.mjs > "${join(dataDir, 'server.log')}" 2>&1`,
    url: `http://127.0.0.1:${port}/api/v1/ready`,
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      ADMIN_TOKEN: adminToken,
      MALLOC_ARENA_MAX: '2',
      // Tests run the forwarding job when they mean to (the admin API), not on a timer.
      FORWARD_INTERVAL_SECONDS: '0',
      // Certificates that end within the renewal window (RENEWAL_WINDOW_DAYS, 30): renewal.spec.ts
      // finds its certificate on the expiring list.
      DEV_CA_VALIDITY_DAYS: '25',
    },
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
