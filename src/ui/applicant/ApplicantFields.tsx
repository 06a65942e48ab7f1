import { For, Show } from 'solid-js';
import { APPLICANT_CATEGORIES, type ApplicantCategory } from '../../core/application/completeness';
import type { Translate } from '../i18n/i18n';
import './applicant.css';

/** Who applies (Pasal 10 ayat 2): PNS, PPPK, or the Walikota / Wakil Walikota. */
export function CategoryField(props: {
  t: Translate;
  value: () => ApplicantCategory | '';
  onChange: (category: ApplicantCategory) => void;
  disabled?: () => boolean;
}) {
  const { t } = props;
  return (
    <fieldset>
      <legend>{t('applicant.category.legend')}</legend>
      <small>{t('applicant.category.hint')}</small>
      <div class="choices">
        <For each={APPLICANT_CATEGORIES}>
          {(category) => (
            <label class="choice applicant-category">
              <input
                type="radio"
                name="applicantCategory"
                value={category}
                checked={props.value() === category}
                disabled={props.disabled?.()}
                aria-labelledby={`category-${category}-title`}
                aria-describedby={`category-${category}-detail`}
                onChange={() => props.onChange(category)}
              />
              <span>
                <span class="choice-title" id={`category-${category}-title`}>
                  {t(`applicant.category.options.${category}`)}
                </span>
                <small id={`category-${category}-detail`}>
                  {t(`applicant.category.details.${category}`)}
                </small>
              </span>
            </label>
          )}
        </For>
      </div>
    </fieldset>
  );
}

/** The applicant's mobile number (BSrE's `nomor_telepon`), as typed; the use case normalises it. */
export function MobileField(props: {
  t: Translate;
  value: () => string;
  error: () => string | undefined;
  onInput: (value: string) => void;
}) {
  const { t } = props;
  return (
    <div class="field">
      <label for="mobile">{t('applicant.mobile.label')}</label>
      <small id="mobile-hint">{t('applicant.mobile.hint')}</small>
      <input
        id="mobile"
        type="tel"
        inputmode="tel"
        autocomplete="off"
        maxlength={24}
        value={props.value()}
        aria-describedby="mobile-hint"
        aria-invalid={Boolean(props.error())}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      <Show when={props.error()}>
        <p class="field-error">{props.error()}</p>
      </Show>
    </div>
  );
}
