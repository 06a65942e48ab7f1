/**
 * The officer's view of every application on this kiosk: where each one stands (`queueStage`), and
 * the filters and search of the queue screen. Pure: the screen indexes the outbox once per change
 * (`indexQueue`) and filters the index on every keystroke (`filterQueue`).
 */
import {
  type ApplicationNumber,
  applicationNumber,
  parseApplicationNumber,
} from '../../core/application/application-number';
import type { CertificateType } from '../../core/certificate/types';
import { toIsoDate } from '../../core/lib/dates';
import { readDecision } from '../../core/officer/decision';
import { currentState } from '../../core/outbox/lifecycle';
import type { OutboxSummary } from '../ports';
import { clearNameOf, clearNikOf } from '../sealing/open-at-counter';

/**
 * Where an application stands, as the officer and the applicant understand it, in the order the
 * screen lists them.
 * `held`: waiting for the officer at the counter. `approved` / `rejected`: the officer's decision,
 * on its way to the server or there and not yet at the CA. `no-decision`: sent without an officer's
 * decision (captured before officers worked at this kiosk); the server keeps it waiting.
 * `refused-by-server`: the server refused the record. The rest are the CA's answers and the handover.
 */
export const QUEUE_STAGES = [
  'held',
  'approved',
  'rejected',
  'no-decision',
  'refused-by-server',
  'sent-to-ca',
  'issued',
  'ca-rejected',
  'handed-over',
] as const;

export type QueueStage = (typeof QUEUE_STAGES)[number];

/** The officer's decision carried in the record, or null when there is none it can read. */
export function officerDecision(record: Pick<OutboxSummary['record'], 'decision'>) {
  if (!record.decision) return null;
  const read = readDecision(record.decision.payload);
  return read.ok ? read.value : null;
}

function everHandedOver(item: Pick<OutboxSummary, 'history' | 'handover'>): boolean {
  // Not only the current state: a record handed over before it reached the server goes on to synced.
  return Boolean(item.handover?.handedOverAt) || item.history.some((e) => e.state === 'handed-over');
}

/** The stage of one application, from its history and the officer's decision. */
export function queueStage(item: Pick<OutboxSummary, 'history' | 'handover' | 'record'>): QueueStage {
  const state = currentState(item.history);
  // A refusal is what the officer must act on, even after an early handover.
  if (state === 'rejected') return 'refused-by-server';
  if (everHandedOver(item)) return 'handed-over';
  switch (state) {
    case null:
    case 'draft':
    case 'captured':
      return 'held';
    case 'sent-to-ca':
    case 'issued':
    case 'ca-rejected':
      return state;
    case 'handed-over':
      return 'handed-over';
    case 'decided':
    case 'queued':
    case 'synced':
      return officerDecision(item.record)?.decision ?? 'no-decision';
  }
}

/** What the queue screen asks for; every filter left out (or empty) lets everything through. */
export interface QueueQuery {
  stage?: QueueStage;
  certificateType?: CertificateType;
  perangkatDaerah?: string;
  /** The capture day, `YYYY-MM-DD`, in the kiosk's local time (see `indexQueue`'s `dayOf`). */
  date?: string;
  /** A name (case and accents ignored), a NIK or its start, or an application number or its start. */
  search?: string;
}

/** One application as the queue filters it: the summary and what the filters read, worked out once. */
export interface QueueEntry {
  item: OutboxSummary;
  stage: QueueStage;
  number: ApplicationNumber;
  /** The capture day, `YYYY-MM-DD`. */
  day: string;
  /** The capture time in milliseconds, for the order. */
  time: number;
  /** The name folded for search (`foldText`). */
  name: string;
}

export interface QueueResult {
  /** The entries matching every filter, newest first. */
  items: QueueEntry[];
  /**
   * How many entries each stage would show with the other filters as they are: the stage filter is
   * ignored, so the officer sees what choosing another stage would give.
   */
  counts: Record<QueueStage, number>;
  /** How many match the other filters over all stages (the sum of `counts`). */
  total: number;
}

/** Lower case, accents dropped (`Ṣiti` → `siti`), runs of white space as one space. */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** A `dayOf` for a fixed offset from UTC in minutes (Madiun, WIB: 420): the same day everywhere. */
export function dayAtOffset(offsetMinutes: number): (iso: string) => string {
  return (iso) => {
    const shifted = new Date(Date.parse(iso) + offsetMinutes * 60_000);
    return toIsoDate({
      year: shifted.getUTCFullYear(),
      month: shifted.getUTCMonth() + 1,
      day: shifted.getUTCDate(),
    });
  };
}

