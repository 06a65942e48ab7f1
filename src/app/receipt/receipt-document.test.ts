import { describe, expect, it } from 'vitest';
import { applicationNumber } from '../../core/application/application-number';
import { NEW_HANDOVER } from '../ports';
import {
  formatSerial,
  type HandedOverItem,
  handoverFactsOf,
  handoverReceipt,
  type ReceiptWords,
  submissionReceipt,
} from './receipt-document';

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
  email: 'E-mail dinas',
  emailConfirmedAtCounter: 'Terkonfirmasi di loket',
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

  it('a submission receipt says when the official e-mail was proven at the counter (Pasal 10), and nothing when it was not', () => {
    const receipt = submissionReceipt(
      { ...FACTS, submittedAt: '2026-11-26T02:30:00Z', emailConfirmedAt: '2026-11-26T02:20:00Z' },
      WORDS,
    );
    expect(receipt.rows.map((r) => r.label)).toEqual([
      'Nomor',
      'Jenis',
      'Nama',
      'PD',
      'Diajukan',
      'E-mail dinas',
      'Petugas',
    ]);
    expect(receipt.rows[5]?.value).toBe('Terkonfirmasi di loket (dt:2026-11-26T02:20:00Z)');
    const without = submissionReceipt(
      { ...FACTS, submittedAt: '2026-11-26T02:30:00Z', emailConfirmedAt: null },
      WORDS,
    );
    expect(without.rows.map((r) => r.label)).not.toContain('E-mail dinas');
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

describe('handover receipt facts from the outbox', () => {
  const OFFICER = { nama: 'BUDI SANTOSO', nip: '198503102010011002' };
  const HANDED_OVER = {
    ...NEW_HANDOVER,
    handedOverAt: '2026-12-01T03:00:00Z',
    serialNumberHex: 'a0b1c2',
    notBefore: '2026-11-30T00:00:00Z',
    notAfter: '2028-11-30T00:00:00Z',
    form: 'modern' as const,
  };
  const item = (handover?: HandedOverItem['handover']): HandedOverItem => ({
    id: FACTS.applicationId,
    record: {
      id: FACTS.applicationId,
      createdAt: '2026-11-26T02:30:00Z',
      certificateType: FACTS.certificateType,
      applicant: {
        nama: FACTS.nama,
        nik: '3577014501900003',
        nip: null,
        email: 'siti.rahayu@madiunkota.go.id',
        perangkatDaerah: FACTS.perangkatDaerah,
      },
      ocrText: '',
      csrPem: '',
      encryptedPrivateKeyPem: '',
    },
    ...(handover ? { handover } : {}),
  });

  it('takes the applicant from the record and the certificate from the recorded handover', () => {
    expect(handoverFactsOf(item(HANDED_OVER), OFFICER)).toEqual({
      applicationId: FACTS.applicationId,
      certificateType: 'jabatan',
      nama: 'SITI RAHAYU',
      perangkatDaerah: 'Dinas Komunikasi dan Informatika',
      handedOverAt: '2026-12-01T03:00:00Z',
      serialNumberHex: 'a0b1c2',
      notBefore: '2026-11-30T00:00:00Z',
      notAfter: '2028-11-30T00:00:00Z',
      officer: OFFICER,
    });
    expect(handoverFactsOf(item(HANDED_OVER), null)?.officer).toBeNull();
  });

  it('gives nothing before the handover: never tried, wrong passphrases, or locked', () => {
    expect(handoverFactsOf(item(), OFFICER)).toBeNull();
    expect(handoverFactsOf(item({ ...NEW_HANDOVER, wrongAttempts: 2 }), OFFICER)).toBeNull();
    expect(
      handoverFactsOf(item({ ...NEW_HANDOVER, wrongAttempts: 3, lockedAt: '2026-12-01T02:00:00Z' }), OFFICER),
    ).toBeNull();
  });

  it('prints no guessed validity for a handover recorded before the start date was kept', () => {
    expect(handoverFactsOf(item({ ...HANDED_OVER, notBefore: null }), OFFICER)).toBeNull();
    // Rows that old have no `notBefore` key at all.
    const { notBefore: _absent, ...older } = HANDED_OVER;
    expect(handoverFactsOf(item(older as HandedOverItem['handover']), OFFICER)).toBeNull();
  });
});
