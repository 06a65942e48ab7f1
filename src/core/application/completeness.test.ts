import { describe, expect, it } from 'vitest';
import type { ApplicationDraft } from './application';
import {
  type ApplicationSummary,
  type AttachmentSummary,
  type CompletenessRules,
  type MissingItem,
  missingItems,
  requiredAttachments,
} from './completeness';

const RULES: CompletenessRules = {
  emailDomains: ['madiunkota.go.id'],
  perangkatDaerah: ['Dinas Komunikasi dan Informatika', 'Dinas Pendidikan'],
  attachments: { maxBytes: 5_000_000, mediaTypes: ['image/jpeg', 'image/png', 'application/pdf'] },
  ektpScan: { maxBytes: 6_000_000, mediaTypes: ['image/jpeg', 'image/png', 'image/webp'] },
  agreementVersion: '2026-01',
};

const pdf = (kind: AttachmentSummary['kind'], byteLength = 250_000): AttachmentSummary => ({
  kind,
  mediaType: 'application/pdf',
  byteLength,
});

const JABATAN_FILES = [pdf('sk-pengangkatan'), pdf('surat-penunjukan-wewenang')];

/** A complete individu application of a PNS woman born 5 January 1990. */
function createSummary(
  overrides: Partial<ApplicationSummary> = {},
  draft: Partial<ApplicationDraft> = {},
): ApplicationSummary {
  return {
    draft: {
      certificateType: 'individu',
      nama: 'Siti Rahayu',
      nik: '3577014501900003',
      nip: '199001052015022001',
      email: 'siti.rahayu@madiunkota.go.id',
      perangkatDaerah: 'Dinas Komunikasi dan Informatika',
      jabatan: '',
      host: '',
      ...draft,
    },
    category: 'pns',
    mobile: '0812-3456-7890',
    attachments: [pdf('surat-pengantar'), pdf('surat-rekomendasi')],
    ektpScan: { mediaType: 'image/jpeg', byteLength: 1_200_000 },
    signatureSpecimen: true,
    obligationsAccepted: true,
    agreementVersion: '2026-01',
    keyGenerated: true,
    ...overrides,
  };
}

describe('requiredAttachments', () => {
  it.each([
    ['individu', ['surat-pengantar', 'surat-rekomendasi']],
    ['sistem-elektronik', ['surat-pengantar', 'surat-rekomendasi']],
    ['jabatan', ['surat-pengantar', 'surat-rekomendasi', 'sk-pengangkatan', 'surat-penunjukan-wewenang']],
    ['', ['surat-pengantar', 'surat-rekomendasi']],
  ] as const)('for %s: %j', (type, kinds) => {
    expect(requiredAttachments(type)).toEqual(kinds);
  });
});

