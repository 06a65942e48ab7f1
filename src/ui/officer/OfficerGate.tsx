import { createResource, createSignal, For, Match, Show, Switch } from 'solid-js';
import type { OfficerSession, UnlockSessionResult } from '../../app/officer/officer-session';
import type { OfficerProfile } from '../../app/officer/ports';
import { ProblemAlert } from '../components/ProblemAlert';
import type { Translate } from '../i18n/i18n';
import type { OfficerServices } from '../services';
import { OfficerEnrollForm } from './OfficerEnrollForm';
import { Working } from './Working';
import './officer.css';

export type GateNotice = 'idle' | 'ended' | null;

/**
 * The way into officer mode: choose an officer enrolled on this kiosk and type the PIN (the key is
 * unwrapped with PBKDF2, about a second: the progress shows), or enroll an officer.
 */
export function OfficerGate(props: {
  t: Translate;
  officer: OfficerServices;
  pinLimits: { min: number; max: number };
  online: () => boolean;
  notice: GateNotice;
  /** The officer to preselect (the one whose session just locked). */
  officerId: string | null;
  onUnlocked: (session: OfficerSession) => void;
}) {
  const { t } = props;
  const [officers, { refetch }] = createResource(() => props.officer.list());
  const [view, setView] = createSignal<'choose' | 'enroll'>('choose');
  const [chosen, setChosen] = createSignal<string | null>(props.officerId);
  const [pin, setPin] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [problem, setProblem] = createSignal<string | null>(null);
  const [enrolled, setEnrolled] = createSignal<OfficerProfile | null>(null);

  /** The officer chosen, or the only one enrolled here. */
  const selected = () => {
    const list = officers() ?? [];
    return list.find((o) => o.officerId === chosen()) ?? (list.length === 1 ? (list[0] ?? null) : null);
  };
  const choose = (officerId: string) => {
    setChosen(officerId);
    setPin('');
    setProblem(null);
  };

  const failureText = (result: Exclude<UnlockSessionResult, { ok: true }>): string => {
    switch (result.problem) {
      case 'wrong-pin':
        return result.attemptsLeft === 1
          ? t('officer.gate.problems.wrong-pin-last')
          : t('officer.gate.problems.wrong-pin', { count: result.attemptsLeft });
      case 'locked':
        return result.lockedNow ? t('officer.gate.problems.locked-now') : t('officer.gate.problems.locked');
      case 'unknown-officer':
        return t('officer.gate.problems.unknown-officer');
      case 'damaged':
        return t('officer.gate.problems.damaged');
    }
  };

  const unlock = async (event: SubmitEvent) => {
    event.preventDefault();
    const officer = selected();
    if (busy() || officer === null) return;
    if (pin() === '') {
      setProblem(t('officer.gate.pinEmpty'));
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const result = await props.officer.unlock(officer.officerId, pin());
      setPin('');
      if (result.ok) {
        props.onUnlocked(result.value);
        return;
      }
      setProblem(failureText(result));
      if (result.problem === 'locked' || result.problem === 'unknown-officer') void refetch();
    } catch (err) {
      setPin('');
      console.error(`officer unlock failed: ${err instanceof Error ? err.name : 'unknown error'}`);
      setProblem(t('officer.gate.problems.damaged'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Switch>
      <Match when={view() === 'enroll'}>
        <OfficerEnrollForm
          t={t}
          officer={props.officer}
          pinLimits={props.pinLimits}
          online={props.online}
          onCancel={() => setView('choose')}
          onEnrolled={(profile) => {
            setEnrolled(profile);
            setView('choose');
            void refetch();
            choose(profile.officerId);
          }}
        />
      </Match>
      <Match when={view() === 'choose'}>
        <form class="card" onSubmit={unlock} novalidate aria-busy={busy()} data-testid="officer-gate">
          <h2>{t('officer.gate.heading')}</h2>
          <Show when={props.notice}>
            {(notice) => (
              <p class="officer-notice" role="status">
                {notice() === 'idle' ? t('officer.mode.idleLocked') : t('officer.mode.sessionEnded')}
              </p>
            )}
          </Show>
          <Show when={enrolled()}>
            {(profile) => (
              <p class="officer-success" role="status">
                {t('officer.enroll.done', { nama: profile().nama })}
              </p>
            )}
          </Show>
          <Show when={!officers.loading} fallback={<p role="status">{t('officer.gate.loading')}</p>}>
            <Show when={(officers() ?? []).length > 0} fallback={<p>{t('officer.gate.none')}</p>}>
              <p>{t('officer.gate.intro')}</p>
              <fieldset>
                <legend>{t('officer.gate.chooseLegend')}</legend>
                <div class="officer-list">
                  <For each={officers()}>
                    {(officer) => (
                      <label class="choice">
                        <input
                          type="radio"
                          name="officer"
                          value={officer.officerId}
                          checked={selected()?.officerId === officer.officerId}
                          disabled={busy()}
                          onChange={() => choose(officer.officerId)}
                        />
                        <span>
                          {officer.nama}
                          <small>
                            {officer.username}
                            <Show when={officer.nip}>
                              {(nip) => <> · {t('officer.gate.nip', { nip: nip() })}</>}
                            </Show>
                          </small>
                        </span>
                        <Show when={officer.lockedAt !== null}>
                          <span class="badge">{t('officer.gate.lockedBadge')}</span>
                        </Show>
                      </label>
                    )}
                  </For>
                </div>
              </fieldset>
              <Show when={selected()}>
                {(officer) => (
                  <Show
                    when={officer().lockedAt === null}
                    fallback={<ProblemAlert problem={problem() ?? t('officer.gate.problems.locked')} />}
                  >
                    <div class="field officer-pin">
                      <label for="officer-pin">{t('officer.gate.pin')}</label>
                      <input
                        id="officer-pin"
                        type="password"
                        inputmode="numeric"
                        autocomplete="off"
                        maxlength={props.pinLimits.max}
                        value={pin()}
                        disabled={busy()}
                        aria-invalid={problem() !== null}
                        onInput={(e) => setPin(e.currentTarget.value)}
                      />
                    </div>
                    <ProblemAlert problem={problem()} />
                    <Working when={busy()} label={t('officer.gate.unlocking')} />
                    <div class="officer-actions">
                      <button type="submit" class="primary" disabled={busy()}>
                        {t('officer.gate.submit')}
                      </button>
                    </div>
                  </Show>
                )}
              </Show>
            </Show>
          </Show>
          <div class="officer-actions">
            <button
              type="button"
              class="secondary"
              disabled={busy()}
              onClick={() => {
                setEnrolled(null);
                setView('enroll');
              }}
            >
              {t('officer.gate.enroll')}
            </button>
          </div>
        </form>
      </Match>
    </Switch>
  );
}
