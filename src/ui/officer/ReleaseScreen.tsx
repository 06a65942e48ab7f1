import {
  type Accessor,
  createEffect,
  createMemo,
  createResource,
  createSignal,
  For,
  onCleanup,
  onMount,
  Show,
} from 'solid-js';
import {
  type ReleasableApplication,
  type ReleaseApplicationsProblem,
  type ReleaseOutcome,
  releaseCandidates,
} from '../../app/officer/release-applications';
import type { OutboxView } from '../../app/ports';
import { applicationNumber } from '../../core/application/application-number';
import { localIsoDate, toIsoDate } from '../../core/lib/dates';
import { type I18n, localeTag } from '../i18n/i18n';
import type { KioskServices } from '../services';
import { Working } from './Working';
import './officer.css';

/** Applications read at once: every approval of a busy week fits. */
const OUTBOX_PAGE = 5000;

const KNOWN_REFUSALS = ['self-release', 'not-approved', 'unknown-application', 'already-released'] as const;
type KnownRefusal = (typeof KNOWN_REFUSALS)[number];
const isKnownRefusal = (code: string): code is KnownRefusal =>
  (KNOWN_REFUSALS as readonly string[]).includes(code);

type ProblemKey = Exclude<ReleaseApplicationsProblem['kind'], 'session-ended'> | 'unexpected';

interface DayGroup {
  day: string;
  rows: ReleasableApplication[];
}

/**
 * The end-of-day release (two-person rule): the approved applications not yet released, by the day
 * they were approved, today's chosen at first. Those this officer approved, or the server has not
 * received, are shown but cannot be chosen. The chosen ones are signed and sent in one go.
 */
