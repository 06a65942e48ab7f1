/**
 * Ports of the officer use cases (Pasal 11, 20): the kiosk's store of officers' PIN-wrapped keys,
 * the kiosk-signed officer requests, and the rules from `core/officer` they take as parameters.
 */

import type { SealOpeningKey } from '../../core/sealing/seal';
import type {
  NikCheckRequest,
  Officer,
  OfficerEnrollRequest,
  OfficerLockRequest,
  ReleaseRequest,
} from '../../protocol/officer';
import type { TransportResult } from '../ports';

/** An officer enrolled on this kiosk, without any secret: what lists and screens may show. */
export interface OfficerProfile {
  officerId: string;
  /** The id the server gave this officer's key on this kiosk; every statement names it. */
  keyId: string;
  username: string;
  nama: string;
  nip: string | null;
  /** The kiosk the key was registered from (a re-enrolled kiosk cannot use it any more). */
  kioskId: string;
  publicKeySpki: string;
  enrolledAt: string;
  /** Wrong PINs in a row since the last right one. */
  wrongPins: number;
  /** Set when the kiosk locked the officer; the wrapped key is gone from then on. */
  lockedAt: string | null;
  /** The server has not yet heard of the lock (`POST /officers/lock`). */
  pendingLockReport: boolean;
  /**
   * The officer's counter key on this kiosk (issue 8, sealed records): applications are sealed to
   * its public half while they wait at the counter. Absent for officers enrolled before it existed.
   */
  counterKey?: { keyId: string; publicKeySpki: string };
}

/**
 * A fresh key pair, already wrapped under the PIN, waiting for the server's answer. The extractable
 * private key no longer exists when this is handed out: only the public half and the ciphertext do.
 */
export interface PreparedOfficerKey {
  readonly publicKeySpki: string;
  /** The counter key's public half (ECDH P-256 SPKI, base64url); its private half is wrapped too. */
  readonly counterPublicKeySpki: string;
  /** Opaque to the use cases; only the store that made it reads it. */
  readonly wrapped: unknown;
}

export interface EnrolledOfficer {
  officer: Officer;
  keyId: string;
  kioskId: string;
  enrolledAt: string;
}

/** What a wrong PIN or a locked account leaves the officer with. */
export type UnlockFailure =
  | { ok: false; problem: 'wrong-pin'; wrongPins: number; attemptsLeft: number }
  /** `lockedNow`: this very attempt was the last one allowed. */
  | { ok: false; problem: 'locked'; lockedNow: boolean }
  | { ok: false; problem: 'unknown-officer' }
  /** The right PIN opened something that is not a P-256 private key: the record is damaged. */
  | { ok: false; problem: 'damaged' };

export type UnlockProblem = UnlockFailure['problem'];

export interface UnlockedOfficerKey {
  profile: OfficerProfile;
  /** ECDSA P-256, non-extractable, usable only to sign. */
  privateKey: CryptoKey;
  /** Opens applications sealed at the counter (non-extractable); null for officers enrolled before it. */
  counterKey: SealOpeningKey | null;
}

export type UnlockResult = { ok: true; value: UnlockedOfficerKey } | UnlockFailure;

/** The officers enrolled on this kiosk and their PIN-wrapped keys (IndexedDB in the browser). */
export interface OfficerKeyStore {
  /** Makes a P-256 key pair and wraps its private half under the PIN; nothing is stored yet. */
  prepareKey(pin: string): Promise<PreparedOfficerKey>;
  /** Keeps the wrapped key under the server's officer and key ids; replaces an older enrollment. */
  saveEnrollment(prepared: PreparedOfficerKey, enrolled: EnrolledOfficer): Promise<OfficerProfile>;
  /**
   * Opens the officer's key with the PIN. Every wrong PIN counts; the lockout rule decides when the
   * officer is locked (the wrapped key is then deleted and a lock report is pending).
   */
  unlock(officerId: string, pin: string): Promise<UnlockResult>;
  list(): Promise<OfficerProfile[]>;
  get(officerId: string): Promise<OfficerProfile | null>;
  /** Forgets an officer; refused while the server has not heard of a lock (the report would be lost). */
  remove(officerId: string): Promise<'removed' | 'not-found' | 'lock-report-pending'>;
  /** Locked officers whose lock the server has not acknowledged yet. */
  pendingLockReports(): Promise<OfficerProfile[]>;
  /** After the server acknowledged the lock of exactly this key. */
  clearPendingLockReport(officerId: string, keyId: string): Promise<void>;
  /** The RA's NIK hash key (HMAC-SHA-256, non-extractable), as the last enrollment brought it. */
  saveNikHashKey(key: CryptoKey): Promise<void>;
  nikHashKey(): Promise<CryptoKey | null>;
}

/** Kiosk-signed officer requests (the device key signs, as for every sync request). */
export interface OfficerTransport {
  enrollOfficer(kioskId: string, request: OfficerEnrollRequest): Promise<TransportResult>;
  reportOfficerLock(request: OfficerLockRequest): Promise<TransportResult>;
  /** `POST /sync/nik-check`: NIKs only as the RA's keyed hash. */
  nikCheck(request: NikCheckRequest): Promise<TransportResult>;
  /** `POST /sync/releases`: the second officer's signed releases (two-person rule). */
  release(request: ReleaseRequest): Promise<TransportResult>;
}

/**
 * The PIN policy (`pinProblems` in core/officer plugs in here): the reasons a PIN is refused, none
 * for an acceptable one.
 */
export type PinPolicy = (pin: string) => readonly string[];

/** The lockout rule (core/officer's `consecutiveWrongPins` by default) plugs in here. */
export type { PinAttemptOutcome, PinAttemptRule } from '../../core/officer/pin';
