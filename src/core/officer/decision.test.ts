import { describe, expect, it } from 'vitest';
import { decisionPayloadSchema } from '../../protocol/officer';
import { checklistFor } from './checklist';
import {
  type DecisionInput,
  type DecisionProblem,
  type DecisionRules,
  decisionPayloadText,
  readDecision,
} from './decision';

const RULES: DecisionRules = {
  rejectionReasons: [
    { code: 'data-tidak-sesuai-ektp', id: 'Data tidak sesuai e-KTP', en: 'Data do not match the e-KTP' },
    { code: 'dokumen-tidak-lengkap', id: 'Dokumen tidak lengkap', en: 'Documents are incomplete' },
    { code: 'lainnya', id: 'Lainnya', en: 'Other', needsNote: true },
  ],
};

const HASH = 'a'.repeat(64);

function createApproval(overrides: Partial<DecisionInput> = {}): DecisionInput {
  return {
    applicationId: '0b9e4f8a-3c2d-4e5f-8a6b-7c8d9e0f1a2b',
    applicationHash: HASH,
    certificateType: 'individu',
    hasWarnings: false,
    decision: 'approved',
    reasons: [],
    note: '',
    checklist: checklistFor('individu', { hasWarnings: false }),
    officerId: '1f2e3d4c-5b6a-4978-8a1b-2c3d4e5f6a7b',
    keyId: '2a3b4c5d-6e7f-4a1b-9c2d-3e4f5a6b7c8d',
    kioskId: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f',
    decidedAt: '2026-11-26T09:30:00.000+07:00',
    ...overrides,
  };
}

const createRejection = (overrides: Partial<DecisionInput> = {}): DecisionInput =>
  createApproval({ decision: 'rejected', reasons: ['dokumen-tidak-lengkap'], checklist: [], ...overrides });

function textOf(input: DecisionInput): string {
  const result = decisionPayloadText(input, RULES);
  if (!result.ok) throw new Error(`expected a payload, got ${JSON.stringify(result.problem)}`);
  return result.value;
}

function problemsOf(input: DecisionInput): DecisionProblem[] {
  const result = decisionPayloadText(input, RULES);
  if (result.ok) throw new Error('expected problems, got a payload');
  return result.problem;
}

