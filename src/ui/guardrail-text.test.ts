import * as i18n from '@solid-primitives/i18n';
import { describe, expect, it } from 'vitest';
import type { Guardrail } from '../core/outbox/guardrails';
import { guardrailText } from './guardrail-text';
import { en } from './i18n/en';
import type { Translate } from './i18n/i18n';
import { id } from './i18n/id';

const translators: Record<'id' | 'en', Translate> = {
  id: i18n.translator(() => i18n.flatten(id), i18n.resolveTemplate),
  en: i18n.translator(() => i18n.flatten(en), i18n.resolveTemplate),
};

describe('guardrailText', () => {
  it.each<[Guardrail, Record<'id' | 'en', string[]>]>([
    [
      { kind: 'too-many-unsynced', unsynced: 312, max: 300 },
      {
        id: ['312 permohonan', 'batas 300', 'Sinkronkan sekarang'],
        en: ['312 applications', 'limit 300', 'Sync now'],
      },
    ],
    [
      { kind: 'oldest-too-old', ageDays: 20, maxDays: 14, oldestAt: '2026-11-05T08:00:00.000Z' },
      {
        id: ['20 hari', 'batas 14 hari', 'Sinkronkan sekarang'],
        en: ['20 days', 'limit 14 days', 'Sync now'],
      },
    ],
    [
      { kind: 'storage-nearly-full' },
      { id: ['hampir habis', 'petugas TI'], en: ['nearly full', 'IT staff'] },
    ],
    [
      { kind: 'no-archive-key' },
      {
        id: ['belum pernah tersambung ke server', 'kunci arsip'],
        en: ['never reached the server', 'archive key'],
      },
    ],
    [
      { kind: 'software-outdated', kioskVersion: '0.1.0', minimumVersion: '0.2.0' },
      {
        id: ['versi 0.1.0', 'versi 0.2.0', 'Perbarui sekarang'],
        en: ['version 0.1.0', 'version 0.2.0', 'Update now'],
      },
    ],
  ])('%j says what happened and what to do, in both languages', (guardrail, expected) => {
    for (const language of ['id', 'en'] as const) {
      const text = guardrailText(translators[language], guardrail);
      for (const part of expected[language]) expect(text).toContain(part);
      expect(text).not.toMatch(/\{\{|undefined/);
    }
  });
});
