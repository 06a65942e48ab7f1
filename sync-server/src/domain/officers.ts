/**
 * RA officer accounts (docs/officers.md): created by an administrator with a one-time enrollment
 * code, locked by an administrator or by a kiosk after too many wrong PINs, unlocked only by an
 * administrator. One module for the admin API, the CLI and the kiosk's lock report, so the three
 * behave alike and log alike: officer ids and outcomes only, never names, NIPs or codes.
 */
import { randomUUID } from 'node:crypto';
import type { CreateOfficerRequest, Officer } from '../../../src/protocol/officer';
import type { Logger } from '../logger';
import type { OfficerListEntry, Store, StoredOfficer } from '../store/store';
import { newEnrollmentCode } from './enrollment';

export interface IssuedOfficerCode {
  officer: Officer;
  code: string;
  expiresAt: string;
}

/** The wire form of an account (`officerSchema`): what the kiosk and the admin see. */
export function officerView(officer: StoredOfficer): Officer {
  return {
    id: officer.id,
    username: officer.username,
    nama: officer.nama,
    nip: officer.nip,
    status: officer.status,
  };
}

/** What the admin sees of an account: the wire form with its creation and its lock. */
export function officerAdminView(officer: StoredOfficer) {
  return {
    ...officerView(officer),
    createdAt: officer.createdAt,
    lockedAt: officer.lockedAt,
    lockReason: officer.lockReason,
  };
}

/** The admin's list: each account and how many kiosks it can sign on now. */
export function officerListView(officer: OfficerListEntry) {
  return { ...officerAdminView(officer), activeKeys: officer.activeKeys };
}

const hoursToMs = (hours: number | undefined) => (hours === undefined ? undefined : hours * 3_600_000);

/** A fresh officer code valid for `validHours` (one day by default), and what the store keeps of it. */
function newCode(now: Date, validHours: number | undefined) {
  const { code, ...stored } = newEnrollmentCode(now, hoursToMs(validHours));
  return { code, stored };
}

export type CreateOfficerResult =
  | { ok: true; issued: IssuedOfficerCode }
  | { ok: false; problem: 'username-taken' };

/** A new active account and its first one-time code; only the caller ever sees the code. */
export async function createOfficerAccount(
  store: Store,
  request: CreateOfficerRequest,
  options: { now: Date; actor: string; logger: Logger },
): Promise<CreateOfficerResult> {
  const { code, stored } = newCode(options.now, request.validHours);
  const officer: StoredOfficer = {
    id: randomUUID(),
    username: request.username,
    nama: request.nama,
    nip: request.nip ?? null,
    status: 'active',
    createdAt: options.now.toISOString(),
    lockedAt: null,
    lockReason: null,
  };
  const outcome = await store.createOfficer(officer, stored);
  if (outcome.status === 'username-taken') return { ok: false, problem: 'username-taken' };
  options.logger.info(
    { officerId: officer.id, actor: options.actor, codeExpiresAt: stored.expiresAt },
    'officer created',
  );
  return { ok: true, issued: { officer: officerView(outcome.officer), code, expiresAt: stored.expiresAt } };
}

export type OfficerCodeResult =
  | { ok: true; issued: IssuedOfficerCode }
  | { ok: false; problem: 'unknown-officer' | 'officer-locked' };

/** Another one-time code for an active officer (a second kiosk, or after an unlock). */
export async function issueOfficerCode(
  store: Store,
  officerId: string,
  options: { now: Date; validHours?: number | undefined; actor: string; logger: Logger },
): Promise<OfficerCodeResult> {
  const { code, stored } = newCode(options.now, options.validHours);
  const outcome = await store.createOfficerCode(officerId, stored);
  if (outcome.status === 'unknown') return { ok: false, problem: 'unknown-officer' };
  if (outcome.status === 'not-active') return { ok: false, problem: 'officer-locked' };
  options.logger.info(
    { officerId, actor: options.actor, codeExpiresAt: stored.expiresAt },
    'officer enrollment code created',
  );
  return { ok: true, issued: { officer: officerView(outcome.officer), code, expiresAt: stored.expiresAt } };
}

export type LockResult =
  | { ok: true; status: 'locked' | 'unchanged'; officer: StoredOfficer; revokedKeys: number }
  | { ok: false; problem: 'unknown-officer' };

/** The reason kept when an administrator (API or CLI) gives none. */
const DEFAULT_ADMIN_LOCK_REASON = 'locked by an administrator';

/**
 * Locks the account everywhere and revokes every key of the officer; repeating it is harmless.
 * `reason` is kept with the account (the admin's words, or `DEFAULT_ADMIN_LOCK_REASON` when left
 * out) and never logged.
 */
export async function lockOfficerAccount(
  store: Store,
  officerId: string,
  options: { now: Date; reason?: string | undefined; actor: string; logger: Logger },
): Promise<LockResult> {
  const outcome = await store.lockOfficer(officerId, {
    at: options.now.toISOString(),
    reason: options.reason ?? DEFAULT_ADMIN_LOCK_REASON,
  });
  if (outcome.status === 'unknown') return { ok: false, problem: 'unknown-officer' };
  options.logger.info(
    { officerId, actor: options.actor, status: outcome.status, revokedKeys: outcome.revokedKeys },
    'officer locked',
  );
  return { ok: true, status: outcome.status, officer: outcome.officer, revokedKeys: outcome.revokedKeys };
}

export type UnlockResult =
  | { ok: true; status: 'unlocked' | 'unchanged'; officer: StoredOfficer }
  | { ok: false; problem: 'unknown-officer' };

/** Active again; the old keys stay revoked, so the officer enrolls again with a new code. */
export async function unlockOfficerAccount(
  store: Store,
  officerId: string,
  options: { actor: string; logger: Logger },
): Promise<UnlockResult> {
  const outcome = await store.unlockOfficer(officerId);
  if (outcome.status === 'unknown') return { ok: false, problem: 'unknown-officer' };
  options.logger.info({ officerId, actor: options.actor, status: outcome.status }, 'officer unlocked');
  return { ok: true, status: outcome.status, officer: outcome.officer };
}
