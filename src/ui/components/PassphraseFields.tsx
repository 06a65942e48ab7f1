import { batch, createEffect, createMemo, createSignal, For, on, onCleanup, Show } from 'solid-js';
import type { PassphraseTools, StrengthEstimate } from '../../adapters/passphrase/strength';
import {
  DEFAULT_MIN_SCORE,
  generatePassphrase,
  type PassphrasePolicy,
  passphraseHints,
  validatePassphrase,
} from '../../core/application/passphrase';
import type { Translate } from '../i18n/i18n';

/** 5 words of the 4,096-word list: 60 bits, well above the 55 the policy documents. */
export const GENERATED_WORDS = 5;
/** Long enough that typing does not wait on zxcvbn, short enough to feel live. */
const DEBOUNCE_MS = 150;

/** Whether a generated passphrase is in the fields and whether the applicant says they wrote it down. */
export type GeneratedState = 'none' | 'unacknowledged' | 'acknowledged';

export interface PassphraseFieldsProps {
  t: Translate;
  language: () => 'id' | 'en';
  passphrase: () => string;
  confirmation: () => string;
  onPassphrase: (value: string) => void;
  onConfirmation: (value: string) => void;
  /** `personalValues(...)` of the applicant: refused in the passphrase and given to zxcvbn. */
  personal: () => string[];
  policy: PassphrasePolicy;
  /** Strength estimator, word list and randomness (`passphraseTools` from the adapter). */
  tools: PassphraseTools;
  error?: () => string | undefined;
  disabled?: () => boolean;
  /** Called with every change; the form must not submit while it is 'unacknowledged'. */
  onGenerated?: (state: GeneratedState) => void;
  /** The latest strength estimate (null while empty or pending), for `validatePassphrase`. */
  onStrength?: (estimate: StrengthEstimate | null) => void;
}

/**
 * The passphrase and its confirmation, with a live strength meter, the policy's hints and a
 * generator of Indonesian-word passphrases. Holds no copy of the passphrase beyond the generated
 * one on screen, which goes as soon as the parent clears or the applicant edits the field.
 */
