import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'src/**/*.test.ts',
      'sync-server/**/*.test.ts',
      'tests/unit/**/*.test.ts',
      'tests/server/**/*.test.ts',
    ],
    globalSetup: ['tests/support/pg-global-setup.ts'],
    setupFiles: ['fake-indexeddb/auto'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
