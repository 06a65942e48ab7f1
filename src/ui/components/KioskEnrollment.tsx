import { createSignal, onMount, Show } from 'solid-js';
import type { Enrollment } from '../../app/ports';
import type { Translate } from '../i18n/i18n';
import type { KioskServices } from '../services';
import { ProblemAlert } from './ProblemAlert';

/**
 * Enrollment with the one-time code an administrator made on the server. Until then applications
 * are captured and kept; they wait for the kiosk to be known before anything is sent.
 */
export function KioskEnrollment(props: {
  t: Translate;
  services: KioskServices;
  /** The server's reason when it stopped trusting this kiosk (`unknown-kiosk`, `kiosk-revoked`…). */
  credentials: () => string | null;
  online: () => boolean;
}) {
  const { t } = props;
  const [enrollment, setEnrollment] = createSignal<Enrollment | null | undefined>(undefined);
  const [code, setCode] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [problem, setProblem] = createSignal<string | null>(null);
  onMount(async () => setEnrollment(await props.services.enrollment()));

  /** The server stopped trusting this kiosk (not merely: it never enrolled). */
  const distrusted = () => {
    const credentials = props.credentials();
    return credentials !== null && credentials !== 'not-enrolled';
  };
  const needsEnrollment = () => enrollment() === null || distrusted();

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy()) return;
    setBusy(true);
    setProblem(null);
    try {
      const result = await props.services.enroll(code());
      if (result.ok) {
        setEnrollment(result.value);
        setCode('');
      } else setProblem(t(`enrollment.problems.${result.problem}`));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Show when={enrollment() !== undefined}>
      <Show
        when={needsEnrollment()}
        fallback={
          <p class="enrolled" data-testid="kiosk-enrolled">
            {t('enrollment.enrolledAs', { name: enrollment()?.name ?? '' })}
          </p>
        }
      >
        <form class="enrollment" onSubmit={submit} data-testid="kiosk-enrollment">
          <h3>{t('enrollment.heading')}</h3>
          <p class={distrusted() ? 'warning' : ''}>
            {props.credentials() === 'kiosk-revoked'
              ? t('enrollment.revoked')
              : distrusted()
                ? t('enrollment.unknown')
                : t('enrollment.intro')}
          </p>
          <div class="field">
            <label for="enrollment-code">{t('enrollment.code')}</label>
            <input
              id="enrollment-code"
              value={code()}
              autocomplete="off"
              autocapitalize="characters"
              spellcheck={false}
              placeholder="XXXX-XXXX-XXXX-XXXX"
              onInput={(e) => setCode(e.currentTarget.value)}
            />
          </div>
          <ProblemAlert problem={problem()} />
          <button type="submit" class="primary" disabled={busy() || !props.online()}>
            {busy() ? t('enrollment.working') : t('enrollment.submit')}
          </button>
        </form>
      </Show>
    </Show>
  );
}
