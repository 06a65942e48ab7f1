import { type Accessor, createSignal, For, type JSX, Show } from 'solid-js';
import type { CertificateRecord } from '../../protocol/lifecycle';
import { ProblemAlert } from '../components/ProblemAlert';
import type { I18n } from '../i18n/i18n';
import { Working } from '../officer/Working';
import type { KioskServices } from '../services';
import { certificateStanding, formatDate, formatSerial, lifecycleProblemText } from './lifecycle-text';

/**
 * The search for an issued certificate by the holder's NIK or by its serial (renewal, revocation):
 * the results with where each stands, and the caller's action for each. Nothing typed or found
 * outlives the screen.
 */
export function CertificateFinder(props: {
  i18n: I18n;
  services: KioskServices;
  online: Accessor<boolean>;
  /** The caller's buttons for one certificate. */
  actions: (certificate: CertificateRecord) => JSX.Element;
  onSessionEnded: () => void;
  /** Distinguishes the field when two finders could share a page. */
  idPrefix: string;
}) {
  const { t, locale } = props.i18n;
  const [text, setText] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [problem, setProblem] = createSignal<string | null>(null);
  const [results, setResults] = createSignal<CertificateRecord[] | null>(null);
  const fieldId = `${props.idPrefix}-certificate-search`;

  const search = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy()) return;
    setProblem(null);
    setResults(null);
    setBusy(true);
    try {
      const found = await props.services.lifecycle.findCertificates(text());
      if (found.ok) {
        setResults(found.value);
        return;
      }
      if (found.problem.kind === 'search') {
        setProblem(t(`lifecycle.finder.problems.${found.problem.problem}`));
        return;
      }
      if (found.problem.kind === 'session-ended') {
        props.onSessionEnded();
        return;
      }
      setProblem(lifecycleProblemText(t, found.problem));
    } catch (err) {
      console.error(`certificate search failed: ${err instanceof Error ? err.name : 'unknown error'}`);
      setProblem(t('lifecycle.problems.unexpected'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="certificate-finder" aria-busy={busy()}>
      <form class="status-lookup" onSubmit={search} novalidate>
        <div class="field">
          <label for={fieldId}>{t('lifecycle.finder.label')}</label>
          <small id={`${fieldId}-hint`}>{t('lifecycle.finder.hint')}</small>
          <input
            id={fieldId}
            type="text"
            autocomplete="off"
            spellcheck={false}
            maxLength={64}
            value={text()}
            aria-describedby={`${fieldId}-hint`}
            onInput={(e) => setText(e.currentTarget.value)}
          />
        </div>
        <div class="officer-actions">
          <button type="submit" class="primary" disabled={busy() || !props.online()}>
            {t('lifecycle.finder.submit')}
          </button>
        </div>
      </form>
      <Show when={!props.online()}>
        <p class="officer-notice" role="status">
          {t('lifecycle.problems.offline')}
        </p>
      </Show>
      <Working when={busy()} label={t('lifecycle.finder.searching')} />
      <ProblemAlert problem={problem()} />
      <Show when={results()}>
        {(found) => (
          <Show when={found().length > 0} fallback={<p role="status">{t('lifecycle.finder.none')}</p>}>
            <ul class="certificate-list">
              <For each={found()}>
                {(certificate) => {
                  const standing = certificateStanding(certificate, new Date());
                  return (
                    <li
                      class="certificate-row"
                      data-testid="certificate-row"
                      data-id={certificate.applicationId}
                      data-serial={certificate.serialNumberHex}
                      data-standing={standing}
                    >
                      <div>
                        <strong>{certificate.applicant.nama}</strong>
                        <span class={`badge standing-${standing}`}>{t(`lifecycle.states.${standing}`)}</span>
                        <dl class="certificate-facts">
                          <dt>{t('lifecycle.finder.type')}</dt>
                          <dd>{t(`form.types.${certificate.certificateType}`)}</dd>
                          <dt>{t('lifecycle.finder.serial')}</dt>
                          <dd>
                            <code>{formatSerial(certificate.serialNumberHex)}</code>
                          </dd>
                          <dt>{t('lifecycle.finder.validUntil')}</dt>
                          <dd>{formatDate(locale(), certificate.notAfter)}</dd>
                        </dl>
                        <small>{certificate.applicant.perangkatDaerah}</small>
                      </div>
                      <div class="officer-actions">{props.actions(certificate)}</div>
                    </li>
                  );
                }}
              </For>
            </ul>
          </Show>
        )}
      </Show>
    </div>
  );
}
