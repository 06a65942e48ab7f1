/**
 * The lifecycle use cases bound to their ports, as officer mode's screens call them: renewal,
 * revocation and incidents (Pasal 14, 15, 22, 24), and corrections of an applicant's data (issue 8). The composition root passes the adapters in.
 */
import type { Result } from '../../core/lib/brand';
import type {
  CertificateRecord,
  CorrectionResponse,
  ExpiringResponse,
  IncidentListResponse,
  IncidentResponse,
  RevocationResponse,
} from '../../protocol/lifecycle';
import type { OfficerSession } from '../officer/officer-session';
import type { OfficerKeyStore } from '../officer/ports';
import type { DeviceIdentityStore } from '../ports';
import { findCertificates, listExpiring, parseSearch, type SearchProblem } from './certificates';
import { type CorrectionInput, recordCorrection } from './corrections';
import { type IncidentInput, listIncidents, recordIncident } from './incidents';
import type { LifecycleProblem } from './officer-requests';
import type { LifecycleTransport, RevocationLog, RevocationLogEntry } from './ports';
import { type RevokeInput, type RevokeProblem, revokeCertificate } from './revoke-certificate';

export interface LifecycleServices {
  /** The certificates about to expire, per Perangkat Daerah (the server's window). */
  listExpiring(): Promise<Result<ExpiringResponse, LifecycleProblem>>;
  /** By NIK or serial as typed; a NIK travels only as the RA's keyed hash. */
  findCertificates(
    typed: string,
  ): Promise<Result<CertificateRecord[], LifecycleProblem | { kind: 'search'; problem: SearchProblem }>>;
  /**
   * The open session's officer types the PIN again to sign an irreversible request; a wrong PIN
   * counts as at sign-in (`locked` ends the session).
   */
  confirmPin(pin: string): Promise<'confirmed' | 'wrong-pin' | 'locked' | 'session-ended'>;
  revoke(input: RevokeInput): Promise<Result<RevocationResponse, RevokeProblem>>;
  recordIncident(input: IncidentInput): Promise<Result<IncidentResponse, LifecycleProblem>>;
  listIncidents(range: { from: string; to: string }): Promise<Result<IncidentListResponse, LifecycleProblem>>;
  /** The officer's signed correction of an applicant's data, kept beside the record. */
  recordCorrection(input: CorrectionInput): Promise<Result<CorrectionResponse, LifecycleProblem>>;
  /** The revocation this kiosk requested for the certificate of this application, if any. */
  revocationFor(applicationId: string): Promise<RevocationLogEntry | null>;
}

export interface LifecycleServiceDeps {
  transport: LifecycleTransport;
  log: RevocationLog;
  session: () => Pick<OfficerSession, 'profile' | 'isActive' | 'signLifecycle' | 'end'> | null;
  identity: Pick<DeviceIdentityStore, 'enrollment'>;
  keys: Pick<OfficerKeyStore, 'nikHashKey' | 'unlock'>;
  /** After a PIN confirmation locked the officer: report the lock to the server. */
  onLocked: () => void;
  now: () => Date;
  newId: () => string;
}

export function createLifecycleServices(deps: LifecycleServiceDeps): LifecycleServices {
  const base = { session: deps.session, identity: deps.identity, transport: deps.transport, now: deps.now };
  return {
    listExpiring: () => listExpiring(base),
    async findCertificates(typed) {
      const search = parseSearch(typed);
      if (!search.ok) return { ok: false, problem: { kind: 'search', problem: search.problem } };
      const found = await findCertificates(search.value, { ...base, keys: deps.keys });
      if (!found.ok) return found;
      // What the server says now about revocations this kiosk requested (the status page reads it).
      for (const { applicationId, revocation } of found.value) {
        const known = revocation === null ? null : await deps.log.forApplication(applicationId);
        if (revocation === null || known === null) continue;
        await deps.log.save({ ...revocation, incidentId: known.incidentId });
      }
      return found;
    },
    async confirmPin(pin) {
      const session = deps.session();
      if (session === null || !session.isActive()) return 'session-ended';
      const checked = await deps.keys.unlock(session.profile.officerId, pin);
      if (checked.ok) return 'confirmed';
      if (checked.problem === 'wrong-pin') return 'wrong-pin';
      if (checked.problem === 'locked') {
        session.end();
        deps.onLocked();
        return 'locked';
      }
      return 'session-ended';
    },
    revoke: (input) => revokeCertificate(input, { ...base, log: deps.log, newId: deps.newId }),
    recordIncident: (input) => recordIncident(input, { ...base, newId: deps.newId }),
    listIncidents: (range) => listIncidents(range, base),
    recordCorrection: (input) => recordCorrection(input, { ...base, newId: deps.newId }),
    revocationFor: (applicationId) => deps.log.forApplication(applicationId),
  };
}
