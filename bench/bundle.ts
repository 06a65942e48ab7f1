// One IIFE script from a bench entry, to run the kiosk's own code inside a Chromium page.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';

export async function bundleForBrowser(entry: string): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'sertel-bench-bundle-'));
  try {
    await build({
      configFile: false,
      logLevel: 'warn',
      build: {
        outDir,
        emptyOutDir: true,
        minify: true,
        lib: { entry, formats: ['iife'], name: 'sertelBenchBundle', fileName: () => 'bundle.js' },
      },
    });
    return readFileSync(join(outDir, 'bundle.js'), 'utf8');
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
