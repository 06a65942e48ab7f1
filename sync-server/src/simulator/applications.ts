/**
 * Applications as a kiosk captures them, made with the kiosk's own core code (profiles, CSR,
 * encrypted PKCS#8) so the server checks them exactly as it checks real ones.
 */
import { certificateProfiles } from '../../../src/app/certificate-profiles';
import { decisionRules, kioskConfig } from '../../../src/app/kiosk-config';
import type { OutboxItem } from '../../../src/app/ports';
import { framedRecord } from '../../../src/app/sync-outbox';
import { createCsr } from '../../../src/core/certificate/csr';
import { generateApplicantKeyPair } from '../../../src/core/certificate/keys';
import { encryptPrivateKey } from '../../../src/core/certificate/pkcs8';
import { renderProfile } from '../../../src/core/certificate/profile';
import { checklistFor } from '../../../src/core/officer/checklist';
import { decisionPayloadText } from '../../../src/core/officer/decision';
import { applicationHash, signStatement } from '../../../src/protocol/officer';

/**
 * The simulator does not stand in for PBKDF2 cost on the kiosk: the server never decrypts keys, so a
 * low work factor changes nothing it measures. Real kiosks always use 600,000.
 */
const SIMULATED_PBKDF2_ITERATIONS = 1000;
const NAMES = [
  'SITI RAHAYU',
  'BUDI SANTOSO',
  'DEWI LESTARI',
  'AGUS PRASETYO',
  'RINA WULANDARI',
  'EKO SAPUTRO',
];

/** A structurally valid NIK of Kota Madiun (3577 01) for someone born in the 1970s–1990s. */
export function simulatedNik(n: number): string {
  const day = (n % 28) + 1 + (n % 2 === 0 ? 40 : 0); // women have the day + 40
  const month = (Math.floor(n / 28) % 12) + 1;
  const year = 70 + (n % 30);
  const serial = (n % 9999) + 1;
  return `357701${String(day).padStart(2, '0')}${String(month).padStart(2, '0')}${String(year).padStart(2, '0')}${String(serial).padStart(4, '0')}`;
}

/**
 * A JPEG-shaped attachment of the given size: the server checks the magic bytes, not the picture.
 * The bytes are pseudo-random, as incompressible as real JPEG data: a repeating pattern would let
 * PostgreSQL's TOAST compression (and any compressing link) make the load look lighter than it is.
 */
export function simulatedJpeg(bytes: number, seed: number): Blob {
  const data = new Uint8Array(Math.max(bytes, 4));
  const words = new Uint32Array(data.buffer, 0, data.length >> 2);
  let x = (seed * 2654435761 + 0x9e3779b9) >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    // xorshift32: fast, deterministic per seed, no visible structure for a compressor.
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  for (let i = words.length * 4; i < data.length; i++) data[i] = (seed + i) & 0xff;
  data.set([0xff, 0xd8, 0xff, 0xe0]);
  return new Blob([data], { type: 'image/jpeg' });
}

/** The officer who decides simulated applications: their key was enrolled on `kioskId`. */
export interface SimulatedOfficer {
  officerId: string;
  keyId: string;
  kioskId: string;
  privateKey: CryptoKey;
}

/**
 * The officer's approval, signed as the kiosk signs it: over the record exactly as the batch
 * carries it, every checklist item ticked. Every application a kiosk sends carries one.
 */
async function approved(item: OutboxItem, officer: SimulatedOfficer): Promise<OutboxItem> {
  const { record } = await framedRecord(item);
  const text = decisionPayloadText(
    {
      applicationId: item.id,
      applicationHash: await applicationHash(record),
      certificateType: item.record.certificateType,
      hasWarnings: false,
      decision: 'approved',
      reasons: [],
      note: '',
      checklist: checklistFor(item.record.certificateType, { hasWarnings: false }),
      officerId: officer.officerId,
      keyId: officer.keyId,
      kioskId: officer.kioskId,
      decidedAt: new Date().toISOString(),
    },
    decisionRules(kioskConfig),
  );
  if (!text.ok) throw new Error(`the simulated decision is invalid: ${JSON.stringify(text.problem)}`);
  return {
    ...item,
    record: { ...item.record, decision: await signStatement(officer.privateKey, text.value) },
  };
}

export async function simulatedApplication(
  n: number,
  options: { attachmentBytes: number; createdAt: Date; newId: () => string; officer?: SimulatedOfficer },
): Promise<OutboxItem> {
  const nama = NAMES[n % NAMES.length] ?? 'SITI RAHAYU';
  const email = `pegawai.${n}@madiunkota.go.id`;
  const perangkatDaerah = 'Dinas Komunikasi dan Informatika';
  const request = renderProfile(
    certificateProfiles,
    'individu',
    { nama, email, perangkatDaerah, nip: null, jabatan: null, host: null },
    'ECDSA-P256',
  );
  if (!request.ok)
    throw new Error(`the individu profile cannot be rendered: ${JSON.stringify(request.problem)}`);
  const keys = await generateApplicantKeyPair('ECDSA-P256');
  const csrPem = await createCsr({ ...request.value, keys });
  const encryptedPrivateKeyPem = await encryptPrivateKey(keys.privateKey, `frasa sandi simulasi ${n}`, {
    iterations: SIMULATED_PBKDF2_ITERATIONS,
  });
  const id = options.newId();
  const createdAt = options.createdAt.toISOString();
  const item: OutboxItem = {
    id,
    state: 'queued',
    createdAt,
    record: {
      id,
      createdAt,
      certificateType: 'individu',
      applicant: { nama, nik: simulatedNik(n), nip: null, email, perangkatDaerah, jabatan: null, host: null },
      ocrText: `PROVINSI JAWA TIMUR\nKOTA MADIUN\nNIK : ${simulatedNik(n)}\nNama : ${nama}`,
      csrPem,
      encryptedPrivateKeyPem,
    },
    image: { mediaType: 'image/jpeg', blob: simulatedJpeg(options.attachmentBytes, n) },
    attachments: [],
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    syncedAt: null,
    rejection: null,
  };
  return options.officer ? approved(item, options.officer) : item;
}
