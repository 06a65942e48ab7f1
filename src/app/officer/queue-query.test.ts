import { describe, expect, it } from 'vitest';
import { decisionStatement, makeSummary } from '../../../tests/support/outbox-summaries';
import type { OutboxLifecycleState } from '../../core/outbox/lifecycle';
import { NEW_HANDOVER, type OutboxSummary } from '../ports';
import {
  dayAtOffset,
  filterQueue,
  foldText,
  indexQueue,
  perangkatDaerahOf,
  type QueueQuery,
  type QueueStage,
  queryQueue,
  queueStage,
} from './queue-query';

const WIB = dayAtOffset(7 * 60);
const DECIDED: OutboxLifecycleState[] = ['captured', 'decided', 'queued'];

// Numbers worked out once from `applicationNumber` (see application-number.test.ts for the scheme).
const ID_A = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d'; // SK-M6SC-7N75-YSQ
const ID_B = '7e57a000-1111-4222-8333-444455556666'; // SK-FSBT-000H-254
const ID_C = '00000000-0000-4000-8000-000000000001'; // SK-0000-0000-011

const ids = (items: { item: OutboxSummary }[]) => items.map((e) => e.item.id);

describe('queueStage', () => {
  it.each<[string, OutboxLifecycleState[], 'approved' | 'rejected' | null, QueueStage]>([
    ['captured: waiting for the officer', ['captured'], null, 'held'],
    ['approved, queued', DECIDED, 'approved', 'approved'],
    ['rejected, queued', DECIDED, 'rejected', 'rejected'],
    ['approved, at the server', [...DECIDED, 'synced'], 'approved', 'approved'],
    ['rejected, at the server', [...DECIDED, 'synced'], 'rejected', 'rejected'],
    ['sent without a decision', ['captured', 'queued', 'synced'], null, 'no-decision'],
    ['refused by the server', [...DECIDED, 'rejected'], 'approved', 'refused-by-server'],
    ['at the CA', [...DECIDED, 'synced', 'sent-to-ca'], 'approved', 'sent-to-ca'],
    ['issued', [...DECIDED, 'synced', 'sent-to-ca', 'issued'], 'approved', 'issued'],
    ['rejected by the CA', [...DECIDED, 'synced', 'ca-rejected'], 'approved', 'ca-rejected'],
    ['handed over', [...DECIDED, 'synced', 'issued', 'handed-over'], 'approved', 'handed-over'],
    [
      'handed over before it reached the server',
      [...DECIDED, 'handed-over', 'synced'],
      'approved',
      'handed-over',
    ],
    ['handed over, then refused', [...DECIDED, 'handed-over', 'rejected'], 'approved', 'refused-by-server'],
  ])('%s → %s', (_name, states, decision, stage) => {
    const item = makeSummary({ states, ...(decision ? { decision: decisionStatement(decision) } : {}) });
    expect(queueStage(item)).toBe(stage);
  });

  it('reads an unreadable decision as none', () => {
    const item = makeSummary({
      states: [...DECIDED, 'synced'],
      decision: { payload: '{"v":1,"type":"decision"}', signature: 'A'.repeat(86) },
    });
    expect(queueStage(item)).toBe('no-decision');
  });

  it('takes the handover state as handed over even before the history says so', () => {
    const states: OutboxLifecycleState[] = [...DECIDED, 'synced', 'issued'];
    const handedOver = makeSummary({
      states,
      overrides: { handover: { ...NEW_HANDOVER, handedOverAt: '2026-12-01T03:00:00.000Z' } },
    });
    const triedOnly = makeSummary({ states, overrides: { handover: { ...NEW_HANDOVER, wrongAttempts: 2 } } });
    expect(queueStage(handedOver)).toBe('handed-over');
    expect(queueStage(triedOnly)).toBe('issued');
  });
});

describe('foldText', () => {
  it.each([
    ['SITI  Rahayu ', 'siti rahayu'],
    ['RENÉ Ñoño', 'rene nono'],
    ['Dẹwi', 'dewi'],
  ])('%j → %j', (text, folded) => {
    expect(foldText(text)).toBe(folded);
  });
});

