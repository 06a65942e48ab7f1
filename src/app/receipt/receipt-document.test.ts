import { describe, expect, it } from 'vitest';
import { applicationNumber } from '../../core/application/application-number';
import { formatSerial, handoverReceipt, type ReceiptWords, submissionReceipt } from './receipt-document';

const WORDS: ReceiptWords = {
  submissionTitle: 'Tanda Terima Permohonan',
  handoverTitle: 'Tanda Terima Penyerahan',
  number: 'Nomor',
  type: 'Jenis',
  typeName: (type) => `jenis:${type}`,
  nama: 'Nama',
  perangkatDaerah: 'PD',
  submittedAt: 'Diajukan',
  handedOverAt: 'Diserahkan',
  officer: 'Petugas',
  serial: 'Seri',
  validity: 'Berlaku',
  footer: 'Simpan.',
  dateTime: (iso) => `dt:${iso}`,
  date: (iso) => `d:${iso.slice(0, 10)}`,
};

const FACTS = {
  applicationId: '0b6f4a52-6d0e-4c59-9a3e-5a8f3c1d2e7b',
  certificateType: 'jabatan' as const,
  nama: 'SITI RAHAYU',
  perangkatDaerah: 'Dinas Komunikasi dan Informatika',
  officer: { nama: 'BUDI SANTOSO', nip: '198503102010011002' },
};

describe('receipts', () => {
  it('a submission receipt carries the number (also in the QR), type, name, PD, time and officer', () => {
    const receipt = submissionReceipt({ ...FACTS, submittedAt: '2026-11-26T02:30:00Z' }, WORDS);
    expect(receipt.applicationNumber).toBe(applicationNumber(FACTS.applicationId));
    expect(receipt.rows.map((r) => [r.label, r.value])).toEqual([
      ['Nomor', applicationNumber(FACTS.applicationId)],
      ['Jenis', 'jenis:jabatan'],
      ['Nama', 'SITI RAHAYU'],
      ['PD', 'Dinas Komunikasi dan Informatika'],
      ['Diajukan', 'dt:2026-11-26T02:30:00Z'],
      ['Petugas', 'BUDI SANTOSO (NIP 198503102010011002)'],
    ]);
  });

  it('a handover receipt adds the serial and validity', () => {
    const receipt = handoverReceipt(
      {
        ...FACTS,
        officer: null,
        handedOverAt: '2026-12-01T03:00:00Z',
        serialNumberHex: 'a0b1c2',
        notBefore: '2026-12-01T00:00:00Z',
        notAfter: '2028-12-01T00:00:00Z',
      },
      WORDS,
    );
    const rows = Object.fromEntries(receipt.rows.map((r) => [r.label, r.value]));
    expect(rows.Seri).toBe('A0:B1:C2');
    expect(rows.Berlaku).toBe('d:2026-12-01 – d:2028-12-01');
    expect(rows.Petugas).toBe('-');
  });

  it('prints a serial as colon-separated pairs, padding an odd length', () => {
    expect(formatSerial('1a2b3')).toBe('01:A2:B3');
  });
});
