import { type Accessor, createMemo, createSignal, For, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import { confirmationFor } from '../../app/email-confirmation';
import { completenessRules } from '../../app/kiosk-config';
import { type FollowUpStart, followUpMismatch } from '../../app/lifecycle/follow-up';
import type { OutboxEmailConfirmation } from '../../app/ports';
import { formatSerial, submissionReceipt } from '../../app/receipt/receipt-document';
import {
  SUBMIT_STAGES,
  type SubmitInput,
  type SubmitProblem,
  type SubmitStage,
} from '../../app/submit-application';
import { type ApplicationDraft, type DraftField, normaliseNama } from '../../core/application/application';
import {
  type ApplicantCategory,
  type AttachmentKind,
  type MissingItem,
  missingItems,
  requiredAttachments,
} from '../../core/application/completeness';
import { personalValues } from '../../core/application/passphrase';
import { CERTIFICATE_TYPES, type CertificateType } from '../../core/certificate/types';
import { crossCheck } from '../../core/identity/cross-checks';
import { DEFAULT_CONFIDENCE_THRESHOLD } from '../../core/ocr/parse-ektp';
import {
  EKTP_FIELDS,
  type EktpField,
  type EktpWarning,
  type EktpWarningCode,
  emptyFields,
  zeroConfidence,
} from '../../core/ocr/types';
import type { Guardrail } from '../../core/outbox/guardrails';
import { LIMITS } from '../../protocol/sync';
import { AgreementPanel } from '../applicant/AgreementPanel';
import { CategoryField, MobileField } from '../applicant/ApplicantFields';
import { AttachmentsPanel, type PaperFile } from '../applicant/AttachmentsPanel';
import { EmailConfirmation } from '../applicant/EmailConfirmation';
import { MissingList } from '../applicant/MissingList';
import { inputOf, type MissingContext, missingText } from '../applicant/missing-text';
import { SignaturePad } from '../applicant/SignaturePad';
import { formatLimit, formatSize } from '../applicant/sizes';
import { type CaptureOutcome, EktpCapture } from '../components/EktpCapture';
import { EktpFieldsPanel, fieldLabel } from '../components/EktpFieldsPanel';
import { GuardrailPanel } from '../components/GuardrailPanel';
import { type GeneratedState, PassphraseFields } from '../components/PassphraseFields';
import { ReceiptView } from '../components/ReceiptView';
import type { Locale, Translate } from '../i18n/i18n';
import { FollowUpBanner } from '../lifecycle/FollowUpBanner';
import { followUpDraft, mobileForInput, withFollowUpRow } from '../lifecycle/follow-up-form';
import { receiptWords } from '../receipt-words';
import type { KioskServices } from '../services';

type OwnField = 'certificateType' | 'nip' | 'email' | 'perangkatDaerah' | 'jabatan' | 'host';
const EMPTY: Pick<ApplicationDraft, OwnField> = {
  certificateType: '',
  nip: '',
  email: '',
  perangkatDaerah: '',
  jabatan: '',
  host: '',
};

type FieldErrors = Partial<Record<DraftField | 'image' | 'passphrase', string>>;

interface EktpState {
  fields: Record<EktpField, string>;
  confidence: Record<EktpField, number>;
  readingWarnings: EktpWarning[];
  /** Fields the officer typed or confirmed: a new reading leaves them alone. */
  checked: Record<EktpField, boolean>;
  text: string;
}

const noneChecked = () =>
  Object.fromEntries(EKTP_FIELDS.map((f) => [f, false])) as Record<EktpField, boolean>;
/** The e-KTP part of a blank form: nothing read, nothing confirmed. */
const emptyEktp = (): EktpState => ({
  fields: emptyFields(),
  confidence: zeroConfidence(),
  readingWarnings: [],
  checked: noneChecked(),
  text: '',
});

/** What the receipt of a saved application shows. */
interface Saved {
  id: string;
  certificateType: CertificateType;
  nama: string;
  perangkatDaerah: string;
  submittedAt: string;
  /** When the official e-mail was proven at the counter (Pasal 10); null otherwise. */
  emailConfirmedAt: string | null;
}

/** The papers' limit: the configured one, never above what the wire format takes. */
const paperLimit = (configured: number) => Math.min(configured, LIMITS.maxAttachmentBytes);

export function ApplicationForm(props: {
  t: Translate;
  language: () => Locale;
  services: KioskServices;
  onOpenChange: (open: boolean) => void;
  /** A renewal or replacement (Pasal 14, 15): the certificate it follows and the data it starts from. */
  followUp?: FollowUpStart | null;
  /** The follow-up's receipt was closed: the next application is a first one again. */
  onFollowUpDone?: () => void;
  /**
   * Guardrails tripped now (issue 8): a form nobody has begun gives way to the reasons; one begun
   * can still be saved, and its receipt shown.
   */
  guardrails?: Accessor<readonly Guardrail[]>;
  onOpenOutbox?: () => void;
}) {
  const { t, services } = props;
  const config = services.config;
  const domains = config.emailDomains.join(', ');
  // Read once, when the form opens: the officer's "Mulai pembaruan" opens a fresh form.
  const followUp = props.followUp ?? null;
  const [draft, setDraft] = createStore({ ...EMPTY, ...followUpDraft(followUp) });
  // A follow-up starts with the holder's name and NIK; the e-KTP read at the counter replaces them.
  const [ektp, setEktp] = createStore<EktpState>(
    followUp
      ? {
          ...emptyEktp(),
          fields: { ...emptyFields(), nama: followUp.prefill.nama, nik: followUp.prefill.nik },
        }
      : emptyEktp(),
  );
  const [image, setImage] = createSignal<Blob | null>(null);
  const [reading, setReading] = createSignal(false);
  const [passphrase, setPassphrase] = createSignal('');
  const [generated, setGenerated] = createSignal<GeneratedState>('none');
  const [confirmation, setConfirmation] = createSignal('');
  const [stage, setStage] = createSignal<SubmitStage | null>(null);
  const [messages, setMessages] = createSignal<string[]>([]);
  const [fieldErrors, setFieldErrors] = createSignal<FieldErrors>({});
  const [saved, setSaved] = createSignal<Saved | null>(null);
  // The application's id from the start: its e-mail is confirmed for it before it is saved (Pasal 10).
  const [applicationId, setApplicationId] = createSignal(services.newApplicationId());
  const [emailConfirmed, setEmailConfirmed] = createSignal<OutboxEmailConfirmation | null>(null);
  // The applicant's steps (Pasal 10, 13 ayat 5, 16-17).
  const rules = {
    ...completenessRules(config),
    attachments: { ...config.attachments, maxBytes: paperLimit(config.attachments.maxBytes) },
  };
  const [category, setCategory] = createSignal<ApplicantCategory | ''>(followUp?.prefill.category ?? '');
  const [mobile, setMobile] = createSignal(mobileForInput(followUp?.prefill.mobile ?? ''));
  const [papers, setPapers] = createSignal<Partial<Record<AttachmentKind, PaperFile>>>({});
  const [papersBusy, setPapersBusy] = createSignal(false);
  const [specimen, setSpecimen] = createSignal<Blob | null>(null);
  const [obligationsAt, setObligationsAt] = createSignal<string | null>(null);
  const [agreementAt, setAgreementAt] = createSignal<string | null>(null);
  /** Inputs the applicant has left: their problems show under them, not only in the list. */
  const [touched, setTouched] = createSignal<ReadonlySet<string>>(new Set());

  /** Begun: something was typed or chosen. The guardrails never take a begun form away. */
  const [started, setStarted] = createSignal(false);
  const touch = () => {
    setStarted(true);
    props.onOpenChange(true);
  };
  const tripped = () => props.guardrails?.() ?? [];
  // Work under way (a card being read, a paper being converted) counts as begun too.
  const blockedForNew = () =>
    tripped().length > 0 && !started() && stage() === null && !reading() && !papersBusy();
  // What the passphrase must not contain; the same list the use case checks again on submit.
  const personal = createMemo(() =>
    personalValues({
      nik: ektp.fields.nik,
      nama: ektp.fields.nama,
      tanggalLahir: ektp.fields.tanggalLahir,
      nip: draft.nip.replace(/\s+/g, ''),
      email: draft.email.trim().toLowerCase(),
    }),
  );
  const fullDraft = (): ApplicationDraft => ({ ...draft, nama: ektp.fields.nama, nik: ektp.fields.nik });

  const unsure = (field: EktpField) =>
    ektp.fields[field] !== '' &&
    ektp.confidence[field] > 0 &&
    ektp.confidence[field] < DEFAULT_CONFIDENCE_THRESHOLD;
  const unconfirmed = () => EKTP_FIELDS.filter((f) => unsure(f) && !ektp.checked[f]);
  const checks = createMemo(() =>
    crossCheck(ektp.fields, {
      nip: draft.nip.trim() || undefined,
      today: services.today(),
      regions: services.regions,
    }),
  );
  const warningsFor = (field: EktpField | 'nip'): EktpWarningCode[] =>
    [
      ...ektp.readingWarnings.filter(
        (w) =>
          w.field === field &&
          !(field !== 'nip' && ektp.checked[field as EktpField]) &&
          w.code !== 'low-confidence',
      ),
      ...checks().filter((w) => w.field === field),
    ].map((w) => w.code);

  const kinds = createMemo(() => requiredAttachments(draft.certificateType));
  /** The papers the type needs, as they go with the application. */
  const papersToSend = () =>
    kinds().flatMap((kind) => {
      const file = papers()[kind];
      return file ? [{ kind, blob: file.blob }] : [];
    });
  const totalBytes = () =>
    (image()?.size ?? 0) + (specimen()?.size ?? 0) + papersToSend().reduce((sum, p) => sum + p.blob.size, 0);
  const missing = createMemo<MissingItem[]>(() => {
    const scan = image();
    return missingItems(
      {
        draft: fullDraft(),
        category: category(),
        mobile: mobile(),
        attachments: papersToSend().map(({ kind, blob }) => ({
          kind,
          mediaType: blob.type,
          byteLength: blob.size,
        })),
        ektpScan: scan ? { mediaType: scan.type, byteLength: scan.size } : null,
        signatureSpecimen: specimen() !== null,
        obligationsAccepted: obligationsAt() !== null,
        agreementVersion: agreementAt() !== null ? config.agreement.version : null,
        keyGenerated: false,
      },
      rules,
    ).filter((item) => item.field !== 'key'); // made by the submit button itself
  });
  const missingContext = (): MissingContext => ({
    t,
    language: props.language(),
    domains,
    category: category(),
    maxAttachmentBytes: rules.attachments.maxBytes,
    maxEktpBytes: rules.ektpScan.maxBytes,
    agreementVersion: config.agreement.version,
  });
  const totalTooLarge = createMemo(() =>
    totalBytes() > LIMITS.maxRecordFileBytes
      ? t('applicant.papers.totalTooLarge', {
          size: formatSize(totalBytes(), props.language()),
          max: formatLimit(LIMITS.maxRecordFileBytes, props.language()),
        })
      : null,
  );
  /** A follow-up is the same holder's, of the same type (the server links nothing else). */
  const followUpBlockers = (): string[] => {
    if (followUp === null || ektp.fields.nik === '') return [];
    const mismatch = followUpMismatch(followUp, {
      nik: ektp.fields.nik,
      certificateType: draft.certificateType,
    });
    const serial = formatSerial(followUp.previous.serialNumberHex);
    return mismatch === null ? [] : [t(`lifecycle.followUp.mismatch.${mismatch}`, { serial })];
  };
  /** Everything that keeps the submit button disabled, in the order of the form (Pasal 20 ayat 2). */
  const blockers = createMemo(() => {
    const pending = unconfirmed();
    return [
      ...missing().map((item) => missingText(item, missingContext())),
      ...(pending.length > 0
        ? [t('ektp.mustConfirm', { fields: pending.map((f) => fieldLabel(t, f)).join(', ') })]
        : []),
      ...(reading() ? [t('applicant.missing.reading')] : []),
      ...(papersBusy() ? [t('applicant.missing.preparingPapers')] : []),
      ...followUpBlockers(),
      ...(totalTooLarge()
        ? [
            t('applicant.missing.totalTooLarge', {
              max: formatLimit(LIMITS.maxRecordFileBytes, props.language()),
            }),
          ]
        : []),
    ];
  });
  /** The problem of each input the applicant has left, shown under it. */
  const liveErrors = createMemo(() => {
    const errors: Record<string, string> = {};
    for (const item of missing()) {
      const input = inputOf(item);
      if (input && errors[input] === undefined && touched().has(input))
        errors[input] = missingText(item, missingContext());
    }
    return errors;
  });

  const onCapture = (outcome: CaptureOutcome) => {
    setReading(false);
    setImage(outcome.image);
    const result = outcome.reading;
    if (!result) return;
    // A new reading fills what the officer has not typed or confirmed; nothing typed is lost.
    for (const field of EKTP_FIELDS) {
      if (ektp.checked[field]) continue;
      setEktp('fields', field, result.fields[field]);
      setEktp('confidence', field, result.confidence[field]);
    }
    setEktp(
      'readingWarnings',
      result.warnings.filter((w) => w.field === 'nip' || !ektp.checked[w.field]),
    );
    setEktp('text', result.text);
  };

  const onFieldInput = (field: EktpField, value: string) => {
    setEktp('fields', field, value.toUpperCase());
    setEktp('checked', field, true);
    touch();
  };

  const problemText = (problem: SubmitProblem): { fields: FieldErrors; list: string[] } => {
    switch (problem.kind) {
      case 'draft': {
        const fields: FieldErrors = {};
        for (const p of problem.problems) {
          fields[p.field] =
            t(`problems.${p.field}.${p.reason}` as 'problems.nama.required', { domains }) ?? p.reason;
        }
        return { fields, list: Object.values(fields).filter((v): v is string => v !== undefined) };
      }
      case 'image': {
        const text = t(`problems.image.${problem.problem}`);
        return { fields: { image: text }, list: [text] };
      }
      case 'attachment': {
        const text = t(`problems.attachment.${problem.problem}`);
        return { fields: {}, list: [text] };
      }
      case 'incomplete':
        return { fields: {}, list: problem.missing.map((item) => missingText(item, missingContext())) };
      case 'passphrase': {
        const p = problem.problem;
        const text = t(`problems.passphrase.${p.reason}`, {
          minLength: config.passphrase.minLength,
          maxLength: config.passphrase.maxLength,
          ...(p.reason === 'too-weak' ? { score: p.score, minScore: p.minScore } : {}),
        });
        return { fields: { passphrase: text }, list: [text] };
      }
      case 'profile': {
        const p = problem.problem;
        const text =
          p.reason === 'missing-value'
            ? t('problems.profile.missing-value', { field: p.field })
            : t('problems.profile.key-algorithm-not-allowed', { keyAlgorithm: p.keyAlgorithm });
        return { fields: {}, list: [text] };
      }
      case 'csr-check-failed':
        // English for the log: which part of the CSR disagreed (never a value).
        console.error(`CSR check failed: ${JSON.stringify(problem.problem)}`);
        return { fields: {}, list: [t('problems.csr-check-failed')] };
      case 'no-archive-key':
        return { fields: {}, list: [t('problems.no-archive-key')] };
      case 'follow-up': {
        const serial = formatSerial(followUp?.previous.serialNumberHex ?? '');
        return { fields: {}, list: [t(`lifecycle.followUp.mismatch.${problem.problem}`, { serial })] };
      }
    }
  };

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (stage()) return;
    setMessages([]);
    setFieldErrors({});
    // The button is disabled until nothing is missing; Enter in a field must not get round that.
    if (blockers().length > 0) {
      setMessages([t('applicant.incomplete')]);
      return;
    }
    // A generated passphrase nobody wrote down would lock the applicant out of their own key.
    if (generated() === 'unacknowledged') {
      setMessages([t('passphrase.mustAcknowledge')]);
      return;
    }
    const type = draft.certificateType;
    const acceptedAt = agreementAt();
    const obligationsAcceptedAt = obligationsAt();
    const signature = specimen();
    if (type === '' || !acceptedAt || !obligationsAcceptedAt || !signature) return;
    const input: SubmitInput = {
      draft: fullDraft(),
      image: image(),
      ocrText: ektp.text,
      ektp: {
        fields: { ...ektp.fields },
        confidence: { ...ektp.confidence },
        confirmed: EKTP_FIELDS.filter((f) => ektp.checked[f]),
        // Plain objects: store proxies cannot be cloned into IndexedDB.
        warnings: [...ektp.readingWarnings, ...checks()].map((w) => ({ field: w.field, code: w.code })),
      },
      passphrase: passphrase(),
      passphraseConfirmation: confirmation(),
      attachments: [...papersToSend(), { kind: 'signature-specimen', blob: signature }],
      category: category(),
      mobile: mobile(),
      agreement: { version: config.agreement.version, acceptedAt, obligationsAcceptedAt },
      id: applicationId(),
      emailConfirmation: confirmationFor(draft.email, emailConfirmed()) ?? undefined,
      ...(followUp ? { followUp } : {}),
    };
    try {
      const result = await services.submit(input, setStage);
      if (!result.ok) {
        const problems = problemText(result.problem);
        setFieldErrors(problems.fields);
        setMessages(problems.list);
        return;
      }
      setSaved({
        id: result.id,
        certificateType: type,
        nama: normaliseNama(ektp.fields.nama),
        perangkatDaerah: draft.perangkatDaerah.trim(),
        submittedAt: new Date().toISOString(),
        emailConfirmedAt: input.emailConfirmation?.confirmedAt ?? null,
      });
      props.onOpenChange(false);
    } catch (err) {
      console.error(`saving the application failed: ${err instanceof Error ? err.name : 'unknown error'}`);
      setMessages([
        err instanceof Error && err.name === 'StorageFullError'
          ? t('form.storageFull')
          : t('form.unexpected'),
      ]);
    } finally {
      // The passphrase is gone from memory and from the form once the key is encrypted (or on failure).
      setPassphrase('');
      setConfirmation('');
      setStage(null);
    }
  };

  const reset = () => {
    setDraft({ ...EMPTY });
    setEktp(emptyEktp());
    setImage(null);
    setCategory('');
    setMobile('');
    setPapers({});
    setSpecimen(null);
    setObligationsAt(null);
    setAgreementAt(null);
    setTouched(new Set<string>());
    setStarted(false);
    setGenerated('none');
    setSaved(null);
    setApplicationId(services.newApplicationId());
    setEmailConfirmed(null);
    setMessages([]);
    setFieldErrors({});
    props.onOpenChange(false);
    // The next application is a first one: the form opens afresh, without the old certificate.
    if (followUp !== null) props.onFollowUpDone?.();
  };

  const error = (field: DraftField | 'image' | 'passphrase') => {
    const input = field === 'image' || field === 'passphrase' ? null : inputOf({ field });
    return fieldErrors()[field] ?? (input ? liveErrors()[input] : undefined);
  };
  const busy = () => stage() !== null;
  const receipt = createMemo(() => {
    const s = saved();
    if (!s) return null;
    const document = submissionReceipt(
      {
        applicationId: s.id,
        certificateType: s.certificateType,
        nama: s.nama,
        perangkatDaerah: s.perangkatDaerah,
        submittedAt: s.submittedAt,
        // The officer at the counter signs in with officer mode; until then nobody is named.
        officer: null,
        emailConfirmedAt: s.emailConfirmedAt,
      },
      receiptWords(t, props.language(), 'submission'),
    );
    // A renewal or replacement says which certificate it follows.
    return withFollowUpRow(document, followUp, (relation) => t(`lifecycle.followUp.receipt.${relation}`));
  });

  return (
    <Show
      when={!blockedForNew()}
      fallback={<GuardrailPanel t={t} tripped={tripped()} blocking onOpenOutbox={props.onOpenOutbox} />}
    >
      <Show
        when={receipt()}
        fallback={
          <form
            class="card"
            onSubmit={onSubmit}
            novalidate
            aria-busy={stage() !== null || reading() || papersBusy()}
            onFocusOut={(e) => {
              const id = e.target instanceof HTMLElement ? e.target.id : '';
              if (id && !touched().has(id)) setTouched((all) => new Set([...all, id]));
            }}
          >
            <h2>{t('form.heading')}</h2>
            <FollowUpBanner t={t} language={props.language} followUp={followUp} />

            <fieldset>
              <legend>{t('form.typeLegend')}</legend>
              <Show when={followUp}>
                <small>{t('lifecycle.followUp.typeLocked')}</small>
              </Show>
              <div class="choices">
                <For each={CERTIFICATE_TYPES}>
                  {(type) => (
                    <label class="choice">
                      <input
                        type="radio"
                        name="certificateType"
                        value={type}
                        checked={draft.certificateType === type}
                        disabled={followUp !== null && followUp.certificateType !== type}
                        onChange={() => {
                          setDraft('certificateType', type);
                          touch();
                        }}
                      />
                      <span>{t(`form.types.${type}`)}</span>
                    </label>
                  )}
                </For>
              </div>
              <FieldError text={error('certificateType')} />
            </fieldset>

            <CategoryField
              t={t}
              value={category}
              disabled={busy}
              onChange={(value) => {
                setCategory(value);
                touch();
              }}
            />

            <EktpCapture
              t={t}
              services={services}
              error={error('image')}
              onStart={() => {
                setReading(true);
                touch();
              }}
              onChange={onCapture}
            />

            <EktpFieldsPanel
              t={t}
              fields={ektp.fields}
              unsure={unsure}
              confirmed={(f) => ektp.checked[f]}
              warnings={warningsFor}
              errors={{ nama: error('nama'), nik: error('nik') }}
              onInput={onFieldInput}
              onConfirm={(field, value) => {
                setEktp('checked', field, value);
                touch();
              }}
            />

            <TextField
              id="nip"
              label={t('form.nip')}
              value={draft.nip}
              error={error('nip')}
              warnings={warningsFor('nip').map((code) => t(`ektp.warnings.${code}`))}
              onInput={(v) => {
                setDraft('nip', v);
                touch();
              }}
              inputmode="numeric"
              maxlength={24}
            />
            <Show when={draft.certificateType === 'jabatan'}>
              <TextField
                id="jabatan"
                label={t('form.jabatan')}
                hint={t('form.jabatanHint')}
                value={draft.jabatan}
                error={error('jabatan')}
                onInput={(v) => {
                  setDraft('jabatan', v);
                  touch();
                }}
                maxlength={160}
              />
            </Show>
            <Show when={draft.certificateType === 'sistem-elektronik'}>
              <TextField
                id="host"
                label={t('form.host')}
                hint={t('form.hostHint')}
                value={draft.host}
                error={error('host')}
                onInput={(v) => {
                  setDraft('host', v);
                  touch();
                }}
                inputmode="url"
                maxlength={260}
              />
            </Show>
            <TextField
              id="email"
              label={t('form.email')}
              hint={t('form.emailHint', { domains })}
              value={draft.email}
              error={error('email')}
              onInput={(v) => {
                setDraft('email', v);
                touch();
              }}
              type="email"
              autocomplete="email"
            />
            <EmailConfirmation
              t={t}
              language={props.language}
              services={services}
              applicationId={applicationId}
              email={() => draft.email}
              emailDomains={config.emailDomains}
              disabled={busy}
              onConfirmed={setEmailConfirmed}
            />
            <MobileField
              t={t}
              value={mobile}
              error={() => liveErrors().mobile}
              onInput={(v) => {
                setMobile(v);
                touch();
              }}
            />

            <div class="field">
              <label for="perangkatDaerah">{t('form.perangkatDaerah')}</label>
              <select
                id="perangkatDaerah"
                value={draft.perangkatDaerah}
                onChange={(e) => {
                  setDraft('perangkatDaerah', e.currentTarget.value);
                  touch();
                }}
                aria-invalid={Boolean(error('perangkatDaerah'))}
              >
                <option value="">{t('form.choose')}</option>
                <For each={config.perangkatDaerah}>{(pd) => <option value={pd}>{pd}</option>}</For>
              </select>
              <FieldError text={error('perangkatDaerah')} />
            </div>

            <AttachmentsPanel
              t={t}
              language={props.language}
              kinds={kinds}
              mediaTypes={config.attachments.mediaTypes}
              maxBytes={rules.attachments.maxBytes}
              disabled={busy}
              notice={totalTooLarge}
              onChange={(kind, file) => {
                setPapers((all) => ({ ...all, [kind]: file ?? undefined }));
                touch();
              }}
              onBusy={setPapersBusy}
            />

            <SignaturePad
              t={t}
              disabled={busy}
              onChange={(png) => {
                setSpecimen(png);
                touch();
              }}
            />

            <AgreementPanel
              t={t}
              version={config.agreement.version}
              obligationsAcceptedAt={obligationsAt}
              agreementAcceptedAt={agreementAt}
              disabled={busy}
              onObligations={(at) => {
                setObligationsAt(at);
                touch();
              }}
              onAgreement={(at) => {
                setAgreementAt(at);
                touch();
              }}
            />

            <fieldset>
              <legend>{t('form.passphraseHeading')}</legend>
              <small>{t('form.passphraseHint', { min: config.passphrase.minLength })}</small>
              <PassphraseFields
                t={t}
                language={props.language}
                passphrase={passphrase}
                confirmation={confirmation}
                onPassphrase={(v) => {
                  setPassphrase(v);
                  touch();
                }}
                onConfirmation={setConfirmation}
                personal={personal}
                policy={config.passphrase}
                tools={services.passphraseTools}
                error={() => error('passphrase')}
                disabled={() => stage() !== null}
                onGenerated={setGenerated}
              />
            </fieldset>

            <MissingList t={t} id="missing-list" items={blockers} />

            <Show when={messages().length > 0}>
              <div class="problems" role="alert">
                <p>{t('form.missingIntro')}</p>
                <ul>
                  <For each={messages()}>{(m) => <li>{m}</li>}</For>
                </ul>
              </div>
            </Show>

            <Show when={stage()}>
              {(s) => (
                <label class="progress" aria-live="polite">
                  {t(`form.stages.${s()}`)}
                  <progress max={SUBMIT_STAGES.length} value={SUBMIT_STAGES.indexOf(s()) + 1} />
                </label>
              )}
            </Show>

            <Show when={tripped().length > 0}>
              <p class="warning" role="status" data-testid="guardrail-finish-current">
                {t('guardrails.finishCurrent')}
              </p>
            </Show>

            <button
              type="submit"
              class="primary"
              disabled={stage() !== null || blockers().length > 0}
              aria-describedby="missing-list"
            >
              {t('form.submit')}
            </button>
          </form>
        }
      >
        {(shown) => (
          <section class="card" aria-live="polite" data-testid="saved" data-application-id={saved()?.id}>
            <h2>{t('form.saved')}</h2>
            <p class="saved-number">
              {t('form.receiptNumber')}:{' '}
              <strong data-testid="application-number">{shown().applicationNumber}</strong>
            </p>
            <ReceiptView receipt={shown()} t={t} />
            <div class="toolbar">
              <button type="button" class="primary" onClick={reset}>
                {t('applicant.receipt.newApplication')}
              </button>
            </div>
          </section>
        )}
      </Show>
    </Show>
  );
}

function FieldError(props: { text: string | undefined }) {
  return (
    <Show when={props.text}>
      <p class="field-error">{props.text}</p>
    </Show>
  );
}

function TextField(props: {
  id: string;
  label: string;
  hint?: string;
  value: string;
  error?: string | undefined;
  warnings?: string[];
  onInput: (value: string) => void;
  type?: 'text' | 'email' | 'password';
  inputmode?: 'numeric' | 'text' | 'url';
  autocomplete?: string;
  maxlength?: number;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <Show when={props.hint}>
        <small>{props.hint}</small>
      </Show>
      <input
        id={props.id}
        type={props.type ?? 'text'}
        value={props.value}
        inputmode={props.inputmode}
        autocomplete={props.autocomplete ?? 'off'}
        maxlength={props.maxlength}
        aria-invalid={Boolean(props.error)}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      <For each={props.warnings ?? []}>{(w) => <p class="field-warning">{w}</p>}</For>
      <FieldError text={props.error} />
    </div>
  );
}
