import { createEffect, createSignal, on, onCleanup, Show } from 'solid-js';
import { emailProblem } from '../../app/email-confirmation';
import type { OutboxEmailConfirmation } from '../../app/ports';
import { normaliseEmail } from '../../protocol/email';
import { type Locale, localeTag, type Translate } from '../i18n/i18n';
import { createOnlineSignal } from '../primitives/online';
import type { KioskServices } from '../services';
import './email-confirmation.css';

type Phase = 'idle' | 'sending' | 'sent' | 'checking' | 'confirmed';

/**
 * The official e-mail proven at the counter (Pasal 10): "Kirim kode", then the six digits from the
 * mail. Optional: offline, or when the applicant cannot open the mail now, the form goes on and the
 * server mails a link once the application arrives. Lives inside the application form, so it has no
 * form of its own: Enter in the code field checks the code instead of submitting the application.
 */
export function EmailConfirmation(props: {
  t: Translate;
  language: () => Locale;
  services: Pick<KioskServices, 'email'>;
  /** The id the application will have; a new one means a new application: everything starts over. */
  applicationId: () => string;
  /** The address in the form, as typed. */
  email: () => string;
  emailDomains: readonly string[];
  disabled: () => boolean;
  /** The confirmation, or null again when the address changes or the form starts over. */
  onConfirmed: (confirmation: OutboxEmailConfirmation | null) => void;
}) {
  const { t } = props;
  const online = createOnlineSignal();
  const [phase, setPhase] = createSignal<Phase>('idle');
  const [sentTo, setSentTo] = createSignal<string | null>(null);
  const [expiresAt, setExpiresAt] = createSignal<string | null>(null);
  const [resendAt, setResendAt] = createSignal(0);
  const [exhausted, setExhausted] = createSignal(false);
  const [typed, setTyped] = createSignal('');
  const [message, setMessage] = createSignal<string | null>(null);
  const [confirmedTo, setConfirmedTo] = createSignal<string | null>(null);
  const [now, setNow] = createSignal(Date.now());
  const tick = setInterval(() => setNow(Date.now()), 1_000);
  onCleanup(() => clearInterval(tick));

  const address = () => normaliseEmail(props.email());
  const addressOk = () => emailProblem(props.email(), props.emailDomains) === null;
  const busy = () => phase() === 'sending' || phase() === 'checking';
  const waitSeconds = () => Math.max(0, Math.ceil((resendAt() - now()) / 1_000));
  const timeOf = (iso: string) =>
    new Date(iso).toLocaleTimeString(localeTag(props.language()), { hour: '2-digit', minute: '2-digit' });

  const startOver = () => {
    setPhase('idle');
    setSentTo(null);
    setExpiresAt(null);
    setResendAt(0);
    setExhausted(false);
    setTyped('');
    setMessage(null);
    setConfirmedTo(null);
    props.onConfirmed(null);
  };
  // A corrected address is not the one the code went to; a new application starts from nothing.
  createEffect(
    on(
      address,
      (current) => {
        const to = confirmedTo() ?? sentTo();
        if (to !== null && to !== current) startOver();
      },
      { defer: true },
    ),
  );
  createEffect(on(props.applicationId, startOver, { defer: true }));

  /** The answer still belongs to what is on screen (the applicant may have moved on meanwhile). */
  const current = (applicationId: string, to: string) =>
    applicationId === props.applicationId() && to === address();

  const confirm = (to: string, confirmedAt: string) => {
    setPhase('confirmed');
    setConfirmedTo(to);
    setMessage(null);
    setTyped('');
    props.onConfirmed({ email: to, confirmedAt });
  };

  const send = async () => {
    if (busy() || !addressOk()) return;
    const applicationId = props.applicationId();
    const to = address();
    const before = sentTo() === null ? 'idle' : 'sent';
    setPhase('sending');
    setMessage(null);
    const result = await props.services.email.requestCode(applicationId, to);
    if (!current(applicationId, to)) return;
    if (!result.ok) {
      setPhase(before);
      setMessage(t(`email.problems.${result.problem}`));
      return;
    }
    const answer = result.value;
    switch (answer.status) {
      case 'sent':
        setSentTo(to);
        setExpiresAt(answer.expiresAt);
        setResendAt(Date.parse(answer.resendAt));
        setExhausted(answer.mailsLeft === 0);
        setTyped('');
        setPhase('sent');
        return;
      case 'already-confirmed':
        confirm(to, answer.confirmedAt);
        return;
      case 'too-soon':
        setResendAt(Date.parse(answer.resendAt));
        setPhase(before);
        setMessage(t('email.problems.too-soon', { time: timeOf(answer.resendAt) }));
        return;
      case 'limit-reached':
        setExhausted(true);
        setPhase(before);
        setMessage(t('email.problems.limit-reached'));
        return;
    }
  };

  const check = async () => {
    const to = sentTo();
    if (busy() || to === null) return;
    const applicationId = props.applicationId();
    setPhase('checking');
    setMessage(null);
    const result = await props.services.email.verifyCode(applicationId, to, typed());
    if (!current(applicationId, to)) return;
    if (!result.ok) {
      setPhase('sent');
      setMessage(t(`email.problems.${result.problem}`));
      return;
    }
    const answer = result.value;
    if (answer.status === 'confirmed') {
      confirm(to, answer.confirmedAt);
      return;
    }
    setPhase('sent');
    setTyped('');
    setMessage(
      answer.status === 'wrong-code'
        ? answer.attemptsLeft === 0
          ? t('email.problems.locked')
          : t('email.problems.wrong-code', { count: answer.attemptsLeft })
        : t(`email.problems.${answer.status}`),
    );
  };

  return (
    <fieldset
      class="email-confirmation"
      data-testid="email-confirmation"
      data-phase={phase()}
      data-application-id={props.applicationId()}
    >
      <legend>{t('email.heading')}</legend>
      <Show
        when={phase() !== 'confirmed'}
        fallback={
          <div role="status">
            <p class="email-confirmed" data-testid="email-confirmed">
              ✓ {t('email.confirmed')}
            </p>
            <small>{t('email.confirmedNote', { email: confirmedTo() ?? '' })}</small>
          </div>
        }
      >
        <small>{t('email.intro')}</small>
        <Show when={!online()}>
          <p class="field-warning">{t('email.offline')}</p>
        </Show>
        <Show when={online() && !addressOk()}>
          <p class="email-hint">{t('email.needEmail')}</p>
        </Show>
        <Show when={sentTo()}>
          {(to) => (
            <p class="email-hint" aria-live="polite">
              {t('email.sent', { email: to(), time: timeOf(expiresAt() ?? new Date().toISOString()) })}
            </p>
          )}
        </Show>
        <Show when={sentTo() !== null}>
          <div class="field">
            <label for="email-code">{t('email.codeLabel')}</label>
            <div class="email-code-row">
              <input
                id="email-code"
                class="email-code"
                type="text"
                inputmode="numeric"
                autocomplete="one-time-code"
                maxlength={7}
                value={typed()}
                disabled={props.disabled() || busy()}
                onInput={(e) => setTyped(e.currentTarget.value)}
                onKeyDown={(e) => {
                  // Inside the application form: Enter checks the code, it never submits the application.
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    void check();
                  }
                }}
              />
              <button
                type="button"
                class="primary"
                disabled={props.disabled() || busy() || typed().trim() === ''}
                onClick={() => void check()}
              >
                {t('email.confirm')}
              </button>
            </div>
          </div>
        </Show>
        <Show when={message()}>{(text) => <p class="field-error">{text()}</p>}</Show>
        <Show when={busy()}>
          <label class="progress" aria-live="polite">
            {phase() === 'sending' ? t('email.sending') : t('email.checking')}
            <progress />
          </label>
        </Show>
        <div class="toolbar">
          <button
            type="button"
            class={sentTo() === null ? 'primary' : ''}
            disabled={
              props.disabled() || busy() || !online() || !addressOk() || waitSeconds() > 0 || exhausted()
            }
            onClick={() => void send()}
          >
            {sentTo() === null ? t('email.send') : t('email.resend')}
          </button>
        </div>
        <Show when={sentTo() !== null && waitSeconds() > 0 && !exhausted()}>
          <small>{t('email.resendIn', { seconds: waitSeconds() })}</small>
        </Show>
        <Show when={online()}>
          <small class="email-later">{t('email.later')}</small>
        </Show>
      </Show>
    </fieldset>
  );
}
