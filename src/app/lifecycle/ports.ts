/**
 * Ports of the lifecycle use cases (Pasal 14, 15, 22, 24; issue 8's corrections): the kiosk-signed
 * requests that carry an officer's statement, and the kiosk's own record of the revocations it requested (the applicant's
 * status page shows them).
 */
import type {
  CertificateQueryRequest,
  CorrectionRequest,
  IncidentRequest,
  LostKeyKind,
  RevocationReasonCode,
  RevocationRequest,
  RevocationState,
} from '../../protocol/lifecycle';
import type { TransportResult } from '../ports';

export interface LifecycleTransport {
  /** `POST /sync/certificates/expiring`. */
  expiring(request: CertificateQueryRequest): Promise<TransportResult>;
  /** `POST /sync/certificates/lookup`. */
  lookup(request: CertificateQueryRequest): Promise<TransportResult>;
  /** `POST /sync/incidents/list`. */
  listIncidents(request: CertificateQueryRequest): Promise<TransportResult>;
  /** `POST /sync/revocations`, the papers inside. */
  revoke(request: RevocationRequest): Promise<TransportResult>;
  /** `POST /sync/incidents`. */
  recordIncident(request: IncidentRequest): Promise<TransportResult>;
  /** `POST /sync/corrections`. */
  recordCorrection(request: CorrectionRequest): Promise<TransportResult>;
}

/** A revocation this kiosk requested, as the server last answered about it. No personal data. */
export interface RevocationLogEntry {
  requestId: string;
  applicationId: string;
  serialNumberHex: string;
  reason: RevocationReasonCode;
  lostKey: LostKeyKind | null;
  state: RevocationState;
  /** The server's time of arrival. */
  requestedAt: string;
  revokedAt: string | null;
  incidentId: string | null;
}

/** The kiosk's record of revocations it requested, one per certificate (IndexedDB in the browser). */
export interface RevocationLog {
  /** Keeps the entry; a later answer about the same certificate replaces the earlier one. */
  save(entry: RevocationLogEntry): Promise<void>;
  /** The revocation of the certificate this application holds, if this kiosk requested one. */
  forApplication(applicationId: string): Promise<RevocationLogEntry | null>;
}
