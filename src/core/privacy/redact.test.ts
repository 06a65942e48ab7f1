import { describe, expect, it } from 'vitest';
import { redactText } from './redact';

describe('redactText', () => {
  it.each([
    ['a NIK', 'NIK 3577014501900003 diterima', 'NIK ************0003 diterima'],
    ['a NIK alone', '3577014501900003', '************0003'],
    ['a NIK after a colon', 'nik:3577011701750001,', 'nik:************0001,'],
    ['a NIK in JSON', '{"nik":"3519014501900003"}', '{"nik":"************0003"}'],
    ['a NIP', 'NIP 197501171996021001', 'NIP **************1001'],
    ['a NIP between letters', 'nip=197501171996021001;ok', 'nip=**************1001;ok'],
    ['a NIP written in its groups', 'NIP 19750117 199602 1 001', 'NIP ******** ****** 1 001'],
    ['a NIK written with dots', 'NIK 3577.0145.0190.0003', 'NIK ****.****.****.0003'],
    ['a NIK written with dashes', '3577-01-450190-0003', '****-**-******-0003'],
    [
      '17 digits (a mistyped NIK is still personal)',
      'ref 35770145019000031 end',
      'ref *************0031 end',
    ],
    ['20 digits', 'ref 35770145019000031234 end', 'ref ****************1234 end'],
    [
      'a NIK and a NIP side by side',
      '3577014501900003 197501171996021001',
      '**************** **************1001',
    ],
  ])('masks %s', (_what, text, redacted) => {
    expect(redactText(text)).toBe(redacted);
  });

  it.each([
    ['15 digits', 'ref 357701450190000 end'],
    ['15 digits in groups', 'ref 3577 0145 0190 000 end'],
    ['a phone number', 'telp 081234567890'],
    ['an international phone number', 'telp +6281234567890'],
    ['a date and a time', '2026-11-25T08:00:00.000Z'],
    ['a UUID', '6f1d2c3b-4a59-4e68-9d7c-8b0a1f2e3d4c'],
    ['plain words', 'Dinas Komunikasi dan Informatika'],
    ['the empty string', ''],
  ])('leaves %s alone', (_what, text) => {
    expect(redactText(text)).toBe(text);
  });

  it('masks every identifier in one string and nothing else', () => {
    expect(
      redactText('nik=3577014501900003 nip=197501171996021001 telp=081234567890 nik2=3577024101000002'),
    ).toBe('nik=************0003 nip=**************1001 telp=081234567890 nik2=************0002');
  });

  it('masks identifiers on several lines', () => {
    expect(redactText('NIK : 3577014501900003\nNama : SITI RAHAYU\nNIP : 199001052015022001\n')).toBe(
      'NIK : ************0003\nNama : SITI RAHAYU\nNIP : **************2001\n',
    );
  });

  it('is idempotent', () => {
    const once = redactText('NIK 3577014501900003, NIP 197501171996021001');
    expect(redactText(once)).toBe(once);
  });
});
