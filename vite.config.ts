import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import solid from 'vite-plugin-solid';
import pkg from './package.json' with { type: 'json' };

export default defineConfig({
  // The kiosk's own version, for the software-version guardrail (src/kiosk-version.d.ts).
  define: { __KIOSK_VERSION__: JSON.stringify(pkg.version) },
  plugins: [
    solid(),
    VitePWA({
      // Never reload by itself: the officer decides when, and not while an application is open.
      registerType: 'prompt',
      injectRegister: false,
      strategies: 'generateSW',
      filename: 'sw.js',
      manifest: {
        name: 'Sertel Kiosk — Pendaftaran Sertifikat Elektronik',
        short_name: 'Sertel Kiosk',
        description: 'Kios pendaftaran sertifikat elektronik Diskominfo Kota Madiun',
        lang: 'id',
        start_url: '/',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#0b4f8a',
        icons: [{ src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      workbox: {
        // Everything the kiosk needs with no network, the OCR engine and language data included.
        globPatterns: ['**/*.{js,css,html,svg,png,ico,webmanifest,wasm,gz}'],
        // OpenCV.js (7.7 MB) and the OCR cores (3.9 MB each) are single files.
        maximumFileSizeToCacheInBytes: 12 * 1024 * 1024,
        navigateFallback: 'index.html',
        navigateFallbackDenylist: [/^\/api\//],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
      },
    }),
  ],
  // pkijs and the OCR client are large; the whole app is precached once, so one chunk is fine.
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 1024 },
  // A classic worker: OpenCV.js only loads through importScripts (it assigns sloppy-mode globals).
  worker: { format: 'iife' },
});
