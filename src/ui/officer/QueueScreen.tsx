import { createMemo, createSignal, For, Match, onCleanup, Show, Switch } from 'solid-js';
import {
  filterQueue,
  indexQueue,
  perangkatDaerahOf,
  QUEUE_STAGES,
  type QueueStage,
  queueStage,
} from '../../app/officer/queue-query';
import type { OutboxView } from '../../app/ports';
import { clearNameOf } from '../../app/sealing/open-at-counter';
import { CERTIFICATE_TYPES, type CertificateType } from '../../core/certificate/types';
import { localIsoDate } from '../../core/lib/dates';
import { StatusView } from '../components/StatusView';
import { type I18n, localeTag } from '../i18n/i18n';
import { HandoverPanel } from '../screens/HandoverPanel';
import type { KioskServices } from '../services';
import './officer.css';

/** Summaries searched at once: listing 10,000 takes about 66 ms, more than a field kiosk holds. */
const QUEUE_LIMIT = 10_000;
/** Rows drawn at once; the filters narrow the rest down. */
const ROWS_SHOWN = 200;

/**
 * Stages that may have a certificate to hand over: approved ones too, since the certificate may be
 * at the counter before the kiosk hears of it (the handover checks it against the key made here).
 */
const HANDOVER_STAGES: readonly QueueStage[] = [
  'approved',
  'no-decision',
  'sent-to-ca',
  'issued',
  'handed-over',
];

/**
 * Every application on this kiosk for the officer: filters by stage (with counts), type, Perangkat
 * Daerah and capture day, a search by name, NIK or number, and each application's status page.
 */
