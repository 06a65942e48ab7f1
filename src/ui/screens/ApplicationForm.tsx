import { createMemo, createSignal, For, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import { SUBMIT_STAGES, type SubmitProblem, type SubmitStage } from '../../app/submit-application';
import { type ApplicationDraft, type DraftField, validateDraft } from '../../core/application/application';
import { personalValues } from '../../core/application/passphrase';
import { CERTIFICATE_TYPES } from '../../core/certificate/types';
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
import { type CaptureOutcome, EktpCapture } from '../components/EktpCapture';
import { EktpFieldsPanel, fieldLabel } from '../components/EktpFieldsPanel';
import { type GeneratedState, PassphraseFields } from '../components/PassphraseFields';
import type { Translate } from '../i18n/i18n';
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

export function ApplicationForm(props: {
  t: Translate;
  language: () => 'id' | 'en';
  services: KioskServices;
  onOpenChange: (open: boolean) => void;
}) {
  const { t, services } = props;
  const config = services.config;
  const domains = config.emailDomains.join(', ');
  const [draft, setDraft] = createStore({ ...EMPTY });
  const [ektp, setEktp] = createStore<EktpState>({
    fields: emptyFields(),
    confidence: zeroConfidence(),
    readingWarnings: [],
    checked: noneChecked(),
    text: '',
  });
  const [image, setImage] = createSignal<Blob | null>(null);
  const [reading, setReading] = createSignal(false);
  const [passphrase, setPassphrase] = createSignal('');
  const [generated, setGenerated] = createSignal<GeneratedState>('none');
  const [confirmation, setConfirmation] = createSignal('');
  const [stage, setStage] = createSignal<SubmitStage | null>(null);
  const [messages, setMessages] = createSignal<string[]>([]);
  const [fieldErrors, setFieldErrors] = createSignal<FieldErrors>({});
  const [savedId, setSavedId] = createSignal<string | null>(null);

  const touch = () => props.onOpenChange(true);
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
    }
  };

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (stage() || reading()) return;
    setMessages([]);
    setFieldErrors({});
    // Say everything that is missing at once, before any slow work starts (Pasal 20 ayat 2).
    const { fields, list } = problemText({ kind: 'draft', problems: validateDraft(fullDraft(), config) });
    const imageText = image() ? null : t('problems.image.required');
    const pending = unconfirmed();
    const confirmText =
      pending.length > 0
        ? t('ektp.mustConfirm', { fields: pending.map((f) => fieldLabel(t, f)).join(', ') })
        : null;
    // A generated passphrase nobody wrote down would lock the applicant out of their own key.
    const writeDownText = generated() === 'unacknowledged' ? t('passphrase.mustAcknowledge') : null;
    const all = [
      ...list,
      ...(imageText ? [imageText] : []),
      ...(confirmText ? [confirmText] : []),
      ...(writeDownText ? [writeDownText] : []),
    ];
    if (all.length > 0) {
      setFieldErrors({ ...fields, ...(imageText ? { image: imageText } : {}) });
      setMessages(all);
      return;
    }
    try {
      const result = await services.submit(
        {
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
        },
        setStage,
      );
      if (!result.ok) {
        const problems = problemText(result.problem);
        setFieldErrors(problems.fields);
        setMessages(problems.list);
        return;
      }
      setSavedId(result.id);
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
    setEktp({
      fields: emptyFields(),
      confidence: zeroConfidence(),
      readingWarnings: [],
      checked: noneChecked(),
      text: '',
    });
    setImage(null);
    setSavedId(null);
    setMessages([]);
    setFieldErrors({});
    props.onOpenChange(false);
  };

  const error = (field: DraftField | 'image' | 'passphrase') => fieldErrors()[field];

  return (
    <Show
      when={savedId() === null}
      fallback={
        <section class="card receipt" aria-live="polite">
          <h2>{t('form.saved')}</h2>
          <p>
            {t('form.receiptNumber')}: <strong data-testid="application-number">{savedId()}</strong>
          </p>
          <button type="button" onClick={reset}>
            {t('form.newApplication')}
          </button>
        </section>
      }
    >
      <form class="card" onSubmit={onSubmit} novalidate aria-busy={stage() !== null || reading()}>
        <h2>{t('form.heading')}</h2>

        <fieldset>
          <legend>{t('form.typeLegend')}</legend>
          <div class="choices">
            <For each={CERTIFICATE_TYPES}>
              {(type) => (
                <label class="choice">
                  <input
                    type="radio"
                    name="certificateType"
                    value={type}
                    checked={draft.certificateType === type}
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

        <button type="submit" class="primary" disabled={stage() !== null || reading()}>
          {t('form.submit')}
        </button>
      </form>
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
