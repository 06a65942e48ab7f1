import { describe, expect, it } from 'vitest';
import {
  appendHistory,
  assumedHistory,
  awaitsOutcome,
  currentState,
  decidedChange,
  followServer,
  IllegalTransitionError,
  initialHistory,
  LIFECYCLE_STATES,
  mayFollow,
  type OutboxHistoryEntry,
  type OutboxLifecycleState,
} from './lifecycle';

const AT = '2026-11-25T08:00:00.000Z';
const LATER = '2026-11-26T08:00:00.000Z';

/** Every legal step; any pair not listed here must be refused. */
const LEGAL: [OutboxLifecycleState | null, OutboxLifecycleState][] = [
  [null, 'draft'],
  [null, 'captured'],
  ['draft', 'captured'],
  ['captured', 'decided'],
  ['captured', 'queued'],
  ['decided', 'queued'],
  ['queued', 'synced'],
  ['queued', 'rejected'],
  ['queued', 'handed-over'],
  ['synced', 'sent-to-ca'],
  // The server may report the CA's answer before the kiosk heard that it was sent.
  ['synced', 'issued'],
  ['synced', 'ca-rejected'],
  ['synced', 'handed-over'],
  ['sent-to-ca', 'issued'],
  ['sent-to-ca', 'ca-rejected'],
  ['sent-to-ca', 'handed-over'],
  ['issued', 'handed-over'],
  ['handed-over', 'handed-over'],
  ['handed-over', 'synced'],
  ['handed-over', 'rejected'],
];

const legal = new Set(LEGAL.map(([from, to]) => `${from}>${to}`));
const everyPair = [null, ...LIFECYCLE_STATES].flatMap((from) =>
  LIFECYCLE_STATES.map((to) => [from, to] as const),
);

describe('mayFollow', () => {
  it.each(LEGAL)('%s → %s is allowed', (from, to) => {
    expect(mayFollow(from, to)).toBe(true);
  });

  it.each(everyPair.filter(([from, to]) => !legal.has(`${from}>${to}`)))('%s → %s is refused', (from, to) => {
    expect(mayFollow(from, to)).toBe(false);
  });

  it.each(['rejected', 'ca-rejected'] as const)(
    '%s is final: nothing follows it, not even a handover',
    (from) => {
      for (const to of LIFECYCLE_STATES) expect(mayFollow(from, to)).toBe(false);
    },
  );

  it('the whole path from the form to the applicant is legal', () => {
    const path: OutboxLifecycleState[] = [
      'draft',
      'captured',
      'decided',
      'queued',
      'synced',
      'sent-to-ca',
      'issued',
      'handed-over',
    ];
    const history = path.reduce<OutboxHistoryEntry[]>((h, state) => appendHistory(h, { state, at: AT }), []);
    expect(history.map((e) => e.state)).toEqual(path);
  });
});

describe('appendHistory', () => {
  it('appends without touching the history it was given', () => {
    const before = initialHistory(AT);
    const frozen = structuredClone(before);
    const after = appendHistory(before, { state: 'synced', at: LATER, note: 'acknowledged' });
    expect(before).toEqual(frozen);
    expect(after).toEqual([...frozen, { state: 'synced', at: LATER, note: 'acknowledged' }]);
    expect(currentState(after)).toBe('synced');
  });

  it('refuses an illegal step with both states named', () => {
    const synced = appendHistory(initialHistory(AT), { state: 'synced', at: LATER });
    const attempt = () => appendHistory(synced, { state: 'queued', at: LATER });
    expect(attempt).toThrow(IllegalTransitionError);
    expect(attempt).toThrow('an application in state synced cannot become queued');
  });
});

describe('initialHistory', () => {
  it('records a new application as captured and queued at the same moment', () => {
    expect(initialHistory(AT)).toEqual([
      { state: 'captured', at: AT },
      { state: 'queued', at: AT },
    ]);
    expect(initialHistory(AT, 'queued')).toEqual(initialHistory(AT));
  });

  it('leaves an application held for the officer at captured', () => {
    expect(initialHistory(AT, 'held')).toEqual([{ state: 'captured', at: AT }]);
  });
});

