/**
 * Proof of the official e-mail (Pasal 10). At the counter the kiosk asks for a code: the server
 * mails six digits and a link, the applicant types the digits. An application that arrives without
 * that proof gets a mail with a link from the sweep, after the ingest has committed. The store keeps
 * only keyed hashes of codes and hashes of link tokens; nothing here logs an address.
 */
import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';
import { applicationNumber } from '../../../src/core/application/application-number';
import {
  EMAIL_CONFIRM_PATH,
  EMAIL_LIMITS,
  type EmailCodeResponse,
  type EmailVerifyResponse,
  normaliseEmail,
} from '../../../src/protocol/email';
import type { Logger } from '../logger';
import { MailError, type Mailer } from '../mail/mailer';
import type { EmailLinkOutcome, EmailMailLimits, EmailMailReservation, Store } from '../store/store';

export interface EmailConfirmationOptions {
  store: Store;
  mailer: Mailer;
  logger: Logger;
  now?: () => Date;
  /** Base of the links, without a trailing slash; asked per mail (a port may be known only once listening). */
  publicUrl: () => string;
  codeTtlMs: number;
  linkTtlMs: number;
  /** The official domains (`emailDomains` of config/kiosk.json): no code goes elsewhere. Empty: any. */
  emailDomains: readonly string[];
  limits?: Partial<EmailMailLimits & { maxWrongCodes: number }>;
  /** Applications one sweep round reads; a run reads at most `sweepRounds` rounds. */
  sweepBatch?: number;
  sweepRounds?: number;
  /** How long a link mail that could not be sent waits before the sweep tries it again. */
  retryMs?: number;
}

export interface CodeRequest {
  kioskId: string;
  applicationId: string;
  email: string;
}

export interface EmailConfirmations {
  /** Mails a new code; throws `MailError` when the mail server refused it (nothing is used up then). */
  requestCode(request: CodeRequest): Promise<EmailCodeResponse | { status: 'not-official' }>;
  verifyCode(request: CodeRequest & { code: string }): Promise<EmailVerifyResponse>;
  confirmLink(token: string): Promise<EmailLinkOutcome>;
  /** Mails a link to the applications that arrived approved and unconfirmed and are due. */
  sweep(): Promise<{ sent: number; failed: number }>;
}

const DEFAULT_RETRY_MS = 5 * 60_000;

/** The same rule as the kiosk's form (`validateDraft`): the domain or one of its subdomains. */
export function isOfficialEmail(email: string, domains: readonly string[]): boolean {
  const address = normaliseEmail(email);
  return (
    domains.length === 0 ||
    domains.map((d) => d.toLowerCase()).some((d) => address.endsWith(`@${d}`) || address.endsWith(`.${d}`))
  );
}

/** Six digits, every value equally likely. */
export function newEmailCode(): string {
  return String(randomInt(0, 10 ** EMAIL_LIMITS.codeDigits)).padStart(EMAIL_LIMITS.codeDigits, '0');
}

/** Keyed, and bound to the application and the address: a code is worth nothing anywhere else. */
export function hashEmailCode(key: Uint8Array, applicationId: string, email: string, code: string): string {
  return createHmac('sha256', key)
    .update(`${applicationId}\n${normaliseEmail(email)}\n${code}`)
    .digest('hex');
}

export function hashEmailToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

const WIB = { timeZone: 'Asia/Jakarta', dateStyle: 'long', timeStyle: 'short' } as const;

