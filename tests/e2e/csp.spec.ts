/**
 * The kiosk under the server's Content-Security-Policy (docs/security-hardening.md): everything it
 * does works with no violation, and code injected into the page does not run.
 */
import { expect, type Page, test } from '@playwright/test';
import { renderEktpPng } from '../../scripts/make-ektp';
import { makePerson } from '../support/ektp';
import { KioskPage } from './pages/kiosk-page';

const PASSPHRASE = 'angin pagi di alun alun kota madiun';
const EMAIL = 'pegawai.csp@madiunkota.go.id';

declare global {
  interface Window {
    cspViolations: string[];
    injected?: number;
  }
}

/**
 * Records every CSP violation the page reports, from its first script on: its
 * `securitypolicyviolation` events, and the browser's own log lines about refused code (the
 * DevTools log; `console` events only carry console API calls).
 */
async function watchViolations(page: Page): Promise<string[]> {
  const logged: string[] = [];
  const cdp = await page.context().newCDPSession(page);
  cdp.on('Log.entryAdded', ({ entry }) => {
    if (/Content Security Policy/i.test(entry.text)) logged.push(entry.text);
  });
  await cdp.send('Log.enable');
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.cspViolations.push(
        `${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`,
      );
    });
  });
  return logged;
}

const violationsIn = (page: Page) => page.evaluate(() => window.cspViolations);

test('the kiosk works under its CSP: app shell, service worker, OCR and crypto workers, with no violation', async ({
  page,
  browser,
}) => {
  const logged = await watchViolations(page);
  const seed = 20_260_808;
  const person = makePerson(seed);
  const png = await renderEktpPng(browser, seed);
  const kiosk = new KioskPage(page);

  const response = await page.goto('/');
  const headers = response?.headers() ?? {};
  expect(headers['content-security-policy']).toBe(
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob:; object-src blob:; " +
      "worker-src 'self'; connect-src 'self'; frame-src 'none'; frame-ancestors 'none'; base-uri 'none'; " +
      "form-action 'self'",
  );
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(headers['cross-origin-resource-policy']).toBe('same-origin');
  expect(headers['permissions-policy']).toContain('camera=(self)');
  // Plain http on the test server: no HSTS.
  expect(headers['strict-transport-security']).toBeUndefined();

  await expect(kiosk.formHeading).toBeVisible();
  // The service worker registers and precaches everything, the OCR engine included.
  await kiosk.waitUntilOfflineReady();

  // The OCR worker (OpenCV, under its own policy) and tesseract's worker (WebAssembly).
  await kiosk.fillApplication(person, EMAIL, 'Dinas Komunikasi dan Informatika');
  await kiosk.uploadEktp(png);
  await kiosk.waitForReading();
  await kiosk.confirmUnsureFields();
  // Papers (pdf-lib), the signature specimen (a blob: preview), the agreement.
  await kiosk.completeApplicantSteps();
  // Key pair, CSR and the encrypted key in the crypto worker; then the receipt with its QR code.
  await kiosk.setPassphrase(PASSPHRASE);
  await kiosk.submit();
  await kiosk.savedApplicationId();
  await expect(kiosk.receiptQr).toBeVisible();

  // The app shell as the service worker serves it later carries the same policy.
  const again = await page.reload();
  expect(again?.fromServiceWorker()).toBe(true);
  expect((await again?.allHeaders())?.['content-security-policy']).toBe(headers['content-security-policy']);
  await expect(kiosk.formHeading).toBeVisible();

  expect({ violations: await violationsIn(page), logged }).toEqual({ violations: [], logged: [] });
});

test('code injected into the page does not run, and the browser reports it', async ({ page }) => {
  const logged = await watchViolations(page);
  await new KioskPage(page).open();

  // An inline <script>, as an injection through unescaped HTML would add it.
  const inline = await page.evaluate(
    () =>
      new Promise<{ ran: boolean; directive: string }>((resolve) => {
        document.addEventListener(
          'securitypolicyviolation',
          (e) => resolve({ ran: window.injected === 1, directive: e.effectiveDirective }),
          { once: true },
        );
        const script = document.createElement('script');
        script.textContent = 'window.injected = 1';
        document.body.append(script);
      }),
  );
  expect(inline).toEqual({ ran: false, directive: 'script-src-elem' });

  // An event handler attribute (the classic <img onerror>).
  const handler = await page.evaluate(
    () =>
      new Promise<{ ran: boolean; directive: string }>((resolve) => {
        document.addEventListener(
          'securitypolicyviolation',
          (e) => {
            // The image's error event comes after the report: give it the chance to run.
            setTimeout(() => resolve({ ran: window.injected === 2, directive: e.effectiveDirective }), 200);
          },
          { once: true },
        );
        const holder = document.createElement('div');
        holder.innerHTML = '<img src="/no-such-image.png" onerror="window.injected = 2">';
        document.body.append(holder);
      }),
  );
  expect(handler).toEqual({ ran: false, directive: 'script-src-attr' });

  // A script from another origin.
  const foreign = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        document.addEventListener('securitypolicyviolation', (e) => resolve(e.blockedURI), { once: true });
        const script = document.createElement('script');
        script.src = 'https://cdn.example.com/evil.js';
        document.body.append(script);
      }),
  );
  expect(foreign).toBe('https://cdn.example.com/evil.js');

  expect(await page.evaluate(() => window.injected)).toBeUndefined();
  expect(await violationsIn(page)).toHaveLength(3);
  // The browser's log names the refusals too.
  expect(logged.length).toBeGreaterThanOrEqual(3);
});