describe('dayAtOffset', () => {
  it('gives the day at that offset, whatever offset the time was written with', () => {
    // 00:30 on 26 November in Madiun is still 25 November in UTC.
    expect(WIB('2026-11-25T17:30:00.000Z')).toBe('2026-11-26');
    expect(dayAtOffset(0)('2026-11-25T17:30:00.000Z')).toBe('2026-11-25');
    expect(WIB('2026-11-26T23:59:00.000+07:00')).toBe('2026-11-26');
  });
});

describe('indexQueue', () => {
  it('lists newest first by the instant, not by the text of the time', () => {
    const items = [
      makeSummary({ id: ID_A, createdAt: '2026-11-26T09:00:00.000+07:00' }), // 02:00 UTC
      makeSummary({ id: ID_B, createdAt: '2026-11-26T03:00:00.000Z' }),
      makeSummary({ id: ID_C, createdAt: '2026-11-25T03:00:00.000Z' }),
    ];
    expect(ids(indexQueue(items, WIB))).toEqual([ID_B, ID_A, ID_C]);
  });

  it('works out the number, the stage and the local day once', () => {
    const [entry] = indexQueue(
      [makeSummary({ id: ID_A, createdAt: '2026-11-25T17:30:00.000Z', nama: 'Dédé  Saputra' })],
      WIB,
    );
    expect(entry).toMatchObject({
      number: 'SK-M6SC-7N75-YSQ',
      stage: 'held',
      day: '2026-11-26',
      name: 'dede saputra',
    });
  });
});

