import {
  type ApplicationDraft,
  type DraftProblem,
  normaliseNama,
  subjectData,
  validateDraft,
} from '../core/application/application';
import {
  type ApplicantCategory,
  type AttachmentKind,
  type CompletenessRules,
  type MissingItem,
  missingItems,
} from '../core/application/completeness';
import {
  type PassphrasePolicy,
  type PassphraseProblem,
  personalValues,
  type StrengthScore,
  validatePassphrase,
} from '../core/application/passphrase';
import { type ProfileProblem, type ProfileSet, renderProfile } from '../core/certificate/profile';
import { parseNik } from '../core/identity/nik';
import { parseNip } from '../core/identity/nip';
import { parseMobile } from '../core/identity/phone';
import { normaliseEmail } from '../protocol/email';
import {
  type AgreementAcceptance,
  ATTACHMENT_MEDIA_TYPES,
  type AttachmentMediaType,
  type EktpRecord,
  IMAGE_MEDIA_TYPES,
  LIMITS,
  RECORD_ATTACHMENT_KINDS,
  type RecordAttachmentKind,
} from '../protocol/sync';
import type { AuditLog } from './audit/ports';
import type { KeyMaker, KeyRequestProblem, KeyStage } from './key-request';
import { type FollowUpStart, followUpMismatch } from './lifecycle/follow-up';
import type { OutboxAttachment, OutboxEmailConfirmation, OutboxItem, OutboxStore } from './ports';
import { type SealRecipientsDeps, sealForOutbox, sealRecipients } from './sealing/seal-application';

export interface SubmitInput {
  draft: ApplicationDraft;
  image: Blob | null;
  ocrText: string;
  /** The e-KTP fields as read and confirmed; absent when nothing was read. */
  ektp?: EktpRecord;
  passphrase: string;
  passphraseConfirmation: string;
  /** The application's papers, one per kind; the media type is the Blob's. */
  attachments?: readonly { kind: RecordAttachmentKind; blob: Blob }[];
  /** Who applies (Pasal 10 ayat 2); absent or '' from callers before the applicant steps. */
  category?: ApplicantCategory | '';
  /** The mobile number as typed; absent from callers before the applicant steps. */
  mobile?: string;
  /** The agreement and obligations the applicant ticked, with when (Pasal 13 ayat 5, 16-17). */
  agreement?: AgreementAcceptance;
  /**
   * The id the form gave the application when it opened, so the e-mail could be confirmed for it
   * before it exists (Pasal 10); absent: a new one.
   */
  id?: string;
  /** The e-mail as confirmed at the counter; kept only if it is the application's address. */
  emailConfirmation?: OutboxEmailConfirmation;
  /**
   * A renewal or replacement (app/lifecycle/follow-up.ts): the certificate it follows. The draft must
   * keep that certificate's NIK and type (the server links nothing else).
   */
  followUp?: Pick<FollowUpStart, 'previous' | 'certificateType' | 'prefill'>;
}

export type ImageProblem = 'required' | 'unsupported-type' | 'too-large';

/**
 * `too-large`: this file alone is over `LIMITS.maxAttachmentBytes`; `too-large-together`: it is the
 * file that takes the application's files (the e-KTP picture included) over `LIMITS.maxRecordFileBytes`.
 */
export type AttachmentProblem =
  | 'unknown-kind'
  | 'duplicate-kind'
  | 'unsupported-type'
  | 'empty'
  | 'too-large'
  | 'too-large-together';

export type SubmitProblem =
  | { kind: 'draft'; problems: DraftProblem[] }
  | { kind: 'image'; problem: ImageProblem }
  | { kind: 'attachment'; attachment: string; problem: AttachmentProblem }
  /** What the application still lacks (Pasal 20 ayat 2); never `key`, which this use case makes. */
  | { kind: 'incomplete'; missing: MissingItem[] }
  | { kind: 'passphrase'; problem: PassphraseProblem }
  | { kind: 'profile'; problem: ProfileProblem }
  | { kind: 'csr-check-failed'; problem: KeyRequestProblem }
  /** A renewal or replacement whose draft names another person or certificate type. */
  | { kind: 'follow-up'; problem: 'nik-differs' | 'type-differs' }
  /** No archive key to seal to (the `no-archive-key` guardrail stops the form before this). */
  | { kind: 'no-archive-key' };

export type SubmitStage = KeyStage | 'save';
export const SUBMIT_STAGES: readonly SubmitStage[] = ['keypair', 'csr', 'verify', 'encrypt', 'save'];

