import type { CorrectionFields } from '../../../src/protocol/lifecycle';

/** An officer's verified correction of an applicant's data (issue 8). */
export interface NewCorrection {
  /** The kiosk's id for it: a resend is a duplicate. */
  id: string;
  applicationId: string;
  officerId: string;
  keyId: string;
  /** The server's time of receipt: corrections apply in this order. */
  at: string;
  fields: CorrectionFields;
  reason: string;
  /** The exact signed text and its signature: the evidence, kept (sealed) as received. */
  payload: string;
  signature: string;
}

export type StoredCorrection = NewCorrection;

export type CorrectionOutcome = 'recorded' | 'duplicate' | 'unknown-application' | 'purged';

/** The sealed archive's own operations: corrections, the access right's lookup, retention. */
export interface ArchiveStore {
  /** Seals and stores the correction with a `corrected` event, in one transaction. */
  recordCorrection(correction: NewCorrection): Promise<CorrectionOutcome>;
  /** The application's corrections, opened, in the order they apply. */
  listCorrections(applicationId: string): Promise<StoredCorrection[]>;
  /** Every application of one person (the keyed NIK hash), oldest first. */
  applicationIdsByNikHash(nikHash: string): Promise<string[]>;
  /**
   * Applications whose personal data is past retention at `cutoff` (ISO): issued certificates that
   * ended by then, or, where none was issued, a final refusal (by the CA or the officer) made by then.
   */
  listPurgeable(cutoff: string, limit: number): Promise<string[]>;
  /**
   * Deletes the personal data of these applications (the sealed blob, corrections, e-mail address
   * and e-mail proofs) and keeps the skeleton the yearly report counts; a `personal-data-purged`
   * event each. Returns the ids purged now (already purged ones are left out).
   */
  purgePersonalData(ids: readonly string[], at: string): Promise<string[]>;
}
