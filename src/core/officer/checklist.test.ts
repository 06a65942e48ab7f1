import { describe, expect, it } from 'vitest';
import { REASON_CODE_PATTERN } from '../../protocol/officer';
import { CERTIFICATE_TYPES } from '../certificate/types';
import { CHECKLIST_ITEMS, checklistFor, uncheckedItems } from './checklist';

const NO_WARNINGS = { hasWarnings: false };

describe('checklistFor', () => {
  it('asks about identity, the e-KTP, the two letters and the e-mail for individu', () => {
    expect(checklistFor('individu', NO_WARNINGS)).toEqual([
      'identity-matches',
      'ektp-photo-matches',
      'ektp-scan-legible',
      'surat-pengantar-ok',
      'surat-rekomendasi-ok',
      'email-is-applicants',
    ]);
  });

  it('adds the SK and the letter of authority for jabatan (Pasal 10 ayat 4)', () => {
    const items = checklistFor('jabatan', NO_WARNINGS);
    expect(items).toContain('sk-pengangkatan-ok');
    expect(items).toContain('surat-penunjukan-wewenang-ok');
    expect(items).not.toContain('host-belongs-to-pd');
    expect(items).toHaveLength(8);
  });

  it('adds the system’s owner for sistem elektronik (Pasal 10 ayat 5)', () => {
    const items = checklistFor('sistem-elektronik', NO_WARNINGS);
    expect(items).toContain('host-belongs-to-pd');
    expect(items).not.toContain('sk-pengangkatan-ok');
    expect(items).toHaveLength(7);
  });

  it.each(CERTIFICATE_TYPES)('asks to review warnings for %s only when there are some', (type) => {
    expect(checklistFor(type, NO_WARNINGS)).not.toContain('warnings-reviewed');
    expect(checklistFor(type, { hasWarnings: true }).at(-1)).toBe('warnings-reviewed');
  });

  it('uses codes the decision schema accepts, each once', () => {
    for (const code of CHECKLIST_ITEMS) expect(code).toMatch(REASON_CODE_PATTERN);
    expect(new Set(CHECKLIST_ITEMS).size).toBe(CHECKLIST_ITEMS.length);
  });
});

describe('uncheckedItems', () => {
  it('lists what is left, in checklist order, ignoring ticks of other types’ items', () => {
    expect(
      uncheckedItems('jabatan', ['email-is-applicants', 'identity-matches', 'host-belongs-to-pd'], {
        hasWarnings: true,
      }),
    ).toEqual([
      'ektp-photo-matches',
      'ektp-scan-legible',
      'surat-pengantar-ok',
      'surat-rekomendasi-ok',
      'sk-pengangkatan-ok',
      'surat-penunjukan-wewenang-ok',
      'warnings-reviewed',
    ]);
  });

  it('is empty when everything is ticked', () => {
    const all = checklistFor('sistem-elektronik', { hasWarnings: true });
    expect(uncheckedItems('sistem-elektronik', all, { hasWarnings: true })).toEqual([]);
  });
});