describe('missingItems', () => {
  it.each<[string, ApplicationSummary]>([
    ['an individu application', createSummary()],
    [
      'a jabatan application with its SK and letter of authority',
      createSummary(
        { attachments: [...createSummary().attachments, ...JABATAN_FILES] },
        { certificateType: 'jabatan', jabatan: 'Kepala Bidang Aplikasi Informatika' },
      ),
    ],
    [
      'a sistem elektronik application',
      createSummary({}, { certificateType: 'sistem-elektronik', host: 'sipd.madiunkota.go.id' }),
    ],
    ['a PPPK with a PPPK NIP', createSummary({ category: 'pppk' }, { nip: '199001052022212001' })],
    ['the Walikota, without a NIP', createSummary({ category: 'pejabat' }, { nip: '' })],
    ['a Penjabat Walikota giving a NIP', createSummary({ category: 'pejabat' })],
    [
      'a document in several image files',
      createSummary({
        attachments: [
          pdf('surat-pengantar'),
          { kind: 'surat-rekomendasi', mediaType: 'image/jpeg', byteLength: 900_000 },
          { kind: 'surat-rekomendasi', mediaType: 'image/png', byteLength: 5_000_000 },
        ],
      }),
    ],
    ['the mobile number in E.164', createSummary({ mobile: '+6281234567890' })],
  ])('finds nothing missing in %s', (_what, summary) => {
    expect(missingItems(summary, RULES)).toEqual([]);
  });

  it.each<[string, ApplicationSummary, MissingItem[]]>([
    ['no category', createSummary({ category: '' }), [{ field: 'category', reason: 'required' }]],
    ['a PNS without a NIP', createSummary({}, { nip: ' ' }), [{ field: 'nip', reason: 'required' }]],
    [
      'a PPPK without a NIP',
      createSummary({ category: 'pppk' }, { nip: '' }),
      [{ field: 'nip', reason: 'required' }],
    ],
    [
      'a PNS with a PPPK NIP',
      createSummary({}, { nip: '199001052022212001' }),
      [{ field: 'nip', reason: 'wrong-kind' }],
    ],
    ['a PPPK with a PNS NIP', createSummary({ category: 'pppk' }), [{ field: 'nip', reason: 'wrong-kind' }]],
    [
      'a malformed NIP (the draft says why, once)',
      createSummary({}, { nip: '19900105' }),
      [{ field: 'nip', reason: 'wrong-length' }],
    ],
    ['no mobile number', createSummary({ mobile: '' }), [{ field: 'mobile', reason: 'required' }]],
    ['a landline', createSummary({ mobile: '0351-462345' }), [{ field: 'mobile', reason: 'not-mobile' }]],
    [
      'a Perangkat Daerah not on the list',
      createSummary({}, { perangkatDaerah: 'Dinas Rahasia' }),
      [{ field: 'perangkatDaerah', reason: 'unknown' }],
    ],
    ['no e-KTP scan', createSummary({ ektpScan: null }), [{ field: 'ektpScan', reason: 'missing' }]],
    [
      'an e-KTP scan as PDF',
      createSummary({ ektpScan: { mediaType: 'application/pdf', byteLength: 100_000 } }),
      [{ field: 'ektpScan', reason: 'wrong-type' }],
    ],
    [
      'a surat rekomendasi too large',
      createSummary({ attachments: [pdf('surat-pengantar'), pdf('surat-rekomendasi', 5_000_001)] }),
      [{ field: 'attachment', kind: 'surat-rekomendasi', reason: 'too-large' }],
    ],
    [
      'an empty surat pengantar',
      createSummary({ attachments: [pdf('surat-pengantar', 0), pdf('surat-rekomendasi')] }),
      [{ field: 'attachment', kind: 'surat-pengantar', reason: 'empty' }],
    ],
    [
      'a Word document among the pages',
      createSummary({
        attachments: [
          pdf('surat-pengantar'),
          pdf('surat-rekomendasi'),
          { kind: 'surat-rekomendasi', mediaType: 'application/msword', byteLength: 30_000 },
        ],
      }),
      [{ field: 'attachment', kind: 'surat-rekomendasi', reason: 'wrong-type' }],
    ],
    [
      'a jabatan application without its SK and letter of authority',
      createSummary({}, { certificateType: 'jabatan', jabatan: 'Kepala Dinas' }),
      [
        { field: 'attachment', kind: 'sk-pengangkatan', reason: 'missing' },
        { field: 'attachment', kind: 'surat-penunjukan-wewenang', reason: 'missing' },
      ],
    ],
    [
      'a system without its host',
      createSummary({}, { certificateType: 'sistem-elektronik' }),
      [{ field: 'host', reason: 'required' }],
    ],
    [
      'no signature specimen',
      createSummary({ signatureSpecimen: false }),
      [{ field: 'signatureSpecimen', reason: 'missing' }],
    ],
    [
      'obligations not accepted',
      createSummary({ obligationsAccepted: false }),
      [{ field: 'obligations', reason: 'not-accepted' }],
    ],
    [
      'no agreement',
      createSummary({ agreementVersion: null }),
      [{ field: 'agreement', reason: 'not-accepted' }],
    ],
    [
      'an old agreement',
      createSummary({ agreementVersion: '2025-02' }),
      [{ field: 'agreement', reason: 'outdated' }],
    ],
    ['no key yet', createSummary({ keyGenerated: false }), [{ field: 'key', reason: 'not-generated' }]],
  ])('names %s', (_what, summary, missing) => {
    expect(missingItems(summary, RULES)).toEqual(missing);
  });

  it('lists everything missing at once', () => {
    const empty: ApplicationSummary = {
      draft: {
        certificateType: '',
        nama: '',
        nik: '',
        nip: '',
        email: '',
        perangkatDaerah: '',
        jabatan: '',
        host: '',
      },
      category: '',
      mobile: '',
      attachments: [],
      ektpScan: null,
      signatureSpecimen: false,
      obligationsAccepted: false,
      agreementVersion: null,
      keyGenerated: false,
    };
    expect(missingItems(empty, RULES)).toEqual([
      { field: 'certificateType', reason: 'required' },
      { field: 'nama', reason: 'required' },
      { field: 'nik', reason: 'required' },
      { field: 'email', reason: 'required' },
      { field: 'perangkatDaerah', reason: 'required' },
      { field: 'category', reason: 'required' },
      { field: 'mobile', reason: 'required' },
      { field: 'ektpScan', reason: 'missing' },
      { field: 'attachment', kind: 'surat-pengantar', reason: 'missing' },
      { field: 'attachment', kind: 'surat-rekomendasi', reason: 'missing' },
      { field: 'signatureSpecimen', reason: 'missing' },
      { field: 'obligations', reason: 'not-accepted' },
      { field: 'agreement', reason: 'not-accepted' },
      { field: 'key', reason: 'not-generated' },
    ]);
  });

  it('names a file that is both the wrong type and too large once for each', () => {
    const files = [
      pdf('surat-pengantar'),
      { kind: 'surat-rekomendasi', mediaType: 'image/tiff', byteLength: 9e6 },
    ] as const;
    expect(missingItems(createSummary({ attachments: files }), RULES)).toEqual([
      { field: 'attachment', kind: 'surat-rekomendasi', reason: 'wrong-type' },
      { field: 'attachment', kind: 'surat-rekomendasi', reason: 'too-large' },
    ]);
  });
});
