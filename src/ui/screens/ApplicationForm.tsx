import { createSignal, For, onCleanup, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import type { SubmitProblem, SubmitStage } from '../../app/submit-application';
import { type ApplicationDraft, type DraftField, validateDraft } from '../../core/application/application';
import { CERTIFICATE_TYPES } from '../../core/certificate/types';
import type { Translate } from '../i18n/i18n';
import type { KioskServices } from '../services';

const EMPTY: ApplicationDraft = {
  certificateType: '',
  nama: '',
  nik: '',
  nip: '',
  email: '',
  perangkatDaerah: '',
};

const STAGES: SubmitStage[] = ['keypair', 'csr', 'encrypt', 'save'];

type FieldErrors = Partial<Record<DraftField | 'image' | 'passphrase', string>>;

type OcrState =
  | { kind: 'idle' }
  | { kind: 'running'; progress: number }
  | { kind: 'done'; text: string }
  | { kind: 'failed' };

export function ApplicationForm(props: {
  t: Translate;
  services: KioskServices;
  onOpenChange: (open: boolean) => void;
}) {
  const { t, services } = props;
  const config = services.config;
  const domains = config.emailDomains.join(', ');
  const [draft, setDraft] = createStore<ApplicationDraft>({ ...EMPTY });
  const [image, setImage] = createSignal<File | null>(null);
  const [imageUrl, setImageUrl] = createSignal<string | null>(null);
  const [ocr, setOcr] = createSignal<OcrState>({ kind: 'idle' });
  const [passphrase, setPassphrase] = createSignal('');
  const [confirmation, setConfirmation] = createSignal('');
  const [stage, setStage] = createSignal<SubmitStage | null>(null);
  const [messages, setMessages] = createSignal<string[]>([]);
  const [fieldErrors, setFieldErrors] = createSignal<FieldErrors>({});
  const [savedId, setSavedId] = createSignal<string | null>(null);
  let ocrRun = 0;

  const touch = () => props.onOpenChange(true);
  onCleanup(() => {
    const url = imageUrl();
    if (url) URL.revokeObjectURL(url);
  });

  const update = (field: DraftField, value: string) => {
    setDraft(field, value as never);
    touch();
  };

  const onImage = async (file: File | undefined) => {
    const previous = imageUrl();
    if (previous) URL.revokeObjectURL(previous);
    setImage(file ?? null);
    setImageUrl(file ? URL.createObjectURL(file) : null);
    setOcr({ kind: 'idle' });
    if (!file) return;
    touch();
    const run = ++ocrRun;
    setOcr({ kind: 'running', progress: 0 });
    try {
      const result = await services.ocr.recognize(file, (p) => {
        if (run === ocrRun && p.status.startsWith('recognizing'))
          setOcr({ kind: 'running', progress: p.progress });
      });
      if (run === ocrRun) setOcr({ kind: 'done', text: result.text });
    } catch {
      if (run === ocrRun) setOcr({ kind: 'failed' });
    }
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
      case 'passphrase': {
        const text = t(`problems.passphrase.${problem.problem.reason}`, {
          minLength: config.passphrase.minLength,
          maxLength: config.passphrase.maxLength,
        });
        return { fields: { passphrase: text }, list: [text] };
      }
      case 'csr-check-failed':
        return { fields: {}, list: [t('problems.csr-check-failed')] };
    }
  };

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (stage()) return;
    setMessages([]);
    setFieldErrors({});
    // Show every missing item at once before any slow work starts (Pasal 20 ayat 2).
    const early = validateDraft(draft, config);
    if (early.length > 0 || !image()) {
      const { fields, list } = problemText({ kind: 'draft', problems: early });
      const imageText = image() ? null : t('problems.image.required');
      setFieldErrors({ ...fields, ...(imageText ? { image: imageText } : {}) });
      setMessages(imageText ? [...list, imageText] : list);
      return;
    }
    try {
      const result = await services.submit(
        {
          draft: { ...draft },
          image: image(),
          ocrText: (() => {
            const o = ocr();
            return o.kind === 'done' ? o.text : '';
          })(),
          passphrase: passphrase(),
          passphraseConfirmation: confirmation(),
        },
        setStage,
      );
      if (!result.ok) {
        const { fields, list } = problemText(result.problem);
        setFieldErrors(fields);
        setMessages(list);
        return;
      }
      setSavedId(result.id);
      props.onOpenChange(false);
    } catch (err) {
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
    void onImage(undefined);
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
      <form class="card" onSubmit={onSubmit} novalidate aria-busy={stage() !== null}>
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
                    onChange={() => update('certificateType', type)}
                  />
                  <span>{t(`form.types.${type}`)}</span>
                </label>
              )}
            </For>
          </div>
          <FieldError text={error('certificateType')} />
        </fieldset>

        <TextField
          id="nama"
          label={t('form.nama')}
          value={draft.nama}
          error={error('nama')}
          onInput={(v) => update('nama', v)}
          autocomplete="name"
        />
        <TextField
          id="nik"
          label={t('form.nik')}
          value={draft.nik}
          error={error('nik')}
          onInput={(v) => update('nik', v)}
          inputmode="numeric"
          maxlength={20}
        />
        <TextField
          id="nip"
          label={t('form.nip')}
          value={draft.nip}
          error={error('nip')}
          onInput={(v) => update('nip', v)}
          inputmode="numeric"
          maxlength={24}
        />
        <TextField
          id="email"
          label={t('form.email')}
          hint={t('form.emailHint', { domains })}
          value={draft.email}
          error={error('email')}
          onInput={(v) => update('email', v)}
          type="email"
          autocomplete="email"
        />

        <div class="field">
          <label for="perangkatDaerah">{t('form.perangkatDaerah')}</label>
          <select
            id="perangkatDaerah"
            value={draft.perangkatDaerah}
            onChange={(e) => update('perangkatDaerah', e.currentTarget.value)}
            aria-invalid={Boolean(error('perangkatDaerah'))}
          >
            <option value="">{t('form.choose')}</option>
            <For each={config.perangkatDaerah}>{(pd) => <option value={pd}>{pd}</option>}</For>
          </select>
          <FieldError text={error('perangkatDaerah')} />
        </div>

        <div class="field">
          <label for="ektp">{t('form.ektp')}</label>
          <small>{t('form.ektpHint')}</small>
          <input
            id="ektp"
            type="file"
            accept="image/jpeg,image/png,image/webp"
            onChange={(e) => void onImage(e.currentTarget.files?.[0])}
            aria-invalid={Boolean(error('image'))}
          />
          <FieldError text={error('image')} />
          <Show when={imageUrl()}>
            {(url) => <img class="ektp-preview" src={url()} alt={t('form.ektpPreview')} />}
          </Show>
          <Show when={ocr().kind === 'running'}>
            <label class="progress">
              {t('form.ocrRunning')}
              <progress
                max="1"
                value={(() => {
                  const o = ocr();
                  return o.kind === 'running' ? o.progress : 0;
                })()}
              />
            </label>
          </Show>
          <Show when={ocr().kind === 'failed'}>
            <p class="warning" role="alert">
              {t('form.ocrFailed')}
            </p>
          </Show>
          <Show
            when={(() => {
              const o = ocr();
              return o.kind === 'done' ? o.text : null;
            })()}
          >
            {(text) => (
              <>
                <label for="ocrText">{t('form.ocrText')}</label>
                <textarea id="ocrText" readonly rows="10" value={text()} />
              </>
            )}
          </Show>
        </div>

        <fieldset>
          <legend>{t('form.passphraseHeading')}</legend>
          <small>{t('form.passphraseHint', { min: config.passphrase.minLength })}</small>
          <TextField
            id="passphrase"
            label={t('form.passphrase')}
            value={passphrase()}
            error={error('passphrase')}
            onInput={(v) => {
              setPassphrase(v);
              touch();
            }}
            type="password"
            autocomplete="new-password"
          />
          <TextField
            id="passphraseConfirm"
            label={t('form.passphraseConfirm')}
            value={confirmation()}
            onInput={setConfirmation}
            type="password"
            autocomplete="new-password"
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
              <progress max={STAGES.length} value={STAGES.indexOf(s()) + 1} />
            </label>
          )}
        </Show>

        <button type="submit" class="primary" disabled={stage() !== null || ocr().kind === 'running'}>
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
  onInput: (value: string) => void;
  type?: 'text' | 'email' | 'password';
  inputmode?: 'numeric' | 'text';
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
      <FieldError text={props.error} />
    </div>
  );
}
