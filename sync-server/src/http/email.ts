/**
 * The e-mail confirmation's routes (Pasal 10, docs/api.md "E-mail confirmation"): the kiosk's signed
 * code request and typed code, and the public link from the mail, answered with a small page in
 * Bahasa Indonesia (English beside it). The link's token is in the query, which the request log leaves
 * out.
 */
import type { Hono } from 'hono';
import { applicationNumber } from '../../../src/core/application/application-number';
import {
  EMAIL_CODES_PATH,
  EMAIL_CONFIRM_PATH,
  EMAIL_LIMITS,
  EMAIL_TOKEN_PATTERN,
  EMAIL_VERIFY_PATH,
  type EmailCodeResponse,
  type EmailVerifyResponse,
  emailCodeRequestSchema,
  emailVerifyRequestSchema,
} from '../../../src/protocol/email';
import type { EmailConfirmations } from '../domain/email-confirmation';
import { MailError } from '../mail/mailer';
import { jsonBodyLimit } from './body-limit';
import { ApiError } from './errors';
import { parseJsonBytes, schemaError } from './json';
import type { KioskAuth } from './kiosk-auth';

export interface EmailRouteDeps {
  kioskAuth: KioskAuth;
  confirmations: EmailConfirmations;
}

type PageKind = 'confirmed' | 'expired' | 'invalid';

const PAGES: Record<PageKind, { status: 200 | 404 | 410; title: string; id: string; en: string }> = {
  confirmed: {
    status: 200,
    title: 'E-mail terkonfirmasi',
    id: 'Terima kasih. Alamat e-mail dinas Anda sudah terkonfirmasi untuk permohonan sertifikat elektronik ini. Anda tidak perlu melakukan apa pun lagi; halaman ini boleh ditutup.',
    en: 'Thank you. Your official e-mail address is confirmed for this electronic certificate application. There is nothing more to do; you may close this page.',
  },
  expired: {
    status: 410,
    title: 'Tautan kedaluwarsa',
    id: 'Tautan konfirmasi ini sudah tidak berlaku. Server mengirim tautan baru ke e-mail dinas Anda secara otomatis; bila tidak datang, hubungi petugas Diskominfo di loket.',
    en: 'This confirmation link has expired. The server mails a new link to your official address by itself; if none arrives, ask a Diskominfo officer at the counter.',
  },
  invalid: {
    status: 404,
    title: 'Tautan tidak berlaku',
    id: 'Tautan konfirmasi ini tidak dikenal, atau sudah diganti dengan kiriman yang lebih baru. Buka tautan pada e-mail konfirmasi terakhir yang Anda terima.',
    en: 'This confirmation link is not known, or a newer mail replaced it. Open the link in the latest confirmation mail you received.',
  },
};

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

export function confirmationPage(kind: PageKind, applicationId: string | null): string {
  const page = PAGES[kind];
  const number = applicationId === null ? '' : applicationNumber(applicationId);
  return `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(page.title)} - Sertifikat Elektronik Kota Madiun</title>
<style>
body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
h1{font-size:1.5rem}.en{color:#555}.number{font-family:monospace;font-size:1.1rem}
</style>
</head>
<body>
<main data-result="${kind}">
<h1>${escapeHtml(page.title)}</h1>
<p>${escapeHtml(page.id)}</p>
${number === '' ? '' : `<p>Nomor permohonan: <span class="number">${escapeHtml(number)}</span></p>\n`}<p class="en" lang="en">${escapeHtml(page.en)}</p>
<p class="en">Otoritas Pendaftaran - Dinas Komunikasi dan Informatika Kota Madiun</p>
</main>
</body>
</html>
`;
}

export function registerEmailRoutes(app: Hono, { kioskAuth, confirmations }: EmailRouteDeps): void {
  app.post(EMAIL_CODES_PATH, jsonBodyLimit(EMAIL_LIMITS.maxRequestBytes), async (c) => {
    // Nothing is mailed unless an enrolled kiosk signed this very request.
    const signed = await kioskAuth.authenticate(c.req.raw);
    const request = emailCodeRequestSchema.safeParse(
      parseJsonBytes(c.req.header('content-type'), signed.body),
    );
    if (!request.success) {
      throw schemaError(request.error, 'invalid-request', 'The code request does not match the schema');
    }
    let outcome: Awaited<ReturnType<EmailConfirmations['requestCode']>>;
    try {
      outcome = await confirmations.requestCode({ kioskId: signed.kioskId, ...request.data });
    } catch (error) {
      if (error instanceof MailError) {
        throw new ApiError(
          503,
          'mail-unavailable',
          'The confirmation mail could not be sent; try again later',
        );
      }
      throw error;
    }
    if (outcome.status === 'not-official') {
      throw new ApiError(
        422,
        'email-not-official',
        'The address is not in one of the official e-mail domains of this registration authority',
      );
    }
    const response: EmailCodeResponse = outcome;
    return c.json(response);
  });

  app.post(EMAIL_VERIFY_PATH, jsonBodyLimit(EMAIL_LIMITS.maxRequestBytes), async (c) => {
    const signed = await kioskAuth.authenticate(c.req.raw);
    const request = emailVerifyRequestSchema.safeParse(
      parseJsonBytes(c.req.header('content-type'), signed.body),
    );
    if (!request.success) {
      throw schemaError(request.error, 'invalid-request', 'The code check does not match the schema');
    }
    const response: EmailVerifyResponse = await confirmations.verifyCode({
      kioskId: signed.kioskId,
      ...request.data,
    });
    return c.json(response);
  });

  app.get(EMAIL_CONFIRM_PATH, async (c) => {
    // The token must not travel on to another site, nor stay in a cache.
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    const token = c.req.query('token') ?? '';
    if (!EMAIL_TOKEN_PATTERN.test(token)) return c.html(confirmationPage('invalid', null), 404);
    const outcome = await confirmations.confirmLink(token);
    const applicationId = outcome.status === 'invalid' ? null : outcome.applicationId;
    return c.html(confirmationPage(outcome.status, applicationId), PAGES[outcome.status].status);
  });
}
