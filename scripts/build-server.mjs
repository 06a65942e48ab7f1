// Bundles the sync server into dist-server/main.mjs: production runs plain JavaScript, not the
// TypeScript loader (about 60 MB less memory, no compile at start). Packages stay in node_modules,
// so another output file (the first argument; tests use one) must be inside the project too.
import { build } from 'esbuild';

await build({
  entryPoints: ['sync-server/src/main.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outfile: process.argv[2] ?? 'dist-server/main.mjs',
  logLevel: 'warning',
  // Stack traces in the server's logs point at the TypeScript sources.
  sourcemap: 'linked',
});
