import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'src/**/*.test.ts',
      'sync-server/**/*.test.ts',
      'tests/unit/**/*.test.ts',
      'tests/server/**/*.test.ts',
    ],
    globalSetup: ['tests/support/pg-global-setup.ts', 'tests/support/server-bundle-setup.ts'],
    setupFiles: ['fake-indexeddb/auto'],
    environment: 'node',
    // Opens the sealed archive in every test store, so PostgreSQL stores need nothing on local disk.
    env: { ARCHIVE_PASSPHRASE: 'arsip-ra-untuk-uji-saja-0123456789' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
