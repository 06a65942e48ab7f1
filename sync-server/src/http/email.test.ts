/**
 * The official e-mail proven (Pasal 10), end to end on the server: a kiosk-signed code request, the
 * mail received by a real SMTP server in this process, the code or the link read out of it, and the
 * sweep that mails applications which arrived unconfirmed.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { applicationNumber } from '../../../src/core/application/application-number';
import {
  EMAIL_CODES_PATH,
  EMAIL_CONFIRM_PATH,
  EMAIL_VERIFY_PATH,
  emailCodeResponseSchema,
  emailVerifyResponseSchema,
} from '../../../src/protocol/email';
import { errorBodySchema } from '../../../src/protocol/sync';
import { makeApplication } from '../../../tests/support/applications';
import { seedApproved } from '../../../tests/support/forwarding-fixtures';
import { applicationIdOf, codeFrom, linkFrom } from '../../../tests/support/mail-message';
import {
  appFetcher,
  enrollTestKiosk,
  type Fetcher,
  postSignedBatch,
  postSignedJson,
  type TestKiosk,
} from '../../../tests/support/signed-kiosk';
import { type ReceivedMail, startTestSmtpServer, type TestSmtpServer } from '../../../tests/support/smtp';
import { makeWireRecord } from '../../../tests/support/wire-records';
import { createEmailConfirmations, type EmailConfirmations } from '../domain/email-confirmation';
import { createLogger } from '../logger';
import { createMailer, type Mailer } from '../mail/mailer';
import { openStore, SQLITE_FILE_NAME } from '../store/open';
import type { Store } from '../store/store';
import { createApp } from './app';

const PUBLIC_URL = 'https://sertel.madiunkota.go.id';
const EMAIL = 'siti.rahayu@madiunkota.go.id';
const NIK = '3577014501900003';
const MINUTE = 60_000;
const SMTP_AUTH = { user: 'sertel', pass: 'rahasia-smtp-9' };

describe('e-mail confirmation (Pasal 10)', () => {
  let dataDir: string;
  let store: Store;
  let smtp: TestSmtpServer;
  let mailer: Mailer;
  let confirmations: EmailConfirmations;
  let fetcher: Fetcher;
  let kiosk: TestKiosk;
  let logLines: string[];
  let clock: number;
  let ingested: number;
  const now = () => new Date(clock);

  beforeEach(async () => {
    clock = Date.now();
    ingested = 0;
    dataDir = mkdtempSync(join(tmpdir(), 'sertel-email-'));
    store = await openStore({ dataDir });
    smtp = await startTestSmtpServer({ auth: SMTP_AUTH });
    logLines = [];
    const logger = createLogger('info', { write: (line: string) => void logLines.push(line) });
    mailer = createMailer({
      smtpUrl: smtp.url,
      from: 'Sertel Diskominfo <no-reply@madiunkota.go.id>',
      dropDir: join(dataDir, 'mail-outbox'),
      logger,
    });
    confirmations = createEmailConfirmations({
      store,
      mailer,
      logger,
      now,
      publicUrl: () => PUBLIC_URL,
      codeTtlMs: 30 * MINUTE,
      linkTtlMs: 72 * 60 * MINUTE,
      emailDomains: ['madiunkota.go.id'],
    });
    const app = createApp({
      store,
      logger,
      now,
      email: { confirmations, afterIngest: () => void ingested++ },
    });
    fetcher = appFetcher(app);
    kiosk = await enrollTestKiosk(fetcher, store, { name: 'Loket 1', now: now() });
  });

  afterEach(async () => {
    mailer.close();
    await smtp.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const signed = (path: string, body: unknown) => postSignedJson(fetcher, kiosk, path, body, { at: now() });
  const askCode = async (applicationId: string, email = EMAIL) => {
    const response = await signed(EMAIL_CODES_PATH, { applicationId, email });
    return { response, body: (await response.json()) as unknown };
  };
  const sent = async (applicationId: string, email = EMAIL) => {
    const { response, body } = await askCode(applicationId, email);
    expect(response.status).toBe(200);
    return emailCodeResponseSchema.parse(body);
  };
  const verify = async (applicationId: string, code: string, email = EMAIL) => {
    const response = await signed(EMAIL_VERIFY_PATH, { applicationId, email, code });
    expect(response.status).toBe(200);
    return emailVerifyResponseSchema.parse(await response.json());
  };
  /** The newest mail about this application (the SMTP server keeps them in arrival order). */
  const mailFor = async (applicationId: string, count = 1): Promise<ReceivedMail> => {
    await smtp.waitFor(() => smtp.mails.filter((x) => applicationIdOf(x) === applicationId).length >= count);
    const mails = smtp.mails.filter((m) => applicationIdOf(m) === applicationId);
    const mail = mails.at(-1);
    if (!mail) throw new Error('no mail');
    return mail;
  };
  const codeOf = (mail: ReceivedMail) => {
    const code = codeFrom(mail);
    if (code === null) throw new Error('the mail has no code');
    return code;
  };
  const otherCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
  const openLink = (link: string) => fetcher(link.slice(PUBLIC_URL.length));
  const logText = () => logLines.join('');

  test('without a kiosk signature nothing is mailed and nothing is checked', async () => {
    const applicationId = randomUUID();
    for (const [path, body] of [
      [EMAIL_CODES_PATH, { applicationId, email: EMAIL }],
      [EMAIL_VERIFY_PATH, { applicationId, email: EMAIL, code: '123456' }],
    ] as const) {
      const response = await fetcher(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(401);
      expect(errorBodySchema.parse(await response.json()).error.code).toBe('unsigned-request');
    }
    expect(smtp.mails).toHaveLength(0);
  });

  test('the code reaches the applicant’s mailbox over authenticated SMTP and, typed at the kiosk, confirms the address once', async () => {
    const applicationId = randomUUID();
    const answer = await sent(applicationId);
    expect(answer).toEqual({
      status: 'sent',
      expiresAt: new Date(clock + 30 * MINUTE).toISOString(),
      resendAt: new Date(clock + MINUTE).toISOString(),
      mailsLeft: 4,
    });
    const mail = await mailFor(applicationId);
    expect(mail.to).toEqual([EMAIL]);
    expect(mail.user).toBe(SMTP_AUTH.user);
    expect(mail.headers.get('from')).toContain('no-reply@madiunkota.go.id');
    expect(mail.text).toContain('Kode konfirmasi e-mail dinas Anda');
    expect(mail.text).toContain(applicationNumber(applicationId));
    expect(linkFrom(mail)?.startsWith(`${PUBLIC_URL}${EMAIL_CONFIRM_PATH}?token=`)).toBe(true);

    const code = codeOf(mail);
    clock += 5 * MINUTE;
    // The applicant's mail client may show the address in another case: it is the same address.
    expect(await verify(applicationId, code, 'Siti.Rahayu@MadiunKota.go.id')).toEqual({
      status: 'confirmed',
      confirmedAt: now().toISOString(),
    });
    expect(await store.getEmailConfirmation(applicationId, EMAIL)).toMatchObject({ via: 'code' });
    // Asking again, or typing it again, neither mails nor confirms a second time.
    expect(await sent(applicationId)).toEqual({
      status: 'already-confirmed',
      confirmedAt: now().toISOString(),
    });
    expect(await verify(applicationId, code)).toMatchObject({ status: 'confirmed' });
    expect(smtp.mails).toHaveLength(1);
    const events = await store.listApplicationEvents(applicationId);
    expect(events.map((e) => [e.event, e.actor])).toEqual([['email-confirmed', `kiosk:${kiosk.kioskId}`]]);
    // The database holds hashes: neither the code nor the link's token.
    const token = linkFrom(mail)?.split('token=')[1] ?? '';
    const database = new Database(join(dataDir, SQLITE_FILE_NAME), { readonly: true });
    try {
      const rows = database.prepare('select * from email_challenges').all() as { code_hash: string }[];
      expect(rows).toHaveLength(1);
      expect(rows[0]?.code_hash).toMatch(/^[0-9a-f]{64}$/);
      const dump = JSON.stringify(rows);
      expect(dump).not.toContain(code);
      expect(dump).not.toContain(token);
    } finally {
      database.close();
    }
  });

  test('five wrong codes kill the code, even for the right one; a new code a minute later works', async () => {
    const applicationId = randomUUID();
    await sent(applicationId);
    const code = codeOf(await mailFor(applicationId));
    for (const left of [4, 3, 2, 1, 0]) {
      expect(await verify(applicationId, otherCode(code))).toEqual({
        status: 'wrong-code',
        attemptsLeft: left,
      });
    }
    expect(await verify(applicationId, code)).toEqual({ status: 'locked' });
    expect(await store.getEmailConfirmation(applicationId, EMAIL)).toBeNull();

    expect(await sent(applicationId)).toMatchObject({ status: 'too-soon' });
    clock += MINUTE;
    expect(await sent(applicationId)).toMatchObject({ status: 'sent', mailsLeft: 3 });
    const fresh = codeOf(await mailFor(applicationId, 2));
    if (fresh !== code) expect(await verify(applicationId, code)).toMatchObject({ status: 'wrong-code' });
    expect(await verify(applicationId, fresh)).toMatchObject({ status: 'confirmed' });
  });

  test('a code and its link expire with EMAIL_CODE_TTL_MINUTES; the link page says so', async () => {
    const applicationId = randomUUID();
    await sent(applicationId);
    const mail = await mailFor(applicationId);
    clock += 30 * MINUTE;
    expect(await verify(applicationId, codeOf(mail))).toEqual({ status: 'expired' });
    const page = await openLink(linkFrom(mail) ?? '');
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('Tautan kedaluwarsa');
    expect(await store.getEmailConfirmation(applicationId, EMAIL)).toBeNull();
  });

  test('at most one mail a minute and five an application', async () => {
    const applicationId = randomUUID();
    await sent(applicationId);
    clock += 30_000;
    expect(await sent(applicationId)).toEqual({
      status: 'too-soon',
      resendAt: new Date(clock + 30_000).toISOString(),
    });
    for (const left of [3, 2, 1, 0]) {
      clock += MINUTE;
      expect(await sent(applicationId)).toMatchObject({ status: 'sent', mailsLeft: left });
    }
    clock += MINUTE;
    expect(await sent(applicationId)).toEqual({ status: 'limit-reached' });
    expect(smtp.mails).toHaveLength(5);
  });

  test('the link in the mail confirms the address: a small page in Bahasa Indonesia, no-store, no referrer', async () => {
    const applicationId = randomUUID();
    await sent(applicationId);
    const link = linkFrom(await mailFor(applicationId)) ?? '';
    const page = await openLink(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    expect(html).toContain('<html lang="id">');
    expect(html).toContain('E-mail terkonfirmasi');
    expect(html).toContain(applicationNumber(applicationId));
    expect(html).not.toContain(EMAIL);
    expect(await store.getEmailConfirmation(applicationId, EMAIL)).toMatchObject({ via: 'link' });
    expect(await verify(applicationId, '000000')).toMatchObject({ status: 'confirmed' });
    // Opened again (a mail scanner, a second click): still confirmed, nothing else happens.
    expect((await openLink(link)).status).toBe(200);

    for (const token of ['', 'short', `${'A'.repeat(42)}!`, 'B'.repeat(43)]) {
      const unknown = await fetcher(`${EMAIL_CONFIRM_PATH}?token=${encodeURIComponent(token)}`);
      expect(unknown.status).toBe(404);
      expect(await unknown.text()).toContain('Tautan tidak berlaku');
    }
  });

  test('an address outside the official domains, or a request off the schema, is refused before any mail', async () => {
    const foreign = await askCode(randomUUID(), 'siti.rahayu@gmail.com');
    expect(foreign.response.status).toBe(422);
    const error = errorBodySchema.parse(foreign.body).error;
    expect(error.code).toBe('email-not-official');
    expect(error.message).not.toContain('gmail');
    for (const body of [
      { applicationId: 'not-a-uuid', email: EMAIL },
      { applicationId: randomUUID(), email: 'not an address' },
      { applicationId: randomUUID(), email: EMAIL, extra: NIK },
    ]) {
      const response = await signed(EMAIL_CODES_PATH, body);
      expect(response.status).toBe(400);
      const text = await response.text();
      expect(errorBodySchema.parse(JSON.parse(text)).error.code).toBe('invalid-request');
      expect(text).not.toContain(NIK);
    }
    for (const code of ['12345', '1234567', '12a456', ' 123456']) {
      const response = await signed(EMAIL_VERIFY_PATH, { applicationId: randomUUID(), email: EMAIL, code });
      expect(response.status).toBe(400);
    }
    expect(smtp.mails).toHaveLength(0);
  });

  test('a mail server that refuses the mail: 503 without the address, and the try is not counted', async () => {
    const applicationId = randomUUID();
    smtp.refuseRecipients({ code: 550, message: 'Mailbox unavailable' });
    const refused = await askCode(applicationId);
    expect(refused.response.status).toBe(503);
    expect(errorBodySchema.parse(refused.body).error.code).toBe('mail-unavailable');
    expect(JSON.stringify(refused.body)).not.toContain('siti');
    expect(logText()).toContain('confirmation mail not sent');
    expect(logText()).toContain('550');

    smtp.refuseRecipients(null);
    // Not a minute later, and still five mails left.
    expect(await sent(applicationId)).toMatchObject({ status: 'sent', mailsLeft: 4 });
    expect(await verify(applicationId, codeOf(await mailFor(applicationId)))).toMatchObject({
      status: 'confirmed',
    });
  });

  test('an application that arrives unconfirmed gets a link mail from the sweep: no NIK, no name; the link lets it go to the CA', async () => {
    const application = makeApplication({
      email: 'Budi.Santoso@madiunkota.go.id',
      nik: NIK,
      nama: 'BUDI SANTOSO',
    });
    const atCounter = makeApplication({ email: EMAIL, nik: '3577014501900011' });
    await seedApproved(store, [application, atCounter], {
      release: true,
      confirmEmail: false,
      receivedAt: now().toISOString(),
    });
    // This one was confirmed at the counter before it arrived.
    await sent(atCounter.id);
    expect(await verify(atCounter.id, codeOf(await mailFor(atCounter.id)))).toMatchObject({
      status: 'confirmed',
    });

    expect(await confirmations.sweep()).toEqual({ sent: 1, failed: 0 });
    const mail = await mailFor(application.id);
    expect(mail.to).toEqual(['budi.santoso@madiunkota.go.id']);
    expect(mail.headers.get('x-sertel-mail-kind')).toBe('link');
    expect(codeFrom(mail)).toBeNull();
    expect(mail.text).toContain('Permohonan baru diteruskan ke BSrE setelah e-mail dinas ini terkonfirmasi');
    for (const secret of [NIK, 'BUDI SANTOSO', 'Budi Santoso']) expect(mail.raw).not.toContain(secret);
    // Nothing is due until this link expires.
    expect(await confirmations.sweep()).toEqual({ sent: 0, failed: 0 });

    const [before] = await store.applicationStatuses(application.kioskId, [application.id]);
    expect(before?.emailConfirmed).toBe(false);
    expect((await openLink(linkFrom(mail) ?? '')).status).toBe(200);
    const [after] = await store.applicationStatuses(application.kioskId, [application.id]);
    expect(after?.emailConfirmed).toBe(true);
    expect(
      (
        await store.claimForSubmission({
          token: 't',
          at: now().toISOString(),
          leaseUntil: now().toISOString(),
          limit: 10,
        })
      )
        .map((c) => c.application.id)
        .sort(),
    ).toEqual([application.id, atCounter.id].sort());
  });

  test('a link that expired unanswered is mailed again by a later sweep, three times at most', async () => {
    const application = makeApplication({ email: EMAIL });
    await seedApproved(store, [application], {
      release: false,
      confirmEmail: false,
      receivedAt: now().toISOString(),
    });
    expect(await confirmations.sweep()).toMatchObject({ sent: 1 });
    clock += 72 * 60 * MINUTE;
    expect(await confirmations.sweep()).toMatchObject({ sent: 1 });
    clock += 72 * 60 * MINUTE;
    expect(await confirmations.sweep()).toMatchObject({ sent: 1 });
    clock += 72 * 60 * MINUTE;
    expect(await confirmations.sweep()).toMatchObject({ sent: 0 });
    expect(smtp.mails.filter((m) => applicationIdOf(m) === application.id)).toHaveLength(3);
  });

  test('a sweep mail the server refuses waits and goes out on a later sweep', async () => {
    const application = makeApplication({ email: EMAIL });
    await seedApproved(store, [application], {
      release: false,
      confirmEmail: false,
      receivedAt: now().toISOString(),
    });
    smtp.refuseRecipients({ code: 451, message: 'Try again later' });
    expect(await confirmations.sweep()).toEqual({ sent: 0, failed: 1 });
    smtp.refuseRecipients(null);
    expect(await confirmations.sweep()).toEqual({ sent: 0, failed: 0 });
    clock += 5 * MINUTE;
    expect(await confirmations.sweep()).toEqual({ sent: 1, failed: 0 });
  });

  test('a stored batch nudges the sweep; a resent one does not', async () => {
    const record = await makeWireRecord({});
    const stored = await postSignedBatch(
      fetcher,
      kiosk,
      { kioskId: kiosk.kioskId, records: [record] },
      { at: now() },
    );
    expect(stored.status).toBe(200);
    expect(ingested).toBe(1);
    const again = await postSignedBatch(
      fetcher,
      kiosk,
      { kioskId: kiosk.kioskId, records: [record] },
      { at: now() },
    );
    expect(again.status).toBe(200);
    expect(ingested).toBe(1);
  });

  test('the logs carry no address, no code and no token', async () => {
    const applicationId = randomUUID();
    await sent(applicationId);
    const mail = await mailFor(applicationId);
    await verify(applicationId, otherCode(codeOf(mail)));
    await openLink(linkFrom(mail) ?? '');
    smtp.refuseRecipients({ code: 550, message: 'No such user here' });
    await askCode(randomUUID(), 'budi@madiunkota.go.id');
    const text = logText();
    expect(text).toContain('e-mail code checked');
    expect(text).not.toMatch(/[a-z0-9.]+@madiunkota\.go\.id/i);
    expect(text).not.toContain(codeOf(mail));
    expect(text).not.toContain(linkFrom(mail)?.split('token=')[1] ?? 'no-token');
    expect(text).not.toContain(SMTP_AUTH.pass);
  });
});
