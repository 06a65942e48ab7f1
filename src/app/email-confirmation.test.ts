import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmailConfirmations } from '../../sync-server/src/domain/email-confirmation';
import { createApp } from '../../sync-server/src/http/app';
import { createLogger } from '../../sync-server/src/logger';
import { createMailer, type Mailer } from '../../sync-server/src/mail/mailer';
import { openStore } from '../../sync-server/src/store/open';
import type { Store } from '../../sync-server/src/store/store';
import { applicationIdOf, codeFrom } from '../../tests/support/mail-message';
import { createTestEnrollmentCode } from '../../tests/support/signed-kiosk';
import { startTestSmtpServer, type TestSmtpServer } from '../../tests/support/smtp';
import { createMemoryIdentity } from '../adapters/db/memory-outbox';
import { createEmailHttpTransport } from '../adapters/sync/email-transport';
import { createHttpTransport } from '../adapters/sync/http-transport';
import type { EmailCodeRequest, EmailVerifyRequest } from '../protocol/email';
import {
  confirmationFor,
  type EmailConfirmationDeps,
  type EmailTransport,
  emailProblem,
  normaliseTypedCode,
  requestEmailCode,
  verifyEmailCode,
} from './email-confirmation';
import { enrollKiosk } from './enroll-kiosk';
import type { Enrollment, TransportResult } from './ports';

const KIOSK_ID = '0f6d1c4a-2b3e-4d5f-8a9b-0c1d2e3f4a5b';
const APPLICATION_ID = '7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
const ENROLLMENT: Enrollment = { kioskId: KIOSK_ID, name: 'Loket 1', enrolledAt: '2026-11-25T08:00:00.000Z' };
const DOMAINS = ['madiunkota.go.id'];

/** A transport that answers from a script and remembers what it was asked. */
function scripted(answer: TransportResult) {
  const sent: {
    path: 'codes' | 'verify';
    kioskId: string;
    request: EmailCodeRequest | EmailVerifyRequest;
  }[] = [];
  const transport: EmailTransport = {
    async requestEmailCode(kioskId, request) {
      sent.push({ path: 'codes', kioskId, request });
      return answer;
    },
    async verifyEmailCode(kioskId, request) {
      sent.push({ path: 'verify', kioskId, request });
      return answer;
    },
  };
  return { transport, sent };
}

function deps(
  transport: EmailTransport,
  overrides: Partial<EmailConfirmationDeps> = {},
): EmailConfirmationDeps {
  return {
    transport,
    identity: { enrollment: async () => ENROLLMENT },
    online: () => true,
    emailDomains: DOMAINS,
    ...overrides,
  };
}

const answer = (status: number, body: unknown): TransportResult => ({ kind: 'response', status, body });
const refusal = (status: number, code: string) => answer(status, { error: { code, message: code } });

describe('what the applicant types', () => {
  it.each([
    ['123456', '123456'],
    [' 123 456 ', '123456'],
    ['123-456', '123456'],
    ['012345', '012345'],
    ['12345', null],
    ['1234567', null],
    ['12345a', null],
    ['', null],
  ])('%j → %j', (typed, code) => {
    expect(normaliseTypedCode(typed)).toBe(code);
  });

  it.each([
    ['siti@madiunkota.go.id', null],
    ['', 'required'],
    ['siti@', 'invalid'],
    ['siti@gmail.com', 'wrong-domain'],
  ])('address %j → %j', (email, problem) => {
    expect(emailProblem(email, DOMAINS)).toBe(problem);
  });

  it('a confirmation goes with the application only for the address the form holds now', () => {
    const confirmed = { email: 'siti@madiunkota.go.id', confirmedAt: '2026-11-25T08:05:00.000Z' };
    expect(confirmationFor(' Siti@MadiunKota.go.id ', confirmed)).toEqual(confirmed);
    expect(confirmationFor('budi@madiunkota.go.id', confirmed)).toBeNull();
    expect(confirmationFor('siti@madiunkota.go.id', null)).toBeNull();
  });
});

