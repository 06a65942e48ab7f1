/**
 * Tamper-evident audit trail (issue 8): each event carries the SHA-256 of its own canonical
 * encoding, which includes the hash of the event before it. Changing, deleting or reordering one
 * event breaks the links after it; checkpoints (checkpoint.ts) sign a head so that re-hashing the
 * whole chain is caught too. Pure: no storage, WebCrypto passed in.
 */
import { bytesToHex } from '../lib/pem';

/** The first event's `prevHash`. */
export const GENESIS_HASH = '0'.repeat(64);
export const HASH_PATTERN = /^[0-9a-f]{64}$/;

/** A small fact about an event: ids, counts, codes. Never personal data (no NIK, name, image). */
export type AuditDetailValue = string | number | boolean | null | readonly string[];
export type AuditDetail = Readonly<Record<string, AuditDetailValue>>;

/** What is hashed: every field but the hash itself. */
export interface AuditEventBody<T extends string = string> {
  /** 1, 2, 3… without gaps, per chain. */
  seq: number;
  /** ISO 8601 time of the event. */
  at: string;
  type: T;
  /** An application id, an officer id, a kiosk id; null when the event is about nothing in particular. */
  subject: string | null;
  detail: AuditDetail | null;
  prevHash: string;
}

export interface AuditEvent<T extends string = string> extends AuditEventBody<T> {
  /** Lower-case hex SHA-256 of `canonicalEventText` of the body. */
  hash: string;
}

/** The chain position an event follows: its seq and hash (seq 0 and `GENESIS_HASH` before the first). */
export interface ChainHead {
  seq: number;
  hash: string;
}

export const GENESIS: ChainHead = { seq: 0, hash: GENESIS_HASH };

/**
 * JSON with the object keys sorted (code-point order) and no white space; only the value types of
 * `AuditDetail`. Integers only: float formatting differs between runtimes.
 */
export function canonicalJson(value: AuditDetailValue | AuditDetail): string {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error('audit detail numbers must be safe integers');
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map((v: string) => canonicalJson(v)).join(',')}]`;
  const record = value as AuditDetail;
  const keys = Object.keys(record).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k] ?? null)}`).join(',')}}`;
}

/**
 * The exact text that is hashed: a JSON array in a fixed order, tagged with the format version,
 * so that no two different events share an encoding.
 */
export function canonicalEventText(body: AuditEventBody): string {
  return [
    '["sertel-audit-v1"',
    String(body.seq),
    JSON.stringify(body.at),
    JSON.stringify(body.type),
    body.subject === null ? 'null' : JSON.stringify(body.subject),
    body.detail === null ? 'null' : canonicalJson(body.detail),
    `${JSON.stringify(body.prevHash)}]`,
  ].join(',');
}

const utf8 = new TextEncoder();

export async function sha256Hex(text: string, subtle: SubtleCrypto = crypto.subtle): Promise<string> {
  return bytesToHex(new Uint8Array(await subtle.digest('SHA-256', utf8.encode(text))));
}

export function hashEvent(body: AuditEventBody, subtle: SubtleCrypto = crypto.subtle): Promise<string> {
  return sha256Hex(canonicalEventText(body), subtle);
}

/** The event that follows `head`. */
export async function nextEvent<T extends string>(
  head: ChainHead,
  input: { at: string; type: T; subject?: string | null; detail?: AuditDetail | null },
  subtle: SubtleCrypto = crypto.subtle,
): Promise<AuditEvent<T>> {
  const body: AuditEventBody<T> = {
    seq: head.seq + 1,
    at: input.at,
    type: input.type,
    subject: input.subject ?? null,
    detail: input.detail ?? null,
    prevHash: head.hash,
  };
  return { ...body, hash: await hashEvent(body, subtle) };
}

/** What is wrong with a chain, at which seq. Verifiers return these; they never throw on bad data. */
export type AuditProblem =
  /** The stored hash is not the hash of the stored fields: an event was changed. */
  | { kind: 'hash-mismatch'; seq: number }
  /** A seq is missing (`found` is past `expected`): an event was deleted. */
  | { kind: 'seq-gap'; seq: number; expected: number }
  /** A seq comes again or goes back: events were reordered or duplicated. */
  | { kind: 'seq-order'; seq: number; expected: number }
  /** The event does not name the hash of the one before it. */
  | { kind: 'prev-hash-break'; seq: number }
  /** A checkpoint's signature (or MAC) does not verify. */
  | { kind: 'bad-checkpoint-signature'; seq: number }
  /** The checkpoint was signed by a key the verifier does not trust. */
  | { kind: 'unknown-checkpoint-key'; seq: number }
  /** A checkpoint names a hash that is not the event's at its seq (or no such event exists). */
  | { kind: 'checkpoint-mismatch'; seq: number }
  /** Events after the last checkpoint where the verifier requires a signed head. */
  | { kind: 'head-not-checkpointed'; seq: number; checkpointSeq: number };

export type AuditProblemKind = AuditProblem['kind'];

/** One line in English, without any personal data (there is none in a chain). */
export function describeAuditProblem(problem: AuditProblem): string {
  switch (problem.kind) {
    case 'hash-mismatch':
      return `event ${problem.seq} does not match its hash (changed)`;
    case 'seq-gap':
      return `event ${problem.expected} is missing (found ${problem.seq} next)`;
    case 'seq-order':
      return `event ${problem.seq} is out of order (expected ${problem.expected})`;
    case 'prev-hash-break':
      return `event ${problem.seq} does not link to the event before it`;
    case 'bad-checkpoint-signature':
      return `the checkpoint at event ${problem.seq} has a bad signature`;
    case 'unknown-checkpoint-key':
      return `the checkpoint at event ${problem.seq} is signed by an unknown key`;
    case 'checkpoint-mismatch':
      return `the checkpoint at event ${problem.seq} does not match the chain`;
    case 'head-not-checkpointed':
      return `events after ${problem.checkpointSeq} up to ${problem.seq} are not covered by a checkpoint`;
  }
}

/**
 * Checks the links of `events` (in stored order) following `start`. Every problem is reported;
 * after one, checking goes on from the event as stored so that one edit is not reported for every
 * later event.
 */
export async function verifyEvents(
  events: readonly AuditEvent[],
  start: ChainHead = GENESIS,
  subtle: SubtleCrypto = crypto.subtle,
): Promise<AuditProblem[]> {
  const problems: AuditProblem[] = [];
  const present = new Set(events.map((e) => e.seq));
  let previous = start;
  for (const event of events) {
    const expected = previous.seq + 1;
    // The missing seq further down the list is a reordering, not a deletion.
    if (event.seq > expected) {
      problems.push({ kind: present.has(expected) ? 'seq-order' : 'seq-gap', seq: event.seq, expected });
    } else if (event.seq < expected) problems.push({ kind: 'seq-order', seq: event.seq, expected });
    if ((await hashEvent(event, subtle)) !== event.hash)
      problems.push({ kind: 'hash-mismatch', seq: event.seq });
    if (event.prevHash !== previous.hash) problems.push({ kind: 'prev-hash-break', seq: event.seq });
    previous = { seq: event.seq, hash: event.hash };
  }
  return problems;
}
