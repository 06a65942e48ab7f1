import { describe, expect, it } from 'vitest';
import type { OutboxHistoryEntry } from './lifecycle';
import { type PurgeVerdict, purgeVerdict, type RetentionInput } from './retention';

const NOW = new Date('2026-11-26T08:00:00.000Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();
const path = (...steps: [OutboxHistoryEntry['state'], number][]): OutboxHistoryEntry[] =>
  steps.map(([state, h]) => ({ state, at: hoursAgo(h) }));
const captured: [OutboxHistoryEntry['state'], number][] = [
  ['captured', 100],
  ['decided', 99],
  ['queued', 99],
];

describe('purgeVerdict (grace 24 hours)', () => {
  it.each<[string, RetentionInput, PurgeVerdict]>([
    [
      'held at the counter',
      { history: path(['captured', 100]), decision: null },
      { sealedBlob: false, privateKey: false },
    ],
    [
      'queued, never acknowledged',
      { history: path(...captured), decision: 'approved' },
      { sealedBlob: false, privateKey: false },
    ],
    [
      'acknowledged 23 hours ago',
      { history: path(...captured, ['synced', 23]), decision: 'rejected' },
      { sealedBlob: false, privateKey: false },
    ],
    [
      'rejected by the officer, acknowledged 24 hours ago: no certificate will come',
      { history: path(...captured, ['synced', 24]), decision: 'rejected' },
      { sealedBlob: true, privateKey: true },
    ],
    [
      'approved, acknowledged 48 hours ago, waiting for the CA: the key is still needed for the handover',
      { history: path(...captured, ['synced', 48], ['sent-to-ca', 40]), decision: 'approved' },
      { sealedBlob: true, privateKey: false },
    ],
    [
      'issued, not handed over',
      { history: path(...captured, ['synced', 48], ['issued', 40]), decision: 'approved' },
      { sealedBlob: true, privateKey: false },
    ],
    [
      'handed over 2 hours ago',
      {
        history: path(...captured, ['synced', 48], ['issued', 40], ['handed-over', 2]),
        decision: 'approved',
      },
      { sealedBlob: true, privateKey: false },
    ],
    [
      'handed over 30 hours ago',
      {
        history: path(...captured, ['synced', 48], ['issued', 40], ['handed-over', 30]),
        decision: 'approved',
      },
      { sealedBlob: true, privateKey: true },
    ],
    [
      'handed over before the record reached the server, which has not acknowledged it',
      { history: path(...captured, ['handed-over', 30]), decision: 'approved' },
      { sealedBlob: false, privateKey: false },
    ],
    [
      'refused by the CA 25 hours ago',
      { history: path(...captured, ['synced', 48], ['ca-rejected', 25]), decision: 'approved' },
      { sealedBlob: true, privateKey: true },
    ],
    [
      'refused by the server 25 hours ago',
      { history: path(...captured, ['rejected', 25]), decision: 'approved' },
      { sealedBlob: true, privateKey: true },
    ],
  ])('%s', (_, input, expected) => {
    expect(purgeVerdict(input, NOW, 24)).toEqual(expected);
  });
});
