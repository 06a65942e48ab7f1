import { archiveKeySchema } from '../protocol/archive';
import { kioskPolicySchema } from '../protocol/kiosk-policy';
import type { AuditLog } from './audit/ports';
import type { KioskPolicyStore, TransportResult } from './ports';

/** `GET /api/v1/kiosk-policy`, unauthenticated, with the kiosk's version in a header. */
export interface KioskPolicyTransport {
  fetchPolicy(): Promise<TransportResult>;
  /** `GET /api/v1/archive/key` (public): the RA archive key records are sealed to (issue 8). */
  fetchArchiveKey?(): Promise<TransportResult>;
}

/**
 * `heard`: the server answered and its minimum version (or none) is remembered; `unavailable`: no
 * readable answer (offline, an older server without the route), the last one heard still holds.
 */
export type PolicyRefresh = { kind: 'heard'; minimumKioskVersion: string | null } | { kind: 'unavailable' };

/**
 * Asks the server for its policy and remembers it, so the software-version guardrail holds offline.
 * A change of either setting the kiosk keeps from it is a `settings-changed` audit event (issue 8).
 */
export async function refreshKioskPolicy(deps: {
  transport: KioskPolicyTransport;
  policy: KioskPolicyStore;
  audit?: AuditLog;
}): Promise<PolicyRefresh> {
  // Asked at the same moments as the policy, so a kiosk never enrolled but once online has it
  // and a rotation arrives; its own failure leaves the key kept and the policy answer alone.
  await refreshArchiveKey(deps);
  const answer = await deps.transport.fetchPolicy();
  if (answer.kind !== 'response' || answer.status !== 200) return { kind: 'unavailable' };
  const parsed = kioskPolicySchema.safeParse(answer.body);
  if (!parsed.success) return { kind: 'unavailable' };
  const { minimumKioskVersion } = parsed.data;
  const before = await deps.policy.minimumKioskVersion();
  await deps.policy.saveMinimumKioskVersion(minimumKioskVersion);
  if (before !== minimumKioskVersion)
    await deps.audit?.append('settings-changed', null, {
      setting: 'minimum-kiosk-version',
      from: before,
      to: minimumKioskVersion,
    });
  return { kind: 'heard', minimumKioskVersion };
}

/** Keeps the archive key the server serves, if it is readable and newer than the one kept. */
async function refreshArchiveKey(deps: {
  transport: KioskPolicyTransport;
  policy: KioskPolicyStore;
  audit?: AuditLog;
}): Promise<void> {
  const answer = await deps.transport.fetchArchiveKey?.();
  if (answer?.kind !== 'response' || answer.status !== 200) return;
  const parsed = archiveKeySchema.safeParse(answer.body);
  if (!parsed.success) return;
  const before = (await deps.policy.archiveKey())?.keyId ?? null;
  await deps.policy.saveArchiveKey(parsed.data);
  // The store keeps the newer key: only a key actually taken is a change.
  const after = (await deps.policy.archiveKey())?.keyId ?? null;
  if (after !== before)
    await deps.audit?.append('settings-changed', null, { setting: 'archive-key', from: before, to: after });
}