export interface SubmitDeps {
  outbox: OutboxStore;
  /**
   * Sealing at capture (issue 8): who the application is sealed to (`sealRecipients`) and the RA's
   * NIK-hash key (`OfficerKeyStore.nikHashKey`). The kiosk always passes it: the outbox then holds
   * the sealed blob and clear fields only. Without it (unit tests of other rules) the item is kept
   * clear, as the simulator's memory twin keeps it.
   */
  sealing?: { recipients: SealRecipientsDeps; nikHashKey: () => Promise<CryptoKey | null> };
  /** The audit chain (issue 8); absent where nothing is recorded (tests of other things). */
  audit?: AuditLog;
  keyMaker: KeyMaker;
  now: () => Date;
  newId: () => string;
  settings: {
    profiles: ProfileSet;
    emailDomains: readonly string[];
    passphrase: PassphrasePolicy;
    maxImageBytes: number;
  };
  onStage?: (stage: SubmitStage) => void;
  /**
   * The strength estimator (zxcvbn on the kiosk). The use case asks it itself rather than trusting a
   * score from the screen; without one, the length, personal-data and blocklist rules still apply.
   */
  estimateStrength?: (passphrase: string, userInputs: string[]) => Promise<{ score: StrengthScore }>;
  /** Only tests lower it; real applications always get the full PBKDF2 work factor. */
  pbkdf2Iterations?: number;
  /**
   * The completeness rules (`completenessRules(config)`): when given, an application lacking anything
   * of Pasal 10 (category, mobile number, papers, specimen, agreement) is refused before any key is
   * made, as the screen already showed. Without them only what was given is checked.
   */
  completeness?: CompletenessRules;
}

function imageProblem(image: Blob | null, maxBytes: number): ImageProblem | null {
  if (!image) return 'required';
  if (!(IMAGE_MEDIA_TYPES as readonly string[]).includes(image.type)) return 'unsupported-type';
  if (image.size > maxBytes) return 'too-large';
  return null;
}

/** What is wrong with one paper, given the kinds before it and the bytes of the files before it. */
function paperProblem(
  { kind, blob }: { kind: string; blob: Blob },
  earlierKinds: ReadonlySet<string>,
  earlierBytes: number,
): AttachmentProblem | null {
  if (!(RECORD_ATTACHMENT_KINDS as readonly string[]).includes(kind)) return 'unknown-kind';
  if (earlierKinds.has(kind)) return 'duplicate-kind';
  if (!(ATTACHMENT_MEDIA_TYPES as readonly string[]).includes(blob.type)) return 'unsupported-type';
  // The wire format has no empty file: the server would refuse the whole record.
  if (blob.size === 0) return 'empty';
  if (blob.size > LIMITS.maxAttachmentBytes) return 'too-large';
  if (earlierBytes + blob.size > LIMITS.maxRecordFileBytes) return 'too-large-together';
  return null;
}

/** The first problem among the papers, in the order given; null when they may all be sent. */
function attachmentProblem(
  attachments: readonly { kind: string; blob: Blob }[],
  imageBytes: number,
): { attachment: string; problem: AttachmentProblem } | null {
  const kinds = new Set<string>();
  let bytes = imageBytes;
  for (const paper of attachments) {
    const problem = paperProblem(paper, kinds, bytes);
    if (problem) return { attachment: paper.kind, problem };
    kinds.add(paper.kind);
    bytes += paper.blob.size;
  }
  return null;
}

const typedMobile = (input: SubmitInput): string | null =>
  input.mobile === undefined || input.mobile.trim() === '' ? null : input.mobile;

const isPaperKind = (kind: RecordAttachmentKind): kind is AttachmentKind => kind !== 'signature-specimen';

/** What the application lacks besides its draft, picture and files (checked before this runs). */
function incompleteness(input: SubmitInput, rules: CompletenessRules | undefined): MissingItem[] {
  const papers = input.attachments ?? [];
  if (!rules) {
    // Only what was given: a typed mobile number must be one.
    const mobile = typedMobile(input) === null ? null : parseMobile(input.mobile ?? '');
    return mobile && !mobile.ok ? [{ field: 'mobile', reason: mobile.problem }] : [];
  }
  return missingItems(
    {
      draft: input.draft,
      category: input.category ?? '',
      mobile: input.mobile ?? '',
      attachments: papers.flatMap(({ kind, blob }) =>
        isPaperKind(kind) ? [{ kind, mediaType: blob.type, byteLength: blob.size }] : [],
      ),
      ektpScan: input.image ? { mediaType: input.image.type, byteLength: input.image.size } : null,
      signatureSpecimen: papers.some((p) => p.kind === 'signature-specimen'),
      obligationsAccepted: input.agreement !== undefined,
      agreementVersion: input.agreement?.version ?? null,
      keyGenerated: true,
    },
    rules,
  );
}

/**
 * Validates everything first, then makes the key pair and CSR on this device and writes the
 * application to the outbox. The private key leaves WebCrypto only encrypted under the passphrase.
 */