/**
 * Every application with its stage, number, capture day and folded name, newest first (ties by id,
 * so the order never flickers). `dayOf` turns a capture time into the kiosk's local day.
 */
export function indexQueue(items: readonly OutboxSummary[], dayOf: (iso: string) => string): QueueEntry[] {
  return items
    .map((item) => ({
      item,
      stage: queueStage(item),
      number: applicationNumber(item.id),
      day: dayOf(item.createdAt),
      time: Date.parse(item.createdAt),
      // A sealed application has no name in clear: it is found by its number only.
      name: foldText(clearNameOf(item) ?? ''),
    }))
    .sort((a, b) => b.time - a.time || a.item.id.localeCompare(b.item.id));
}

/** The distinct Perangkat Daerah of the entries, sorted for a select. */
export function perangkatDaerahOf(entries: readonly QueueEntry[]): string[] {
  const names = new Set(entries.map((e) => e.item.record.applicant.perangkatDaerah));
  return [...names].sort((a, b) => a.localeCompare(b, 'id'));
}

// The data alphabet and the check symbols; a start that holds anything else is no number.
const NUMBER_CHARS = /^[0-9A-Z*~$=]+$/;

/** What a search text can mean; an entry matches when any of the keys does. */
interface SearchKeys {
  name: string;
  /** Digits only: the start of a NIK (or a whole one). */
  nikPrefix: string | null;
  /** A whole, valid application number. */
  number: ApplicationNumber | null;
  /** The start of a number as typed from the receipt (`SK-7F3A`), without dashes: `SK7F3A`. */
  numberPrefix: string | null;
}

function searchKeys(text: string): SearchKeys | null {
  const name = foldText(text);
  if (name === '') return null;
  const compact = text.replace(/[\s.-]/g, '').toUpperCase();
  const parsed = parseApplicationNumber(text);
  let numberPrefix: string | null = null;
  if (compact.startsWith('SK') && compact.length > 2 && compact.length <= 13) {
    // Crockford's aliases, as the parser reads them: O is 0, I and L are 1.
    const body = compact.slice(2).replace(/O/g, '0').replace(/[IL]/g, '1');
    if (NUMBER_CHARS.test(body)) numberPrefix = `SK${body}`;
  }
  return {
    name,
    nikPrefix: /^\d{1,16}$/.test(compact) ? compact : null,
    number: parsed.ok ? parsed.value : null,
    numberPrefix,
  };
}

function matchesSearch(entry: QueueEntry, keys: SearchKeys): boolean {
  if (entry.name.includes(keys.name)) return true;
  if (keys.nikPrefix !== null && clearNikOf(entry.item)?.startsWith(keys.nikPrefix)) return true;
  if (keys.number !== null && entry.number === keys.number) return true;
  return keys.numberPrefix !== null && entry.number.replace(/-/g, '').startsWith(keys.numberPrefix);
}

function emptyCounts(): Record<QueueStage, number> {
  return Object.fromEntries(QUEUE_STAGES.map((s) => [s, 0])) as Record<QueueStage, number>;
}

/** The entries matching `query` (in the index's order, newest first) and the counts per stage. */
export function filterQueue(entries: readonly QueueEntry[], query: QueueQuery): QueueResult {
  const keys = searchKeys(query.search ?? '');
  const counts = emptyCounts();
  const items: QueueEntry[] = [];
  let total = 0;
  for (const entry of entries) {
    if (query.certificateType && entry.item.record.certificateType !== query.certificateType) continue;
    if (query.perangkatDaerah && entry.item.record.applicant.perangkatDaerah !== query.perangkatDaerah)
      continue;
    if (query.date && entry.day !== query.date) continue;
    if (keys !== null && !matchesSearch(entry, keys)) continue;
    counts[entry.stage] += 1;
    total += 1;
    if (!query.stage || entry.stage === query.stage) items.push(entry);
  }
  return { items, counts, total };
}

/** `filterQueue` over a fresh index: for a one-off question (the screen keeps the index). */
export function queryQueue(
  items: readonly OutboxSummary[],
  query: QueueQuery,
  dayOf: (iso: string) => string,
): QueueResult {
  return filterQueue(indexQueue(items, dayOf), query);
}
