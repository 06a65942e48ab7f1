/**
 * An application's personal data at rest (issue 8, Pasal 11 ayat 4): one sealed blob per
 * application, context `<id>/archive`, to the RA archive's current public key. Its plaintext is a
 * batch frame: manifest `{ "record": { v, fields, files } }` with the e-KTP picture and the papers
 * after it, so ingest seals once per application, not once per file.
 *
 * The issued certificate is sealed on its own (context `<id>/certificate`): its subject names the
 * person, and it arrives after the application.
 *
 * Kept in clear beside them, because the server needs them without opening: ids, kiosk, state and
 * times, certificate type, Perangkat Daerah, the keyed NIK hash (duplicate check), the e-mail
 * address (the confirmation mailer), the agreement's version and times (no personal data), and the
 * issued certificate's serial, SHA-256 fingerprint and end of validity (revocation, renewal,
 * retention and repeated reports look certificates up by them).
 */
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { parseCertificates, serialHex } from '../../../src/core/certificate/certificate';
import { splitAttachments } from '../../../src/protocol/batch-frame';
import { decodeSealedPlaintext, encodeSealedPlaintext } from '../../../src/protocol/sealed-record';
import type { ArchiveSealer } from '../archive/archive-sealer';
import type { StoreDatabase } from './kysely-store';
import type { NewApplication, NewAttachment, OutcomeChange } from './store';

/** What the sealed blob holds; the rest of an application stays in clear. */
export interface PersonalData {
  nama: string;
  nik: string;
  nip: string | null;
  jabatan: string | null;
  host: string | null;
  ocrText: string;
  ektpJson: string | null;
  csrPem: string;
  encryptedPrivateKeyPem: string;
  category: string | null;
  mobile: string | null;
  ektpMediaType: string;
  ektpImage: Uint8Array;
  attachments: NewAttachment[];
}

export type PersonalFields = Omit<PersonalData, 'ektpMediaType' | 'ektpImage' | 'attachments'>;

const PERSONAL_VERSION = 1;
const SELECT_CHUNK_IDS = 500;

export const archiveContext = (applicationId: string) => `${applicationId}/archive`;
/** A revocation request's paper, sealed on its own (it arrives after the application). */
export const paperContext = (revocationId: string, kind: string) => `${revocationId}/paper/${kind}`;
/** The issued certificate, sealed on its own (it arrives after the application). */
export const certificateContext = (applicationId: string) => `${applicationId}/certificate`;

/** Whether stored bytes are a sealed blob ("SRS" + version 1) rather than a plain file. */
export const isSealedBlob = (bytes: Uint8Array) =>
  bytes.length > 8 && bytes[0] === 0x53 && bytes[1] === 0x52 && bytes[2] === 0x53 && bytes[3] === 0x01;

/** What a purged application reads as: nothing personal is left. */
export const PURGED_PERSONAL: PersonalData = {
  nama: '',
  nik: '',
  nip: null,
  jabatan: null,
  host: null,
  ocrText: '',
  ektpJson: null,
  csrPem: '',
  encryptedPrivateKeyPem: '',
  category: null,
  mobile: null,
  ektpMediaType: '',
  ektpImage: new Uint8Array(),
  attachments: [],
};

/** The legacy plaintext columns once sealed: NOT NULL ones get '', the others null. */
export const BLANK_PERSONAL_COLUMNS = {
  nama: '',
  nik: '',
  nip: null,
  jabatan: null,
  host: null,
  ocr_text: '',
  ektp_json: null,
  csr_pem: '',
  encrypted_private_key_pem: '',
  category: null,
  mobile: null,
} as const;

export function personalOf(record: NewApplication): PersonalData {
  return {
    nama: record.nama,
    nik: record.nik,
    nip: record.nip ?? null,
    jabatan: record.jabatan,
    host: record.host,
    ocrText: record.ocrText,
    ektpJson: record.ektpJson,
    csrPem: record.csrPem,
    encryptedPrivateKeyPem: record.encryptedPrivateKeyPem,
    category: record.category ?? null,
    mobile: record.mobile ?? null,
    ektpMediaType: record.ektpMediaType,
    ektpImage: record.ektpImage,
    attachments: record.attachments ?? [],
  };
}

