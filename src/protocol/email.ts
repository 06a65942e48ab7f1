/**
 * Proof of the official e-mail (Pasal 10): the wire format of the kiosk's code requests and the
 * applicant's typed code, shared by the kiosk and the sync server. The link in the mail is a plain
 * browser request (`EMAIL_CONFIRM_PATH`), answered with a small HTML page.
 */
import { z } from 'zod';
import { API_PREFIX } from './sync';

/** Signed by the kiosk: mail a code (and a link) to this address for this application. */
export const EMAIL_CODES_PATH = `${API_PREFIX}/email/codes`;
/** Signed by the kiosk: the code the applicant typed. */
export const EMAIL_VERIFY_PATH = `${API_PREFIX}/email/verify`;
/** Public: the link in the mail, `?token=<43 base64url characters>`. */
export const EMAIL_CONFIRM_PATH = `${API_PREFIX}/email/confirm`;

export const EMAIL_LIMITS = {
  /** Either request body: an id, an address and a code are far below it. */
  maxRequestBytes: 4 * 1024,
  maxEmailChars: 254,
  codeDigits: 6,
  /** Wrong codes before the code is dead (a new one may be sent). */
  maxWrongCodes: 5,
  /** At most one mail per application in this time. */
  resendIntervalMs: 60_000,
  /** Code mails per application, whatever address they went to. */
  maxCodeMails: 5,
  /** Link mails the server sends by itself for an application that arrived unconfirmed. */
  maxLinkMails: 3,
} as const;

/** The link's token: 32 random bytes, base64url without padding. */
export const EMAIL_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
export const EMAIL_CODE_PATTERN = /^\d{6}$/;

const email = z.email().max(EMAIL_LIMITS.maxEmailChars);

export const emailCodeRequestSchema = z.strictObject({
  /** The id the kiosk already gave the application it is capturing (it may not be submitted yet). */
  applicationId: z.uuid(),
  email,
});
export type EmailCodeRequest = z.infer<typeof emailCodeRequestSchema>;

export const emailVerifyRequestSchema = z.strictObject({
  applicationId: z.uuid(),
  email,
  code: z.string().regex(EMAIL_CODE_PATTERN, 'the code is six digits'),
});
export type EmailVerifyRequest = z.infer<typeof emailVerifyRequestSchema>;

const isoTime = z.iso.datetime({ offset: true });

/**
 * `sent`: a mail with a new code is on its way; an older code of the application stops working.
 * `already-confirmed`: nothing sent, this address is confirmed for this application.
 * `too-soon`: a mail went out less than a minute ago; ask again at `resendAt`.
 * `limit-reached`: this application has had all the code mails it may get.
 */
export const emailCodeResponseSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('sent'),
    expiresAt: isoTime,
    resendAt: isoTime,
    mailsLeft: z.number().int().min(0),
  }),
  z.object({ status: z.literal('already-confirmed'), confirmedAt: isoTime }),
  z.object({ status: z.literal('too-soon'), resendAt: isoTime }),
  z.object({ status: z.literal('limit-reached') }),
]);
export type EmailCodeResponse = z.infer<typeof emailCodeResponseSchema>;

/**
 * `confirmed`: the address is confirmed for the application (also when it was already).
 * `wrong-code`: not the code; at 0 attempts left the code is dead. `locked`: the code is dead
 * (too many wrong ones). `expired`: the code's time ran out. `no-code`: no code was sent to this
 * address for this application, or a newer mail replaced it.
 */
export const emailVerifyResponseSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('confirmed'), confirmedAt: isoTime }),
  z.object({ status: z.literal('wrong-code'), attemptsLeft: z.number().int().min(0) }),
  z.object({ status: z.literal('locked') }),
  z.object({ status: z.literal('expired') }),
  z.object({ status: z.literal('no-code') }),
]);
export type EmailVerifyResponse = z.infer<typeof emailVerifyResponseSchema>;

/** E-mail addresses are compared without case, as the official domains' servers do. */
export function normaliseEmail(address: string): string {
  return address.trim().toLowerCase();
}
