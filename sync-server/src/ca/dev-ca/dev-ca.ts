import { randomUUID } from 'node:crypto';
import type { CsrRequest, ProfileSet } from '../../../../src/core/certificate/profile';
import {
  type CaConnector,
  type CaCrl,
  CaError,
  type CaIssuedCertificate,
  type CaRequest,
  type CaRequestStatus,
  type CaRevocationRequest,
  type CaRevocationResult,
  type CaSubmitResult,
  REVOCATION_REASONS,
} from '../connector';
import { type IssuingAuthority, openAuthority } from './ca-keys';
import { buildCrl } from './crl';
import { DevCaDb, type RequestRow } from './dev-ca-db';
import { issueLeaf } from './issue';
import { judgeRequest } from './judge';
import { canonicalSerialHex, drawSerial, wholeSeconds } from './x509';

export { DevCaKeyError } from './ca-keys';

export interface DevCaOptions {
  /** Directory for the CA's SQLite database (created if missing, e.g. `${DATA_DIR}/dev-ca`); null: in memory (tests). */
  dir: string | null;
  /** Encrypts the CA private keys at rest (encrypted PKCS#8, PBES2). A wrong passphrase for an existing CA is an error naming the problem. */
  passphrase: string;
  /** The certificate profiles (type ProfileSet from src/core/certificate/profile.ts; the app's own set is `certificateProfiles` from src/app/certificate-profiles.ts). */
  profiles: ProfileSet;
  /** Milliseconds from submission until a request is issued (status `pending` before). Default 0. */
  delayMs?: number;
  /** 0..1: probability that any call (submit, poll, fetchCertificates, revoke, fetchCrl) throws CaError('unavailable') WITHOUT acting. Default 0. */
  failureRate?: number;
  /** Validity of issued certificates in days. Default 730 (BSrE issues exactly 2 years). */
  validityDays?: number;
  /** Put into issued certificates as CRL distribution point, when given. */
  crlUrl?: string;
  now?: () => Date;
  /** For the failure rate; default Math.random. */
  random?: () => number;
  /** PBKDF2 iterations for the CA keys at rest; default 600_000; tests lower it. */
  keyIterations?: number;
}

export interface DevCa extends CaConnector {
  /** PEM of the self-signed root and of the issuing CA (signed by the root). */
  readonly rootCertificatePem: string;
  readonly issuingCertificatePem: string;
  /** Every request the CA received in a submit call, in order, repeats included: tests count submissions per application with it. */
  submissionLog(): Promise<{ applicationId: string; caReference: string; at: string; repeat: boolean }[]>;
}

const DEFAULT_VALIDITY_DAYS = 730;
const DEFAULT_KEY_ITERATIONS = 600_000;

/** Options that would make a CA that misbehaves later are refused at once, naming the option. */
function checkOptions(options: DevCaOptions): void {
  if (options.passphrase === '') throw new RangeError('DevCaOptions.passphrase must not be empty');
  const failureRate = options.failureRate ?? 0;
  if (!(failureRate >= 0 && failureRate <= 1)) throw new RangeError('DevCaOptions.failureRate must be 0..1');
  const delayMs = options.delayMs ?? 0;
  if (!(Number.isFinite(delayMs) && delayMs >= 0)) throw new RangeError('DevCaOptions.delayMs must be >= 0');
  const days = options.validityDays ?? DEFAULT_VALIDITY_DAYS;
  if (!(Number.isInteger(days) && days > 0)) {
    throw new RangeError('DevCaOptions.validityDays must be a positive integer');
  }
}

/**
 * A real local CA behind the CaConnector interface: a root, an issuing CA, and the issued
 * certificates, revocations and CRL numbers in its own SQLite database. A request is judged when it
 * arrives and issued lazily, on the first poll or fetch after `delayMs`.
 */
