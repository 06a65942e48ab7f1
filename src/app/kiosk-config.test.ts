import { describe, expect, it } from 'vitest';
import raw from '../../config/kiosk.json' with { type: 'json' };
import { REASON_CODE_PATTERN } from '../protocol/officer';
import { completenessRules, decisionRules, kioskConfig, kioskConfigSchema, pinPolicy } from './kiosk-config';

/** The shipped config with one part changed. */
const variant = (changes: Record<string, unknown>): unknown => ({ ...structuredClone(raw), ...changes });

describe('config/kiosk.json', () => {
  it('has the officer defaults of docs/officers.md', () => {
    expect(kioskConfig.officer).toEqual({
      pinMinLength: 6,
      pinMaxLength: 12,
      maxWrongPins: 5,
      idleLockSeconds: 300,
    });
    expect(kioskConfig.applicantIdleResetSeconds).toBe(120);
    expect(kioskConfig.twoPersonRule).toBe(true);
    expect(kioskConfig.agreement.version).toBe('2026-01');
  });

  it('stops new applications at 300 unsynced or 14 days without a sync (issue 8 guardrails)', () => {
    expect(kioskConfig.guardrails).toEqual({ maxUnsynced: 300, maxUnsyncedAgeDays: 14 });
    // A config written before the guardrails existed gets the same defaults.
    const { guardrails: _omitted, ...older } = structuredClone(raw);
    expect(kioskConfigSchema.parse(older).guardrails).toEqual({ maxUnsynced: 300, maxUnsyncedAgeDays: 14 });
  });

  it('deletes sealed data from the kiosk 24 hours after the acknowledgement (issue 8 retention)', () => {
    expect(kioskConfig.retention).toEqual({ graceHours: 24 });
    // A config written before retention existed gets the same default.
    const { retention: _omitted, ...older } = structuredClone(raw);
    expect(kioskConfigSchema.parse(older).retention).toEqual({ graceHours: 24 });
  });

  it('has rejection reasons with both labels, valid unique codes, and "lainnya" asking for a note', () => {
    const codes = kioskConfig.rejectionReasons.map((r) => r.code);
    for (const code of codes) expect(code).toMatch(REASON_CODE_PATTERN);
    expect(new Set(codes).size).toBe(codes.length);
    expect(kioskConfig.rejectionReasons.find((r) => r.code === 'lainnya')?.needsNote).toBe(true);
    for (const r of kioskConfig.rejectionReasons) expect(r.id !== '' && r.en !== '').toBe(true);
  });
});

describe('kioskConfigSchema', () => {
  const reasons = raw.rejectionReasons;

  it.each<[string, Record<string, unknown>]>([
    [
      'a repeated reason code',
      { rejectionReasons: [...reasons, { code: 'lainnya', id: 'Lain', en: 'Other' }] },
    ],
    ['a reason code in capitals', { rejectionReasons: [{ code: 'Lainnya', id: 'Lain', en: 'Other' }] }],
    ['a reason with an empty label', { rejectionReasons: [{ code: 'lainnya', id: ' ', en: 'Other' }] }],
    ['no reasons', { rejectionReasons: [] }],
    ['a PIN minimum above the maximum', { officer: { ...raw.officer, pinMinLength: 8, pinMaxLength: 7 } }],
    ['a 4-digit PIN', { officer: { ...raw.officer, pinMinLength: 4 } }],
    ['an unlimited number of wrong PINs', { officer: { ...raw.officer, maxWrongPins: 0 } }],
    ['an attachment type not allowed', { attachments: { maxBytes: 1000, mediaTypes: ['image/gif'] } }],
    [
      'a repeated attachment type',
      { attachments: { maxBytes: 1000, mediaTypes: ['image/png', 'image/png'] } },
    ],
    ['an empty agreement version', { agreement: { version: '' } }],
    ['a two-person rule as text', { twoPersonRule: 'yes' }],
    ['no unsynced application allowed at all', { guardrails: { maxUnsynced: 0, maxUnsyncedAgeDays: 14 } }],
    ['a fractional unsynced limit', { guardrails: { maxUnsynced: 2.5, maxUnsyncedAgeDays: 14 } }],
    ['an unsynced age of 0 days', { guardrails: { maxUnsynced: 300, maxUnsyncedAgeDays: 0 } }],
    ['an unsynced age over a year', { guardrails: { maxUnsynced: 300, maxUnsyncedAgeDays: 366 } }],
    ['guardrails without the age limit', { guardrails: { maxUnsynced: 300 } }],
    ['no grace period at all', { retention: { graceHours: 0 } }],
    ['a grace period over 30 days', { retention: { graceHours: 721 } }],
    ['a fractional grace period', { retention: { graceHours: 1.5 } }],
    ['a grace period as text', { retention: { graceHours: '24' } }],
  ])('refuses %s', (_what, changes) => {
    expect(kioskConfigSchema.safeParse(variant(changes)).success).toBe(false);
  });

  it('accepts the shipped file', () => {
    expect(kioskConfigSchema.safeParse(variant({})).success).toBe(true);
  });
});

describe('rules for the core', () => {
  it('maps the officer settings to a PIN policy', () => {
    expect(pinPolicy(kioskConfig)).toEqual({ minLength: 6, maxLength: 12, maxWrongPins: 5 });
  });

  it('passes the reasons, the lists and the agreement version on', () => {
    expect(decisionRules(kioskConfig).rejectionReasons).toBe(kioskConfig.rejectionReasons);
    const rules = completenessRules(kioskConfig);
    expect(rules.agreementVersion).toBe('2026-01');
    expect(rules.attachments).toEqual({
      maxBytes: 5_000_000,
      mediaTypes: ['image/jpeg', 'image/png', 'application/pdf'],
    });
    expect(rules.ektpScan.maxBytes).toBe(kioskConfig.ektpImage.maxBytes);
    expect(rules.ektpScan.mediaTypes).not.toContain('application/pdf');
    expect(rules.perangkatDaerah).toContain('Dinas Komunikasi dan Informatika');
  });
});
