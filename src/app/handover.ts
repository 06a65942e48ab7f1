import type { CertificateInfo } from '../core/certificate/certificate';
import type { Result } from '../core/lib/brand';
import { fail, ok } from '../core/lib/brand';
import { currentState, mayFollow, type OutboxLifecycleState } from '../core/outbox/lifecycle';
import type { AuditLog } from './audit/ports';
import type { HandoverCrypto, HandoverCryptoProblem, Pkcs12Form } from './handover-crypto';
import { officerDecision } from './officer/queue-query';
import { type HandoverState, type HandoverStore, NEW_HANDOVER } from './ports';
import { keyMaterialOf } from './sealing/open-at-counter';

export interface HandoverInput {
  id: string;
  passphrase: string;
  certificateText: string;
  chainText: string | null;
  /** The officer chooses the legacy form knowingly, for devices that cannot import the modern one. */
  form: Pkcs12Form;
}

export interface HandoverPackage {
  pkcs12: Uint8Array;
  certificatePem: string;
  chainPem: string;
  certificate: CertificateInfo;
  /** Suggested file name stem: the application number, never personal data. */
  fileStem: string;
  /** The handover as recorded in the outbox: what the receipt prints, at once and later alike. */
  handover: HandoverState;
}

export type HandoverProblem =
  | { reason: 'not-found' }
  /** The server or the CA refused the application: there is no certificate to hand over. */
  | { reason: 'application-refused'; state: OutboxLifecycleState | null }
  /** Still waiting for the officer: no certificate can have been issued for it. */
  | { reason: 'not-decided' }
  | { reason: 'locked' }
  | { reason: 'passphrase-empty' }
  | { reason: 'wrong-passphrase'; attemptsLeft: number }
  | { reason: 'certificate'; problem: Exclude<HandoverCryptoProblem, 'wrong-passphrase'> };

export interface HandoverDeps {
  /** The audit chain (issue 8); absent where nothing is recorded (tests of other things). */
  audit?: AuditLog;
  store: HandoverStore;
  crypto: HandoverCrypto;
  now: () => Date;
  maxWrongPassphrase: number;
  /** Only tests lower it. */
  pbkdf2Iterations?: number;
}

/**
 * Hands the certificate over (Pasal 13 ayat 6): only with the applicant's passphrase, only for the
 * key that was made at the counter, and only until the wrong tries run out. A wrong certificate
 * file never costs a try; a wrong passphrase always does, even across tabs and reloads.
 */
export async function handOver(
  input: HandoverInput,
  deps: HandoverDeps,
): Promise<Result<HandoverPackage, HandoverProblem>> {
  const item = await deps.store.get(input.id);
  if (!item) return fail({ reason: 'not-found' });
  const lifecycle = currentState(item.history);
  // Before anything is decrypted or counted.
  if (lifecycle === 'captured') return fail({ reason: 'not-decided' });
  // An application the officer rejected never goes to the CA, whatever file is offered for it.
  if (!mayFollow(lifecycle, 'handed-over') || officerDecision(item.record)?.decision === 'rejected')
    return fail({ reason: 'application-refused', state: lifecycle });
  if (item.handover?.lockedAt) return fail({ reason: 'locked' });
  if (input.passphrase === '') return fail({ reason: 'passphrase-empty' });

  const keys = await keyMaterialOf(item);
  // Deleted by retention: only after a handover or a final refusal, so nothing is left to hand over.
  if (keys === null) return fail({ reason: 'not-found' });
  if (keys.request === null) return fail({ reason: 'certificate', problem: 'csr-unreadable' });
  const built = await deps.crypto.buildPackage({
    encryptedPrivateKeyPem: keys.encryptedPrivateKeyPem,
    passphrase: input.passphrase,
    certificateText: input.certificateText,
    chainText: input.chainText,
    request: keys.request,
    now: deps.now().toISOString(),
    form: input.form,
    friendlyName: `Sertifikat Elektronik ${item.record.id.slice(0, 8)}`,
    ...(deps.pbkdf2Iterations ? { pbkdf2Iterations: deps.pbkdf2Iterations } : {}),
  });

  if (!built.ok) {
    if (built.problem !== 'wrong-passphrase') return fail({ reason: 'certificate', problem: built.problem });
    const at = deps.now().toISOString();
    const state = await deps.store.updateHandover(input.id, (current) => {
      const wrongAttempts = current.wrongAttempts + 1;
      return {
        ...current,
        wrongAttempts,
        lockedAt: wrongAttempts >= deps.maxWrongPassphrase ? (current.lockedAt ?? at) : current.lockedAt,
      };
    });
    if (!state || state.lockedAt) return fail({ reason: 'locked' });
    await deps.audit?.append('handover-failed', input.id, { wrongAttempts: state.wrongAttempts });
    return fail({ reason: 'wrong-passphrase', attemptsLeft: deps.maxWrongPassphrase - state.wrongAttempts });
  }

  const at = deps.now().toISOString();
  const { certificate } = built.value;
  const handedOver = (current: HandoverState): HandoverState => ({
    ...current,
    wrongAttempts: 0,
    handedOverAt: at,
    serialNumberHex: certificate.serialNumberHex,
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
    form: input.form,
  });
  const recorded = await deps.store.updateHandover(input.id, handedOver, {
    state: 'handed-over',
    at,
    note: `${input.form} PKCS#12, serial ${certificate.serialNumberHex}`,
  });
  await deps.audit?.append('handed-over', input.id, { serial: certificate.serialNumberHex });
  return ok({
    ...built.value,
    fileStem: `sertifikat-${item.record.id.slice(0, 8)}`,
    // Applications are never deleted, so the store always answers; the fallback only satisfies the type.
    handover: recorded ?? handedOver(item.handover ?? NEW_HANDOVER),
  });
}

/** The officer's unlock after the tries ran out; issue 6 puts it behind the officer's signed session. */
export async function unlockHandover(
  store: HandoverStore,
  id: string,
  now: Date,
): Promise<HandoverState | null> {
  return store.updateHandover(id, (current) => ({
    ...current,
    wrongAttempts: 0,
    lockedAt: null,
    unlockedAt: now.toISOString(),
  }));
}