/** The sealed bytes and the key they were sealed to. */
export interface SealedPersonal {
  keyId: string;
  sealed: Uint8Array<ArrayBuffer>;
}

export async function sealPersonal(
  sealer: ArchiveSealer,
  applicationId: string,
  personal: PersonalData,
): Promise<SealedPersonal> {
  const { ektpMediaType, ektpImage, attachments, ...fields } = personal;
  const files = [
    { kind: 'ektp', mediaType: ektpMediaType, byteLength: ektpImage.byteLength },
    ...attachments.map((a) => ({ kind: a.kind, mediaType: a.mediaType, byteLength: a.data.byteLength })),
  ];
  const plaintext = encodeSealedPlaintext({ v: PERSONAL_VERSION, fields, files }, [
    ektpImage,
    ...attachments.map((a) => a.data),
  ]);
  return sealer.seal(plaintext, archiveContext(applicationId));
}

/** What the store keeps of an issued certificate: the text sealed, and what may stay in clear. */
export interface SealedCertificate {
  sealed: Uint8Array<ArrayBuffer>;
  /** Upper-case hex SHA-256 of the leaf's DER (see `certificateFacts`). */
  sha256: string;
  /** The leaf's serial, upper-case hex; null when the text holds no readable certificate. */
  serialHex: string | null;
}

/**
 * The leaf's (first certificate's) fingerprint, as the kiosk shows it at handover, and its serial.
 * Text that is no certificate (a hand-typed mistake) gets the hash of its UTF-8 bytes: still enough
 * to tell a repeat from another answer.
 */
export function certificateFacts(text: string): { sha256: string; serialHex: string | null } {
  const parsed = parseCertificates(text);
  const leaf = parsed.ok ? parsed.value[0] : undefined;
  if (leaf === undefined) {
    return { sha256: createHash('sha256').update(text, 'utf8').digest('hex').toUpperCase(), serialHex: null };
  }
  const der = new Uint8Array(leaf.toSchema().toBER(false));
  return {
    sha256: createHash('sha256').update(der).digest('hex').toUpperCase(),
    serialHex: serialHex(leaf.serialNumber),
  };
}

/** Seals the certificate text as received (chain and all). */
export async function sealCertificate(
  sealer: ArchiveSealer,
  applicationId: string,
  text: string,
): Promise<SealedCertificate> {
  const { sealed } = await sealer.seal(new TextEncoder().encode(text), certificateContext(applicationId));
  return { sealed, ...certificateFacts(text) };
}

export async function openCertificate(
  sealer: ArchiveSealer,
  applicationId: string,
  sealed: Uint8Array,
): Promise<string> {
  return new TextDecoder().decode(await sealer.open(sealed, certificateContext(applicationId)));
}

/** An outcome as the store writes it: an issued certificate sealed before the transaction (HPKE is async). */
export type SealedOutcomeChange =
  | Exclude<OutcomeChange, { state: 'issued' }>
  | { state: 'issued'; certificate: SealedCertificate; notAfter?: string; serialNumberHex?: string };

export async function sealOutcome(
  sealer: ArchiveSealer,
  applicationId: string,
  change: OutcomeChange,
): Promise<SealedOutcomeChange> {
  if (change.state !== 'issued') return change;
  const { certificatePem, ...rest } = change;
  return { ...rest, certificate: await sealCertificate(sealer, applicationId, certificatePem) };
}

interface SealedPlain {
  v: number;
  fields: PersonalFields;
  files: { kind: string; mediaType: string; byteLength: number }[];
}

function isSealedPlain(value: unknown): value is SealedPlain {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v.v === PERSONAL_VERSION &&
    typeof v.fields === 'object' &&
    v.fields !== null &&
    Array.isArray(v.files) &&
    v.files.every(
      (f: unknown) =>
        typeof f === 'object' &&
        f !== null &&
        typeof (f as { kind?: unknown }).kind === 'string' &&
        typeof (f as { mediaType?: unknown }).mediaType === 'string' &&
        typeof (f as { byteLength?: unknown }).byteLength === 'number',
    )
  );
}