export async function createDevCa(options: DevCaOptions): Promise<DevCa> {
  checkOptions(options);
  const db = new DevCaDb(options.dir);
  try {
    const authority = await openAuthority(db, {
      passphrase: options.passphrase,
      iterations: options.keyIterations ?? DEFAULT_KEY_ITERATIONS,
      now: options.now ?? (() => new Date()),
    });
    return new DevCertificateAuthority(db, authority, options);
  } catch (error) {
    db.close();
    throw error;
  }
}

class DevCertificateAuthority implements DevCa {
  readonly name = 'dev-ca';
  readonly rootCertificatePem: string;
  readonly issuingCertificatePem: string;
  private readonly profiles: ProfileSet;
  private readonly delayMs: number;
  private readonly failureRate: number;
  private readonly validityDays: number;
  private readonly crlUrl: string | undefined;
  private readonly now: () => Date;
  private readonly random: () => number;
  /** Issuances under way in this instance: a second poll waits for the first instead of signing again. */
  private readonly issuing = new Map<string, Promise<void>>();
  private closed = false;

  constructor(
    private readonly db: DevCaDb,
    private readonly authority: IssuingAuthority,
    options: DevCaOptions,
  ) {
    this.rootCertificatePem = authority.rootCertificatePem;
    this.issuingCertificatePem = authority.issuingCertificatePem;
    this.profiles = options.profiles;
    this.delayMs = options.delayMs ?? 0;
    this.failureRate = options.failureRate ?? 0;
    this.validityDays = options.validityDays ?? DEFAULT_VALIDITY_DAYS;
    this.crlUrl = options.crlUrl;
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
  }

  /**
   * Every connector call: the simulated outage strikes before anything is done, and any other
   * failure leaves as a CaError, as the interface promises.
   */
  private async call<T>(operation: string, act: () => Promise<T>): Promise<T> {
    if (this.closed) throw new CaError('unavailable', `dev CA: ${operation} after close`);
    if (this.failureRate > 0 && this.random() < this.failureRate) {
      throw new CaError('unavailable', `dev CA: simulated outage, ${operation} not done`);
    }
    try {
      return await act();
    } catch (error) {
      if (error instanceof CaError) throw error;
      throw new CaError('unavailable', `dev CA: ${operation} failed`, { cause: error });
    }
  }

  submit(requests: readonly CaRequest[]): Promise<CaSubmitResult> {
    return this.call('submit', async () => {
      // Judging is the slow part and acts on nothing: done before the transaction, only for new ids.
      const verdicts = await Promise.all(
        requests.map((request) =>
          this.db.findByApplication(request.applicationId) ? null : judgeRequest(request, this.profiles),
        ),
      );
      const now = this.now();
      const outcomes = this.db.recordSubmissions(
        requests.map((request, i) => ({
          applicationId: request.applicationId,
          certificateType: request.certificateType,
          verdict: verdicts[i] ?? null,
        })),
        {
          at: now.toISOString(),
          dueMs: now.getTime() + this.delayMs,
          newReference: () => `DEV-${randomUUID()}`,
        },
      );
      const result: CaSubmitResult = { accepted: [], refused: [] };
      for (const outcome of outcomes) {
        if (outcome.accepted) {
          result.accepted.push({ applicationId: outcome.applicationId, caReference: outcome.caReference });
        } else {
          result.refused.push({ applicationId: outcome.applicationId, reason: outcome.reason });
        }
      }
      return result;
    });
  }

  poll(caReferences: readonly string[]): Promise<CaRequestStatus[]> {
    return this.call('poll', async () => {
      await this.issueDue(caReferences);
      return caReferences.map((caReference) => statusOf(caReference, this.db.findByReference(caReference)));
    });
  }

