import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { readMailDrop } from '../../../tests/support/mail-message';
import { startTestSmtpServer } from '../../../tests/support/smtp';
import { createLogger } from '../logger';
import { createMailer, MailError } from './mailer';

const FROM = 'Sertel Diskominfo <no-reply@madiunkota.go.id>';
const TO = 'siti.rahayu@madiunkota.go.id';

describe('the mailer', () => {
  let dir: string;
  let lines: string[];
  const logger = () => createLogger('info', { write: (line: string) => void lines.push(line) });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sertel-mailer-'));
    lines = [];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('without SMTP_URL: one warning at start, and each mail a whole .eml file in the drop, created on first use', async () => {
    const dropDir = join(dir, 'mail-outbox');
    const mailer = createMailer({ smtpUrl: undefined, from: FROM, dropDir, logger: logger() });
    expect(mailer.kind).toBe('drop');
    expect(lines.filter((l) => l.includes('SMTP_URL is not set'))).toHaveLength(1);
    expect(existsSync(dropDir)).toBe(false);

    for (const n of [1, 2]) {
      await mailer.send({
        to: TO,
        subject: `Konfirmasi ${n}`,
        text: `Kode ${n}: https://sertel.madiunkota.go.id/api/v1/email/confirm?token=${'A'.repeat(43)}`,
        headers: { 'X-Sertel-Application-Id': `app-${n}` },
      });
    }
    expect(readdirSync(dropDir).every((name) => name.endsWith('.eml'))).toBe(true);
    const mails = readMailDrop(dropDir);
    expect(mails.map((m) => m.headers.get('x-sertel-application-id'))).toEqual(['app-1', 'app-2']);
    expect(mails[0]?.headers.get('to')).toBe(TO);
    expect(mails[0]?.headers.get('from')).toContain('no-reply@madiunkota.go.id');
    expect(mails[1]?.text).toContain(`token=${'A'.repeat(43)}`);
    expect(lines.filter((l) => l.includes('SMTP_URL is not set'))).toHaveLength(1);
    mailer.close();
  });

  test('a mail server that cannot be reached is a MailError with a code and without the address', async () => {
    // A port nobody listens on.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));
    const mailer = createMailer({
      smtpUrl: `smtp://127.0.0.1:${port}`,
      from: FROM,
      dropDir: dir,
      logger: logger(),
      timeoutMs: 2_000,
    });
    const error = await mailer.send({ to: TO, subject: 'x', text: 'y' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailError);
    expect((error as MailError).code).toMatch(/^E[A-Z]+$/);
    expect((error as MailError).message).toContain((error as MailError).code);
    expect((error as MailError).message).not.toContain(TO);
    mailer.close();
  });

  test('a recipient the server refuses: its reply code is kept, its text (which names the address) is not', async () => {
    const smtp = await startTestSmtpServer();
    try {
      smtp.refuseRecipients({ code: 550, message: 'No such mailbox' });
      const mailer = createMailer({ smtpUrl: smtp.url, from: FROM, dropDir: dir, logger: logger() });
      const error = (await mailer
        .send({ to: TO, subject: 'x', text: 'y' })
        .catch((e: unknown) => e)) as MailError;
      expect(error).toBeInstanceOf(MailError);
      expect(error.responseCode).toBe(550);
      expect(error.message).toContain('SMTP 550');
      expect(error.message).not.toContain('siti');
      expect(error.message).not.toContain('No such mailbox');
      mailer.close();
    } finally {
      await smtp.close();
    }
  });
});
