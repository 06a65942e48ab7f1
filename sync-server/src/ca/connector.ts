import type { CertificateType } from '../../../src/core/certificate/types';

/**
 * What the RA sends the CA for one approved application (Pasal 13 ayat 2-3). The application id is
 * the idempotency key: a CA that sees it twice answers with the reference it gave the first time,
 * so a retry after a lost answer never makes a second request.
 */
export interface CaRequest {
  applicationId: string;
  certificateType: CertificateType;
  csrPem: string;
  nama: string;
  nik: string;
  nip: string | null;
  email: string;
  perangkatDaerah: string;
  jabatan: string | null;
  host: string | null;
  mobile: string | null;
  /** The papers BSrE asks for (e-KTP scan, SK, recommendation, signature specimen), by kind. */
  attachments: CaAttachment[];
}

export interface CaAttachment {
  kind: string;
  mediaType: string;
  data: Uint8Array;
}

export interface CaSubmitResult {
  /** Taken: the CA's reference for each, to poll later. */
  accepted: { applicationId: string; caReference: string }[];
  /** Refused on arrival (a CSR the CA will not sign, a field it rejects): final, with its reason. */
  refused: { applicationId: string; reason: string }[];
}

export type CaRequestStatus =
  | { caReference: string; status: 'pending' }
  | { caReference: string; status: 'issued' }
  | { caReference: string; status: 'rejected'; reason: string }
  /** The CA does not know the reference: the RA's record is wrong, an operator must look. */
  | { caReference: string; status: 'unknown' };

export interface CaIssuedCertificate {
  caReference: string;
  /** The holder's certificate (PEM). */
  certificatePem: string;
  /** The issuing CA first, up to the root (PEM blocks); may be empty when the CA gives none. */
  chainPem: string[];
}

/** RFC 5280 CRLReason values the RA may ask for (Pasal 15). */
export const REVOCATION_REASONS = {
  keyCompromise: 1,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
} as const;
export type RevocationReason = keyof typeof REVOCATION_REASONS;

export interface CaRevocationRequest {
  /** The certificate's serial number, lower-case hex without leading zero bytes' sign padding. */
  serialNumberHex: string;
  reason: RevocationReason;
  /** The RA's own id of the revocation request (idempotency key). */
  requestId: string;
}

export type CaRevocationResult =
  | { status: 'revoked' | 'already-revoked'; revokedAt: string }
  | { status: 'unknown-certificate' };

export interface CaCrl {
  /** DER of the CertificateList. */
  der: Uint8Array;
  thisUpdate: string;
  nextUpdate: string | null;
}

/**
 * The CA, as the RA's sync server sees it. `dev-ca` is a real local CA; `http` maps these calls to
 * a CA's batch HTTP API through configuration (docs/ca-connector.md).
 *
 * Every method either answers or throws a {@link CaError}; nothing is half done on the RA side.
 */
export interface CaConnector {
  readonly name: string;
  /** One call for the whole batch; every request gets exactly one answer, accepted or refused. */
  submit(requests: readonly CaRequest[]): Promise<CaSubmitResult>;
  /** One status per reference, in the order asked. */
  poll(caReferences: readonly string[]): Promise<CaRequestStatus[]>;
  /** The certificates of references whose status is `issued`, in the order asked. */
  fetchCertificates(caReferences: readonly string[]): Promise<CaIssuedCertificate[]>;
  revoke(request: CaRevocationRequest): Promise<CaRevocationResult>;
  fetchCrl(): Promise<CaCrl>;
  close(): Promise<void>;
}

/**
 * `unavailable`: connection refused, reset, 5xx, the CA's own failure; `timeout`: no answer in
 * time; `malformed`: an answer the connector cannot read. All three are retried with back-off:
 * whether the CA acted is unknown, which is why requests carry idempotency keys. `refused`: a 4xx
 * on the whole call, not worth retrying unchanged (an operator must look).
 */
export type CaErrorKind = 'unavailable' | 'timeout' | 'malformed' | 'refused';

export class CaError extends Error {
  override name = 'CaError';
  constructor(
    readonly kind: CaErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get retryable(): boolean {
    return this.kind !== 'refused';
  }
}