export async function openPersonal(
  sealer: ArchiveSealer,
  applicationId: string,
  sealed: Uint8Array,
): Promise<PersonalData> {
  const plain = decodeSealedPlaintext(await sealer.open(sealed, archiveContext(applicationId)));
  if (plain === null || !isSealedPlain(plain.record)) {
    throw new Error(`sealed archive entry of application ${applicationId} is not a personal data frame`);
  }
  const { fields, files } = plain.record;
  const parts = splitAttachments(
    plain.files,
    files.map((f) => f.byteLength),
  );
  if (parts === null)
    throw new Error(`sealed archive entry of application ${applicationId} has damaged files`);
  const picture = files.findIndex((f) => f.kind === 'ektp');
  return {
    ...fields,
    ektpMediaType: files[picture]?.mediaType ?? '',
    ektpImage: parts[picture] ?? new Uint8Array(),
    attachments: files
      .flatMap((f, k) =>
        k === picture ? [] : [{ kind: f.kind, mediaType: f.mediaType, data: parts[k] ?? new Uint8Array() }],
      )
      .sort((a, b) => a.kind.localeCompare(b.kind)),
  };
}

type Executor = Kysely<StoreDatabase> | Transaction<StoreDatabase>;

/**
 * The personal data of these applications: opened from the archive, or, for a row the backfill
 * has not reached yet, read from the old plaintext columns. Unknown ids are absent.
 */
export async function readPersonal(
  db: Executor,
  sealer: ArchiveSealer,
  ids: readonly string[],
): Promise<Map<string, PersonalData>> {
  const out = new Map<string, PersonalData>();
  for (let start = 0; start < ids.length; start += SELECT_CHUNK_IDS) {
    const chunk = [...new Set(ids.slice(start, start + SELECT_CHUNK_IDS))];
    if (chunk.length === 0) continue;
    const sealedRows = await db
      .selectFrom('application_archive')
      .select(['application_id', 'sealed'])
      .where('application_id', 'in', chunk)
      .execute();
    for (const row of sealedRows) {
      out.set(row.application_id, await openPersonal(sealer, row.application_id, new Uint8Array(row.sealed)));
    }
    const rest = chunk.filter((id) => !out.has(id));
    if (rest.length === 0) continue;
    const rows = await db
      .selectFrom('applications')
      .select([
        'id',
        'nama',
        'nik',
        'nip',
        'jabatan',
        'host',
        'ocr_text',
        'ektp_json',
        'csr_pem',
        'encrypted_private_key_pem',
        'category',
        'mobile',
      ])
      .where('id', 'in', rest)
      .execute();
    const files = await db
      .selectFrom('application_attachments')
      .select(['application_id', 'kind', 'media_type', 'data'])
      .where('application_id', 'in', rest)
      .execute();
    for (const row of rows) {
      const own = files.filter((f) => f.application_id === row.id);
      const picture = own.find((f) => f.kind === 'ektp');
      out.set(row.id, {
        nama: row.nama,
        nik: row.nik,
        nip: row.nip ?? null,
        jabatan: row.jabatan ?? null,
        host: row.host ?? null,
        ocrText: row.ocr_text,
        ektpJson: row.ektp_json ?? null,
        csrPem: row.csr_pem,
        encryptedPrivateKeyPem: row.encrypted_private_key_pem,
        category: row.category ?? null,
        mobile: row.mobile ?? null,
        ektpMediaType: picture?.media_type ?? '',
        // A plain copy: drivers may hand out a Buffer that views a larger shared pool.
        ektpImage: new Uint8Array(picture?.data ?? new Uint8Array()),
        attachments: own
          .filter((f) => f.kind !== 'ektp')
          .map((f) => ({ kind: f.kind, mediaType: f.media_type, data: new Uint8Array(f.data) }))
          .sort((a, b) => a.kind.localeCompare(b.kind)),
      });
    }
  }
  return out;
}