  fetchCertificates(caReferences: readonly string[]): Promise<CaIssuedCertificate[]> {
    return this.call('fetchCertificates', async () => {
      // All references are checked before any is issued: an unknown one fails the call untouched.
      const unknown = caReferences.find((caReference) => !this.db.findByReference(caReference));
      if (unknown !== undefined) {
        throw new CaError('refused', `dev CA: no request has the reference ${JSON.stringify(unknown)}`);
      }
      await this.issueDue(caReferences);
      const chainPem = [this.issuingCertificatePem, this.rootCertificatePem];
      return caReferences.flatMap((caReference) => {
        const certificatePem = this.db.findByReference(caReference)?.certificatePem;
        return certificatePem ? [{ caReference, certificatePem, chainPem: [...chainPem] }] : [];
      });
    });
  }

  revoke(request: CaRevocationRequest): Promise<CaRevocationResult> {
    return this.call('revoke', async () => {
      if (!Object.hasOwn(REVOCATION_REASONS, request.reason)) {
        throw new CaError('refused', 'dev CA: the revocation reason is not one RFC 5280 lets the RA ask for');
      }
      const serialHex = canonicalSerialHex(request.serialNumberHex);
      if (!serialHex) throw new CaError('refused', 'dev CA: serialNumberHex is not a hexadecimal number');
      const at = wholeSeconds(this.now()).toISOString();
      return this.db.revoke(serialHex, request.reason, request.requestId, at);
    });
  }

  fetchCrl(): Promise<CaCrl> {
    return this.call('fetchCrl', async () => {
      const thisUpdate = wholeSeconds(this.now());
      const crlNumber = this.db.nextCrlNumber();
      const { der, nextUpdate } = await buildCrl({
        authority: this.authority,
        revoked: this.db.revokedCertificates(),
        crlNumber,
        thisUpdate,
      });
      return { der, thisUpdate: thisUpdate.toISOString(), nextUpdate: nextUpdate.toISOString() };
    });
  }

  async submissionLog(): Promise<
    { applicationId: string; caReference: string; at: string; repeat: boolean }[]
  > {
    return this.db.submissionLog();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // An issuance half way through would otherwise find the database gone when it stores its result.
    await Promise.allSettled([...this.issuing.values()]);
    this.db.close();
  }

  /** Issues every pending request among these whose delay has passed. */
  private async issueDue(caReferences: readonly string[]): Promise<void> {
    const now = this.now().getTime();
    const due = [...new Set(caReferences)].filter((caReference) => {
      const row = this.db.findByReference(caReference);
      return row?.status === 'pending' && row.dueMs <= now;
    });
    await Promise.all(due.map((caReference) => this.ensureIssued(caReference)));
  }

  private ensureIssued(caReference: string): Promise<void> {
    const running = this.issuing.get(caReference);
    if (running) return running;
    const job = this.issueOne(caReference).finally(() => this.issuing.delete(caReference));
    this.issuing.set(caReference, job);
    return job;
  }

  private async issueOne(caReference: string): Promise<void> {
    const notBefore = wholeSeconds(this.now());
    // The serial is fixed in the database before signing, so it is never handed out twice.
    const claim = this.db.claimIssuance(caReference, () => drawSerial(), notBefore.toISOString());
    if (!claim) return;
    const certificatePem = await issueLeaf({
      authority: this.authority,
      csrPem: claim.csrPem,
      profile: JSON.parse(claim.profileJson) as CsrRequest,
      serialHex: claim.serialHex,
      notBefore,
      validityDays: this.validityDays,
      crlUrl: this.crlUrl,
    });
    this.db.storeCertificate(caReference, claim.serialHex, certificatePem, notBefore.toISOString());
  }
}

function statusOf(caReference: string, row: RequestRow | null): CaRequestStatus {
  if (!row) return { caReference, status: 'unknown' };
  switch (row.status) {
    case 'pending':
      return { caReference, status: 'pending' };
    case 'issued':
      return { caReference, status: 'issued' };
    case 'rejected':
      return { caReference, status: 'rejected', reason: row.reason ?? 'refused' };
  }
}
