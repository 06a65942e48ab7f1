import { join } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import {
  applicationIdOf,
  codeFrom,
  linkFrom,
  type MailMessage,
  readMailDrop,
} from '../../support/mail-message';

/** The e-mail confirmation on the application form (Pasal 10), in Bahasa Indonesia. */
export class EmailConfirmationPanel {
  constructor(readonly page: Page) {}

  get root(): Locator {
    return this.page.getByTestId('email-confirmation');
  }

  get sendButton(): Locator {
    return this.root.getByRole('button', { name: 'Kirim kode', exact: true });
  }

  get codeInput(): Locator {
    return this.root.getByLabel('Kode dari e-mail (6 angka)');
  }

  get confirmButton(): Locator {
    return this.root.getByRole('button', { name: 'Konfirmasi kode' });
  }

  get confirmed(): Locator {
    return this.root.getByTestId('email-confirmed');
  }

  get problem(): Locator {
    return this.root.locator('.field-error');
  }

  /** The id the application being captured will have (the code is mailed for it). */
  async applicationId(): Promise<string> {
    return (await this.root.getAttribute('data-application-id')) ?? '';
  }

  /** Presses "Kirim kode" and waits until the server says it mailed one. */
  async sendCode() {
    await this.sendButton.click();
    await expect(this.root).toHaveAttribute('data-phase', 'sent', { timeout: 30_000 });
  }

  async typeCode(code: string) {
    await this.codeInput.fill(code);
    await this.confirmButton.click();
  }
}

/** The e2e server's development mail drop: it runs without SMTP_URL (playwright.config.ts). */
export class MailDrop {
  readonly dir = join(process.env.E2E_DATA_DIR ?? '', 'mail-outbox');

  /** The newest mail of this kind about this application, waited for (the sweep mails after ingest). */
  async waitFor(applicationId: string, kind: 'code' | 'link', count = 1): Promise<MailMessage> {
    let found: MailMessage | undefined;
    await expect
      .poll(
        () => {
          const mails = readMailDrop(this.dir).filter(
            (m) => applicationIdOf(m) === applicationId && m.headers.get('x-sertel-mail-kind') === kind,
          );
          found = mails.at(-1);
          return mails.length;
        },
        { timeout: 30_000, message: `a ${kind} mail for ${applicationId}` },
      )
      .toBeGreaterThanOrEqual(count);
    if (!found) throw new Error('unreachable: the poll found the mail');
    return found;
  }

  async codeFor(applicationId: string, count = 1): Promise<string> {
    const code = codeFrom(await this.waitFor(applicationId, 'code', count));
    if (code === null) throw new Error('the code mail carries no code');
    return code;
  }

  async linkFor(applicationId: string): Promise<string> {
    const link = linkFrom(await this.waitFor(applicationId, 'link'));
    if (link === null) throw new Error('the link mail carries no link');
    return link;
  }
}
