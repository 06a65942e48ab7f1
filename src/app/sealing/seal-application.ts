/**
 * Sealed records on the kiosk (issue 8, docs/security.md "Sealed records"): one application, its
 * personal data and every file, sealed at capture into one blob (`protocol/sealed-record.ts`) to the
 * RA archive and, while it waits at the counter, to the counter keys of the officers enrolled here
 * (or, with none enrolled, the kiosk's fallback key). Once the server acknowledged the record the
 * counter entries are dropped: nothing the kiosk holds opens it any more.
 */
import { requestEvidenceOf } from '../../core/certificate/request-evidence';
import { fail, ok, type Result } from '../../core/lib/brand';
import {
  decodeSealed,
  encodeSealed,
  importSealPublicKey,
  type OpenProblem,
  openBytesWithAnyKey,
  type SealOpeningKey,
  type SealRecipientKey,
  sealToBytes,
  withoutRecipients,
} from '../../core/sealing/seal';
import { nikHash } from '../../protocol/officer';
import {
  decodeSealedPlaintext,
  encodeSealedPlaintext,
  sealedRecordContext,
} from '../../protocol/sealed-record';
import { framedRecordSchema, recordFileLengths } from '../../protocol/sync';
import type { OfficerProfile } from '../officer/ports';
import type {
  ClearRecord,
  KioskCounterKeyStore,
  KioskPolicyStore,
  OutboxAttachment,
  OutboxItem,
  SealedOutboxItem,
} from '../ports';
import { framedRecord } from '../sync-outbox';

/** Why an application cannot be sealed now: the kiosk never heard of an archive key it can use. */
export type SealRecipientsProblem = 'no-archive-key';

export interface SealRecipientsDeps {
  policy: Pick<KioskPolicyStore, 'archiveKey'>;
  /** The officers enrolled on this kiosk (their counter keys' public halves are in clear). */
  officers: () => Promise<readonly OfficerProfile[]>;
  counterKey: KioskCounterKeyStore;
}

/**
 * Who a new application is sealed to: the newest archive key, and every officer here who can still
 * unlock (not locked, with a counter key); when there is none, the kiosk's fallback key, so that an
 * officer enrolled later can open it at the counter.
 */
export async function sealRecipients(
  deps: SealRecipientsDeps,
): Promise<Result<SealRecipientKey[], SealRecipientsProblem>> {
  const archive = await deps.policy.archiveKey();
  const archiveKey = archive && (await importSealPublicKey(archive.publicKeySpki));
  if (!archive || !archiveKey) return fail('no-archive-key');
  const recipients: SealRecipientKey[] = [{ kind: 'archive', keyId: archive.keyId, publicKey: archiveKey }];
  for (const officer of await deps.officers()) {
    if (officer.lockedAt !== null || !officer.counterKey) continue;
    const publicKey = await importSealPublicKey(officer.counterKey.publicKeySpki);
    if (publicKey) recipients.push({ kind: 'counter', keyId: officer.counterKey.keyId, publicKey });
  }
  if (recipients.length === 1) {
    const kiosk = await deps.counterKey.kioskCounterKey();
    recipients.push({ kind: 'counter', keyId: kiosk.keyId, publicKey: kiosk.publicKey });
  }
  return ok(recipients);
}

/**
 * The sealed blob of one application: its framed record without decision (the same record the
 * officer's `applicationHash` covers) and its files in frame order.
 */
export async function sealApplication(
  item: Pick<OutboxItem, 'id' | 'record' | 'image' | 'attachments'>,
  recipients: readonly SealRecipientKey[],
): Promise<Uint8Array<ArrayBuffer>> {
  const { record, files } = await framedRecord(item);
  const { decision: _decision, ...undecided } = record;
  return sealToBytes(encodeSealedPlaintext(undecided, files), sealedRecordContext(item.id), recipients);
}

export type OpenApplicationProblem = OpenProblem | 'not-a-record';

/**
 * Opens an application's blob with the first of `keys` that is a recipient. `not-a-recipient` when
 * none is (the counter entries were dropped, or the officer was enrolled after the capture);
 * `tampered` or `malformed` when the blob changed.
 */
export async function openSealedApplication(
  bytes: Uint8Array,
  applicationId: string,
  keys: readonly SealOpeningKey[],
): Promise<Result<{ record: unknown; files: Uint8Array }, OpenApplicationProblem>> {
  const opened = await openBytesWithAnyKey(bytes, keys, sealedRecordContext(applicationId));
  if (!opened.ok) return opened;
  const plaintext = decodeSealedPlaintext(opened.value);
  return plaintext ? ok(plaintext) : fail('not-a-record');
}

/**
 * The blob without its counter entries (after the server's acknowledgement): only the archive
 * opens it from then on. Null for bytes that are not a sealed blob (left as they are).
 */