describe('requestEmailCode and verifyEmailCode', () => {
  it('sends the address in lower case, signed as the enrolled kiosk, and reads the answer', async () => {
    const sent = {
      status: 'sent',
      expiresAt: '2026-11-25T08:30:00.000Z',
      resendAt: '2026-11-25T08:01:00.000Z',
      mailsLeft: 4,
    };
    const server = scripted(answer(200, sent));
    expect(
      await requestEmailCode(
        { applicationId: APPLICATION_ID, email: ' Siti@MadiunKota.go.id ' },
        deps(server.transport),
      ),
    ).toEqual({ ok: true, value: sent });
    expect(server.sent).toEqual([
      {
        path: 'codes',
        kioskId: KIOSK_ID,
        request: { applicationId: APPLICATION_ID, email: 'siti@madiunkota.go.id' },
      },
    ]);
  });

  it('sends the typed code as six digits', async () => {
    const server = scripted(answer(200, { status: 'wrong-code', attemptsLeft: 3 }));
    expect(
      await verifyEmailCode(
        { applicationId: APPLICATION_ID, email: 'siti@madiunkota.go.id', typed: '042 042' },
        deps(server.transport),
      ),
    ).toEqual({ ok: true, value: { status: 'wrong-code', attemptsLeft: 3 } });
    expect(server.sent[0]?.request).toEqual({
      applicationId: APPLICATION_ID,
      email: 'siti@madiunkota.go.id',
      code: '042042',
    });
  });

  it.each<[string, Partial<EmailConfirmationDeps>, string]>([
    ['the kiosk is offline', { online: () => false }, 'offline'],
    ['the kiosk is not enrolled', { identity: { enrollment: async () => null } }, 'not-enrolled'],
  ])('when %s nothing is sent: %s', async (_what, overrides, problem) => {
    const server = scripted(answer(200, {}));
    const result = await requestEmailCode(
      { applicationId: APPLICATION_ID, email: 'siti@madiunkota.go.id' },
      deps(server.transport, overrides),
    );
    expect(result).toEqual({ ok: false, problem });
    expect(server.sent).toEqual([]);
  });

  it('an address the form would refuse, or a code that is not six digits, is never sent', async () => {
    const server = scripted(answer(200, {}));
    expect(
      await requestEmailCode(
        { applicationId: APPLICATION_ID, email: 'siti@gmail.com' },
        deps(server.transport),
      ),
    ).toEqual({ ok: false, problem: 'invalid-email' });
    expect(
      await verifyEmailCode(
        { applicationId: APPLICATION_ID, email: 'siti@madiunkota.go.id', typed: '12 34' },
        deps(server.transport),
      ),
    ).toEqual({ ok: false, problem: 'code-format' });
    expect(server.sent).toEqual([]);
  });

  it.each<[string, TransportResult, string]>([
    ['no answer', { kind: 'network-error', message: 'Failed to fetch' }, 'offline'],
    ['a revoked kiosk', refusal(403, 'kiosk-revoked'), 'kiosk-refused'],
    ['an unknown kiosk', refusal(401, 'unknown-kiosk'), 'kiosk-refused'],
    ['an address the server will not mail', refusal(422, 'email-not-official'), 'not-official'],
    ['a mail server that refused', refusal(503, 'mail-unavailable'), 'mail-failed'],
    ['a server without the feature', refusal(404, 'not-found'), 'unsupported'],
    ['a server fault', refusal(500, 'internal'), 'server-error'],
    ['an answer off the schema', answer(200, { status: 'sent' }), 'server-error'],
  ])('%s → %s', async (_what, reply, problem) => {
    const server = scripted(reply);
    expect(
      await requestEmailCode(
        { applicationId: APPLICATION_ID, email: 'siti@madiunkota.go.id' },
        deps(server.transport),
      ),
    ).toEqual({ ok: false, problem });
  });
});

describe('against the sync server and a real mail server', () => {
  let dataDir: string;
  let store: Store;
  let smtp: TestSmtpServer;
  let mailer: Mailer;
  let server: ServerType;
  let url: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sertel-kiosk-email-'));
    store = await openStore({ dataDir });
    smtp = await startTestSmtpServer();
    const logger = createLogger('silent');
    mailer = createMailer({
      smtpUrl: smtp.url,
      from: 'Sertel <no-reply@madiunkota.go.id>',
      dropDir: dataDir,
      logger,
    });
    const confirmations = createEmailConfirmations({
      store,
      mailer,
      logger,
      publicUrl: () => url,
      codeTtlMs: 30 * 60_000,
      linkTtlMs: 72 * 3_600_000,
      emailDomains: DOMAINS,
    });
    const app = createApp({ store, logger, email: { confirmations } });
    server = await new Promise((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    mailer.close();
    await smtp.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the kiosk asks, the mail arrives, the typed code confirms the address on the server', async () => {
    const identity = createMemoryIdentity();
    const { code: enrollmentCode } = await createTestEnrollmentCode(store);
    const enrolled = await enrollKiosk(enrollmentCode, {
      identity,
      transport: createHttpTransport(url, identity),
      now: () => new Date(),
    });
    expect(enrolled.ok).toBe(true);
    const use = deps(createEmailHttpTransport(url, identity), { identity });
    const applicationId = crypto.randomUUID();
    const email = 'siti.rahayu@madiunkota.go.id';

    const asked = await requestEmailCode({ applicationId, email: 'Siti.Rahayu@madiunkota.go.id' }, use);
    expect(asked).toMatchObject({ ok: true, value: { status: 'sent', mailsLeft: 4 } });
    const mail = await smtp.waitFor((m) => applicationIdOf(m) === applicationId);
    expect(mail.to).toEqual([email]);
    const code = codeFrom(mail) ?? '';

    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect(await verifyEmailCode({ applicationId, email, typed: wrong }, use)).toEqual({
      ok: true,
      value: { status: 'wrong-code', attemptsLeft: 4 },
    });
    const right = await verifyEmailCode(
      { applicationId, email, typed: `${code.slice(0, 3)} ${code.slice(3)}` },
      use,
    );
    expect(right).toMatchObject({ ok: true, value: { status: 'confirmed' } });
    expect(await store.getEmailConfirmation(applicationId, email)).toMatchObject({ via: 'code' });
    expect(await requestEmailCode({ applicationId, email }, use)).toMatchObject({
      ok: true,
      value: { status: 'already-confirmed' },
    });
  });
});