describe('decisionPayloadText', () => {
  it('writes the keys in the order of decisionPayloadSchema', () => {
    const text = textOf(createApproval());
    expect(Object.keys(JSON.parse(text))).toEqual(Object.keys(decisionPayloadSchema.shape));
    expect(text.startsWith('{"v":1,"type":"decision","applicationId":')).toBe(true);
  });

  it('parses back to the same payload, which the schema accepts', () => {
    for (const input of [createApproval(), createRejection({ note: 'SK belum dilampirkan' })]) {
      const text = textOf(input);
      const read = readDecision(text);
      expect(read).toEqual({ ok: true, value: JSON.parse(text) });
      expect(decisionPayloadSchema.safeParse(JSON.parse(text)).success).toBe(true);
      // Reading and writing again gives the very bytes that were signed.
      if (read.ok) expect(JSON.stringify(read.value)).toBe(text);
    }
  });

  it('signs the same text whatever order the officer ticked and chose in', () => {
    const items = checklistFor('jabatan', { hasWarnings: true });
    const a = createApproval({ certificateType: 'jabatan', hasWarnings: true, checklist: items });
    const b = { ...a, checklist: [...items].reverse() };
    expect(textOf(a)).toBe(textOf(b));
    const r1 = createRejection({ reasons: ['dokumen-tidak-lengkap', 'data-tidak-sesuai-ektp'] });
    const r2 = createRejection({
      reasons: ['data-tidak-sesuai-ektp', 'dokumen-tidak-lengkap', 'data-tidak-sesuai-ektp'],
    });
    expect(textOf(r1)).toBe(textOf(r2));
    expect(JSON.parse(textOf(r1)).reasons).toEqual(['data-tidak-sesuai-ektp', 'dokumen-tidak-lengkap']);
  });

  it('trims the note', () => {
    expect(JSON.parse(textOf(createRejection({ note: '  Foto buram \n' }))).note).toBe('Foto buram');
  });

  it('keeps the partial checklist of a rejection', () => {
    const text = textOf(createRejection({ checklist: ['identity-matches', 'ektp-scan-legible'] }));
    expect(JSON.parse(text).checklist).toEqual(['identity-matches', 'ektp-scan-legible']);
  });

  it('accepts a note of exactly 500 characters after trimming', () => {
    expect(decisionPayloadText(createRejection({ note: ` ${'x'.repeat(500)} ` }), RULES).ok).toBe(true);
  });

  it.each<[string, Partial<DecisionInput>, DecisionProblem[]]>([
    [
      'an approval with an item unticked',
      { checklist: checklistFor('individu', { hasWarnings: false }).slice(1) },
      [{ field: 'checklist', reason: 'unchecked', items: ['identity-matches'] }],
    ],
    [
      'an approval with warnings not reviewed',
      { hasWarnings: true },
      [{ field: 'checklist', reason: 'unchecked', items: ['warnings-reviewed'] }],
    ],
    ['an approval with a reason', { reasons: ['lainnya'] }, [{ field: 'reasons', reason: 'not-allowed' }]],
    [
      'a tick of another type’s item',
      { checklist: [...checklistFor('individu', { hasWarnings: false }), 'host-belongs-to-pd'] },
      [{ field: 'checklist', reason: 'unknown-items', items: ['host-belongs-to-pd'] }],
    ],
    ['a note of 501 characters', { note: 'x'.repeat(501) }, [{ field: 'note', reason: 'too-long' }]],
    [
      'a bad application id',
      { applicationId: 'not-a-uuid' },
      [{ field: 'applicationId', reason: 'invalid' }],
    ],
    [
      'an upper-case hash',
      { applicationHash: 'A'.repeat(64) },
      [{ field: 'applicationHash', reason: 'invalid' }],
    ],
    ['a time without offset', { decidedAt: '2026-11-26 09:30' }, [{ field: 'decidedAt', reason: 'invalid' }]],
  ])('refuses %s', (_what, overrides, problems) => {
    expect(problemsOf(createApproval(overrides))).toEqual(problems);
  });

  it.each<[string, Partial<DecisionInput>, DecisionProblem[]]>([
    ['a rejection without a reason', { reasons: [] }, [{ field: 'reasons', reason: 'required' }]],
    [
      'a reason not in the configured list',
      { reasons: ['dokumen-tidak-lengkap', 'tidak-suka'] },
      [{ field: 'reasons', reason: 'unknown', codes: ['tidak-suka'] }],
    ],
    [
      '"lainnya" without a note',
      { reasons: ['lainnya'], note: '   ' },
      [{ field: 'note', reason: 'required' }],
    ],
  ])('refuses %s', (_what, overrides, problems) => {
    expect(problemsOf(createRejection(overrides))).toEqual(problems);
  });

  it('lists every problem at once', () => {
    expect(
      problemsOf(createRejection({ reasons: [], note: 'x'.repeat(600), kioskId: '', keyId: 'k' })),
    ).toEqual([
      { field: 'reasons', reason: 'required' },
      { field: 'note', reason: 'too-long' },
      { field: 'keyId', reason: 'invalid' },
      { field: 'kioskId', reason: 'invalid' },
    ]);
  });

  it('accepts "lainnya" with a note', () => {
    expect(
      decisionPayloadText(createRejection({ reasons: ['lainnya'], note: 'Pindah tugas' }), RULES).ok,
    ).toBe(true);
  });

  it('refuses a configured code the wire schema would refuse', () => {
    const rules: DecisionRules = { rejectionReasons: [{ code: 'Bad Code', id: 'x', en: 'x' }] };
    expect(decisionPayloadText(createRejection({ reasons: ['Bad Code'] }), rules)).toEqual({
      ok: false,
      problem: [{ field: 'payload', reason: 'invalid' }],
    });
  });
});

describe('readDecision', () => {
  const text = textOf(createRejection());

  it.each<[string, string, 'not-json' | 'invalid']>([
    ['not JSON', '{"v":1', 'not-json'],
    ['a JSON array', '[]', 'invalid'],
    ['null', 'null', 'invalid'],
    ['an extra key', text.replace('{"v":1', '{"extra":true,"v":1'), 'invalid'],
    ['an extra key named like an Object method', text.replace('{"v":1', '{"toString":1,"v":1'), 'invalid'],
    ['another version', text.replace('{"v":1', '{"v":2'), 'invalid'],
    ['a rejection without reasons', text.replace('["dokumen-tidak-lengkap"]', '[]'), 'invalid'],
    ['a release', text.replace('"type":"decision"', '"type":"release"'), 'invalid'],
  ])('refuses %s', (_what, payload, problem) => {
    expect(readDecision(payload)).toEqual({ ok: false, problem });
  });
});
