/**
 * The e-mail confirmation as `npm start` wires it (Pasal 10): SMTP_URL from the environment, the
 * links pointing at the address the server listens on, the sweep that mails what arrived while it
 * was down, and the development mail drop without SMTP_URL.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../sync-server/src/config';
import { createLogger } from '../../sync-server/src/logger';
import { type RunningServer, startServer } from '../../sync-server/src/server';
import { openStore } from '../../sync-server/src/store/open';
import { makeApplication } from '../support/applications';
import { seedApproved } from '../support/forwarding-fixtures';
import { applicationIdOf, linkFrom, readMailDrop } from '../support/mail-message';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp';

describe('the server’s e-mail confirmation, wired from the environment', () => {
  let dataDir: string;
  let server: RunningServer | undefined;
  let smtp: TestSmtpServer | undefined;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'sertel-email-server-'));
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await smtp?.close();
    smtp = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** An approved application stored before the server starts, its e-mail not confirmed. */
  async function seedWhileDown(email: string) {
    const application = makeApplication({ email });
    const store = await openStore({ dataDir });
    try {
      await seedApproved(store, [application], { release: true, confirmEmail: false });
    } finally {
      await store.close();
    }
    return application;
  }

  it('with SMTP_URL: what arrived while the server was down is mailed after the start, with a link to the listening address that confirms it', async () => {
    const application = await seedWhileDown('budi.santoso@madiunkota.go.id');
    smtp = await startTestSmtpServer({ auth: { user: 'sertel', pass: 'sandi-smtp-uji' } });
    const lines: string[] = [];
    server = await startServer(
      loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        CA_CONNECTOR: 'none',
        SMTP_URL: smtp.url,
      }),
      createLogger('info', { write: (line: string) => void lines.push(line) }),
    );
    const mail = await smtp.waitFor((m) => applicationIdOf(m) === application.id);
    expect(mail.to).toEqual(['budi.santoso@madiunkota.go.id']);
    expect(mail.user).toBe('sertel');
    const link = linkFrom(mail) ?? '';
    expect(link.startsWith(`${server.url}/api/v1/email/confirm?token=`)).toBe(true);

    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await server.store.getEmailConfirmation(application.id, application.email)).toMatchObject({
      via: 'link',
    });
    expect(lines.join('')).toContain('PUBLIC_URL is not set');
    expect(lines.join('')).not.toContain('budi.santoso');
    expect(lines.join('')).not.toContain('sandi-smtp-uji');
    // No mail drop with a real mail server.
    expect(existsSync(join(dataDir, 'mail-outbox'))).toBe(false);
  });

  it('without SMTP_URL: a warning at start, and the mail lands in DATA_DIR/mail-outbox with a link under PUBLIC_URL', async () => {
    const application = await seedWhileDown('siti.rahayu@madiunkota.go.id');
    const lines: string[] = [];
    server = await startServer(
      loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        CA_CONNECTOR: 'none',
        PUBLIC_URL: 'https://sertel.madiunkota.go.id/',
      }),
      createLogger('info', { write: (line: string) => void lines.push(line) }),
    );
    expect(lines.filter((l) => l.includes('SMTP_URL is not set'))).toHaveLength(1);
    expect(lines.join('')).not.toContain('PUBLIC_URL is not set');
    const drop = join(dataDir, 'mail-outbox');
    await expect
      .poll(() => readMailDrop(drop).filter((m) => applicationIdOf(m) === application.id).length, {
        timeout: 10_000,
      })
      .toBe(1);
    const [mail] = readMailDrop(drop);
    expect(mail?.headers.get('to')).toBe('siti.rahayu@madiunkota.go.id');
    expect(linkFrom(mail ?? { headers: new Map(), text: '', raw: '' })).toMatch(
      /^https:\/\/sertel\.madiunkota\.go\.id\/api\/v1\/email\/confirm\?token=/,
    );
  });
});
