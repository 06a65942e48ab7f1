/**
 * The official e-mail proven at the counter (Pasal 10): the kiosk asks the server to mail a code for
 * the application being captured, and the applicant types it. Offline, or when the applicant skips
 * it, nothing is lost: the server mails a link once the application arrives. Pure over its ports.
 */
import { validateDraft } from '../core/application/application';
import { fail, ok, type Result } from '../core/lib/brand';
import {
  EMAIL_LIMITS,
  type EmailCodeRequest,
  type EmailCodeResponse,
  type EmailVerifyRequest,
  type EmailVerifyResponse,
  emailCodeResponseSchema,
  emailVerifyResponseSchema,
  normaliseEmail,
} from '../protocol/email';
import type { DeviceIdentityStore, OutboxEmailConfirmation, TransportResult } from './ports';
import { credentialProblem, readServerError } from './server-error';

/** The two kiosk-signed requests (`src/adapters/sync/email-transport.ts`). */
export interface EmailTransport {
  requestEmailCode(kioskId: string, request: EmailCodeRequest): Promise<TransportResult>;
  verifyEmailCode(kioskId: string, request: EmailVerifyRequest): Promise<TransportResult>;
}

export interface EmailConfirmationDeps {
  transport: EmailTransport;
  identity: Pick<DeviceIdentityStore, 'enrollment'>;
  /** The browser's idea of the link; a request is still tried only when it says online. */
  online: () => boolean;
  /** Official domains, as the form checks them (`emailDomains` of the kiosk configuration). */
  emailDomains: readonly string[];
}

/**
 * Why no code could be mailed or checked. `invalid-email` / `not-official`: the address (the kiosk's
 * check, the server's); `offline`: no link; `not-enrolled`: the kiosk cannot sign; `kiosk-refused`:
 * the server refused the kiosk (revoked, unknown); `mail-failed`: the mail server refused;
 * `unsupported`: an older server without this feature; `server-error`: anything else.
 * In every case the application can still be submitted: the link mail follows later.
 */
export type EmailRequestProblem =
  | 'invalid-email'
  | 'not-official'
  | 'offline'
  | 'not-enrolled'
  | 'kiosk-refused'
  | 'mail-failed'
  | 'unsupported'
  | 'server-error';

export type EmailVerifyProblem = EmailRequestProblem | 'code-format';

/** Six digits from what the applicant typed (spaces and dashes forgiven); null if it is not that. */
export function normaliseTypedCode(typed: string): string | null {
  const digits = typed.replace(/[\s-]/g, '');
  return new RegExp(`^\\d{${EMAIL_LIMITS.codeDigits}}$`).test(digits) ? digits : null;
}

/** The form's own rule for the address (validateDraft's), without the rest of the draft. */
export function emailProblem(
  email: string,
  emailDomains: readonly string[],
): 'required' | 'invalid' | 'wrong-domain' | null {
  const problems = validateDraft(
    { certificateType: '', nama: '', nik: '', nip: '', email, perangkatDaerah: '', jabatan: '', host: '' },
    { emailDomains },
  );
  for (const problem of problems) if (problem.field === 'email') return problem.reason;
  return null;
}

/** What an answer other than 200 means for the applicant at the counter. */
function answerProblem(answer: TransportResult): EmailRequestProblem {
  if (answer.kind === 'network-error') return 'offline';
  if (credentialProblem(answer) !== null) return 'kiosk-refused';
  const { code } = readServerError(answer.body);
  if (answer.status === 422 && code === 'email-not-official') return 'not-official';
  if (answer.status === 503 && code === 'mail-unavailable') return 'mail-failed';
  if (answer.status === 404 || answer.status === 405) return 'unsupported';
  return 'server-error';
}

async function ready(
  email: string,
  deps: EmailConfirmationDeps,
): Promise<Result<{ kioskId: string; email: string }, EmailRequestProblem>> {
  if (emailProblem(email, deps.emailDomains) !== null) return fail('invalid-email');
  if (!deps.online()) return fail('offline');
  const enrollment = await deps.identity.enrollment();
  if (enrollment === null) return fail('not-enrolled');
  return ok({ kioskId: enrollment.kioskId, email: normaliseEmail(email) });
}

/** Asks the server to mail a code for this application and address. */
export async function requestEmailCode(
  input: { applicationId: string; email: string },
  deps: EmailConfirmationDeps,
): Promise<Result<EmailCodeResponse, EmailRequestProblem>> {
  const checked = await ready(input.email, deps);
  if (!checked.ok) return checked;
  const { kioskId, email } = checked.value;
  const answer = await deps.transport.requestEmailCode(kioskId, {
    applicationId: input.applicationId,
    email,
  });
  if (answer.kind !== 'response' || answer.status !== 200) return fail(answerProblem(answer));
  const parsed = emailCodeResponseSchema.safeParse(answer.body);
  return parsed.success ? ok(parsed.data) : fail('server-error');
}

/** Checks the typed code with the server. */
export async function verifyEmailCode(
  input: { applicationId: string; email: string; typed: string },
  deps: EmailConfirmationDeps,
): Promise<Result<EmailVerifyResponse, EmailVerifyProblem>> {
  const code = normaliseTypedCode(input.typed);
  if (code === null) return fail('code-format');
  const checked = await ready(input.email, deps);
  if (!checked.ok) return checked;
  const { kioskId, email } = checked.value;
  const answer = await deps.transport.verifyEmailCode(kioskId, {
    applicationId: input.applicationId,
    email,
    code,
  });
  if (answer.kind !== 'response' || answer.status !== 200) return fail(answerProblem(answer));
  const parsed = emailVerifyResponseSchema.safeParse(answer.body);
  return parsed.success ? ok(parsed.data) : fail('server-error');
}

/**
 * The confirmation that goes with the application, or null: only for the address the form holds
 * now (the applicant may have corrected it after typing the code).
 */
export function confirmationFor(
  current: string,
  confirmed: OutboxEmailConfirmation | null,
): OutboxEmailConfirmation | null {
  return confirmed !== null && normaliseEmail(current) === confirmed.email ? confirmed : null;
}
