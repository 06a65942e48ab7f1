import { For, Show } from 'solid-js';
import {
  AGAMA_VALUES,
  GOL_DARAH_VALUES,
  JENIS_KELAMIN_VALUES,
  KEWARGANEGARAAN_VALUES,
  PEKERJAAN_VALUES,
  SEUMUR_HIDUP,
  STATUS_PERKAWINAN_VALUES,
} from '../../core/ocr/parse-ektp';
import { EKTP_FIELDS, type EktpField, type EktpFields, type EktpWarningCode } from '../../core/ocr/types';
import type { Translate } from '../i18n/i18n';

/** Fields with a fixed set of values get suggestions; any text stays allowed (cards vary). */
const SUGGESTIONS: Partial<Record<EktpField, readonly string[]>> = {
  jenisKelamin: JENIS_KELAMIN_VALUES,
  golDarah: GOL_DARAH_VALUES,
  agama: AGAMA_VALUES,
  statusPerkawinan: STATUS_PERKAWINAN_VALUES,
  pekerjaan: PEKERJAAN_VALUES,
  kewarganegaraan: KEWARGANEGARAAN_VALUES,
  berlakuHingga: [SEUMUR_HIDUP],
};

export function fieldLabel(t: Translate, field: EktpField): string {
  if (field === 'nama') return t('form.nama');
  if (field === 'nik') return t('form.nik');
  return t(`ektp.fields.${field}`);
}

/**
 * Every e-KTP field, editable. A field read with low confidence is highlighted and must be
 * confirmed (or corrected) by the officer; warnings sit under the field they concern.
 */
export function EktpFieldsPanel(props: {
  t: Translate;
  fields: EktpFields;
  unsure: (field: EktpField) => boolean;
  confirmed: (field: EktpField) => boolean;
  warnings: (field: EktpField) => EktpWarningCode[];
  errors: Partial<Record<EktpField, string>>;
  onInput: (field: EktpField, value: string) => void;
  onConfirm: (field: EktpField, confirmed: boolean) => void;
}) {
  const { t } = props;
  return (
    <fieldset class="ektp-fields">
      <legend>{t('ektp.dataHeading')}</legend>
      <For each={EKTP_FIELDS}>
        {(field) => {
          const id = `ektp-${field}`;
          const suggestions = SUGGESTIONS[field];
          return (
            <div
              class="field"
              classList={{ unsure: props.unsure(field) && !props.confirmed(field) }}
              data-testid={`ektp-field-${field}`}
              data-unsure={String(props.unsure(field))}
            >
              <label for={id}>{fieldLabel(t, field)}</label>
              <input
                id={id}
                type="text"
                value={props.fields[field]}
                list={suggestions ? `${id}-values` : undefined}
                inputmode={field === 'nik' ? 'numeric' : 'text'}
                autocomplete="off"
                aria-invalid={Boolean(props.errors[field])}
                onInput={(e) => props.onInput(field, e.currentTarget.value)}
              />
              <Show when={suggestions}>
                {(values) => (
                  <datalist id={`${id}-values`}>
                    <For each={values()}>{(v) => <option value={v} />}</For>
                  </datalist>
                )}
              </Show>
              <Show when={props.unsure(field)}>
                <label class="confirm">
                  <input
                    type="checkbox"
                    checked={props.confirmed(field)}
                    onChange={(e) => props.onConfirm(field, e.currentTarget.checked)}
                  />
                  <span>{t('ektp.confirm')}</span>
                </label>
              </Show>
              <For each={props.warnings(field)}>
                {(code) => (
                  <p class="field-warning" data-warning={code}>
                    {t(`ektp.warnings.${code}`)}
                  </p>
                )}
              </For>
              <Show when={props.errors[field]}>
                <p class="field-error">{props.errors[field]}</p>
              </Show>
            </div>
          );
        }}
      </For>
    </fieldset>
  );
}
