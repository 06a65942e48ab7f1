/**
 * Valid sync records as a kiosk sends them: a real ECDSA P-256 key, a real CSR made from the
 * certificate profile for the applicant's data, the key wrapped as encrypted PKCS#8 and a tiny but
 * real PNG.
 */
import { randomUUID } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { certificateProfiles } from '../../src/app/certificate-profiles';
import { normaliseNama } from '../../src/core/application/application';
import { createCsr } from '../../src/core/certificate/csr';
import { generateApplicantKeyPair } from '../../src/core/certificate/keys';
import { encryptPrivateKey } from '../../src/core/certificate/pkcs8';
import { renderProfile } from '../../src/core/certificate/profile';
import type { ApplicationRecord } from '../../src/protocol/sync';

export const KIOSK_ID = '6f1d2c3b-4a59-4e68-9d7c-8b0a1f2e3d4c';
/** Only for tests: the real kiosk demands a strong passphrase. */
export const TEST_PASSPHRASE = 'kuda-lumping-sepeda-hijau-42';
/** Low on purpose: 600,000 PBKDF2 rounds per record would dominate the test run. */
const TEST_PBKDF2_ITERATIONS = 1000;

function pngChunk(type: string, data: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A valid 1×1 grey PNG (signature, IHDR, IDAT, IEND with correct CRCs); `privateChunk`, when given,
 * goes in an ancillary private chunk (`prVt`) that makes the file's bytes its own.
 */
export function tinyPng(privateChunk?: Uint8Array): Uint8Array {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0); // width
  ihdr.writeUInt32BE(1, 4); // height
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  // compression, filter and interlace methods stay 0
  const scanline = Buffer.from([0, 0x80]); // filter byte "none", one grey pixel
  return new Uint8Array(
    Buffer.concat([
      signature,
      pngChunk('IHDR', ihdr),
      ...(privateChunk ? [pngChunk('prVt', privateChunk)] : []),
      pngChunk('IDAT', deflateSync(scanline)),
      pngChunk('IEND', new Uint8Array()),
    ]),
  );
}

export type WireRecordOverrides = Partial<Omit<ApplicationRecord, 'applicant' | 'ektpImage'>> & {
  applicant?: Partial<ApplicationRecord['applicant']>;
  ektpImage?: Partial<ApplicationRecord['ektpImage']>;
};

/**
 * A record the server must accept. The CSR and key are made for the final applicant, so
 * overriding `applicant.nama` still gives a matching CSR unless `csrPem` is overridden too.
 */
export async function makeWireRecord(overrides: WireRecordOverrides = {}): Promise<ApplicationRecord> {
  const { applicant: applicantOverrides, ektpImage: imageOverrides, ...rest } = overrides;
  const applicant: ApplicationRecord['applicant'] = {
    nama: 'Siti Rahayu',
    nik: '3577014501900003',
    nip: '197501171996021001',
    email: 'siti.rahayu@madiunkota.go.id',
    perangkatDaerah: 'Dinas Komunikasi dan Informatika',
    ...applicantOverrides,
  };
  const certificateType = rest.certificateType ?? 'individu';
  if (certificateType === 'jabatan') applicant.jabatan ??= 'Kepala Bidang Persandian';
  if (certificateType === 'sistem-elektronik') applicant.host ??= 'sipd.madiunkota.go.id';
  const keys = await generateApplicantKeyPair('ECDSA-P256');
  const request = renderProfile(
    certificateProfiles,
    certificateType,
    {
      nama: normaliseNama(applicant.nama),
      email: applicant.email,
      perangkatDaerah: applicant.perangkatDaerah,
      nip: applicant.nip,
      jabatan: applicant.jabatan ?? null,
      host: applicant.host ?? null,
    },
    'ECDSA-P256',
  );
  if (!request.ok) throw new Error(`test record: ${JSON.stringify(request.problem)}`);
  const csrPem = rest.csrPem ?? (await createCsr({ ...request.value, keys }));
  const encryptedPrivateKeyPem =
    rest.encryptedPrivateKeyPem ??
    (await encryptPrivateKey(keys.privateKey, TEST_PASSPHRASE, { iterations: TEST_PBKDF2_ITERATIONS }));
  return {
    id: randomUUID(),
    createdAt: '2025-11-20T03:15:42.123Z',
    certificateType,
    applicant,
    ektpImage: {
      mediaType: 'image/png',
      dataBase64: Buffer.from(tinyPng()).toString('base64'),
      ...imageOverrides,
    },
    ocrText: 'PROVINSI JAWA TIMUR\nKOTA MADIUN\nNIK : 3577014501900003\nNama : SITI RAHAYU',
    ...rest,
    csrPem,
    encryptedPrivateKeyPem,
  };
}

/** The request body of `POST /api/v1/sync/batches`; records may be deliberately invalid. */
export function batch<T = ApplicationRecord>(
  records: T[],
  kioskId: string = KIOSK_ID,
): { kioskId: string; records: T[] } {
  return { kioskId, records };
}
