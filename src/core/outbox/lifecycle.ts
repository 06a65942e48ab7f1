import type { ServerState } from '../application/server-state';

/**
 * The life of an application at the kiosk, from the form to the certificate in the applicant's hand.
 * Pure: the stores use it to refuse a state that may not follow the current one.
 */
export const LIFECYCLE_STATES = [
  'draft',
  'captured',
  'decided',
  'queued',
  'synced',
  'rejected',
  'sent-to-ca',
  'issued',
  'ca-rejected',
  'handed-over',
] as const;

export type OutboxLifecycleState = (typeof LIFECYCLE_STATES)[number];

/** The states an application enters at the CA, as the server reports them. */
export const CA_STAGES: readonly OutboxLifecycleState[] = ['sent-to-ca', 'issued', 'ca-rejected'];

/** One step of an application's history; appended, never rewritten. */
export interface OutboxHistoryEntry {
  state: OutboxLifecycleState;
  /** ISO time the state was entered. */
  at: string;
  note?: string;
}

const FOLLOWERS: Record<OutboxLifecycleState, readonly OutboxLifecycleState[]> = {
  draft: ['captured'],
  // Straight to queued: applications captured before kiosks held every one for an officer's decision.
  captured: ['decided', 'queued'],
  decided: ['queued'],
  // Handing over before the kiosk hears of the CA's answer is allowed until the server reports it:
  // the certificate the officer loads is checked against the key made at the counter.
  queued: ['synced', 'rejected', 'handed-over'],
  // The server may report the CA's answer without the kiosk having heard that it was sent.
  synced: ['sent-to-ca', 'issued', 'ca-rejected', 'handed-over'],
  'sent-to-ca': ['issued', 'ca-rejected', 'handed-over'],
  issued: ['handed-over'],
  // Handing over again (the other PKCS#12 form) is allowed; a record handed over before it reached
  // the server must still be sent, so its transmission states may follow.
  'handed-over': ['handed-over', 'synced', 'rejected'],
  rejected: [],
  'ca-rejected': [],
};

export function mayFollow(from: OutboxLifecycleState | null, to: OutboxLifecycleState): boolean {
  if (from === null) return to === 'draft' || to === 'captured';
  return FOLLOWERS[from].includes(to);
}

export function currentState(history: readonly OutboxHistoryEntry[]): OutboxLifecycleState | null {
  return history.at(-1)?.state ?? null;
}

/** Thrown by a store asked to record a state that may not follow the current one. */
export class IllegalTransitionError extends Error {
  override name = 'IllegalTransitionError';
  constructor(
    readonly from: OutboxLifecycleState | null,
    readonly to: OutboxLifecycleState,
  ) {
    super(`an application in state ${from ?? '(none)'} cannot become ${to}`);
  }
}

/** The history with `entry` appended; throws `IllegalTransitionError` when it may not follow. */
export function appendHistory(
  history: readonly OutboxHistoryEntry[],
  entry: OutboxHistoryEntry,
): OutboxHistoryEntry[] {
  const from = currentState(history);
  if (!mayFollow(from, entry.state)) throw new IllegalTransitionError(from, entry.state);
  return [...history, { ...entry }];
}

/**
 * How a new application enters the outbox: captured, and either held for the officer at the counter
 * (the history stays at captured until the decision) or queued at once.
 */
export function initialHistory(at: string, entering: 'held' | 'queued' = 'queued'): OutboxHistoryEntry[] {
  const captured = appendHistory([], { state: 'captured', at });
  return entering === 'held' ? captured : appendHistory(captured, { state: 'queued', at });
}

/**
 * A history for an item stored before histories were kept (or seeded by a test), from what the item
 * says about itself. Times the item does not record are `unknownAt`, and every entry says so.
 */
export function assumedHistory(
  item: {
    state: 'held' | 'queued' | 'synced' | 'rejected';
    createdAt: string;
    syncedAt: string | null;
    handedOverAt: string | null;
  },
  unknownAt: string,
  note: string,
): OutboxHistoryEntry[] {
  // Held: still waiting for the officer, and nothing can have happened to it since the capture.
  if (item.state === 'held') return [{ state: 'captured', at: item.createdAt, note }];
  const entries: OutboxHistoryEntry[] = [
    { state: 'captured', at: item.createdAt, note },
    { state: 'queued', at: item.createdAt, note },
  ];
  const handedOver: OutboxHistoryEntry[] = item.handedOverAt
    ? [{ state: 'handed-over', at: item.handedOverAt, note }]
    : [];
  // Each order below is a legal path (a refusal can only come after an early handover).
  if (item.state === 'queued') entries.push(...handedOver);
  if (item.state === 'synced')
    entries.push({ state: 'synced', at: item.syncedAt ?? unknownAt, note }, ...handedOver);
  if (item.state === 'rejected') entries.push(...handedOver, { state: 'rejected', at: unknownAt, note });
  return entries;
}

/** What the kiosk's history records for a state the server reports; `received` is `synced` already. */
const FROM_SERVER: Record<ServerState, OutboxLifecycleState | null> = {
  received: null,
  'sent-to-ca': 'sent-to-ca',
  issued: 'issued',
  'ca-rejected': 'ca-rejected',
};

