import * as i18n from '@solid-primitives/i18n';
import { describe, expect, it } from 'vitest';
import { ATTACHMENT_KINDS, type MissingItem } from '../../core/application/completeness';
import { en } from '../i18n/en';
import type { Translate } from '../i18n/i18n';
import { id } from '../i18n/id';
import { inputOf, type MissingContext, missingText } from './missing-text';

const translators: Record<'id' | 'en', Translate> = {
  id: i18n.translator(() => i18n.flatten(id), i18n.resolveTemplate),
  en: i18n.translator(() => i18n.flatten(en), i18n.resolveTemplate),
};

const context = (language: 'id' | 'en'): MissingContext => ({
  t: translators[language],
  language,
  domains: 'madiunkota.go.id',
  category: 'pns',
  maxAttachmentBytes: 5_000_000,
  maxEktpBytes: 6_000_000,
  agreementVersion: '2026-01',
});

/** Every item `missingItems` can give, once. */
const ITEMS: MissingItem[] = [
  { field: 'certificateType', reason: 'required' },
  ...(['required', 'too-long', 'bad-characters'] as const).map((reason) => ({
    field: 'nama' as const,
    reason,
  })),
  ...(['required', 'not-digits', 'wrong-length', 'bad-birth-date', 'zero-serial'] as const).map((reason) => ({
    field: 'nik' as const,
    reason,
  })),
  ...(
    [
      'required',
      'wrong-kind',
      'not-digits',
      'wrong-length',
      'bad-birth-date',
      'bad-appointment',
      'bad-sex',
    ] as const
  ).map((reason) => ({ field: 'nip' as const, reason })),
  ...(['required', 'invalid', 'wrong-domain'] as const).map((reason) => ({
    field: 'email' as const,
    reason,
  })),
  { field: 'perangkatDaerah', reason: 'required' },
  { field: 'perangkatDaerah', reason: 'unknown' },
  ...(['required', 'too-long', 'bad-characters'] as const).map((reason) => ({
    field: 'jabatan' as const,
    reason,
  })),
  ...(['required', 'invalid'] as const).map((reason) => ({ field: 'host' as const, reason })),
  { field: 'category', reason: 'required' },
  ...(['required', 'not-digits', 'not-mobile', 'wrong-length'] as const).map((reason) => ({
    field: 'mobile' as const,
    reason,
  })),
  ...(['missing', 'empty', 'wrong-type', 'too-large'] as const).map((reason) => ({
    field: 'ektpScan' as const,
    reason,
  })),
  ...ATTACHMENT_KINDS.flatMap((kind) =>
    (['missing', 'empty', 'wrong-type', 'too-large'] as const).map((reason) => ({
      field: 'attachment' as const,
      kind,
      reason,
    })),
  ),
  { field: 'signatureSpecimen', reason: 'missing' },
  { field: 'obligations', reason: 'not-accepted' },
  { field: 'agreement', reason: 'not-accepted' },
  { field: 'agreement', reason: 'outdated' },
  { field: 'key', reason: 'not-generated' },
];

describe('missingText', () => {
  it.each(['id', 'en'] as const)('names every missing item in %s, each differently', (language) => {
    const texts = ITEMS.map((item) => missingText(item, context(language)));
    for (const [i, text] of texts.entries()) {
      expect(text, JSON.stringify(ITEMS[i])).toMatch(/\S/);
      expect(text, JSON.stringify(ITEMS[i])).not.toMatch(/\{\{|undefined/);
    }
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('names the missing papers and their limits in Indonesian, and in English on the toggle', () => {
    const item: MissingItem = { field: 'attachment', kind: 'sk-pengangkatan', reason: 'missing' };
    expect(missingText(item, context('id'))).toBe('Lampirkan SK pengangkatan dalam jabatan terakhir.');
    expect(missingText(item, context('en'))).toBe(
      'Attach: Latest appointment decree (SK pengangkatan dalam jabatan).',
    );
    expect(
      missingText({ field: 'attachment', kind: 'surat-pengantar', reason: 'too-large' }, context('id')),
    ).toBe('Surat pengantar dari Pimpinan Perangkat Daerah terlalu besar (maksimal 5 MB).');
    expect(missingText({ field: 'nip', reason: 'wrong-kind' }, context('id'))).toBe(
      'NIP ini bukan NIP PNS: periksa NIP atau kategori pemohon.',
    );
  });
});

describe('inputOf', () => {
  it.each<[MissingItem, string | null]>([
    [{ field: 'nik', reason: 'wrong-length' }, 'ektp-nik'],
    [{ field: 'nama', reason: 'required' }, 'ektp-nama'],
    [{ field: 'mobile', reason: 'not-mobile' }, 'mobile'],
    [{ field: 'perangkatDaerah', reason: 'unknown' }, 'perangkatDaerah'],
    [{ field: 'attachment', kind: 'surat-pengantar', reason: 'missing' }, null],
    [{ field: 'agreement', reason: 'outdated' }, null],
  ])('%j → %s', (item, input) => {
    expect(inputOf(item)).toBe(input);
  });
});
