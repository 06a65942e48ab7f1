import { describe, expect, it } from 'vitest';
import {
  compareVersions,
  type Guardrail,
  type GuardrailInput,
  type GuardrailKind,
  type GuardrailLimits,
  trippedGuardrails,
} from './guardrails';

const LIMITS: GuardrailLimits = { maxUnsynced: 300, maxUnsyncedAgeDays: 14 };
const NOW = new Date('2026-11-25T08:00:00.000Z');
const daysAgo = (days: number, extraMs = 0) =>
  new Date(NOW.getTime() - days * 86_400_000 - extraMs).toISOString();

/** A kiosk well inside every limit, with one part changed. */
function input(overrides: Partial<GuardrailInput> = {}): GuardrailInput {
  return {
    unsyncedCount: 3,
    oldestUnsyncedAt: daysAgo(1),
    now: NOW,
    storageLevel: 'ok',
    kioskVersion: '1.4.0',
    minimumVersion: '1.2.0',
    archiveKeyKnown: true,
    ...overrides,
  };
}

const kinds = (tripped: Guardrail[]) => tripped.map((g) => g.kind);

describe('trippedGuardrails', () => {
  it.each<[string, Partial<GuardrailInput>, GuardrailKind[]]>([
    ['a kiosk inside every limit', {}, []],
    ['a kiosk that never reached the server: no archive key', { archiveKeyKnown: false }, ['no-archive-key']],
    ['nothing unsynced at all', { unsyncedCount: 0, oldestUnsyncedAt: null }, []],
    ['299 unsynced: one more may still come', { unsyncedCount: 299 }, []],
    ['300 unsynced: the limit reached', { unsyncedCount: 300 }, ['too-many-unsynced']],
    ['5,000 unsynced', { unsyncedCount: 5000 }, ['too-many-unsynced']],
    ['the oldest exactly 14 days old', { oldestUnsyncedAt: daysAgo(14) }, []],
    ['the oldest 14 days and a second old', { oldestUnsyncedAt: daysAgo(14, 1000) }, ['oldest-too-old']],
    ['the oldest 40 days old', { oldestUnsyncedAt: daysAgo(40) }, ['oldest-too-old']],
    ['the oldest captured "tomorrow" (the clock was corrected)', { oldestUnsyncedAt: daysAgo(-1) }, []],
    ['storage low: a warning only', { storageLevel: 'low' }, []],
    ['storage unknown', { storageLevel: null }, []],
    ['storage critical', { storageLevel: 'critical' }, ['storage-nearly-full']],
    ['no minimum version heard', { minimumVersion: null }, []],
    ['exactly the minimum version', { kioskVersion: '1.2.0' }, []],
    ['an older patch', { kioskVersion: '1.1.9' }, ['software-outdated']],
    ['10 is newer than 9, not older', { kioskVersion: '1.10.0', minimumVersion: '1.9.0' }, []],
    ['an older major', { kioskVersion: '0.9.9', minimumVersion: '1.0.0' }, ['software-outdated']],
    ['a kiosk version that does not read', { kioskVersion: 'dev' }, ['software-outdated']],
    [
      'everything at once, in a fixed order',
      {
        unsyncedCount: 300,
        oldestUnsyncedAt: daysAgo(30),
        storageLevel: 'critical',
        kioskVersion: '1.0.0',
      },
      ['too-many-unsynced', 'oldest-too-old', 'storage-nearly-full', 'software-outdated'],
    ],
  ])('%s → %j', (_, overrides, expected) => {
    expect(kinds(trippedGuardrails(input(overrides), LIMITS))).toEqual(expected);
  });

  it('says by how much each limit is crossed, for the message', () => {
    const tripped = trippedGuardrails(
      input({
        unsyncedCount: 312,
        oldestUnsyncedAt: daysAgo(20, 3_600_000),
        kioskVersion: '1.1.0',
        minimumVersion: '1.3.2',
      }),
      LIMITS,
    );
    expect(tripped).toEqual([
      { kind: 'too-many-unsynced', unsynced: 312, max: 300 },
      { kind: 'oldest-too-old', ageDays: 20, maxDays: 14, oldestAt: daysAgo(20, 3_600_000) },
      { kind: 'software-outdated', kioskVersion: '1.1.0', minimumVersion: '1.3.2' },
    ]);
  });

  it('follows the configured limits, not fixed ones', () => {
    const strict = { maxUnsynced: 3, maxUnsyncedAgeDays: 1 };
    expect(kinds(trippedGuardrails(input({ oldestUnsyncedAt: daysAgo(2) }), strict))).toEqual([
      'too-many-unsynced',
      'oldest-too-old',
    ]);
  });
});

describe('compareVersions', () => {
  it.each<[string, string, number | null]>([
    ['1.2.3', '1.2.3', 0],
    ['1.2.3', '1.2.4', -1],
    ['1.3.0', '1.2.9', 1],
    ['2.0.0', '10.0.0', -1],
    ['0.10.0', '0.9.0', 1],
    ['1.2', '1.2.0', null],
    ['1.2.3-rc.1', '1.2.3', null],
    ['01.2.3', '1.2.3', null],
    ['v1.2.3', '1.2.3', null],
  ])('%s vs %s → %s', (a, b, sign) => {
    const order = compareVersions(a, b);
    expect(order === null ? null : Math.sign(order)).toBe(sign);
  });
});
