import { createMemo, createSignal, For, Show } from 'solid-js';
import type { EnrollOfficerResult } from '../../app/officer/enroll-officer';
import type { OfficerProfile } from '../../app/officer/ports';
import type { PinProblem } from '../../core/officer/pin';
import { ProblemAlert } from '../components/ProblemAlert';
import type { Translate } from '../i18n/i18n';
import type { OfficerServices } from '../services';
import './officer.css';
import { Working } from './Working';

const PIN_PROBLEMS: Record<PinProblem, true> = {
  'too-short': true,
  'too-long': true,
  'not-digits': true,
  'one-digit': true,
  'straight-run': true,
};
const isPinProblem = (code: string): code is PinProblem => Object.hasOwn(PIN_PROBLEMS, code);

/** A new PIN's digits, typed hidden (the PIN and its confirmation). */
function NewPinInput(props: {
  id: string;
  max: number;
  value: string;
  disabled: boolean;
  invalid: boolean;
  onInput: (value: string) => void;
}) {
  return (
    <input
      id={props.id}
      type="password"
      inputmode="numeric"
      autocomplete="new-password"
      maxlength={props.max}
      value={props.value}
      disabled={props.disabled}
      aria-invalid={props.invalid}
      onInput={(e) => props.onInput(e.currentTarget.value)}
    />
  );
}

/**
 * Enrolling an officer on this kiosk, once and online (docs/officers.md): username, the one-time
 * code from the administrator, and a new PIN typed twice. The key pair is made and wrapped under
 * the PIN (PBKDF2, 600,000 rounds) before the request: the progress shows while it runs.
 */
export function OfficerEnrollForm(props: {
  t: Translate;
  officer: OfficerServices;
  pinLimits: { min: number; max: number };
  online: () => boolean;
  onEnrolled: (profile: OfficerProfile) => void;
  onCancel: () => void;
}) {
  const { t } = props;
  const [username, setUsername] = createSignal('');
  const [code, setCode] = createSignal('');
  const [pin, setPin] = createSignal('');
  const [confirmation, setConfirmation] = createSignal('');
  const [tried, setTried] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [problem, setProblem] = createSignal<string | null>(null);

  const pinMessage = (p: PinProblem) => t(`officer.enroll.pinProblems.${p}`, props.pinLimits);
  const pinProblems = createMemo(() => props.officer.pinProblems(pin()));
  const mismatch = () => confirmation() !== '' && confirmation() !== pin();
  const missing = createMemo(() => [
    ...(username().trim() === '' ? [t('officer.enroll.usernameEmpty')] : []),
    ...(code().trim() === '' ? [t('officer.enroll.codeEmpty')] : []),
  ]);

  const resultMessage = (result: Exclude<EnrollOfficerResult, { ok: true }>): string => {
    if (result.problem !== 'weak-pin') return t(`officer.enroll.problems.${result.problem}`);
    const reasons = result.pinProblems.filter(isPinProblem).map(pinMessage);
    return [t('officer.enroll.problems.weak-pin'), ...reasons].join(' ');
  };

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy()) return;
    setTried(true);
    setProblem(null);
    if (missing().length > 0 || pinProblems().length > 0 || pin() !== confirmation()) return;
    if (!props.online()) {
      setProblem(t('officer.enroll.offlineOnly'));
      return;
    }
    setBusy(true);
    try {
      const result = await props.officer.enroll({ username: username(), code: code(), pin: pin() });
      if (result.ok) {
        setPin('');
        setConfirmation('');
        props.onEnrolled(result.value);
      } else setProblem(resultMessage(result));
    } catch (err) {
      console.error(`officer enrollment failed: ${err instanceof Error ? err.name : 'unknown error'}`);
      setProblem(t('officer.enroll.problems.server-error'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card" onSubmit={submit} novalidate aria-busy={busy()} data-testid="officer-enroll">
      <h2>{t('officer.enroll.heading')}</h2>
      <p>{t('officer.enroll.intro')}</p>
      <Show when={!props.online()}>
        <p class="officer-notice" role="status">
          {t('officer.enroll.offlineOnly')}
        </p>
      </Show>
      <div class="field">
        <label for="officer-username">{t('officer.enroll.username')}</label>
        <input
          id="officer-username"
          value={username()}
          autocomplete="off"
          autocapitalize="none"
          spellcheck={false}
          disabled={busy()}
          onInput={(e) => setUsername(e.currentTarget.value)}
        />
      </div>
      <div class="field">
        <label for="officer-code">{t('officer.enroll.code')}</label>
        <input
          id="officer-code"
          value={code()}
          autocomplete="off"
          autocapitalize="characters"
          spellcheck={false}
          placeholder="XXXX-XXXX-XXXX-XXXX"
          disabled={busy()}
          onInput={(e) => setCode(e.currentTarget.value)}
        />
      </div>
      <div class="field officer-pin">
        <label for="officer-new-pin">{t('officer.enroll.pin', props.pinLimits)}</label>
        <small>{t('officer.enroll.pinAdvice')}</small>
        <NewPinInput
          id="officer-new-pin"
          max={props.pinLimits.max}
          value={pin()}
          disabled={busy()}
          invalid={(tried() || pin() !== '') && pinProblems().length > 0}
          onInput={setPin}
        />
        <Show when={tried() || pin().length >= props.pinLimits.min}>
          <For each={pinProblems()}>{(p) => <p class="field-error">{pinMessage(p)}</p>}</For>
        </Show>
      </div>
      <div class="field officer-pin">
        <label for="officer-new-pin-confirm">{t('officer.enroll.pinConfirm')}</label>
        <NewPinInput
          id="officer-new-pin-confirm"
          max={props.pinLimits.max}
          value={confirmation()}
          disabled={busy()}
          invalid={mismatch()}
          onInput={setConfirmation}
        />
        <Show when={mismatch() || (tried() && pin() !== confirmation())}>
          <p class="field-error">{t('officer.enroll.mismatch')}</p>
        </Show>
      </div>
      <Show when={tried()}>
        <For each={missing()}>{(m) => <p class="field-error">{m}</p>}</For>
      </Show>
      <ProblemAlert problem={problem()} />
      <Working when={busy()} label={t('officer.enroll.working')} />
      <div class="officer-actions">
        <button type="submit" class="primary" disabled={busy() || !props.online()}>
          {t('officer.enroll.submit')}
        </button>
        <button type="button" class="secondary" disabled={busy()} onClick={() => props.onCancel()}>
          {t('officer.enroll.cancel')}
        </button>
      </div>
    </form>
  );
}
