import { precheckCertificate } from '../../../src/app/handover-crypto';
import type { ServerState } from '../../../src/core/application/server-state';
import type { RecordOutcomeRequest } from '../../../src/protocol/sync';
import type { OutcomeChange, Store } from '../store/store';

export type OutcomeResult =
  | { ok: true; state: ServerState; status: 'recorded' | 'unchanged' }
  | { ok: false; problem: 'unknown-application' }
  | { ok: false; problem: 'certificate-mismatch'; reason: string }
  | { ok: false; problem: 'illegal-transition'; from: ServerState; to: ServerState };

/**
 * Records the CA's answer for an application (an administrator importing a certificate issued
 * through the BSrE portal, or the CA's refusal). An issued certificate must be for the key and
 * subject the kiosk requested and valid now: the same check the kiosk makes before handover.
 */
export async function recordCaOutcome(
  store: Store,
  id: string,
  request: RecordOutcomeRequest,
  options: { now: Date; actor: string },
): Promise<OutcomeResult> {
  const at = options.now.toISOString();
  let change: OutcomeChange;
  let detail: Record<string, string> = {};
  if (request.outcome === 'issued') {
    // Only an issued certificate needs the application: its CSR. A refusal of an unknown id is
    // answered by recordOutcome itself.
    const application = await store.getApplication(id);
    if (application === null) return { ok: false, problem: 'unknown-application' };
    const checked = await precheckCertificate({
      certificateText: request.certificatePem,
      chainText: null,
      csrPem: application.csrPem,
      now: at,
    });
    if (!checked.ok) return { ok: false, problem: 'certificate-mismatch', reason: checked.problem };
    change = {
      state: 'issued',
      certificatePem: request.certificatePem,
      notAfter: checked.value.notAfter,
      serialNumberHex: checked.value.serialNumberHex,
    };
    detail = { serialNumberHex: checked.value.serialNumberHex, notAfter: checked.value.notAfter };
  } else {
    change = { state: 'ca-rejected', reason: request.reason };
  }
  const outcome = await store.recordOutcome(id, change, { at, actor: options.actor, detail });
  if (outcome.status === 'unknown') return { ok: false, problem: 'unknown-application' };
  if (outcome.status === 'illegal') {
    return { ok: false, problem: 'illegal-transition', from: outcome.from, to: change.state };
  }
  return { ok: true, state: change.state, status: outcome.status };
}

/** One English sentence for the API and the CLI. */
export function describeOutcomeProblem(result: Exclude<OutcomeResult, { ok: true }>): string {
  switch (result.problem) {
    case 'unknown-application':
      return 'No application has this id';
    case 'certificate-mismatch':
      return `The certificate does not fit this application (${result.reason})`;
    case 'illegal-transition':
      return `The application is ${result.from}; it cannot become ${result.to}`;
  }
}