/** Delivered and still waiting for the CA's answer: the server may have news for it. */
export function awaitsOutcome(history: readonly OutboxHistoryEntry[]): boolean {
  const state = currentState(history);
  return state === 'synced' || state === 'sent-to-ca';
}

/**
 * The history with the server's report appended, or null when it tells the kiosk nothing new (the
 * same state again, `received`, or a state this application can no longer enter, such as `issued`
 * after an early handover).
 */
export function followServer(
  history: readonly OutboxHistoryEntry[],
  serverState: ServerState,
  at: string,
): OutboxHistoryEntry[] | null {
  const target = FROM_SERVER[serverState];
  const from = currentState(history);
  if (target === null || from === target || !mayFollow(from, target)) return null;
  return appendHistory(history, { state: target, at, note: 'server' });
}

/**
 * What the change rules below read of an application: where it is on its way to the server, how
 * often sending it failed, and its history.
 */
export interface LifecycleItem {
  state: 'held' | 'queued' | 'synced' | 'rejected';
  attempts: number;
  history: readonly OutboxHistoryEntry[];
}

/**
 * The change an acknowledgement makes to a queued application; null for any other (a repeated
 * acknowledgement from another tab or a replay changes nothing) or a missing one.
 */
export function syncedChange(item: LifecycleItem | undefined, at: string) {
  if (item?.state !== 'queued') return null;
  return {
    state: 'synced' as const,
    syncedAt: at,
    lastError: null,
    nextAttemptAt: null,
    history: appendHistory(item.history, { state: 'synced', at }),
  };
}

/** The change the server's refusal makes to a queued application (noted with the code); else null. */
export function rejectedChange(
  item: LifecycleItem | undefined,
  rejection: { code: string; message: string },
  at: string,
) {
  if (item?.state !== 'queued') return null;
  return {
    state: 'rejected' as const,
    rejection: { ...rejection },
    nextAttemptAt: null,
    history: appendHistory(item.history, { state: 'rejected', at, note: rejection.code }),
  };
}

/**
 * The change the officer's decision makes to a held application: decided, then queued for sync at
 * once. Unlike the rules above it throws (`IllegalTransitionError`) for any other item, a missing
 * one included: a decision must never be lost silently.
 */
export function decidedChange(item: LifecycleItem | undefined, at: string) {
  if (item?.state !== 'held') {
    throw new IllegalTransitionError(item ? currentState(item.history) : null, 'decided');
  }
  const decided = appendHistory(item.history, { state: 'decided', at });
  return { state: 'queued' as const, history: appendHistory(decided, { state: 'queued', at }) };
}

/** The change a failed attempt makes to a queued application (one more attempt); else null. */
export function attemptFailedChange(
  item: LifecycleItem | undefined,
  error: string,
  nextAttemptAt: (attempts: number) => string,
) {
  if (item?.state !== 'queued') return null;
  const attempts = item.attempts + 1;
  return { attempts, lastError: error, nextAttemptAt: nextAttemptAt(attempts) };
}

/**
 * The change the server's report makes to a delivered application: the report kept and the state
 * entered. Null when it tells nothing new or may not follow (see `followServer`). While the server
 * still holds the application (`received`), news about its e-mail confirmation (Pasal 10) is kept
 * alone, the history untouched: the applicant's status page says what it waits for.
 */
export function serverStatusChange<S extends { state: ServerState; emailConfirmed?: boolean }>(
  item: (LifecycleItem & { serverStatus?: { emailConfirmed?: boolean } }) | undefined,
  status: S,
  at: string,
) {
  if (item?.state !== 'synced') return null;
  const history = followServer(item.history, status.state, at);
  if (history !== null) return { history, serverStatus: { ...status } };
  const emailNews =
    status.state === 'received' &&
    currentState(item.history) === 'synced' &&
    status.emailConfirmed !== undefined &&
    status.emailConfirmed !== item.serverStatus?.emailConfirmed;
  return emailNews ? { history: [...item.history], serverStatus: { ...status } } : null;
}

/**
 * The change a handover makes: the history with `entered` appended (checked first, so a refused
 * transition throws `IllegalTransitionError` before `change` runs) and the new handover state. On
 * `handed-over` the certificate, in clear or sealed, leaves the server's report (it names the
 * applicant, who now holds it; the handover state keeps its serial and dates); `serverStatus` is
 * absent when unchanged.
 */
export function handoverChange<
  H extends object,
  S extends { certificatePem: string | null; certificateSealed?: string },
>(
  item: { history: readonly OutboxHistoryEntry[]; serverStatus?: S },
  current: H,
  change: (current: H) => H,
  entered?: OutboxHistoryEntry,
): { handover: H; history: OutboxHistoryEntry[]; serverStatus?: S } {
  const history = entered ? appendHistory(item.history, entered) : [...item.history];
  const handover = change(current);
  const status = item.serverStatus;
  const holdsCertificate =
    status && (status.certificatePem !== null || status.certificateSealed !== undefined);
  if (entered?.state !== 'handed-over' || !status || !holdsCertificate) return { handover, history };
  const { certificateSealed: _sealed, ...rest } = status;
  // Only the two certificate fields change: the rest is the same S.
  return { handover, history, serverStatus: { ...rest, certificatePem: null } as S };
}
