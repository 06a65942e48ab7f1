import {
  type ApplicationDraft,
  type DraftProblem,
  normaliseNama,
  subjectFor,
  validateDraft,
} from '../core/application/application';
import {
  type PassphrasePolicy,
  type PassphraseProblem,
  validatePassphrase,
} from '../core/application/passphrase';
import { createCsr, verifyCsr } from '../core/certificate/csr';
import { generateApplicantKeyPair } from '../core/certificate/keys';
import { encryptPrivateKey } from '../core/certificate/pkcs8';
import type { KeyAlgorithm } from '../core/certificate/types';
import { parseNik } from '../core/identity/nik';
import { parseNip } from '../core/identity/nip';
import { type EktpRecord, IMAGE_MEDIA_TYPES, LIMITS } from '../protocol/sync';
import type { OutboxItem, OutboxStore } from './ports';

export interface SubmitInput {
  draft: ApplicationDraft;
  image: Blob | null;
  ocrText: string;
  /** The e-KTP fields as read and confirmed; absent when nothing was read. */
  ektp?: EktpRecord;
  passphrase: string;
  passphraseConfirmation: string;
}

export type ImageProblem = 'required' | 'unsupported-type' | 'too-large';

export type SubmitProblem =
  | { kind: 'draft'; problems: DraftProblem[] }
  | { kind: 'image'; problem: ImageProblem }
  | { kind: 'passphrase'; problem: PassphraseProblem }
  | { kind: 'csr-check-failed' };

export type SubmitStage = 'keypair' | 'csr' | 'encrypt' | 'save';

export interface SubmitDeps {
  outbox: OutboxStore;
  now: () => Date;
  newId: () => string;
  settings: {
    organisation: string;
    emailDomains: readonly string[];
    keyAlgorithm: KeyAlgorithm;
    passphrase: PassphrasePolicy;
    maxImageBytes: number;
  };
  onStage?: (stage: SubmitStage) => void;
  /** Only tests lower it; real applications always get the full PBKDF2 work factor. */
  pbkdf2Iterations?: number;
}

function imageProblem(image: Blob | null, maxBytes: number): ImageProblem | null {
  if (!image) return 'required';
  if (!(IMAGE_MEDIA_TYPES as readonly string[]).includes(image.type)) return 'unsupported-type';
  if (image.size > maxBytes) return 'too-large';
  return null;
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

  const nik = parseNik(input.draft.nik);
  const nip = input.draft.nip.trim() === '' ? null : parseNip(input.draft.nip);
  if (!nik.ok || (nip && !nip.ok) || input.draft.certificateType === '') {
    return { ok: false, problem: { kind: 'draft', problems } };
  }
  const nama = normaliseNama(input.draft.nama);
  const passphraseProblem = validatePassphrase(
    input.passphrase,
    input.passphraseConfirmation,
    settings.passphrase,
    [nik.value.nik, nip?.ok ? nip.value.nip : '', ...nama.split(' '), nama],
  );
  if (passphraseProblem) return { ok: false, problem: { kind: 'passphrase', problem: passphraseProblem } };

  const email = input.draft.email.trim().toLowerCase();
  deps.onStage?.('keypair');
  const keys = await generateApplicantKeyPair(settings.keyAlgorithm);
  deps.onStage?.('csr');
  const csrPem = await createCsr({
    subject: subjectFor(input.draft, settings.organisation),
    emails: [email],
    keys,
  });
  // Proof that what goes into the outbox is what the CA will accept.
  const check = await verifyCsr(csrPem);
  if (!check.ok) return { ok: false, problem: { kind: 'csr-check-failed' } };
  deps.onStage?.('encrypt');
  const encryptedPrivateKeyPem = await encryptPrivateKey(keys.privateKey, input.passphrase, {
    ...(deps.pbkdf2Iterations ? { iterations: deps.pbkdf2Iterations } : {}),
  });

  deps.onStage?.('save');
  const id = deps.newId();
  const createdAt = deps.now().toISOString();
  const item: OutboxItem = {
    id,
    state: 'queued',
    createdAt,
    record: {
      id,
      createdAt,
      certificateType: input.draft.certificateType,
      applicant: {
        nama,
        nik: nik.value.nik,
        nip: nip?.ok ? nip.value.nip : null,
        email,
        perangkatDaerah: input.draft.perangkatDaerah.trim(),
      },
      ocrText: input.ocrText.slice(0, LIMITS.maxOcrTextChars),
      ...(input.ektp ? { ektp: input.ektp } : {}),
      csrPem,
      encryptedPrivateKeyPem,
    },
    image: { mediaType: input.image.type as OutboxItem['image']['mediaType'], blob: input.image },
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    syncedAt: null,
    rejection: null,
  };
  await deps.outbox.add(item);
  return { ok: true, id };
}