export function withoutCounterRecipients(bytes: Uint8Array): Uint8Array<ArrayBuffer> | null {
  const decoded = decodeSealed(bytes);
  return decoded.ok ? encodeSealed(withoutRecipients(decoded.value, 'counter')) : null;
}

/** The fields of a record the kiosk keeps in clear (`ClearRecord`); the NIK only as its keyed hash. */
export function clearRecordOf(record: OutboxItem['record'], hashedNik: string | null): ClearRecord {
  return {
    id: record.id,
    createdAt: record.createdAt,
    certificateType: record.certificateType,
    applicant: { perangkatDaerah: record.applicant.perangkatDaerah },
    ...(hashedNik === null ? {} : { nikHash: hashedNik }),
    ...(record.agreement ? { agreement: { ...record.agreement } } : {}),
    ...(record.previous ? { previous: { ...record.previous } } : {}),
    ...(record.decision ? { decision: { ...record.decision } } : {}),
  };
}

/**
 * An application as the outbox is to keep it: sealed to `recipients` (`sealRecipients`), the clear
 * fields beside it, and the key material the handover needs. `nikHashKey` is the RA's NIK-hash key
 * (`OfficerKeyStore.nikHashKey`), null while no officer enrolled here: then no hash is kept.
 */
export async function sealForOutbox(
  item: OutboxItem,
  recipients: readonly SealRecipientKey[],
  nikHashKey: CryptoKey | null,
): Promise<SealedOutboxItem> {
  const { record, image: _image, attachments: _attachments, ...bookkeeping } = item;
  const [sealed, hashedNik, request] = await Promise.all([
    sealApplication(item, recipients),
    nikHashKey === null ? null : nikHash(nikHashKey, record.applicant.nik),
    requestEvidenceOf(record.csrPem, item.id),
  ]);
  const { emailConfirmation, ...rest } = bookkeeping;
  return {
    ...rest,
    // The address itself is in the blob; the kiosk only needs to know it was proven, and when.
    ...(emailConfirmation ? { emailConfirmation: { confirmedAt: emailConfirmation.confirmedAt } } : {}),
    record: clearRecordOf(record, hashedNik),
    sealed,
    // A CSR that does not read (the kiosk checks its own before saving) is still never kept in clear.
    keyMaterial: {
      encryptedPrivateKeyPem: record.encryptedPrivateKeyPem,
      request: request.ok ? request.value : null,
    },
  };
}

/** An application opened at the counter: the record and its files as they were captured. */
export type OpenedApplication = Pick<OutboxItem, 'id' | 'record' | 'image' | 'attachments'>;

/**
 * Why a held application does not open at the counter: `no-key`, none of the session's keys is a
 * recipient (any more); `damaged`, the blob changed or is not an application's (the screen says so,
 * and nothing is decided on it).
 */
export type OpenHeldProblem = 'no-key' | 'damaged';

/**
 * Opens a sealed application with the officer session's keys (`OfficerSession.openingKeys`) into
 * the shape it had at capture, so that `framedRecord` of it is the record the sync sends and the
 * officer's `applicationHash` covers.
 */
export async function openHeldApplication(
  bytes: Uint8Array,
  applicationId: string,
  keys: readonly SealOpeningKey[],
): Promise<Result<OpenedApplication, OpenHeldProblem>> {
  const opened = await openSealedApplication(bytes, applicationId, keys);
  if (!opened.ok) return fail(opened.problem === 'not-a-recipient' ? 'no-key' : 'damaged');
  const parsed = framedRecordSchema.safeParse(opened.value.record);
  if (!parsed.success || parsed.data.id !== applicationId) return fail('damaged');
  const lengths = recordFileLengths(parsed.data);
  const { files } = opened.value;
  if (lengths.some((n) => n < 0) || lengths.reduce((sum, n) => sum + n, 0) !== files.byteLength)
    return fail('damaged');
  const cut: Uint8Array<ArrayBuffer>[] = [];
  let at = 0;
  for (const n of lengths) {
    cut.push(files.slice(at, at + n));
    at += n;
  }
  const { ektpImage, attachments: refs = [], decision: _decision, ...record } = parsed.data;
  const [picture = new Uint8Array(0), ...papers] = cut;
  const attachments = refs.map(
    (ref, i): OutboxAttachment => ({
      kind: ref.kind,
      mediaType: ref.mediaType,
      blob: new Blob([papers[i] ?? new Uint8Array(0)], { type: ref.mediaType }),
    }),
  );
  return ok({
    id: applicationId,
    record,
    image: { mediaType: ektpImage.mediaType, blob: new Blob([picture], { type: ektpImage.mediaType }) },
    attachments,
  });
}
