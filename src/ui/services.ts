import type { EktpReader } from '../adapters/ocr/ektp-reader';
import type { PassphraseTools } from '../adapters/passphrase/strength';
import type { EnrollProblem } from '../app/enroll-kiosk';
import type { HandoverInput, HandoverPackage, HandoverProblem } from '../app/handover';
import type { HandoverCryptoInput, HandoverCryptoProblem } from '../app/handover-crypto';
import type { KioskConfig } from '../app/kiosk-config';
import type { Enrollment, HandoverState, OutboxListOptions, OutboxView } from '../app/ports';
import type { StorageStatus } from '../app/storage-status';
import type { SubmitInput, SubmitProblem, SubmitStage } from '../app/submit-application';
import type { SyncProgress, SyncReport } from '../app/sync-outbox';
import type { CertificateInfo } from '../core/certificate/certificate';
import type { RegionTable } from '../core/identity/regions';
import type { Result } from '../core/lib/brand';
import type { CalendarDate } from '../core/lib/dates';

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
  subscribeOutbox(listener: (view: OutboxView) => void, options?: OutboxListOptions): () => void;
  /** Used and free space, the warning level and whether the browser keeps the outbox from eviction. */
  storageStatus(): Promise<StorageStatus>;
  enrollment(): Promise<Enrollment | null>;
  enroll(code: string): Promise<Result<Enrollment, EnrollProblem>>;
  /** Checks a certificate file against the application before the applicant types anything. */
  precheckCertificate(
    input: Pick<HandoverCryptoInput, 'certificateText' | 'chainText' | 'csrPem'>,
  ): Promise<Result<CertificateInfo, HandoverCryptoProblem>>;
  handOver(input: HandoverInput): Promise<Result<HandoverPackage, HandoverProblem>>;
  unlockHandover(id: string): Promise<HandoverState | null>;
  syncNow(): Promise<SyncReport | null>;
  onSyncProgress(listener: (p: SyncProgress | null) => void): () => void;
  /** Every finished pass, whoever started it (timer, `online`, another tab's button). */
  onSyncReport(listener: (r: SyncReport) => void): () => void;
}