/** The mail: Indonesian first, English beside it; the application number, never a NIK or a name. */
export function confirmationMail(input: {
  code: string | null;
  link: string;
  applicationId: string;
  expiresAt: Date;
}): { subject: string; text: string } {
  const number = applicationNumber(input.applicationId);
  const untilId = `${new Intl.DateTimeFormat('id-ID', WIB).format(input.expiresAt)} WIB`;
  const untilEn = `${new Intl.DateTimeFormat('en-GB', WIB).format(input.expiresAt)} WIB`;
  const id =
    input.code === null
      ? [
          'Permohonan sertifikat elektronik Anda sudah diterima Otoritas Pendaftaran Diskominfo Kota Madiun.',
          'Permohonan baru diteruskan ke BSrE setelah e-mail dinas ini terkonfirmasi (Pasal 10).',
          '',
          'Buka tautan berikut untuk mengonfirmasi bahwa alamat ini milik Anda:',
          input.link,
          '',
          `Tautan berlaku sampai ${untilId}.`,
        ]
      : [
          'Kode konfirmasi e-mail dinas Anda:',
          '',
          `    ${input.code}`,
          '',
          `Ketik kode ini di kios pendaftaran sertifikat elektronik. Kode berlaku sampai ${untilId}.`,
          'Bila Anda sudah meninggalkan loket, buka tautan berikut untuk mengonfirmasi:',
          input.link,
        ];
  const en =
    input.code === null
      ? [
          'Your electronic certificate application reached the Registration Authority. It goes on to',
          'BSrE once this official e-mail address is confirmed. Open the link above to confirm;',
          `it works until ${untilEn}.`,
        ]
      : [
          `Your confirmation code is ${input.code}. Type it at the kiosk, or open the link above.`,
          `Both work until ${untilEn}.`,
        ];
  return {
    subject: 'Konfirmasi e-mail dinas - sertifikat elektronik (Confirm your official e-mail)',
    text: [
      'Yth. Pemohon,',
      '',
      ...id,
      '',
      `Nomor permohonan: ${number}`,
      '',
      'Bila Anda tidak mengajukan permohonan sertifikat elektronik, abaikan e-mail ini.',
      'Petugas tidak pernah meminta frasa sandi Anda.',
      '',
      '(English)',
      ...en,
      `Application number: ${number}. If you did not apply, ignore this mail.`,
      '',
      '--',
      'Otoritas Pendaftaran - Dinas Komunikasi dan Informatika Kota Madiun',
      '',
    ].join('\n'),
  };
}

export function createEmailConfirmations(options: EmailConfirmationOptions): EmailConfirmations {
  const { store, mailer, logger } = options;
  const now = options.now ?? (() => new Date());
  const limits = {
    minIntervalMs: options.limits?.minIntervalMs ?? EMAIL_LIMITS.resendIntervalMs,
    maxCodeMails: options.limits?.maxCodeMails ?? EMAIL_LIMITS.maxCodeMails,
    maxLinkMails: options.limits?.maxLinkMails ?? EMAIL_LIMITS.maxLinkMails,
  };
  const maxWrongCodes = options.limits?.maxWrongCodes ?? EMAIL_LIMITS.maxWrongCodes;
  const sweepBatch = options.sweepBatch ?? 50;
  const sweepRounds = options.sweepRounds ?? 20;
  const retryMs = options.retryMs ?? DEFAULT_RETRY_MS;

  /** Reserves, mails, and puts the reservation back when the mail does not go out. */
  async function mail(
    kind: 'code' | 'link',
    target: { applicationId: string; email: string; requestedBy: string },
  ) {
    const at = now();
    const code = kind === 'code' ? newEmailCode() : null;
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(at.getTime() + (kind === 'code' ? options.codeTtlMs : options.linkTtlMs));
    const email = normaliseEmail(target.email);
    const reservation: EmailMailReservation = {
      kind,
      applicationId: target.applicationId,
      email,
      codeHash:
        code === null ? null : hashEmailCode(await store.emailCodeKey(), target.applicationId, email, code),
      tokenHash: hashEmailToken(token),
      at: at.toISOString(),
      expiresAt: expiresAt.toISOString(),
      requestedBy: target.requestedBy,
      limits,
    };
    const outcome = await store.reserveEmailMail(reservation);
    if (outcome.status !== 'reserved') return { outcome, at, expiresAt } as const;
    const link = `${options.publicUrl()}${EMAIL_CONFIRM_PATH}?token=${token}`;
    const content = confirmationMail({ code, link, applicationId: target.applicationId, expiresAt });
    try {
      await mailer.send({
        to: email,
        ...content,
        headers: { 'X-Sertel-Application-Id': target.applicationId, 'X-Sertel-Mail-Kind': kind },
      });
    } catch (error) {
      await store.cancelEmailMail({
        kind,
        applicationId: target.applicationId,
        tokenHash: reservation.tokenHash,
        previous: outcome.previous,
        retryAt: kind === 'link' ? new Date(now().getTime() + retryMs).toISOString() : null,
      });
      const mailError =
        error instanceof MailError ? error : new MailError('the mail was not sent', undefined, undefined);
      logger.warn(
        {
          applicationId: target.applicationId,
          mail: kind,
          mailer: mailer.kind,
          code: mailError.code,
          responseCode: mailError.responseCode,
        },
        'confirmation mail not sent',
      );
      throw mailError;
    }
    logger.info(
      { applicationId: target.applicationId, mail: kind, mailer: mailer.kind },
      'confirmation mail sent',
    );
    return { outcome, at, expiresAt } as const;
  }

  return {
    async requestCode(request) {
      if (!isOfficialEmail(request.email, options.emailDomains)) return { status: 'not-official' };
      const { outcome, at, expiresAt } = await mail('code', {
        ...request,
        requestedBy: `kiosk:${request.kioskId}`,
      });
      switch (outcome.status) {
        case 'reserved':
          return {
            status: 'sent',
            expiresAt: expiresAt.toISOString(),
            resendAt: new Date(at.getTime() + limits.minIntervalMs).toISOString(),
            mailsLeft: outcome.mailsLeft,
          };
        case 'already-confirmed':
          return { status: 'already-confirmed', confirmedAt: outcome.confirmedAt };
        case 'too-soon':
          return { status: 'too-soon', resendAt: outcome.retryAt };
        case 'limit-reached':
        case 'not-due':
          return { status: 'limit-reached' };
      }
    },

    async verifyCode(request) {
      const email = normaliseEmail(request.email);
      const codeHash = hashEmailCode(await store.emailCodeKey(), request.applicationId, email, request.code);
      const outcome = await store.verifyEmailCode({
        applicationId: request.applicationId,
        email,
        codeHash,
        at: now().toISOString(),
        maxWrongCodes,
        actor: `kiosk:${request.kioskId}`,
      });
      logger.info(
        { kioskId: request.kioskId, applicationId: request.applicationId, result: outcome.status },
        'e-mail code checked',
      );
      return outcome;
    },

    async confirmLink(token) {
      const outcome = await store.confirmEmailLink(hashEmailToken(token), now().toISOString());
      logger.info(
        {
          ...(outcome.status === 'invalid' ? {} : { applicationId: outcome.applicationId }),
          result: outcome.status,
        },
        'e-mail link opened',
      );
      return outcome;
    },

    async sweep() {
      const report = { sent: 0, failed: 0 };
      const seen = new Set<string>();
      for (let round = 0; round < sweepRounds; round++) {
        const due = (
          await store.emailsAwaitingMail({
            at: now().toISOString(),
            limit: sweepBatch,
            maxLinkMails: limits.maxLinkMails,
          })
        ).filter((d) => !seen.has(d.applicationId));
        if (due.length === 0) break;
        for (const target of due) {
          seen.add(target.applicationId);
          try {
            const { outcome } = await mail('link', { ...target, requestedBy: 'server' });
            if (outcome.status === 'reserved') report.sent++;
          } catch (error) {
            // Logged by `mail`; the application waits for a later run.
            if (!(error instanceof MailError)) throw error;
            report.failed++;
          }
        }
      }
      if (report.sent > 0 || report.failed > 0) logger.info(report, 'e-mail confirmation sweep');
      return report;
    },
  };
}

