import { kioskPolicySchema } from '../protocol/kiosk-policy';
import type { KioskPolicyStore, TransportResult } from './ports';

/** `GET /api/v1/kiosk-policy`, unauthenticated, with the kiosk's version in a header. */
export interface KioskPolicyTransport {
  fetchPolicy(): Promise<TransportResult>;
}

/**
 * `heard`: the server answered and its minimum version (or none) is remembered; `unavailable`: no
 * readable answer (offline, an older server without the route), the last one heard still holds.
 */
export type PolicyRefresh = { kind: 'heard'; minimumKioskVersion: string | null } | { kind: 'unavailable' };

/** Asks the server for its policy and remembers it, so the software-version guardrail holds offline. */
export async function refreshKioskPolicy(deps: {
  transport: KioskPolicyTransport;
  policy: KioskPolicyStore;
}): Promise<PolicyRefresh> {
  const answer = await deps.transport.fetchPolicy();
  if (answer.kind !== 'response' || answer.status !== 200) return { kind: 'unavailable' };
  const parsed = kioskPolicySchema.safeParse(answer.body);
  if (!parsed.success) return { kind: 'unavailable' };
  const { minimumKioskVersion } = parsed.data;
  await deps.policy.saveMinimumKioskVersion(minimumKioskVersion);
  return { kind: 'heard', minimumKioskVersion };
}