export function PassphraseFields(props: PassphraseFieldsProps) {
  const { t } = props;
  const disabled = () => props.disabled?.() ?? false;
  const [visible, setVisible] = createSignal(false);
  const [estimate, setEstimate] = createSignal<StrengthEstimate | null>(null);
  const [estimating, setEstimating] = createSignal(false);
  const [generated, setGenerated] = createSignal<string | null>(null);
  const [acknowledged, setAcknowledged] = createSignal(false);
  const [generating, setGenerating] = createSignal(false);
  const [generateFailed, setGenerateFailed] = createSignal(false);

  const hints = createMemo(() =>
    passphraseHints(props.passphrase(), props.confirmation(), props.policy, props.personal()),
  );
  const minScore = () => props.policy.minScore ?? DEFAULT_MIN_SCORE;

  // Debounced strength estimate; a stale answer (the text changed meanwhile) is dropped.
  let timer: ReturnType<typeof setTimeout> | undefined;
  let request = 0;
  createEffect(
    on([props.passphrase, props.language, props.personal], ([passphrase, language, personal]) => {
      clearTimeout(timer);
      const current = ++request;
      if (passphrase === '') {
        setEstimate(null);
        setEstimating(false);
        return;
      }
      setEstimating(true);
      timer = setTimeout(() => {
        const userInputs = [...personal, ...(props.policy.blocklist ?? [])];
        props.tools.estimateStrength(passphrase, userInputs, language).then(
          (result) => {
            if (current !== request) return;
            setEstimate(result);
            setEstimating(false);
          },
          () => {
            // Without the estimator the policy's own rules still apply; the meter stays empty.
            if (current !== request) return;
            setEstimate(null);
            setEstimating(false);
          },
        );
      }, DEBOUNCE_MS);
    }),
  );
  onCleanup(() => {
    clearTimeout(timer);
    request++;
    setGenerated(null);
  });
  createEffect(() => props.onStrength?.(estimating() ? null : estimate()));

  // Typing over a generated passphrase (or the form clearing it) discards it from the screen.
  createEffect(
    on(
      props.passphrase,
      (value) => {
        const current = generated();
        if (current !== null && value !== current) {
          setGenerated(null);
          setAcknowledged(false);
        }
      },
      { defer: true },
    ),
  );
  const generatedState = (): GeneratedState =>
    generated() === null ? 'none' : acknowledged() ? 'acknowledged' : 'unacknowledged';
  createEffect(() => props.onGenerated?.(generatedState()));

  async function generate() {
    setGenerating(true);
    setGenerateFailed(false);
    try {
      const words = await props.tools.loadWordList();
      // A draw that happens to hold a name part or a blocklist word is simply drawn again.
      for (let attempt = 0; attempt < 20; attempt++) {
        const candidate = generatePassphrase(words, GENERATED_WORDS, props.tools.randomInt);
        if (validatePassphrase(candidate, candidate, props.policy, props.personal()) !== null) continue;
        batch(() => {
          setGenerated(candidate);
          setAcknowledged(false);
          setVisible(false);
          props.onPassphrase(candidate);
          props.onConfirmation(candidate);
        });
        return;
      }
      setGenerateFailed(true);
    } catch {
      setGenerateFailed(true);
    } finally {
      setGenerating(false);
    }
  }

  const lengthHint = () => {
    const h = hints();
    if (h.length < h.minLength) {
      return t('passphrase.lengthShort', {
        length: h.length,
        missing: h.minLength - h.length,
        min: h.minLength,
      });
    }
    if (h.length > h.maxLength) return t('passphrase.lengthLong', { length: h.length, max: h.maxLength });
    return t('passphrase.lengthOk', { length: h.length, min: h.minLength });
  };
  const lengthOk = () => hints().length >= hints().minLength && hints().length <= hints().maxLength;
  const score = () => estimate()?.score ?? 0;

  return (
    <div class="passphrase-fields">
      <p class="passphrase-advice">{t('passphrase.advice')}</p>

      <div class="field">
        <label for="passphrase">{t('form.passphrase')}</label>
        <div class="passphrase-input">
          <input
            id="passphrase"
            type={visible() ? 'text' : 'password'}
            value={props.passphrase()}
            autocomplete="new-password"
            autocapitalize="off"
            spellcheck={false}
            maxlength={props.policy.maxLength * 2}
            disabled={disabled()}
            aria-invalid={Boolean(props.error?.())}
            aria-describedby="passphrase-hints"
            onInput={(e) => props.onPassphrase(e.currentTarget.value)}
          />
          <button
            type="button"
            class="passphrase-toggle"
            aria-pressed={visible()}
            aria-label={visible() ? t('passphrase.hideLabel') : t('passphrase.showLabel')}
            disabled={disabled()}
            onClick={() => setVisible(!visible())}
          >
            {visible() ? t('passphrase.hide') : t('passphrase.show')}
          </button>
        </div>
      </div>

      <div class="passphrase-meter">
        <label for="passphrase-meter">{t('passphrase.meterLabel')}</label>
        {/* low/high/optimum make Chromium colour it red, amber, green. */}
        <meter
          id="passphrase-meter"
          data-testid="passphrase-meter"
          data-score={estimate() ? String(score()) : ''}
          min={0}
          max={4}
          low={2}
          high={3}
          optimum={4}
          value={estimate() ? score() : 0}
          aria-valuenow={estimate() ? score() : 0}
          aria-valuetext={estimate() ? t(`passphrase.levels.${score()}`) : undefined}
        />
        <span class="passphrase-meter-label" aria-live="polite">
          <Show when={props.passphrase() !== ''}>
            {estimating() && !estimate()
              ? t('passphrase.checking')
              : estimate()
                ? t(`passphrase.levels.${score()}`)
                : ''}
          </Show>
        </span>
      </div>

      <ul id="passphrase-hints" class="passphrase-hints" aria-live="polite">
        <Show when={props.passphrase() !== ''}>
          <li classList={{ ok: lengthOk(), bad: !lengthOk() }}>{lengthHint()}</li>
          <Show when={hints().personal}>
            <li class="bad">{t('passphrase.personal')}</li>
          </Show>
          <Show when={hints().blocklisted}>
            <li class="bad">{t('passphrase.blocklisted')}</li>
          </Show>
          <Show when={estimate()}>
            {(e) => (
              <>
                <Show when={e().score < minScore()}>
                  <li class="bad">{t('passphrase.tooWeak')}</li>
                </Show>
                <Show when={e().warning}>{(warning) => <li class="bad">{warning()}</li>}</Show>
                <For each={e().suggestions}>{(s) => <li>{s}</li>}</For>
              </>
            )}
          </Show>
        </Show>
      </ul>

      <div class="field">
        <label for="passphraseConfirm">{t('form.passphraseConfirm')}</label>
        <input
          id="passphraseConfirm"
          type={visible() ? 'text' : 'password'}
          value={props.confirmation()}
          autocomplete="new-password"
          autocapitalize="off"
          spellcheck={false}
          maxlength={props.policy.maxLength * 2}
          disabled={disabled()}
          aria-describedby="passphrase-match"
          onInput={(e) => props.onConfirmation(e.currentTarget.value)}
        />
        <p id="passphrase-match" class="passphrase-match" aria-live="polite">
          <Show when={hints().matches !== null}>
            <span classList={{ ok: hints().matches === true, bad: hints().matches === false }}>
              {hints().matches ? t('passphrase.matches') : t('passphrase.differs')}
            </span>
          </Show>
        </p>
      </div>

      <Show when={props.error?.()}>{(text) => <p class="field-error">{text()}</p>}</Show>

      <div class="passphrase-generate">
        <button
          type="button"
          data-testid="passphrase-generate"
          disabled={disabled() || generating()}
          onClick={() => void generate()}
        >
          {generating()
            ? t('passphrase.generating')
            : generated()
              ? t('passphrase.generateAgain')
              : t('passphrase.generate')}
        </button>
        <Show when={generateFailed()}>
          <p class="field-error">{t('passphrase.generateFailed')}</p>
        </Show>
      </div>

      <Show when={generated()}>
        {(phrase) => (
          <section class="passphrase-generated" aria-labelledby="passphrase-generated-heading">
            <h4 id="passphrase-generated-heading">
              {t('passphrase.generatedHeading', { words: GENERATED_WORDS })}
            </h4>
            <p class="passphrase-generated-text" data-testid="passphrase-generated" lang="id">
              {phrase()}
            </p>
            <p class="passphrase-write-down">{t('passphrase.writeDown')}</p>
            <label class="confirm passphrase-written-down">
              <input
                type="checkbox"
                data-testid="passphrase-written-down"
                checked={acknowledged()}
                disabled={disabled()}
                onChange={(e) => setAcknowledged(e.currentTarget.checked)}
              />
              {t('passphrase.writtenDown')}
            </label>
          </section>
        )}
      </Show>
    </div>
  );
}