export function QueueScreen(props: { i18n: I18n; services: KioskServices }) {
  const { t, locale } = props.i18n;
  const [view, setView] = createSignal<OutboxView | null>(null);
  onCleanup(props.services.subscribeOutbox(setView, { limit: QUEUE_LIMIT }));

  const [stage, setStage] = createSignal<QueueStage | ''>('');
  const [certificateType, setCertificateType] = createSignal<CertificateType | ''>('');
  const [perangkatDaerah, setPerangkatDaerah] = createSignal('');
  const [date, setDate] = createSignal('');
  const [search, setSearch] = createSignal('');
  const [selected, setSelected] = createSignal<string | null>(null);

  // Indexed once per change of the outbox; filtering the index is cheap enough for every keystroke.
  // The capture day in the kiosk's own time zone, as the date filter writes it.
  const index = createMemo(() => indexQueue(view()?.items ?? [], localIsoDate));
  const result = createMemo(() =>
    filterQueue(index(), {
      stage: stage() || undefined,
      certificateType: certificateType() || undefined,
      perangkatDaerah: perangkatDaerah() || undefined,
      date: date() || undefined,
      search: search(),
    }),
  );
  const rows = () => result().items.slice(0, ROWS_SHOWN);
  const perangkatDaerahChoices = createMemo(() => {
    const present = perangkatDaerahOf(index());
    // A chosen one whose last application went away stays choosable, or the select would lie.
    const chosen = perangkatDaerah();
    return chosen && !present.includes(chosen) ? [chosen, ...present] : present;
  });
  /** How many the whole outbox holds, when that is more than was listed. */
  const unsearched = () => {
    const current = view();
    if (!current) return null;
    const stored = Object.values(current.counts).reduce((sum, n) => sum + n, 0);
    return stored > current.items.length ? { total: stored, searched: current.items.length } : null;
  };
  const filtered = () =>
    stage() !== '' ||
    certificateType() !== '' ||
    perangkatDaerah() !== '' ||
    date() !== '' ||
    search() !== '';
  const clearFilters = () => {
    setStage('');
    setCertificateType('');
    setPerangkatDaerah('');
    setDate('');
    setSearch('');
  };

  const timeFormat = createMemo(
    () =>
      new Intl.DateTimeFormat(localeTag(locale()), {
        dateStyle: 'medium',
        timeStyle: 'short',
      }),
  );
  const openItem = () => {
    const id = selected();
    return id === null ? null : (view()?.items.find((i) => i.id === id) ?? null);
  };
  let listScroll = 0;
  const open = (id: string) => {
    listScroll = window.scrollY;
    setSelected(id);
    window.scrollTo({ top: 0 });
  };
  const [handoverOpen, setHandoverOpen] = createSignal(false);
  /** The signed-in officer, named on the handover receipt. */
  const handoverOfficer = () => {
    const profile = props.services.officer.current()?.profile;
    return profile ? { nama: profile.nama, nip: profile.nip } : null;
  };
  const back = () => {
    setHandoverOpen(false);
    setSelected(null);
    window.scrollTo({ top: listScroll });
  };

  return (
    <section class="card queue-screen" data-testid="officer-all-queue">
      <Switch>
        <Match when={selected() !== null}>
          <div class="officer-actions">
            <button type="button" class="secondary" onClick={back}>
              {t('queue.back')}
            </button>
          </div>
          {/* Not keyed: every outbox change is a new object, and the handover panel must keep its state. */}
          <Show when={openItem()} fallback={<p class="officer-notice">{t('queue.gone')}</p>}>
            {(item) => (
              <>
                <StatusView
                  i18n={props.i18n}
                  item={item()}
                  rejectionReasons={props.services.config.rejectionReasons}
                  revocationOf={props.services.lifecycle.revocationFor}
                />
                {/* Handover is the officer's (Pasal 13 ayat 6), and only for what may have a certificate. */}
                <Show when={HANDOVER_STAGES.includes(queueStage(item()))}>
                  <Show
                    when={handoverOpen()}
                    fallback={
                      <div class="officer-actions">
                        <button type="button" class="primary" onClick={() => setHandoverOpen(true)}>
                          {t('handover.open')}
                        </button>
                      </div>
                    }
                  >
                    <HandoverPanel
                      i18n={props.i18n}
                      services={props.services}
                      item={item}
                      officer={handoverOfficer()}
                      onClose={() => setHandoverOpen(false)}
                    />
                  </Show>
                </Show>
              </>
            )}
          </Show>
        </Match>
        <Match when={true}>
          <h2>{t('queue.heading')}</h2>
          <p>{t('queue.intro')}</p>
          <div class="queue-filters">
            <div class="field queue-search">
              <label for="queue-search">{t('queue.search')}</label>
              <input
                id="queue-search"
                type="search"
                autocomplete="off"
                spellcheck={false}
                value={search()}
                aria-describedby="queue-search-hint"
                onInput={(e) => setSearch(e.currentTarget.value)}
              />
              <small id="queue-search-hint">{t('queue.searchHint')}</small>
            </div>
            <div class="field">
              <label for="queue-stage">{t('queue.stage')}</label>
              <select
                id="queue-stage"
                value={stage()}
                onChange={(e) => setStage(e.currentTarget.value as QueueStage | '')}
              >
                <option value="" data-testid="queue-count" data-stage="all" data-count={result().total}>
                  {t('queue.allStages', { count: result().total })}
                </option>
                <For each={QUEUE_STAGES}>
                  {(s) => (
                    <option
                      value={s}
                      data-testid="queue-count"
                      data-stage={s}
                      data-count={result().counts[s]}
                    >
                      {t(`queue.stages.${s}`)} ({result().counts[s]})
                    </option>
                  )}
                </For>
              </select>
            </div>
            <div class="field">
              <label for="queue-type">{t('queue.type')}</label>
              <select
                id="queue-type"
                value={certificateType()}
                onChange={(e) => setCertificateType(e.currentTarget.value as CertificateType | '')}
              >
                <option value="">{t('queue.allTypes')}</option>
                <For each={CERTIFICATE_TYPES}>
                  {(type) => <option value={type}>{t(`form.types.${type}`)}</option>}
                </For>
              </select>
            </div>
            <div class="field">
              <label for="queue-pd">{t('queue.perangkatDaerah')}</label>
              <select
                id="queue-pd"
                value={perangkatDaerah()}
                onChange={(e) => setPerangkatDaerah(e.currentTarget.value)}
              >
                <option value="">{t('queue.allPerangkatDaerah')}</option>
                <For each={perangkatDaerahChoices()}>{(name) => <option value={name}>{name}</option>}</For>
              </select>
            </div>
            <div class="field">
              <label for="queue-date">{t('queue.date')}</label>
              <input
                id="queue-date"
                type="date"
                value={date()}
                onInput={(e) => setDate(e.currentTarget.value)}
              />
            </div>
          </div>
          <div class="officer-actions">
            <button type="button" class="secondary" onClick={clearFilters} disabled={!filtered()}>
              {t('queue.clearFilters')}
            </button>
          </div>
          <Show when={view() !== null} fallback={<p role="status">{t('queue.loading')}</p>}>
            <Show when={unsearched()}>
              {(note) => <p class="officer-notice">{t('queue.truncated', note())}</p>}
            </Show>
            <Show when={index().length > 0} fallback={<p>{t('queue.empty')}</p>}>
              <p role="status" data-testid="queue-result" data-count={result().items.length}>
                {t('queue.result', { count: result().items.length })}
              </p>
              <Show when={result().items.length > 0} fallback={<p>{t('queue.none')}</p>}>
                <ol class="queue-list">
                  <For each={rows()}>
                    {(entry) => (
                      <li
                        class="queue-row"
                        data-testid="queue-row"
                        data-id={entry.item.id}
                        data-stage={entry.stage}
                      >
                        <div class="queue-row-main">
                          <strong>{clearNameOf(entry.item) ?? entry.number}</strong>
                          <span>
                            <code>{entry.number}</code> ·{' '}
                            {t(`form.types.${entry.item.record.certificateType}`)}
                          </span>
                          <small>
                            {entry.item.record.applicant.perangkatDaerah} ·{' '}
                            {t('queue.capturedAt', { time: timeFormat().format(entry.time) })}
                          </small>
                        </div>
                        <span class={`badge queue-stage queue-stage-${entry.stage}`}>
                          {t(`queue.stages.${entry.stage}`)}
                        </span>
                        <button
                          type="button"
                          class="primary"
                          aria-label={t('queue.openLabel', { number: entry.number })}
                          onClick={() => open(entry.item.id)}
                        >
                          {t('queue.open')}
                        </button>
                      </li>
                    )}
                  </For>
                </ol>
                <Show when={result().items.length > ROWS_SHOWN}>
                  <p data-testid="queue-capped">
                    {t('queue.capped', { shown: ROWS_SHOWN, total: result().items.length })}
                  </p>
                </Show>
              </Show>
            </Show>
          </Show>
        </Match>
      </Switch>
    </section>
  );
}
