/**
 * Security headers on every response (docs/security-hardening.md). The kiosk pages get a strict
 * Content-Security-Policy: no inline script, no eval, nothing from another origin. Each source
 * below is there because the kiosk was found to need it (tests/e2e/csp.spec.ts fails on any
 * violation), and the comment says what for.
 */
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { API_PREFIX } from '../../../src/protocol/sync';

type Directives = Readonly<Record<string, readonly string[]>>;

const serialize = (directives: Directives): string =>
  Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join('; ');

/** The kiosk's documents (index.html and its client-side routes). */
const KIOSK_DIRECTIVES = {
  // Anything not named below: this origin only (the web manifest, the icon, fonts if any).
  'default-src': ["'self'"],
  // The bundle's module scripts from /assets/; no inline script, no eval, no WebAssembly here.
  'script-src': ["'self'"],
  // The one built stylesheet; Solid sets `style` through the CSSOM, which the policy allows.
  'style-src': ["'self'"],
  // The icon; object URLs of the e-KTP photo, the signature specimen and the papers (previews).
  'img-src': ["'self'", 'blob:'],
  // The officer's view of a PDF paper is an <object> on an object URL; no plugin from elsewhere.
  'object-src': ['blob:'],
  // The crypto and OCR workers and the service worker: same-origin files (tesseract.js is told
  // `workerBlobURL: false`, so no blob: worker is needed).
  'worker-src': ["'self'"],
  // The sync API, and the OCR assets the service worker precaches.
  'connect-src': ["'self'"],
  // The kiosk embeds no frame, and no page may embed it (clickjacking).
  'frame-src': ["'none'"],
  'frame-ancestors': ["'none'"],
  // No <base> may redirect relative URLs; forms submit nowhere but here (they are handled in script).
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
} as const satisfies Directives;

/**
 * A dedicated worker obeys the policy sent with its own script, not its page's. The tesseract.js
 * worker (/tesseract/worker.min.js) compiles the OCR engine's WebAssembly: `'wasm-unsafe-eval'`
 * (compiling WebAssembly, not JavaScript eval).
 */
const WASM_WORKER_DIRECTIVES = {
  ...KIOSK_DIRECTIVES,
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
} as const satisfies Directives;

/**
 * The e-KTP reader worker loads OpenCV.js, whose Emscripten bindings build functions with
 * `new Function` at start-up (embind's createNamedFunction): `'unsafe-eval'`, in this worker only.
 * Its WebAssembly is embedded in the script as a data: URL that its loader fetches: `data:` for
 * connect-src (local bytes, nothing leaves the machine). The worker handles pixels and OCR text,
 * has no DOM and no access to the kiosk's keys or database.
 */
const OCR_WORKER_DIRECTIVES = {
  ...KIOSK_DIRECTIVES,
  'script-src': ["'self'", "'unsafe-eval'", "'wasm-unsafe-eval'"],
  'connect-src': ["'self'", 'data:'],
} as const satisfies Directives;

/**
 * API answers are data, plus two small HTML pages (the e-mail confirmation, the yearly report)
 * styled by an inline <style> and running no script at all.
 */
const API_DIRECTIVES = {
  'default-src': ["'none'"],
  'style-src': ["'unsafe-inline'"],
  'frame-ancestors': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
} as const satisfies Directives;

export const KIOSK_CSP = serialize(KIOSK_DIRECTIVES);
export const WASM_WORKER_CSP = serialize(WASM_WORKER_DIRECTIVES);
export const OCR_WORKER_CSP = serialize(OCR_WORKER_DIRECTIVES);
export const API_CSP = serialize(API_DIRECTIVES);

/** The tesseract.js worker, copied into public/tesseract/ by scripts/copy-ocr-assets.mjs. */
const TESSERACT_WORKER = /^\/tesseract\/worker\.min\.js$/;
/** The e-KTP reader worker as Vite names it (src/adapters/ocr/ocr.worker.ts). */
const OCR_WORKER = /^\/assets\/ocr\.worker-[\w-]+\.js$/;

/** The policy a kiosk file is served with: a worker's script carries its worker's own. */
export function kioskFilePolicy(path: string, contentType: string | null): string {
  if (contentType?.startsWith('text/javascript') === true) {
    if (OCR_WORKER.test(path)) return OCR_WORKER_CSP;
    if (TESSERACT_WORKER.test(path)) return WASM_WORKER_CSP;
  }
  return KIOSK_CSP;
}

/** HSTS for a year once the server speaks HTTPS; sent over plain http it would mean nothing. */
export const HSTS = 'max-age=31536000';

/**
 * Hono's secure-headers with the kiosk's choices, on every response: nosniff, no referrer, no
 * framing, a browsing context and resources of our own, the camera for this origin only, HSTS
 * over HTTPS, and the CSP that fits the answer. A handler that set its own (the e-mail page) keeps it.
 */
export function securityHeaders({ https }: { https: boolean }): MiddlewareHandler {
  const common = secureHeaders({
    overwrite: false,
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    crossOriginOpenerPolicy: 'same-origin',
    crossOriginResourcePolicy: 'same-origin',
    strictTransportSecurity: https ? HSTS : false,
    // The kiosk photographs the e-KTP and papers; nothing else is ever asked for.
    permissionsPolicy: {
      camera: ['self'],
      microphone: [],
      geolocation: [],
      displayCapture: [],
      payment: [],
      usb: [],
      serial: [],
      bluetooth: [],
      hid: [],
    },
  });
  return async (c, next) => {
    await common(c, async () => {
      await next();
      if (!c.res.headers.has('Content-Security-Policy')) {
        const api = c.req.path === API_PREFIX || c.req.path.startsWith(`${API_PREFIX}/`);
        c.res.headers.set(
          'Content-Security-Policy',
          api ? API_CSP : kioskFilePolicy(c.req.path, c.res.headers.get('content-type')),
        );
      }
    });
  };
}
