import { type Accessor, createSignal, For, onMount, Show } from 'solid-js';
import { type FollowUpStart, followUpBlock, startFollowUp } from '../../app/lifecycle/follow-up';
import type { CertificateRecord, ExpiringResponse } from '../../protocol/lifecycle';
import type { I18n } from '../i18n/i18n';
import { CertificateFinder } from '../lifecycle/CertificateFinder';
import { formatDate, formatSerial, lifecycleProblemText } from '../lifecycle/lifecycle-text';
import type { KioskServices } from '../services';
import { Working } from './Working';
import './officer.css';
import '../lifecycle/lifecycle.css';
import { ProblemAlert } from '../components/ProblemAlert';

/**
 * Renewal (Pasal 14), in officer mode: the certificates ending within the server's window, per
 * Perangkat Daerah, and the search by NIK or serial. "Mulai pembaruan" opens the applicant form
 * from the old certificate's data; the applicant goes on in person.
 */
export function RenewalScreen(props: {
  i18n: I18n;
  services: KioskServices;
  online: Accessor<boolean>;
  onSessionEnded: () => void;
  onStartFollowUp: (start: FollowUpStart) => void;
}) {
  const { t, locale } = props.i18n;
  const lifecycle = props.services.lifecycle;
  const [list, setList] = createSignal<ExpiringResponse | null>(null);
  const [loading, setLoading] = createSignal(false);
  const [starting, setStarting] = createSignal<string | null>(null);
  const [problem, setProblem] = createSignal<string | null>(null);

  const load = async () => {
    if (loading() || !props.online()) return;
    setLoading(true);
    setProblem(null);
    try {
      const result = await lifecycle.listExpiring();
      if (result.ok) setList(result.value);
      else if (result.problem.kind === 'session-ended') props.onSessionEnded();
      else setProblem(lifecycleProblemText(t, result.problem));
    } catch (err) {
      console.error(`expiring list failed: ${err instanceof Error ? err.name : 'unknown error'}`);
      setProblem(t('lifecycle.problems.unexpected'));
    } finally {
      setLoading(false);
    }
  };
  onMount(() => void load());

  const start = (certificate: CertificateRecord) => {
    const started = startFollowUp(certificate, 'renewal');
    if (started.ok) props.onStartFollowUp(started.value);
    else setProblem(t(`lifecycle.renewal.blocked.${started.problem}`));
  };

  /** From the list: the full record (the applicant's data) by its serial, then the form. */
  const startFromList = async (applicationId: string, serialNumberHex: string) => {
    if (starting() !== null) return;
    setStarting(applicationId);
    setProblem(null);
    try {
      const found = await lifecycle.findCertificates(serialNumberHex);
      if (!found.ok) {
        if (found.problem.kind === 'session-ended') props.onSessionEnded();
        else if (found.problem.kind === 'search')
          setProblem(t(`lifecycle.finder.problems.${found.problem.problem}`));
        else setProblem(lifecycleProblemText(t, found.problem));
        return;
      }
      const certificate = found.value.find((c) => c.applicationId === applicationId);
      if (certificate === undefined) setProblem(t('lifecycle.finder.none'));
      else start(certificate);
    } catch (err) {
      console.error(`starting the renewal failed: ${err instanceof Error ? err.name : 'unknown error'}`);
      setProblem(t('lifecycle.problems.unexpected'));
    } finally {
      setStarting(null);
    }
  };

  const days = () => list()?.windowDays ?? '…';

  return (
    <section class="card lifecycle" data-testid="renewal-screen" aria-busy={loading() || starting() !== null}>
      <h2>{t('lifecycle.renewal.heading')}</h2>
      <p>{t('lifecycle.renewal.intro', { days: days() })}</p>
      <Show when={!props.online()}>
        <p class="officer-notice" role="status">
          {t('lifecycle.problems.offline')}
        </p>
      </Show>
      <ProblemAlert problem={problem()} />
      <div class="officer-actions">
        <button
          type="button"
          class="secondary"
          disabled={loading() || !props.online()}
          onClick={() => void load()}
        >
          {t('lifecycle.renewal.load')}
        </button>
      </div>
      <Working when={loading()} label={t('lifecycle.renewal.loading')} />
      <Working when={starting() !== null} label={t('lifecycle.renewal.starting')} />
      <Show when={list()}>
        {(shown) => (
          <Show
            when={shown().groups.length > 0}
            fallback={<p role="status">{t('lifecycle.renewal.empty', { days: shown().windowDays })}</p>}
          >
            <For each={shown().groups}>
              {(group) => (
                <section
                  class="expiring-group"
                  data-testid="expiring-group"
                  data-perangkat-daerah={group.perangkatDaerah}
                >
                  <h3>
                    {group.perangkatDaerah}{' '}
                    <small>{t('lifecycle.renewal.count', { count: group.certificates.length })}</small>
                  </h3>
                  <ul class="certificate-list">
                    <For each={group.certificates}>
                      {(c) => (
                        <li
                          class="certificate-row"
                          data-testid="expiring-row"
                          data-id={c.applicationId}
                          data-serial={c.serialNumberHex}
                        >
                          <div>
                            <strong>{c.nama}</strong>
                            <span>{t(`form.types.${c.certificateType}`)}</span>
                            <br />
                            <code>{formatSerial(c.serialNumberHex)}</code>{' '}
                            <span>
                              {t('lifecycle.renewal.until', { date: formatDate(locale(), c.notAfter) })}
                            </span>
                          </div>
                          <div class="officer-actions">
                            <button
                              type="button"
                              class="primary"
                              disabled={starting() !== null || !props.online()}
                              onClick={() => void startFromList(c.applicationId, c.serialNumberHex)}
                            >
                              {t('lifecycle.renewal.start')}
                            </button>
                          </div>
                        </li>
                      )}
                    </For>
                  </ul>
                </section>
              )}
            </For>
          </Show>
        )}
      </Show>

      <h3>{t('lifecycle.renewal.searchHeading')}</h3>
      <CertificateFinder
        i18n={props.i18n}
        services={props.services}
        online={props.online}
        idPrefix="renewal"
        onSessionEnded={props.onSessionEnded}
        actions={(certificate) => {
          const block = followUpBlock(certificate, 'renewal');
          return (
            <>
              <button
                type="button"
                class="primary"
                disabled={block !== null}
                onClick={() => start(certificate)}
              >
                {t('lifecycle.renewal.start')}
              </button>
              <Show when={block}>{(why) => <small>{t(`lifecycle.renewal.blocked.${why()}`)}</small>}</Show>
            </>
          );
        }}
      />
    </section>
  );
}
