import type { Result } from '../core/lib/brand';
import { fail, ok } from '../core/lib/brand';
import {
  ENROLLMENT_CODE_PATTERN,
  type EnrollRequest,
  enrollResponseSchema,
  normaliseEnrollmentCode,
} from '../protocol/kiosk-auth';
import type { AuditLog } from './audit/ports';
import type { DeviceIdentityStore, Enrollment, TransportResult } from './ports';
import { readServerError } from './server-error';

export interface EnrollTransport {
  enroll(request: EnrollRequest): Promise<TransportResult>;
}

export type EnrollProblem =
  /** Not the shape of a code, or a code the server does not know. */
  'invalid-code' | 'code-used' | 'code-expired' | 'offline' | 'server-error';

const BY_CODE: Record<string, EnrollProblem> = {
  'invalid-code': 'invalid-code',
  'code-used': 'code-used',
  'code-expired': 'code-expired',
};

/**
 * Registers this kiosk's device key with a one-time code an administrator made on the server. A
 * kiosk enrolled before (e.g. revoked since) starts over with a new key: an old key is never reused.
 */
export async function enrollKiosk(
  codeText: string,
  deps: { identity: DeviceIdentityStore; transport: EnrollTransport; now: () => Date; audit?: AuditLog },
): Promise<Result<Enrollment, EnrollProblem>> {
  const code = normaliseEnrollmentCode(codeText);
  if (!ENROLLMENT_CODE_PATTERN.test(code)) return fail('invalid-code');
  if (await deps.identity.enrollment()) await deps.identity.forgetEnrollment();
  const { publicKeySpki } = await deps.identity.deviceKey();
  const answer = await deps.transport.enroll({ code, publicKeySpki });
  if (answer.kind === 'network-error') return fail('offline');
  if (answer.status === 200 || answer.status === 201) {
    const body = enrollResponseSchema.safeParse(answer.body);
    if (!body.success) return fail('server-error');
    const enrollment: Enrollment = { ...body.data, enrolledAt: deps.now().toISOString() };
    await deps.identity.saveEnrollment(enrollment);
    await deps.audit?.append('kiosk-enrolled', enrollment.kioskId);
    return ok(enrollment);
  }
  return fail(
    BY_CODE[readServerError(answer.body).code ?? ''] ??
      (answer.status >= 500 ? 'server-error' : 'invalid-code'),
  );
}
