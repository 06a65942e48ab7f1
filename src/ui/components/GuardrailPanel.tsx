import { createSignal, For, Show } from 'solid-js';
import type { Guardrail } from '../../core/outbox/guardrails';
import { guardrailText, liftedBySync } from '../guardrail-text';
import type { Translate } from '../i18n/i18n';

/**
 * Why the kiosk takes no new application (issue 8 guardrails), one message per tripped guardrail,
 * with the way out. `blocking`: in place of the new form (an alert); otherwise a note on the
 * outbox screen.
 */
export function GuardrailPanel(props: {
  t: Translate;
  tripped: readonly Guardrail[];
  blocking: boolean;
  /** Shown as a button while a sync could lift a guardrail. */
  onOpenOutbox?: () => void;
}) {
  const { t } = props;
  const [checking, setChecking] = createSignal(false);
  const outdated = () => props.tripped.some((g) => g.kind === 'software-outdated');
  const openOutbox = () => (props.tripped.some(liftedBySync) ? props.onOpenOutbox : undefined);

  // The update banner then offers "Update now"; without a service worker (plain http), a reload is the update.
  const checkUpdate = async () => {
    setChecking(true);
    try {
      const registration = await navigator.serviceWorker?.getRegistration();
      if (registration) await registration.update();
      else window.location.reload();
    } catch {
      // Offline or refused: the message already says to connect first.
    } finally {
      setChecking(false);
    }
  };

  return (
    <section
      class={props.blocking ? 'card guardrails guardrails-blocking' : 'guardrails'}
      role={props.blocking ? 'alert' : 'status'}
      data-testid={props.blocking ? 'guardrail-block' : 'guardrail-status'}
    >
      <h2>{props.blocking ? t('guardrails.heading') : t('guardrails.outboxHeading')}</h2>
      <Show when={props.blocking}>
        <p>{t('guardrails.intro')}</p>
      </Show>
      <ul>
        <For each={props.tripped}>
          {(g) => (
            <li class="guardrail-reason" data-guardrail={g.kind}>
              {guardrailText(t, g)}
            </li>
          )}
        </For>
      </ul>
      <div class="guardrail-actions">
        <Show when={openOutbox()}>
          {(open) => (
            <button type="button" class="primary" onClick={() => open()()}>
              {t('guardrails.openOutbox')}
            </button>
          )}
        </Show>
        <Show when={outdated()}>
          <button type="button" class="secondary" disabled={checking()} onClick={checkUpdate}>
            {checking() ? t('guardrails.checkingUpdate') : t('guardrails.checkUpdate')}
          </button>
        </Show>
      </div>
    </section>
  );
}
