import { describe, expect, it } from 'vitest';
import { OFFICER_LIMITS, releasePayloadSchema } from '../../protocol/officer';
import {
  type ReleaseCandidate,
  type ReleaseInput,
  type ReleaseProblem,
  readRelease,
  releasePayloadText,
  releaseProblem,
} from './release';

const SITI = '1f2e3d4c-5b6a-4978-8a1b-2c3d4e5f6a7b';
const BUDI = '4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a';
const APPROVED_BY_SITI: ReleaseCandidate = { decision: 'approved', decidedBy: SITI, releasedAt: null };
const ON = { twoPersonRule: true };
const OFF = { twoPersonRule: false };

describe('releaseProblem', () => {
  it.each<[string, ReleaseCandidate, string, { twoPersonRule: boolean }, ReleaseProblem | null]>([
    ['a second officer', APPROVED_BY_SITI, BUDI, ON, null],
    ['the deciding officer', APPROVED_BY_SITI, SITI, ON, 'self-release'],
    ['the deciding officer with the rule off', APPROVED_BY_SITI, SITI, OFF, null],
    ['a rejected application', { ...APPROVED_BY_SITI, decision: 'rejected' }, BUDI, ON, 'not-approved'],
    [
      'an undecided application',
      { decision: null, decidedBy: null, releasedAt: null },
      BUDI,
      OFF,
      'not-approved',
    ],
    ['an approval naming no officer', { ...APPROVED_BY_SITI, decidedBy: null }, BUDI, ON, 'not-approved'],
    [
      'an application already released',
      { ...APPROVED_BY_SITI, releasedAt: '2026-11-26T16:00:00.000+07:00' },
      BUDI,
      ON,
      'already-released',
    ],
    [
      'a repeat by the decider (a retry, not a new self-release)',
      { ...APPROVED_BY_SITI, releasedAt: '2026-11-26T16:00:00.000+07:00' },
      SITI,
      ON,
      'already-released',
    ],
  ])('%s', (_what, application, officer, rules, problem) => {
    expect(releaseProblem(application, officer, rules)).toBe(problem);
  });
});

const IDS = ['0b9e4f8a-3c2d-4e5f-8a6b-7c8d9e0f1a2b', '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b'];

function createRelease(overrides: Partial<ReleaseInput> = {}): ReleaseInput {
  return {
    applicationIds: IDS,
    officerId: BUDI,
    keyId: '2a3b4c5d-6e7f-4a1b-9c2d-3e4f5a6b7c8d',
    kioskId: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f',
    releasedAt: '2026-11-26T16:00:00.000+07:00',
    ...overrides,
  };
}

describe('releasePayloadText', () => {
  it('writes the keys in the order of releasePayloadSchema and reads back the same', () => {
    const result = releasePayloadText(createRelease());
    if (!result.ok) throw new Error('expected a payload');
    expect(Object.keys(JSON.parse(result.value))).toEqual(Object.keys(releasePayloadSchema.shape));
    const read = readRelease(result.value);
    expect(read).toEqual({ ok: true, value: { v: 1, type: 'release', ...createRelease() } });
    if (read.ok) expect(JSON.stringify(read.value)).toBe(result.value);
  });

  it('names each application once', () => {
    const result = releasePayloadText(createRelease({ applicationIds: [IDS[1] ?? '', ...IDS] }));
    expect(result.ok && JSON.parse(result.value).applicationIds).toEqual([IDS[1], IDS[0]]);
  });

  it.each<[string, Partial<ReleaseInput>, string[]]>([
    ['no applications', { applicationIds: [] }, ['applicationIds']],
    [
      'more applications than one release may name',
      {
        applicationIds: Array.from(
          { length: OFFICER_LIMITS.maxReleaseIds + 1 },
          (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        ),
      },
      ['applicationIds'],
    ],
    [
      'a bad id and a bad time',
      { applicationIds: ['x'], releasedAt: 'today' },
      ['applicationIds', 'releasedAt'],
    ],
  ])('refuses %s', (_what, overrides, fields) => {
    const result = releasePayloadText(createRelease(overrides));
    expect(result.ok ? [] : result.problem.map((p) => p.field)).toEqual(fields);
  });
});

describe('readRelease', () => {
  it.each([
    ['not JSON', 'nope', 'not-json'],
    ['an extra key', '{"v":1,"type":"release","x":1}', 'invalid'],
    ['a decision', '{"v":1,"type":"decision"}', 'invalid'],
  ])('refuses %s', (_what, text, problem) => {
    expect(readRelease(text)).toEqual({ ok: false, problem });
  });
});
