import { type Accessor, createSignal, For, Show } from 'solid-js';
import type { CorrectableField } from '../../app/lifecycle/corrections';
import type { LifecycleProblem } from '../../app/lifecycle/officer-requests';
import { JABATAN_MAX_LENGTH } from '../../core/application/application';
import { CORRECTABLE_FIELDS, type CorrectionResponse, LIFECYCLE_LIMITS } from '../../protocol/lifecycle';
import type { I18n } from '../i18n/i18n';
import { lifecycleProblemText } from '../lifecycle/lifecycle-text';
import type { KioskServices } from '../services';
import { Working } from './Working';
import './officer.css';
import '../lifecycle/lifecycle.css';
import { ProblemAlert } from '../components/ProblemAlert';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What each field takes, for the on-screen keyboard and the browser's help. */
const FIELD_INPUT: Record<CorrectableField, { inputMode: 'text' | 'numeric' | 'tel'; maxLength: number }> = {
  nama: { inputMode: 'text', maxLength: 120 },
  nip: { inputMode: 'numeric', maxLength: 24 },
  jabatan: { inputMode: 'text', maxLength: JABATAN_MAX_LENGTH },
  mobile: { inputMode: 'tel', maxLength: 24 },
};

const emptyFields = (): Record<CorrectableField, string> => ({ nama: '', nip: '', jabatan: '', mobile: '' });

/**
 * The officer's correction of an applicant's data (issue 8, right to rectification), in officer
 * mode: the application by its receipt number or id, the corrected fields, the reason; signed with
 * the officer's key and kept by the server beside the record. Online only.
 */
export function CorrectionScreen(props: {
  i18n: I18n;
  services: KioskServices;
  online: Accessor<boolean>;
  onSessionEnded: () => void;
}) {
  const { t } = props.i18n;
  const lifecycle = props.services.lifecycle;
  const [application, setApplication] = createSignal('');
  const [fields, setFields] = createSignal(emptyFields());
  const [reason, setReason] = createSignal('');
  const [saving, setSaving] = createSignal(false);
  const [problem, setProblem] = createSignal<string | null>(null);
  const [outcome, setOutcome] = createSignal<CorrectionResponse | null>(null);

  const anyField = () => CORRECTABLE_FIELDS.some((field) => fields()[field].trim() !== '');
  const setField = (field: CorrectableField, value: string) => setFields({ ...fields(), [field]: value });

  /** The id typed, or the id of this kiosk's application with the printed number; null if neither. */
  const applicationId = async (typed: string): Promise<string | null> => {
    if (UUID_PATTERN.test(typed)) return typed.toLowerCase();
    const found = await props.services.findByApplicationNumber(typed);
    return found?.id ?? null;
  };

  const problemText = (failure: LifecycleProblem): string => {
    if (failure.kind !== 'invalid') return lifecycleProblemText(t, failure);
    if (failure.fields.includes('fields')) return t('lifecycle.corrections.problems.noField');
    // The labels the officer sees, not the statement's keys.
    const labels = failure.fields.map((field) =>
      (CORRECTABLE_FIELDS as readonly string[]).includes(field)
        ? t(`lifecycle.corrections.${field as CorrectableField}`)
        : field === 'applicationId'
          ? t('lifecycle.corrections.application')
          : field === 'reason'
            ? t('lifecycle.corrections.reason')
            : field,
    );
    return t('lifecycle.problems.invalid', { fields: labels.join(', ') });
  };

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    if (saving() || !props.online()) return;
    setProblem(null);
    setOutcome(null);
    const typed = application().trim();
    if (typed === '') {
      setProblem(t('lifecycle.corrections.problems.application'));
      return;
    }
    setSaving(true);
    try {
      const id = await applicationId(typed);
      if (id === null) {
        setProblem(t('lifecycle.corrections.problems.notFound'));
        return;
      }
      const result = await lifecycle.recordCorrection({
        applicationId: id,
        fields: fields(),
        reason: reason(),
      });
      if (result.ok) {
        setOutcome(result.value);
        return;
      }
      if (result.problem.kind === 'session-ended') props.onSessionEnded();
      else setProblem(problemText(result.problem));
    } catch (err) {
      console.error(`recording the correction failed: ${err instanceof Error ? err.name : 'unknown error'}`);
      setProblem(t('lifecycle.problems.unexpected'));
    } finally {
      setSaving(false);
    }
  };

  const another = () => {
    setApplication('');
    setFields(emptyFields());
    setReason('');
    setOutcome(null);
    setProblem(null);
  };

  return (
    <section class="card lifecycle" data-testid="correction-screen" aria-busy={saving()}>
      <h2>{t('lifecycle.corrections.heading')}</h2>
      <p>{t('lifecycle.corrections.intro')}</p>
      <Show when={!props.online()}>
        <p class="officer-notice" role="status">
          {t('lifecycle.problems.offline')}
        </p>
      </Show>

      <form class="incident-form correction-form" onSubmit={save} novalidate data-testid="correction-form">
        <div class="field">
          <label for="correction-application">{t('lifecycle.corrections.application')}</label>
          <small id="correction-application-hint">{t('lifecycle.corrections.applicationHint')}</small>
          <input
            id="correction-application"
            type="text"
            autocomplete="off"
            spellcheck={false}
            maxLength={64}
            aria-describedby="correction-application-hint"
            value={application()}
            disabled={saving() || outcome() !== null}
            onInput={(e) => setApplication(e.currentTarget.value)}
          />
        </div>
        <fieldset>
          <legend>{t('lifecycle.corrections.fieldsLegend')}</legend>
          <For each={CORRECTABLE_FIELDS}>
            {(field) => (
              <div class="field">
                <label for={`correction-${field}`}>{t(`lifecycle.corrections.${field}`)}</label>
                <input
                  id={`correction-${field}`}
                  type="text"
                  autocomplete="off"
                  inputMode={FIELD_INPUT[field].inputMode}
                  maxLength={FIELD_INPUT[field].maxLength}
                  value={fields()[field]}
                  disabled={saving() || outcome() !== null}
                  onInput={(e) => setField(field, e.currentTarget.value)}
                />
              </div>
            )}
          </For>
        </fieldset>
        <div class="field">
          <label for="correction-reason">{t('lifecycle.corrections.reason')}</label>
          <textarea
            id="correction-reason"
            rows={3}
            maxLength={LIFECYCLE_LIMITS.maxNoteChars}
            value={reason()}
            disabled={saving() || outcome() !== null}
            onInput={(e) => setReason(e.currentTarget.value)}
          />
        </div>
        <Working when={saving()} label={t('lifecycle.corrections.working')} />
        <ProblemAlert problem={problem()} />
        <Show when={outcome()}>
          {(shown) => (
            <p
              class="officer-success"
              role="status"
              data-testid="correction-outcome"
              data-status={shown().status}
              data-id={shown().correctionId}
            >
              {shown().status === 'recorded'
                ? t('lifecycle.corrections.recorded')
                : t('lifecycle.corrections.duplicate')}
            </p>
          )}
        </Show>
        <div class="officer-actions">
          <Show
            when={outcome() === null}
            fallback={
              <button type="button" class="secondary" onClick={another}>
                {t('lifecycle.corrections.another')}
              </button>
            }
          >
            <button
              type="submit"
              class="primary"
              disabled={
                saving() ||
                !props.online() ||
                application().trim() === '' ||
                !anyField() ||
                reason().trim() === ''
              }
            >
              {t('lifecycle.corrections.submit')}
            </button>
          </Show>
        </div>
      </form>
    </section>
  );
}