describe('decidedChange', () => {
  const held = { state: 'held' as const, attempts: 0, history: initialHistory(AT, 'held') };

  it('takes a held application through decided to queued, at the decision time', () => {
    expect(decidedChange(held, LATER)).toEqual({
      state: 'queued',
      history: [
        { state: 'captured', at: AT },
        { state: 'decided', at: LATER },
        { state: 'queued', at: LATER },
      ],
    });
    expect(held.history).toEqual([{ state: 'captured', at: AT }]);
  });

  it.each([
    ['queued', { state: 'queued' as const, attempts: 0, history: initialHistory(AT) }, 'queued'],
    [
      'synced',
      {
        state: 'synced' as const,
        attempts: 0,
        history: appendHistory(initialHistory(AT), { state: 'synced', at: AT }),
      },
      'synced',
    ],
    ['missing', undefined, null],
  ])('refuses a %s application, naming its state', (_what, item, from) => {
    const attempt = () => decidedChange(item, LATER);
    expect(attempt).toThrow(IllegalTransitionError);
    expect(attempt).toThrow(expect.objectContaining({ from, to: 'decided' }));
  });

  it('refuses a second decision: once decided the application is queued', () => {
    const once = decidedChange(held, LATER);
    expect(() => decidedChange({ ...held, ...once }, LATER)).toThrow(IllegalTransitionError);
  });
});

describe('assumedHistory', () => {
  const base = { createdAt: AT, syncedAt: null, handedOverAt: null };
  const states = (h: OutboxHistoryEntry[]) => h.map((e) => e.state);

  it.each([
    [{ ...base, state: 'queued' as const }, ['captured', 'queued']],
    [{ ...base, state: 'synced' as const, syncedAt: LATER }, ['captured', 'queued', 'synced']],
    [{ ...base, state: 'rejected' as const }, ['captured', 'queued', 'rejected']],
    [{ ...base, state: 'queued' as const, handedOverAt: LATER }, ['captured', 'queued', 'handed-over']],
    [
      { ...base, state: 'synced' as const, handedOverAt: LATER },
      ['captured', 'queued', 'synced', 'handed-over'],
    ],
    [
      { ...base, state: 'rejected' as const, handedOverAt: LATER },
      ['captured', 'queued', 'handed-over', 'rejected'],
    ],
    [{ ...base, state: 'held' as const }, ['captured']],
    [{ ...base, state: 'held' as const, handedOverAt: LATER }, ['captured']],
  ])('%o → %o, a legal path', (item, expected) => {
    const history = assumedHistory(item, 'UPGRADE', 'reconstructed');
    expect(states(history)).toEqual(expected);
    // Replaying it through the rule proves every step legal.
    expect(() => history.reduce<OutboxHistoryEntry[]>((h, e) => appendHistory(h, e), [])).not.toThrow();
    expect(history.every((e) => e.note === 'reconstructed')).toBe(true);
  });

  it('uses the recorded times, and the fallback only where none was recorded', () => {
    expect(assumedHistory({ ...base, state: 'synced', syncedAt: LATER }, 'UPGRADE', 'n').at(-1)?.at).toBe(
      LATER,
    );
    expect(assumedHistory({ ...base, state: 'synced' }, 'UPGRADE', 'n').at(-1)?.at).toBe('UPGRADE');
    expect(assumedHistory({ ...base, state: 'rejected' }, 'UPGRADE', 'n').at(-1)?.at).toBe('UPGRADE');
  });
});

describe('followServer', () => {
  const synced = appendHistory(initialHistory(AT), { state: 'synced', at: AT });

  it('enters the state the server reports, noted as the server’s', () => {
    expect(followServer(synced, 'issued', LATER)?.at(-1)).toEqual({
      state: 'issued',
      at: LATER,
      note: 'server',
    });
    const sent = followServer(synced, 'sent-to-ca', LATER) ?? [];
    expect(currentState(sent)).toBe('sent-to-ca');
    expect(currentState(followServer(sent, 'ca-rejected', LATER) ?? [])).toBe('ca-rejected');
  });

  it('says nothing new for received, for the same state again, or for a state that may not follow', () => {
    expect(followServer(synced, 'received', LATER)).toBeNull();
    const issued = followServer(synced, 'issued', LATER) ?? [];
    expect(followServer(issued, 'issued', LATER)).toBeNull();
    expect(followServer(issued, 'ca-rejected', LATER)).toBeNull();
    const handedOver = appendHistory(synced, { state: 'handed-over', at: AT });
    expect(followServer(handedOver, 'issued', LATER)).toBeNull();
  });

  it('only delivered applications without the CA’s answer await one', () => {
    expect(awaitsOutcome(initialHistory(AT))).toBe(false);
    expect(awaitsOutcome(synced)).toBe(true);
    expect(awaitsOutcome(followServer(synced, 'sent-to-ca', LATER) ?? [])).toBe(true);
    expect(awaitsOutcome(followServer(synced, 'issued', LATER) ?? [])).toBe(false);
    expect(awaitsOutcome(followServer(synced, 'ca-rejected', LATER) ?? [])).toBe(false);
  });
});