describe('filterQueue', () => {
  const items = [
    makeSummary({
      id: ID_A,
      createdAt: '2026-11-26T02:00:00.000Z',
      nama: 'SITI RAHAYU',
      nik: '3577014501900003',
      perangkatDaerah: 'Dinas Komunikasi dan Informatika',
    }),
    makeSummary({
      id: ID_B,
      // 26 November 01:00 in Madiun, still 25 November in UTC.
      createdAt: '2026-11-25T18:00:00.000Z',
      states: DECIDED,
      decision: decisionStatement('approved'),
      nama: 'RENÉ SAPUTRA',
      nik: '3577015502910004',
      certificateType: 'jabatan',
      perangkatDaerah: 'Badan Kepegawaian Daerah',
    }),
    makeSummary({
      id: ID_C,
      // 25 November 23:30 in Madiun.
      createdAt: '2026-11-25T16:30:00.000Z',
      states: [...DECIDED, 'synced', 'issued'],
      decision: decisionStatement('approved'),
      nama: 'Bambang Sutrisno',
      nik: '3519012003850001',
      perangkatDaerah: 'Dinas Komunikasi dan Informatika',
    }),
  ];
  const index = indexQueue(items, WIB);
  const query = (q: QueueQuery) => ids(filterQueue(index, q).items);

  it('lets everything through without filters, newest first', () => {
    expect(query({})).toEqual([ID_A, ID_B, ID_C]);
    expect(query({ search: '   ' })).toEqual([ID_A, ID_B, ID_C]);
  });

  it('filters by stage', () => {
    expect(query({ stage: 'held' })).toEqual([ID_A]);
    expect(query({ stage: 'approved' })).toEqual([ID_B]);
    expect(query({ stage: 'issued' })).toEqual([ID_C]);
    expect(query({ stage: 'ca-rejected' })).toEqual([]);
  });

  it('filters by certificate type', () => {
    expect(query({ certificateType: 'jabatan' })).toEqual([ID_B]);
    expect(query({ certificateType: 'individu' })).toEqual([ID_A, ID_C]);
    expect(query({ certificateType: 'sistem-elektronik' })).toEqual([]);
  });

  it('filters by Perangkat Daerah', () => {
    expect(query({ perangkatDaerah: 'Dinas Komunikasi dan Informatika' })).toEqual([ID_A, ID_C]);
    expect(query({ perangkatDaerah: 'Badan Kepegawaian Daerah' })).toEqual([ID_B]);
  });

  it('filters by the local capture day', () => {
    expect(query({ date: '2026-11-26' })).toEqual([ID_A, ID_B]);
    expect(query({ date: '2026-11-25' })).toEqual([ID_C]);
    // The same items by UTC days: the one captured after midnight in Madiun moves to the day before.
    expect(ids(queryQueue(items, { date: '2026-11-25' }, dayAtOffset(0)).items)).toEqual([ID_B, ID_C]);
  });

  it('combines filters', () => {
    expect(
      query({ perangkatDaerah: 'Dinas Komunikasi dan Informatika', date: '2026-11-26', stage: 'held' }),
    ).toEqual([ID_A]);
    expect(query({ certificateType: 'jabatan', date: '2026-11-25' })).toEqual([]);
  });

  it.each([
    ['siti', [ID_A]],
    ['RAHAYU', [ID_A]],
    ['ti rah', [ID_A]],
    ['rene', [ID_B]],
    ['René', [ID_B]],
    ['sutrisno', [ID_C]],
    ['saputra  rené', []],
  ])('finds the name %j, case and accents ignored', (search, expected) => {
    expect(query({ search })).toEqual(expected);
  });

  it.each([
    ['3577014501900003', [ID_A]],
    ['35770', [ID_A, ID_B]],
    ['3577 0155', [ID_B]],
    ['35', [ID_A, ID_B, ID_C]],
    // The middle of a NIK is not its start.
    ['0145019', []],
  ])('finds the NIK from its start: %j', (search, expected) => {
    expect(query({ search })).toEqual(expected);
  });

  it.each([
    ['SK-M6SC-7N75-YSQ', [ID_A]],
    ['sk-m6sc-7n75-ysq', [ID_A]],
    ['m6sc7n75ysq', [ID_A]],
    ['SK FSBT OOOH 254', [ID_B]],
    ['SK-0000-0000-0LL', [ID_C]],
  ])('finds a whole application number as the parser reads it: %j', (search, expected) => {
    expect(query({ search })).toEqual(expected);
  });

  it.each([
    ['SK-M6SC', [ID_A]],
    ['sk m6', [ID_A]],
    ['SK-FSBT-000', [ID_B]],
    ['SK-FSBT-OOO', [ID_B]],
    ['SK-0', [ID_C]],
    ['SK-M6SX', []],
    // A whole number with a wrong check character matches nothing.
    ['SK-M6SC-7N75-YSX', []],
  ])('finds the start of an application number: %j', (search, expected) => {
    expect(query({ search })).toEqual(expected);
  });

  it('counts every stage with the other filters applied, whatever stage is chosen', () => {
    const all = filterQueue(index, { stage: 'held' });
    expect(all.counts).toMatchObject({ held: 1, approved: 1, issued: 1, rejected: 0, 'handed-over': 0 });
    expect(all.total).toBe(3);

    const today = filterQueue(index, { stage: 'issued', date: '2026-11-26' });
    expect(today.items).toEqual([]);
    expect(today.counts).toMatchObject({ held: 1, approved: 1, issued: 0 });
    expect(today.total).toBe(2);

    const searched = filterQueue(index, { search: 'rené' });
    expect(searched.counts).toMatchObject({ held: 0, approved: 1, issued: 0 });
    expect(searched.total).toBe(1);
  });
});

describe('perangkatDaerahOf', () => {
  it('lists each Perangkat Daerah once, sorted', () => {
    const index = indexQueue(
      [
        makeSummary({ perangkatDaerah: 'Dinas Pendidikan' }),
        makeSummary({ perangkatDaerah: 'Badan Kepegawaian Daerah' }),
        makeSummary({ perangkatDaerah: 'Dinas Pendidikan' }),
      ],
      WIB,
    );
    expect(perangkatDaerahOf(index)).toEqual(['Badan Kepegawaian Daerah', 'Dinas Pendidikan']);
  });
});
