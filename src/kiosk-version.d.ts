/** package.json's version, put in by vite's `define` at build time; only the composition root reads it. */
declare const __KIOSK_VERSION__: string;
