import { type Accessor, createSignal, For, onMount, Show } from 'solid-js';
import { parseSearch } from '../../app/lifecycle/certificates';
import {
  INCIDENT_TYPES,
  type IncidentType,
  type IncidentView,
  LIFECYCLE_LIMITS,
} from '../../protocol/lifecycle';
import type { I18n } from '../i18n/i18n';
import { formatDateTime, formatSerial, lifecycleProblemText } from '../lifecycle/lifecycle-text';
import type { KioskServices } from '../services';
import { Working } from './Working';
import './officer.css';
import '../lifecycle/lifecycle.css';
import { ProblemAlert } from '../components/ProblemAlert';

/** Madiun's time (WIB): what the officer types and reads, whatever the kiosk's own zone. */
const WIB = '+07:00';

/** `YYYY-MM-DD` of a time, in WIB. */
function wibDate(at: Date): string {
  return new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}

/** A `datetime-local` value in WIB, for the field's default. */
function wibDateTime(at: Date): string {
  return new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 16);
}

/**
 * The incident register (Pasal 22, 24), in officer mode: the incidents of a period, and a new one
 * recorded with the officer's signature. Lost-key incidents appear here by themselves.
 */
export function IncidentScreen(props: {
  i18n: I18n;
  services: KioskServices;
  online: Accessor<boolean>;
  onSessionEnded: () => void;
}) {
  const { t, locale } = props.i18n;
  const lifecycle = props.services.lifecycle;
  const now = new Date();
  const [from, setFrom] = createSignal(wibDate(new Date(now.getTime() - 30 * 86_400_000)));
  const [to, setTo] = createSignal(wibDate(now));
  const [incidents, setIncidents] = createSignal<{ list: IncidentView[]; truncated: boolean } | null>(null);
  const [loading, setLoading] = createSignal(false);
  const [listProblem, setListProblem] = createSignal<string | null>(null);

  const [type, setType] = createSignal<IncidentType>('authentication');
  const [occurredAt, setOccurredAt] = createSignal(wibDateTime(now));
  const [serial, setSerial] = createSignal('');
  const [description, setDescription] = createSignal('');
  const [actionsTaken, setActionsTaken] = createSignal('');
  const [reportedTo, setReportedTo] = createSignal('');
  const [saving, setSaving] = createSignal(false);
  const [saveProblem, setSaveProblem] = createSignal<string | null>(null);
  const [recorded, setRecorded] = createSignal<string | null>(null);

  const load = async () => {
    if (loading() || !props.online()) return;
    setLoading(true);
    setListProblem(null);
    try {
      // Whole days in WIB; `to` is included.
      const end = new Date(Date.parse(`${to()}T00:00:00${WIB}`) + 86_400_000).toISOString();
      const result = await lifecycle.listIncidents({
        from: new Date(`${from()}T00:00:00${WIB}`).toISOString(),
        to: end,
      });
      if (result.ok) setIncidents({ list: result.value.incidents, truncated: result.value.truncated });
      else if (result.problem.kind === 'session-ended') props.onSessionEnded();
      else setListProblem(lifecycleProblemText(t, result.problem));
    } catch (err) {
      console.error(`incident list failed: ${err instanceof Error ? err.name : 'unknown error'}`);
      setListProblem(t('lifecycle.problems.unexpected'));
    } finally {
      setLoading(false);
    }
  };
  onMount(() => void load());

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    if (saving() || !props.online()) return;
    setSaveProblem(null);
    setRecorded(null);
    let serialHex: string | null = null;
    if (serial().trim() !== '') {
      const parsed = parseSearch(serial());
      if (!parsed.ok || !('serialNumberHex' in parsed.value)) {
        setSaveProblem(t('lifecycle.incidents.serialInvalid'));
        return;
      }
      serialHex = parsed.value.serialNumberHex;
    }
    setSaving(true);
    try {
      const result = await lifecycle.recordIncident({
        incidentType: type(),
        occurredAt: new Date(`${occurredAt()}:00${WIB}`).toISOString(),
        certificateSerialHex: serialHex,
        applicationId: null,
        description: description(),
        actionsTaken: actionsTaken(),
        reportedTo: reportedTo(),
      });
      if (result.ok) {
        setRecorded(result.value.incident.id);
        setDescription('');
        setActionsTaken('');
        setReportedTo('');
        setSerial('');
        await load();
        return;
      }
      if (result.problem.kind === 'session-ended') props.onSessionEnded();
      else setSaveProblem(lifecycleProblemText(t, result.problem));
    } catch (err) {
      console.error(`recording the incident failed: ${err instanceof Error ? err.name : 'unknown error'}`);
      setSaveProblem(t('lifecycle.problems.unexpected'));
    } finally {
      setSaving(false);
    }
  };

  return (
    <section class="card lifecycle" data-testid="incident-screen" aria-busy={loading() || saving()}>
      <h2>{t('lifecycle.incidents.heading')}</h2>
      <p>{t('lifecycle.incidents.intro')}</p>
      <Show when={!props.online()}>
        <p class="officer-notice" role="status">
          {t('lifecycle.problems.offline')}
        </p>
      </Show>

      <form class="incident-form" onSubmit={save} novalidate data-testid="incident-form">
        <h3>{t('lifecycle.incidents.addHeading')}</h3>
        <div class="field">
          <label for="incident-type">{t('lifecycle.incidents.type')}</label>
          <select
            id="incident-type"
            value={type()}
            disabled={saving()}
            onChange={(e) => setType(e.currentTarget.value as IncidentType)}
          >
            <For each={INCIDENT_TYPES}>
              {(kind) => <option value={kind}>{t(`lifecycle.incidentTypes.${kind}`)}</option>}
            </For>
          </select>
        </div>
        <div class="field">
          <label for="incident-occurred">{t('lifecycle.incidents.occurredAt')}</label>
          <input
            id="incident-occurred"
            type="datetime-local"
            value={occurredAt()}
            max={wibDateTime(new Date())}
            disabled={saving()}
            onInput={(e) => setOccurredAt(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="incident-serial">{t('lifecycle.incidents.serial')}</label>
          <input
            id="incident-serial"
            type="text"
            autocomplete="off"
            spellcheck={false}
            maxLength={64}
            value={serial()}
            disabled={saving()}
            onInput={(e) => setSerial(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="incident-description">{t('lifecycle.incidents.description')}</label>
          <textarea
            id="incident-description"
            rows={4}
            maxLength={LIFECYCLE_LIMITS.maxDescriptionChars}
            value={description()}
            disabled={saving()}
            onInput={(e) => setDescription(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="incident-actions">{t('lifecycle.incidents.actionsTaken')}</label>
          <textarea
            id="incident-actions"
            rows={3}
            maxLength={LIFECYCLE_LIMITS.maxActionsChars}
            value={actionsTaken()}
            disabled={saving()}
            onInput={(e) => setActionsTaken(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="incident-reported-to">{t('lifecycle.incidents.reportedTo')}</label>
          <input
            id="incident-reported-to"
            type="text"
            maxLength={LIFECYCLE_LIMITS.maxReportedToChars}
            value={reportedTo()}
            disabled={saving()}
            onInput={(e) => setReportedTo(e.currentTarget.value)}
          />
        </div>
        <Working when={saving()} label={t('lifecycle.incidents.working')} />
        <ProblemAlert problem={saveProblem()} />
        <Show when={recorded()}>
          {(id) => (
            <p class="officer-success" role="status" data-testid="incident-recorded" data-id={id()}>
              {t('lifecycle.incidents.recorded')}
            </p>
          )}
        </Show>
        <div class="officer-actions">
          <button
            type="submit"
            class="primary"
            disabled={saving() || !props.online() || description().trim() === ''}
          >
            {t('lifecycle.incidents.submit')}
          </button>
        </div>
      </form>

      <h3>{t('lifecycle.incidents.listHeading')}</h3>
      <div class="incident-range">
        <div class="field">
          <label for="incident-from">{t('lifecycle.incidents.from')}</label>
          <input
            id="incident-from"
            type="date"
            value={from()}
            onInput={(e) => setFrom(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="incident-to">{t('lifecycle.incidents.to')}</label>
          <input id="incident-to" type="date" value={to()} onInput={(e) => setTo(e.currentTarget.value)} />
        </div>
        <button
          type="button"
          class="secondary"
          disabled={loading() || !props.online()}
          onClick={() => void load()}
        >
          {t('lifecycle.incidents.show')}
        </button>
      </div>
      <Working when={loading()} label={t('lifecycle.incidents.loading')} />
      <ProblemAlert problem={listProblem()} />
      <Show when={incidents()}>
        {(shown) => (
          <>
            <Show when={shown().truncated}>
              <p class="officer-notice">{t('lifecycle.incidents.truncated')}</p>
            </Show>
            <Show
              when={shown().list.length > 0}
              fallback={<p role="status">{t('lifecycle.incidents.empty')}</p>}
            >
              <ul class="incident-list">
                <For each={shown().list}>
                  {(incident) => (
                    <li
                      class="incident-row"
                      data-testid="incident-row"
                      data-id={incident.id}
                      data-type={incident.type}
                    >
                      <p>
                        <strong>{t(`lifecycle.incidentTypes.${incident.type}`)}</strong> —{' '}
                        {formatDateTime(locale(), incident.occurredAt)}
                        <Show when={incident.certificateSerialHex}>
                          {(s) => (
                            <>
                              {' '}
                              — <code>{formatSerial(s())}</code>
                            </>
                          )}
                        </Show>
                      </p>
                      <p>{incident.description}</p>
                      <dl class="certificate-facts">
                        <Show when={incident.actionsTaken !== ''}>
                          <dt>{t('lifecycle.incidents.columns.actionsTaken')}</dt>
                          <dd>{incident.actionsTaken}</dd>
                        </Show>
                        <Show when={incident.reportedTo !== ''}>
                          <dt>{t('lifecycle.incidents.columns.reportedTo')}</dt>
                          <dd>{incident.reportedTo}</dd>
                        </Show>
                        <dt>{t('lifecycle.incidents.columns.recordedBy')}</dt>
                        <dd>
                          {incident.recordedByName ?? t('lifecycle.incidents.system')},{' '}
                          {formatDateTime(locale(), incident.recordedAt)}
                        </dd>
                      </dl>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
