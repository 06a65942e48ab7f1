/**
 * Outgoing mail: through the configured SMTP server, or, without one, into a development mail drop
 * (`DATA_DIR/mail-outbox/*.eml`) so that `npm start` works out of the box. Nothing here logs or
 * throws an address: a failure is reported by its SMTP code only.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from '../logger';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** Extra headers (`X-…`) that carry no personal data. */
  headers?: Record<string, string>;
}

export interface Mailer {
  /** `smtp`: handed to the configured server; `drop`: written to the development mail drop. */
  readonly kind: 'smtp' | 'drop';
  /** Resolves once the SMTP server accepted the mail (or the file is in place); throws `MailError`. */
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** A mail that did not go out; the message names the failure, never an address or the mail. */
export class MailError extends Error {
  override name = 'MailError';
  constructor(
    message: string,
    /** Nodemailer's error code (`ECONNECTION`, `EENVELOPE`, …) when there is one. */
    readonly code: string | undefined,
    /** The SMTP server's reply code (550, 421, …) when there is one. */
    readonly responseCode: number | undefined,
  ) {
    super(message);
  }
}

export interface MailerOptions {
  smtpUrl: string | undefined;
  from: string;
  /** The mail drop's folder, created when the first mail is written. */
  dropDir: string;
  logger: Logger;
  /** Bounds a whole SMTP conversation; the kiosk waits for it at the counter. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 20_000;

/** Only the codes: nodemailer's messages quote the server's reply, which often names the recipient. */
function mailError(error: unknown): MailError {
  const { code, responseCode } = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    responseCode?: unknown;
  };
  const codeText = typeof code === 'string' && /^[A-Z_]{1,32}$/.test(code) ? code : undefined;
  const reply = typeof responseCode === 'number' ? responseCode : undefined;
  const parts = [codeText, reply === undefined ? undefined : `SMTP ${reply}`].filter(Boolean);
  return new MailError(
    `the mail was not sent${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`,
    codeText,
    reply,
  );
}

export function createMailer(options: MailerOptions): Mailer {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (options.smtpUrl !== undefined) {
    const transport = nodemailer.createTransport({
      url: options.smtpUrl,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      // Nodemailer's own log would carry addresses.
      logger: false,
      debug: false,
    });
    return {
      kind: 'smtp',
      async send(mail) {
        try {
          await transport.sendMail({ from: options.from, ...mail });
        } catch (error) {
          throw mailError(error);
        }
      },
      close: () => transport.close(),
    };
  }

  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  options.logger.warn(
    { dropDir: options.dropDir },
    'SMTP_URL is not set: confirmation mails are written to the development mail drop, not sent',
  );
  return {
    kind: 'drop',
    async send(mail) {
      let message: Buffer;
      try {
        const info = await composer.sendMail({ from: options.from, ...mail });
        message = info.message as Buffer;
      } catch (error) {
        throw mailError(error);
      }
      try {
        mkdirSync(options.dropDir, { recursive: true });
        // Time first, so a listing is in sending order; written aside and renamed, so a reader
        // never sees half a mail.
        const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(6).toString('hex')}`;
        const partial = join(options.dropDir, `.${name}.tmp`);
        writeFileSync(partial, message, { mode: 0o600 });
        renameSync(partial, join(options.dropDir, `${name}.eml`));
      } catch (error) {
        throw new MailError(
          `the mail could not be written to the mail drop (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
          (error as NodeJS.ErrnoException).code,
          undefined,
        );
      }
    },
    close: () => composer.close(),
  };
}
