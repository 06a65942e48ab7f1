import { createSignal, Match, onCleanup, Switch } from 'solid-js';
import type { OutboxSummary } from '../../app/ports';
import {
  type ApplicationNumber,
  type ApplicationNumberProblem,
  parseApplicationNumber,
} from '../../core/application/application-number';
import { StatusView } from '../components/StatusView';
import type { I18n } from '../i18n/i18n';
import type { KioskServices } from '../services';

type Lookup =
  | { kind: 'idle' }
  | { kind: 'invalid'; problem: ApplicationNumberProblem }
  | { kind: 'looking' }
  | { kind: 'found'; item: OutboxSummary }
  | { kind: 'not-found'; number: ApplicationNumber }
  | { kind: 'failed' };

/**
 * The applicant's status page: the number from the receipt, then where the application stands.
 * Anyone at the kiosk may use it, so nothing typed or found outlives the screen.
 */
export function StatusScreen(props: { i18n: I18n; services: KioskServices }) {
  const { t } = props.i18n;
  const [text, setText] = createSignal('');
  const [lookup, setLookup] = createSignal<Lookup>({ kind: 'idle' });
  // Only the latest lookup may answer: an older, slower one must not replace it.
  let latest = 0;

  const clear = () => {
    latest += 1;
    setText('');
    setLookup({ kind: 'idle' });
  };
  onCleanup(clear);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const parsed = parseApplicationNumber(text());
    if (!parsed.ok) {
      setLookup({ kind: 'invalid', problem: parsed.problem });
      return;
    }
    // Shown as the canonical form, whatever case and spacing were typed.
    setText(parsed.value);
    const mine = ++latest;
    setLookup({ kind: 'looking' });
    try {
      const item = await props.services.findByApplicationNumber(parsed.value);
      if (mine !== latest) return;
      setLookup(item ? { kind: 'found', item } : { kind: 'not-found', number: parsed.value });
    } catch {
      if (mine === latest) setLookup({ kind: 'failed' });
    }
  };

  const problem = () => {
    const current = lookup();
    return current.kind === 'invalid' ? current.problem : null;
  };
  const problemText = () => {
    const current = problem();
    return current ? t(`status.problems.${current}`) : '';
  };
  const found = () => {
    const current = lookup();
    return current.kind === 'found' ? current.item : null;
  };
  const notFound = () => {
    const current = lookup();
    return current.kind === 'not-found' ? current.number : null;
  };

  return (
    <div class="status-screen">
      <section class="card">
        <h2>{t('status.heading')}</h2>
        <p>{t('status.intro')}</p>
        <form class="status-lookup" onSubmit={submit} novalidate>
          <div class="field">
            <label for="status-number">{t('status.number')}</label>
            <input
              id="status-number"
              type="text"
              autocomplete="off"
              autocapitalize="characters"
              spellcheck={false}
              maxLength={32}
              value={text()}
              aria-invalid={problem() !== null}
              aria-describedby="status-number-hint status-number-problem"
              onInput={(e) => {
                setText(e.currentTarget.value);
                // The message was about the text as it was; the next press checks again.
                if (problem() !== null) setLookup({ kind: 'idle' });
              }}
            />
            <small id="status-number-hint">{t('status.numberHint')}</small>
            <p id="status-number-problem" class="field-error" role="alert">
              {problemText()}
            </p>
          </div>
          <div class="status-actions">
            <button type="submit" class="primary" disabled={lookup().kind === 'looking'}>
              {t('status.lookUp')}
            </button>
            <button type="button" class="secondary" onClick={clear}>
              {t('status.done')}
            </button>
          </div>
        </form>
      </section>
      <Switch>
        <Match when={lookup().kind === 'looking'}>
          <p role="status">{t('status.looking')}</p>
        </Match>
        <Match when={found()} keyed>
          {(item) => (
            <StatusView
              i18n={props.i18n}
              item={item}
              rejectionReasons={props.services.config.rejectionReasons}
              revocationOf={props.services.lifecycle.revocationFor}
            />
          )}
        </Match>
        <Match when={notFound()} keyed>
          {(number) => (
            <p class="card status-not-found" data-testid="status-not-found" role="alert">
              {t('status.notFound', { number })}
            </p>
          )}
        </Match>
        <Match when={lookup().kind === 'failed'}>
          <p class="card field-error" role="alert">
            {t('status.failed')}
          </p>
        </Match>
      </Switch>
    </div>
  );
}