export function ReleaseScreen(props: {
  i18n: I18n;
  services: KioskServices;
  online: Accessor<boolean>;
  onSessionEnded: () => void;
}) {
  const { t, locale } = props.i18n;
  const officer = props.services.officer;
  const twoPersonRule = props.services.config.twoPersonRule;
  // Read once: officer mode's screens are mounted afresh for each session.
  const me = officer.current()?.profile ?? null;
  onMount(() => {
    if (me === null) props.onSessionEnded();
  });

  const [view, setView] = createSignal<OutboxView | null>(null);
  onCleanup(props.services.subscribeOutbox(setView, { limit: OUTBOX_PAGE }));
  // The names are a courtesy: without them the rows still show when each was approved.
  const [profiles] = createResource(async () => {
    const list = await officer.list().catch(() => []);
    return new Map(list.map((p) => [p.officerId, p]));
  });

  const candidates = createMemo(() =>
    releaseCandidates(view()?.items ?? [], me?.officerId ?? '', { twoPersonRule }),
  );
  const today = toIsoDate(props.services.today());
  /** Newest day first, so today leads; within a day, in the order of approval. */
  const groups = createMemo((): DayGroup[] => {
    const byDay = new Map<string, ReleasableApplication[]>();
    for (const row of candidates()) {
      const day = localIsoDate(row.decidedAt);
      const rows = byDay.get(day);
      if (rows) rows.push(row);
      else byDay.set(day, [row]);
    }
    return [...byDay.entries()].sort(([a], [b]) => b.localeCompare(a)).map(([day, rows]) => ({ day, rows }));
  });
  const selectableIds = createMemo(() => candidates().flatMap((c) => (c.selectable ? [c.id] : [])));

  const [chosen, setChosen] = createSignal<ReadonlySet<string>>(new Set());
  // Today's rows are chosen as they become selectable (on load, after a sync), once each, so that
  // the officer's own unticking is never undone.
  const offered = new Set<string>();
  createEffect(() => {
    const fresh = candidates().filter(
      (c) => c.selectable && !offered.has(c.id) && localIsoDate(c.decidedAt) === today,
    );
    if (fresh.length === 0) return;
    for (const c of fresh) offered.add(c.id);
    setChosen((current) => new Set([...current, ...fresh.map((c) => c.id)]));
  });
  /** The choice among what can still be released (a row released in another tab drops out). */
  const selected = createMemo(() => selectableIds().filter((id) => chosen().has(id)));

  const [busy, setBusy] = createSignal(false);
  const [syncing, setSyncing] = createSignal(false);
  const [syncFailed, setSyncFailed] = createSignal(false);
  const [problem, setProblem] = createSignal<{ key: ProblemKey; suffix: string } | null>(null);
  const [results, setResults] = createSignal<ReleaseOutcome[] | null>(null);
  /** Names of what was sent: released rows leave the list, their results stay readable. */
  const [sent, setSent] = createSignal<ReadonlyMap<string, ReleasableApplication>>(new Map());

  const toggle = (id: string, on: boolean) => {
    const next = new Set(chosen());
    if (on) next.add(id);
    else next.delete(id);
    setChosen(next);
  };

  const release = async () => {
    const ids = selected();
    if (busy() || ids.length === 0 || !props.online()) return;
    setBusy(true);
    setProblem(null);
    setResults(null);
    setSent(new Map(candidates().map((c) => [c.id, c])));
    try {
      const result = await officer.release(ids);
      if (result.ok) {
        setResults(result.value);
        return;
      }
      const failure = result.problem;
      if (failure.kind === 'session-ended') {
        props.onSessionEnded();
        return;
      }
      setProblem({
        key: failure.kind,
        suffix: failure.kind === 'server' && failure.serverCode ? ` (${failure.serverCode})` : '',
      });
    } catch (err) {
      console.error(`releasing failed: ${err instanceof Error ? err.name : 'unknown error'}`);
      setProblem({ key: 'unexpected', suffix: '' });
    } finally {
      setBusy(false);
    }
  };

  const syncNow = async () => {
    if (syncing()) return;
    setSyncing(true);
    setSyncFailed(false);
    try {
      const report = await props.services.syncNow();
      setSyncFailed(report === null || report.error !== null || report.credentials !== null);
    } catch (err) {
      console.error(`syncing failed: ${err instanceof Error ? err.name : 'unknown error'}`);
      setSyncFailed(true);
    } finally {
      setSyncing(false);
    }
  };

  const dayLabel = (day: string) => {
    // Noon: the calendar day whatever the time zone's offset.
    const date = new Date(`${day}T12:00:00`).toLocaleDateString(localeTag(locale()), { dateStyle: 'full' });
    return day === today ? t('release.today', { date }) : date;
  };
  const time = (iso: string) =>
    new Date(iso).toLocaleString(localeTag(locale()), { dateStyle: 'medium', timeStyle: 'short' });
  const decidedLine = (row: ReleasableApplication) => {
    const nama = profiles()?.get(row.decidedBy)?.nama;
    return nama === undefined
      ? t('release.decided', { time: time(row.decidedAt) })
      : t('release.decidedBy', { nama, time: time(row.decidedAt) });
  };
  const outcomeText = (outcome: ReleaseOutcome) => {
    switch (outcome.outcome) {
      case 'released':
        return t('release.outcomes.released');
      case 'refused':
        return isKnownRefusal(outcome.code)
          ? t(`release.outcomes.refused.${outcome.code}`)
          : t('release.outcomes.refused.other', { code: outcome.code });
      case 'not-sent':
        return t(`release.outcomes.not-sent.${outcome.problem}`);
    }
  };
  /** Released now or before: either way the application is on its way to the CA. */
  const releasedCount = () =>
    results()?.filter(
      (r) => r.outcome === 'released' || (r.outcome === 'refused' && r.code === 'already-released'),
    ).length ?? 0;

  return (
    <section class="card release" data-testid="release-screen" aria-busy={busy()}>
      <h2>{t('release.heading')}</h2>
      <p>{t('release.intro')}</p>
      <Show when={!twoPersonRule}>
        <p class="officer-notice">{t('release.ruleOff')}</p>
      </Show>
      <Show when={!props.online()}>
        <p class="officer-notice" role="status">
          {t('release.offline')}
        </p>
      </Show>

      <Show when={results()}>
        {(outcomes) => (
          <section class="release-results" aria-labelledby="release-results-heading">
            <h3 id="release-results-heading">{t('release.resultsHeading')}</h3>
            <p role="status">
              {t('release.resultsSummary', {
                released: releasedCount(),
                other: outcomes().length - releasedCount(),
              })}
            </p>
            <ul>
              <For each={outcomes()}>
                {(outcome) => (
                  <li
                    data-testid="release-result"
                    data-id={outcome.id}
                    data-outcome={outcome.outcome}
                    class={outcome.outcome === 'released' ? 'released' : 'not-released'}
                  >
                    <Show when={sent().get(outcome.id)}>{(row) => <strong>{row().nama} </strong>}</Show>
                    <span>{applicationNumber(outcome.id)}</span>
                    <br />
                    <span>{outcomeText(outcome)}</span>
                  </li>
                )}
              </For>
            </ul>
          </section>
        )}
      </Show>
      <Show when={problem()}>
        {(current) => (
          <div class="problems" role="alert">
            <p>{t(`release.problems.${current().key}`, { suffix: current().suffix })}</p>
          </div>
        )}
      </Show>

      <Show when={view() !== null} fallback={<p role="status">{t('release.loading')}</p>}>
        <Show when={candidates().length > 0} fallback={<p>{t('release.empty')}</p>}>
          <div class="officer-actions">
            <button
              type="button"
              class="secondary"
              disabled={busy() || selectableIds().length === 0}
              onClick={() => setChosen(new Set(selectableIds()))}
            >
              {t('release.selectAll')}
            </button>
            <button
              type="button"
              class="secondary"
              disabled={busy() || selected().length === 0}
              onClick={() => setChosen(new Set<string>())}
            >
              {t('release.selectNone')}
            </button>
            <span role="status">
              {t('release.selected', { count: selected().length, total: selectableIds().length })}
            </span>
          </div>
          <For each={groups()}>
            {(group) => (
              <section class="release-day">
                <h3>
                  {dayLabel(group.day)}{' '}
                  <small class="release-count">{t('release.dayCount', { count: group.rows.length })}</small>
                </h3>
                <ol class="release-rows">
                  <For each={group.rows}>
                    {(row) => (
                      <li
                        data-testid="release-row"
                        data-id={row.id}
                        data-selectable={String(row.selectable)}
                        class={row.selectable ? undefined : 'blocked'}
                      >
                        <label class="choice">
                          <input
                            type="checkbox"
                            checked={row.selectable && chosen().has(row.id)}
                            disabled={!row.selectable || busy()}
                            onChange={(e) => toggle(row.id, e.currentTarget.checked)}
                          />
                          <span>
                            <strong>{row.nama}</strong>
                            <span>
                              {applicationNumber(row.id)} · {t(`form.types.${row.certificateType}`)}
                            </span>
                            <small>
                              {row.perangkatDaerah} · {decidedLine(row)}
                            </small>
                          </span>
                        </label>
                        <Show when={row.blocked} keyed>
                          {(blocked) => (
                            <div class="release-blocked">
                              <p>{t(`release.blocked.${blocked}`)}</p>
                              <Show when={blocked === 'not-synced'}>
                                <button
                                  type="button"
                                  class="secondary"
                                  disabled={syncing() || !props.online()}
                                  onClick={() => void syncNow()}
                                >
                                  {t('release.syncNow')}
                                </button>
                              </Show>
                            </div>
                          )}
                        </Show>
                      </li>
                    )}
                  </For>
                </ol>
              </section>
            )}
          </For>
          <Show when={syncing()}>
            <p role="status">{t('release.syncing')}</p>
          </Show>
          <Show when={syncFailed()}>
            <p class="officer-notice" role="status">
              {t('release.syncFailed')}
            </p>
          </Show>
          <div class="officer-actions">
            <button
              type="button"
              class="primary"
              disabled={busy() || selected().length === 0 || !props.online()}
              onClick={() => void release()}
            >
              {t('release.submit', { count: selected().length })}
            </button>
          </div>
        </Show>
      </Show>
      <Working when={busy()} label={t('release.working')} />
    </section>
  );
}
