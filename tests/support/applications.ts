import { createHash, randomUUID } from 'node:crypto';
import type { NewApplication } from '../../sync-server/src/store/store';

/** A stable digest of every field but the hash itself; the image enters as base64. */
export function hashForTest(application: Omit<NewApplication, 'contentHash'>): string {
  const canonical = JSON.stringify({
    id: application.id,
    kioskId: application.kioskId,
    createdAt: application.createdAt,
    certificateType: application.certificateType,
    nama: application.nama,
    nik: application.nik,
    nip: application.nip,
    email: application.email,
    perangkatDaerah: application.perangkatDaerah,
    jabatan: application.jabatan,
    host: application.host,
    ektpMediaType: application.ektpMediaType,
    ektpImage: Buffer.from(application.ektpImage).toString('base64'),
    ocrText: application.ocrText,
    ektpJson: application.ektpJson,
    csrPem: application.csrPem,
    encryptedPrivateKeyPem: application.encryptedPrivateKeyPem,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/** A plausible application; `contentHash` follows the other fields unless overridden. */
export function makeApplication(overrides: Partial<NewApplication> = {}): NewApplication {
  const { contentHash, ...fieldOverrides } = overrides;
  const fields: Omit<NewApplication, 'contentHash'> = {
    id: randomUUID(),
    kioskId: 'kiosk-test-01',
    createdAt: '2025-11-20T03:15:42.123Z',
    certificateType: 'individu',
    nama: 'Siti Rahayu',
    nik: '3577014501900003',
    nip: null,
    email: 'siti.rahayu@example.test',
    perangkatDaerah: 'Dinas Komunikasi dan Informatika',
    jabatan: null,
    host: null,
    ektpMediaType: 'image/jpeg',
    // Every byte value, so a text round trip or a truncating driver shows up.
    ektpImage: Uint8Array.from({ length: 256 }, (_, index) => index),
    ocrText: 'NIK : 3577014501900003\nNama : SITI RAHAYU',
    ektpJson: JSON.stringify({ fields: { nik: '3577014501900003' }, confirmed: ['nik'] }),
    csrPem: '-----BEGIN CERTIFICATE REQUEST-----\nTUlJQ1Rlc3RDU1I=\n-----END CERTIFICATE REQUEST-----\n',
    encryptedPrivateKeyPem:
      '-----BEGIN ENCRYPTED PRIVATE KEY-----\nTUlJRVRlc3RLZXk=\n-----END ENCRYPTED PRIVATE KEY-----\n',
    ...fieldOverrides,
  };
  return { ...fields, contentHash: contentHash ?? hashForTest(fields) };
}
