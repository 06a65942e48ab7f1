import { describe, expect, it } from 'vitest';
import type { FollowUpStart } from '../../app/lifecycle/follow-up';
import { submissionReceipt } from '../../app/receipt/receipt-document';
import { followUpDraft, mobileForInput, withFollowUpRow } from './follow-up-form';

const start: FollowUpStart = {
  previous: {
    applicationId: '3d8c2a71-5b4e-4f0a-9c1d-2e3f4a5b6c7d',
    serialNumberHex: '4A6F01',
    relation: 'renewal',
  },
  certificateType: 'jabatan',
  notAfter: '2026-12-20T00:00:00.000Z',
  prefill: {
    nama: 'SITI RAHAYU',
    nik: '3577014501900003',
    nip: '199001052015022001',
    email: 'siti.rahayu@madiunkota.go.id',
    perangkatDaerah: 'Dinas Komunikasi dan Informatika',
    jabatan: 'Kepala Seksi Persandian',
    host: '',
    category: 'pns',
    mobile: '+6281234567890',
  },
};

describe('the form started from an old certificate', () => {
  it('fills the form’s own fields and keeps the type; a blank form stays blank', () => {
    expect(followUpDraft(start)).toEqual({
      certificateType: 'jabatan',
      nip: '199001052015022001',
      email: 'siti.rahayu@madiunkota.go.id',
      perangkatDaerah: 'Dinas Komunikasi dan Informatika',
      jabatan: 'Kepala Seksi Persandian',
      host: '',
    });
    expect(followUpDraft(null)).toEqual({});
  });

  it.each([
    ['+6281234567890', '081234567890'],
    ['081234567890', '081234567890'],
    ['', ''],
  ])('shows the mobile number %s as %s', (stored, shown) => {
    expect(mobileForInput(stored)).toBe(shown);
  });

  it('the receipt names the certificate renewed, after the type', () => {
    const words = {
      submissionTitle: 'Tanda terima',
      handoverTitle: '',
      number: 'Nomor',
      type: 'Jenis',
      typeName: (t: string) => t,
      nama: 'Nama',
      perangkatDaerah: 'PD',
      submittedAt: 'Diajukan',
      handedOverAt: '',
      officer: 'Petugas',
      serial: '',
      validity: '',
      footer: '',
      email: 'E-mail',
      emailConfirmedAtCounter: '',
      dateTime: (iso: string) => iso,
      date: (iso: string) => iso,
    };
    const receipt = submissionReceipt(
      {
        applicationId: '0b6e3c1a-5d2f-4e8a-9b7c-1f2e3d4c5b6a',
        certificateType: 'jabatan',
        nama: 'SITI RAHAYU',
        perangkatDaerah: 'Dinas Komunikasi dan Informatika',
        submittedAt: '2026-11-26T03:00:00.000Z',
        officer: null,
        emailConfirmedAt: null,
      },
      words,
    );
    const withRow = withFollowUpRow(receipt, start, (relation) => `relasi:${relation}`);
    expect(withRow.rows.map((r) => r.label)).toEqual([
      'Nomor',
      'Jenis',
      'relasi:renewal',
      'Nama',
      'PD',
      'Diajukan',
      'Petugas',
    ]);
    expect(withRow.rows[2]?.value).toBe('4A:6F:01');
    expect(withFollowUpRow(receipt, null, () => 'x')).toBe(receipt);
  });
});
