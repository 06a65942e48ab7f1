import { type Accessor, createSignal, For, onCleanup, Show } from 'solid-js';
import type { OutboxState, OutboxSummary } from '../../app/ports';
import type { PurgeReport } from '../../app/sealing/purge-expired';
import type { SyncProgress, SyncReport } from '../../app/sync-outbox';
import { CA_STAGES, currentState, type OutboxLifecycleState } from '../../core/outbox/lifecycle';

/** Where the application is at the CA, once the server has said so. */
function caStage(item: OutboxSummary): OutboxLifecycleState | null {
  const state = currentState(item.history);
  return state !== null && CA_STAGES.includes(state) ? state : null;
}

import type { Guardrail } from '../../core/outbox/guardrails';
import { GuardrailPanel } from '../components/GuardrailPanel';
import { KioskEnrollment } from '../components/KioskEnrollment';
import { StorageStatusPanel } from '../components/StorageStatusPanel';
import { type I18n, localeTag } from '../i18n/i18n';
import type { KioskServices } from '../services';

const STATES: OutboxState[] = ['held', 'queued', 'synced', 'rejected'];

/**
 * The queue shows no names or NIKs: anyone standing at the kiosk can see this screen. Handover is in
 * officer mode (the officer's queue), where the officer who hands over is known.
 */
export function OutboxScreen(props: {
  i18n: I18n;
  services: KioskServices;
  items: Accessor<OutboxSummary[]>;
  /** How many applications the whole outbox holds in each state (the items are one page). */
  counts: Accessor<Record<OutboxState, number>>;
  filter: Accessor<OutboxState | null>;
  onFilter: (state: OutboxState | null) => void;
  online: Accessor<boolean>;
  /** Guardrails tripped now (issue 8): said here too, where the officer lifts them. */
  guardrails?: Accessor<readonly Guardrail[]>;
}) {
  const { t, locale } = props.i18n;
  const total = () => STATES.reduce((n, s) => n + props.counts()[s], 0);
  /** How many the current filter matches in the whole outbox. */
  const shown = () => {
    const state = props.filter();
    return state ? props.counts()[state] : total();
  };
  const [progress, setProgress] = createSignal<SyncProgress | null>(null);
  const [report, setReport] = createSignal<SyncReport | null>(null);
  const [credentials, setCredentials] = createSignal<string | null>(null);
  onCleanup(props.services.onSyncReport((r) => setCredentials(r.credentials)));
  onCleanup(props.services.onSyncProgress(setProgress));
  const [purged, setPurged] = createSignal<PurgeReport | null>(null);
  onCleanup(props.services.onPurgeReport(setPurged));

  const syncNow = async () => {
    // The credentials come with the same report through onSyncReport.
    setReport(await props.services.syncNow());
  };
  const time = (iso: string) =>
    new Date(iso).toLocaleString(localeTag(locale()), {
      dateStyle: 'medium',
      timeStyle: 'short',
    });

  return (
    <section class="card">
      <h2>{t('outbox.heading')}</h2>
      <KioskEnrollment t={t} services={props.services} credentials={credentials} online={props.online} />
      <StorageStatusPanel t={t} read={props.services.storageStatus} changes={props.items} />
      <Show when={(props.guardrails?.() ?? []).length > 0}>
        <GuardrailPanel t={t} tripped={props.guardrails?.() ?? []} blocking={false} />
      </Show>
      <div class="toolbar">
        <button
          type="button"
          class="primary"
          onClick={syncNow}
          disabled={!props.online() || progress() !== null}
        >
          {t('outbox.syncNow')}
        </button>
        <Show when={progress()}>
          {(p) => (
            <label class="progress" aria-live="polite">
              {t('outbox.syncing', { done: p().done, total: p().total })}
              <progress max={Math.max(1, p().total)} value={p().done} />
            </label>
          )}
        </Show>
        <Show when={report()}>
          {(r) => (
            <p>
              {t('outbox.lastResult', {
                synced: r().synced,
                rejected: r().rejected,
                remaining: r().remaining,
              })}
            </p>
          )}
        </Show>
      </div>
      <Show when={purged()}>
        {(r) => (
          <p data-testid="purge-report">
            {t('outbox.purged', {
              at: time(r().at),
              blobs: r().sealedBlobs,
              keys: r().privateKeys,
            })}
          </p>
        )}
      </Show>
      <Show when={!props.online()}>
        <p class="warning">{t('outbox.offlineNote')}</p>
      </Show>
      <div class="field outbox-filter">
        <label for="outbox-filter">{t('outbox.filter')}</label>
        <select
          id="outbox-filter"
          value={props.filter() ?? ''}
          onChange={(e) => props.onFilter((e.currentTarget.value || null) as OutboxState | null)}
        >
          <option value="">{t('outbox.filterAll', { count: total() })}</option>
          <For each={STATES}>
            {(state) => (
              <option value={state}>
                {t(`outbox.states.${state}`)} ({props.counts()[state]})
              </option>
            )}
          </For>
        </select>
        <Show when={props.items().length < shown()}>
          <small data-testid="outbox-paged">
            {t('outbox.paged', { shown: props.items().length, total: shown() })}
          </small>
        </Show>
      </div>
      <Show when={props.items().length > 0} fallback={<p>{t('outbox.empty')}</p>}>
        <ul class="outbox">
          <For each={props.items()}>
            {(item) => (
              <li
                data-testid="outbox-item"
                data-id={item.id}
                data-state={item.state}
                data-lifecycle={currentState(item.history) ?? ''}
                class={`state-${item.state}`}
              >
                <span class="badge">{t(`outbox.states.${item.state}`)}</span>
                <span>
                  {t('outbox.number')}: <code>{item.id.slice(0, 8)}</code>
                </span>
                <span>{t(`form.types.${item.record.certificateType}`)}</span>
                <span>{item.record.applicant.perangkatDaerah}</span>
                <span>
                  {t('outbox.created')}: {time(item.createdAt)}
                </span>
                <Show when={item.state === 'queued' && item.attempts > 0}>
                  <small>{t('outbox.attempts', { count: item.attempts })}</small>
                </Show>
                <Show when={item.rejection}>{(r) => <small class="field-error">{r().message}</small>}</Show>
                <Show when={caStage(item)}>
                  {(stage) => <span class="badge">{t(`outbox.lifecycle.${stage()}`)}</span>}
                </Show>
                <Show when={item.serverStatus?.reason}>
                  {(reason) => (
                    <small class="field-error">{t('outbox.caReason', { reason: reason() })}</small>
                  )}
                </Show>
                <Show when={item.handover?.handedOverAt}>
                  <span class="badge">{t('handover.handedOver')}</span>
                </Show>
                <details class="history">
                  <summary>{t('outbox.history')}</summary>
                  <ol>
                    <For each={item.history}>
                      {(entry) => (
                        <li>
                          {t(`outbox.lifecycle.${entry.state}`)}: {time(entry.at)}
                        </li>
                      )}
                    </For>
                  </ol>
                </details>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
