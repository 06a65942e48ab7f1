import { fileURLToPath } from 'node:url';

/**
 * Where `server-bundle-setup.ts` puts the server for process tests: under `node_modules`, so the
 * bundle's external packages resolve from the project as `dist-server/main.mjs`'s do.
 */
export const SERVER_TEST_BUNDLE = fileURLToPath(
  new URL('../../node_modules/.cache/sertel-test-server/main.mjs', import.meta.url),
);