export async function submitApplication(
  input: SubmitInput,
  deps: SubmitDeps,
): Promise<{ ok: true; id: string } | { ok: false; problem: SubmitProblem }> {
  const { settings } = deps;
  const problems = validateDraft(input.draft, settings);
  if (problems.length > 0) return { ok: false, problem: { kind: 'draft', problems } };
  const imageIssue = imageProblem(input.image, settings.maxImageBytes);
  if (imageIssue || !input.image)
    return { ok: false, problem: { kind: 'image', problem: imageIssue ?? 'required' } };
  const papers = input.attachments ?? [];
  const papersIssue = attachmentProblem(papers, input.image.size);
  if (papersIssue) return { ok: false, problem: { kind: 'attachment', ...papersIssue } };
  const missing = incompleteness(input, deps.completeness);
  if (missing.length > 0) return { ok: false, problem: { kind: 'incomplete', missing } };

  const nik = parseNik(input.draft.nik);
  const nip = input.draft.nip.trim() === '' ? null : parseNip(input.draft.nip);
  if (!nik.ok || (nip && !nip.ok) || input.draft.certificateType === '') {
    return { ok: false, problem: { kind: 'draft', problems } };
  }
  const followUpIssue = input.followUp
    ? followUpMismatch(input.followUp, { nik: nik.value.nik, certificateType: input.draft.certificateType })
    : null;
  if (followUpIssue) return { ok: false, problem: { kind: 'follow-up', problem: followUpIssue } };
  const typed = typedMobile(input);
  const mobile = typed === null ? null : parseMobile(typed);
  const nama = normaliseNama(input.draft.nama);
  const personal = personalValues({
    nik: nik.value.nik,
    nama,
    email: input.draft.email.trim().toLowerCase(),
    ...(nip?.ok ? { nip: nip.value.nip } : {}),
    ...(input.ektp?.fields.tanggalLahir ? { tanggalLahir: input.ektp.fields.tanggalLahir } : {}),
  });
  const strength = deps.estimateStrength ? await deps.estimateStrength(input.passphrase, personal) : null;
  const passphraseProblem = validatePassphrase(
    input.passphrase,
    input.passphraseConfirmation,
    settings.passphrase,
    personal,
    strength,
  );
  if (passphraseProblem) return { ok: false, problem: { kind: 'passphrase', problem: passphraseProblem } };

  const data = subjectData(input.draft);
  const request = renderProfile(settings.profiles, input.draft.certificateType, data);
  if (!request.ok) return { ok: false, problem: { kind: 'profile', problem: request.problem } };

  const made = await deps.keyMaker.make(
    {
      request: request.value,
      passphrase: input.passphrase,
      ...(deps.pbkdf2Iterations ? { pbkdf2Iterations: deps.pbkdf2Iterations } : {}),
    },
    (stage) => deps.onStage?.(stage),
  );
  if (!made.ok) return { ok: false, problem: { kind: 'csr-check-failed', problem: made.problem } };
  const { csrPem, encryptedPrivateKeyPem } = made.value;

  deps.onStage?.('save');
  const id = input.id ?? deps.newId();
  const createdAt = deps.now().toISOString();
  const item: OutboxItem = {
    id,
    // Applicant mode approves nothing: every application waits for an officer's signed decision
    // (Pasal 11), and only a decided one is ever sent.
    state: 'held',
    createdAt,
    record: {
      id,
      createdAt,
      certificateType: input.draft.certificateType,
      applicant: {
        nama,
        nik: nik.value.nik,
        nip: nip?.ok ? nip.value.nip : null,
        email: data.email ?? '',
        perangkatDaerah: data.perangkatDaerah ?? '',
        jabatan: data.jabatan ?? null,
        host: data.host ?? null,
        ...(input.category ? { category: input.category } : {}),
        ...(mobile?.ok ? { mobile: mobile.value } : {}),
      },
      ocrText: input.ocrText.slice(0, LIMITS.maxOcrTextChars),
      ...(input.ektp ? { ektp: input.ektp } : {}),
      ...(input.agreement ? { agreement: { ...input.agreement } } : {}),
      ...(input.followUp ? { previous: { ...input.followUp.previous } } : {}),
      csrPem,
      encryptedPrivateKeyPem,
    },
    image: { mediaType: input.image.type as OutboxItem['image']['mediaType'], blob: input.image },
    // The media types were checked above.
    attachments: papers.map(
      ({ kind, blob }): OutboxAttachment => ({ kind, mediaType: blob.type as AttachmentMediaType, blob }),
    ),
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    syncedAt: null,
    rejection: null,
  };
  const confirmed = input.emailConfirmation;
  // An address changed after its code was typed is not the address that was proven.
  if (confirmed && normaliseEmail(confirmed.email) === normaliseEmail(item.record.applicant.email)) {
    item.emailConfirmation = { email: normaliseEmail(confirmed.email), confirmedAt: confirmed.confirmedAt };
  }
  if (deps.sealing) {
    const recipients = await sealRecipients(deps.sealing.recipients);
    if (!recipients.ok) return { ok: false, problem: { kind: 'no-archive-key' } };
    const nikKey = await deps.sealing.nikHashKey();
    // The personal data, picture and papers only inside the blob; the receipt is made from memory.
    await deps.outbox.add(await sealForOutbox(item, recipients.value, nikKey));
  } else await deps.outbox.add(item);
  await deps.audit?.append('captured', id, { state: item.state });
  return { ok: true, id };
}
