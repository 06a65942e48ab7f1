import type { EktpReader } from '../adapters/ocr/ektp-reader';
import type { PassphraseTools } from '../adapters/passphrase/strength';
import type { EmailRequestProblem, EmailVerifyProblem } from '../app/email-confirmation';
import type { EnrollProblem } from '../app/enroll-kiosk';
import type { HandoverInput, HandoverPackage, HandoverProblem } from '../app/handover';
import type { HandoverCryptoInput, HandoverCryptoProblem } from '../app/handover-crypto';
import type { KioskConfig } from '../app/kiosk-config';
import type { DecidedApplication, DecideInput, DecideProblem } from '../app/officer/decide-application';
import type { LocalNikMatch, ServerNikCheck } from '../app/officer/duplicate-nik';
import type { EnrollOfficerInput, EnrollOfficerResult } from '../app/officer/enroll-officer';
import type { OfficerSession, UnlockSessionResult } from '../app/officer/officer-session';
import type { OfficerProfile } from '../app/officer/ports';
import type { ReleaseApplicationsProblem, ReleaseOutcome } from '../app/officer/release-applications';
import type {
  Enrollment,
  HandoverState,
  OutboxListOptions,
  OutboxSummary,
  OutboxView,
  StoredOutboxItem,
} from '../app/ports';
import type { PurgeReport } from '../app/sealing/purge-expired';
import type { OpenHeldProblem } from '../app/sealing/seal-application';
import type { IssuedCertificate } from '../app/sealing/sealed-certificate';
import type { StorageStatus } from '../app/storage-status';
import type { SubmitInput, SubmitProblem, SubmitStage } from '../app/submit-application';
import type { SyncProgress, SyncReport } from '../app/sync-outbox';
import type { CertificateInfo } from '../core/certificate/certificate';
import type { RegionTable } from '../core/identity/regions';
import type { Result } from '../core/lib/brand';
import type { CalendarDate } from '../core/lib/dates';
import type { PinProblem } from '../core/officer/pin';
import type { Guardrail } from '../core/outbox/guardrails';
import type { EmailCodeResponse, EmailVerifyResponse } from '../protocol/email';
import type { LifecycleServices } from './lifecycle/services';

/** What the screens may do; the composition root (main.tsx) provides the real adapters. */
export interface KioskServices {
  config: KioskConfig;
  ektpReader: EktpReader;
  passphraseTools: PassphraseTools;
  regions: RegionTable;
  today(): CalendarDate;
  submit(
    input: SubmitInput,
    onStage: (stage: SubmitStage) => void,
  ): Promise<{ ok: true; id: string } | { ok: false; problem: SubmitProblem }>;
  /** The id a new application gets when the form opens: its e-mail is confirmed for it before it exists. */
  newApplicationId(): string;
  /** The official e-mail proven at the counter (Pasal 10). */
  email: EmailServices;
  subscribeOutbox(listener: (view: OutboxView) => void, options?: OutboxListOptions): () => void;
  /**
   * The application with this receipt number (`SK-XXXX-XXXX-XXC`, as `parseApplicationNumber` reads
   * it), without its files; null for a number that does not parse or that no application has.
   */
  findByApplicationNumber(number: string): Promise<OutboxSummary | null>;
  /** Used and free space, the warning level and whether the browser keeps the outbox from eviction. */
  storageStatus(): Promise<StorageStatus>;
  /**
   * The guardrails that stop new applications (issue 8), now and after every change that may trip
   * or lift one (the outbox, the server's policy, the clock); returns the unsubscribe.
   */
  watchCaptureGuardrails(listener: (tripped: readonly Guardrail[]) => void): () => void;
  enrollment(): Promise<Enrollment | null>;
  enroll(code: string): Promise<Result<Enrollment, EnrollProblem>>;
  /**
   * Checks a certificate file against application `id`'s request (its CSR, from the key material
   * kept beside the sealed blob) before the applicant types anything.
   */
  precheckCertificate(
    input: Pick<HandoverCryptoInput, 'certificateText' | 'chainText'> & { id: string },
  ): Promise<Result<CertificateInfo, HandoverCryptoProblem>>;
  /** The certificate the server brought back for `id`, opened with the officer session when sealed. */
  issuedCertificate(id: string): Promise<IssuedCertificate>;
  handOver(input: HandoverInput): Promise<Result<HandoverPackage, HandoverProblem>>;
  unlockHandover(id: string): Promise<HandoverState | null>;
  syncNow(): Promise<SyncReport | null>;
  onSyncProgress(listener: (p: SyncProgress | null) => void): () => void;
  /** Every finished pass, whoever started it (timer, `online`, another tab's button). */
  onSyncReport(listener: (r: SyncReport) => void): () => void;
  /** The last retention purge that deleted something (now, and after each later one). */
  onPurgeReport(listener: (r: PurgeReport) => void): () => void;
  /** RA officers at the counter (docs/officers.md). */
  officer: OfficerServices;
  /** Renewal, revocation and incidents in officer mode (Pasal 14, 15, 22, 24). */
  lifecycle: LifecycleServices;
}

/** The code mailed to the official e-mail and the code typed; online and enrolled only. */
export interface EmailServices {
  requestCode(applicationId: string, email: string): Promise<Result<EmailCodeResponse, EmailRequestProblem>>;
  verifyCode(
    applicationId: string,
    email: string,
    typed: string,
  ): Promise<Result<EmailVerifyResponse, EmailVerifyProblem>>;
}

/** Officer mode: enrollment, the PIN-opened session, the held applications and the decision. */
export interface OfficerServices {
  /** The officers enrolled on this kiosk (no secret), by username. */
  list(): Promise<OfficerProfile[]>;
  /** Every problem of a new PIN under the configured policy; none for an acceptable one. */
  pinProblems(pin: string): PinProblem[];
  /** Online only: a new key pair wrapped under the PIN, registered with the one-time code. */
  enroll(input: EnrollOfficerInput): Promise<EnrollOfficerResult>;
  /** PBKDF2 over the PIN (600,000 rounds: about a second); a lock is reported when online. */
  unlock(officerId: string, pin: string): Promise<UnlockSessionResult>;
  /** The open session, or null (none, ended, or idle past `officer.idleLockSeconds`). */
  current(): OfficerSession | null;
  /** Ends the session: the key is dropped. */
  end(): void;
  /**
   * The application with its files while it is held, a sealed one opened with the session's keys
   * (`openAtCounter`: `damaged` or `no-key` when it does not open); null when it is not held (any
   * more) or gone.
   */
  heldItem(id: string): Promise<Result<StoredOutboxItem, OpenHeldProblem> | null>;
  /** Other applications of this outbox with the same NIK that still count. */
  localNikMatches(application: { id: string; nik: string }): Promise<LocalNikMatch[]>;
  /** The server's count for this NIK (keyed hash only); `offline` without a link. */
  checkNikAtServer(nik: string): Promise<ServerNikCheck>;
  /** Signs the decision with the open session and queues the application for sync. */
  decide(input: DecideInput): Promise<Result<DecidedApplication, DecideProblem>>;
  /** Online only: the open session's officer releases these approved applications to the CA. */
  release(ids: string[]): Promise<Result<ReleaseOutcome[], ReleaseApplicationsProblem>>;
}