/**
 * Runs the sweep every `intervalMs`, and after `soon()` (the ingest calls it when new applications
 * were stored) once no batch came for `settleMs`, or `maxDelayMs` after the first unserved nudge at
 * the latest: a busy ingest is not slowed by mails, and a quiet one gets them within seconds. One
 * run at a time; a run that throws is logged and the next one tries again.
 */
export function scheduleEmailSweep(
  confirmations: Pick<EmailConfirmations, 'sweep'>,
  options: { intervalMs: number; settleMs?: number; maxDelayMs?: number; logger: Logger },
): { soon(): void; stop(): Promise<void> } {
  const settleMs = options.settleMs ?? 2_000;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  let stopped = false;
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | undefined;
  // Nudges no run has served yet: the first and the latest.
  let firstNudge: number | null = null;
  let lastNudge: number | null = null;

  const arm = (ms: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(fire, Math.max(0, ms));
    timer.unref();
  };
  const nudgeWait = () =>
    firstNudge === null || lastNudge === null
      ? 0
      : Math.min(lastNudge + settleMs, firstNudge + maxDelayMs) - Date.now();

  function fire() {
    timer = undefined;
    if (stopped || running !== null) return;
    if (nudgeWait() > 0) {
      // The ingest is still busy: let it finish first.
      arm(nudgeWait());
      return;
    }
    firstNudge = null;
    lastNudge = null;
    running = confirmations
      .sweep()
      .then(
        () => undefined,
        (error: unknown) => options.logger.error({ err: error }, 'e-mail confirmation sweep failed'),
      )
      .finally(() => {
        running = null;
        if (lastNudge !== null) arm(nudgeWait());
        else if (options.intervalMs > 0) arm(options.intervalMs);
      });
  }
  // After a restart, whatever arrived while the process was down.
  arm(settleMs);
  return {
    soon() {
      const now = Date.now();
      firstNudge ??= now;
      lastNudge = now;
      if (running === null) arm(nudgeWait());
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
