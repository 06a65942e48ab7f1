import { createEffect, createSignal, For, Match, onCleanup, Show, Switch } from 'solid-js';
import type { FollowUpStart } from '../app/lifecycle/follow-up';
import type { OfficerSession } from '../app/officer/officer-session';
import type { OutboxState, OutboxView } from '../app/ports';
import type { Guardrail } from '../core/outbox/guardrails';
import { UpdateBanner } from './components/UpdateBanner';
import { createI18n } from './i18n/i18n';
import { CorrectionScreen } from './officer/CorrectionScreen';
import { IncidentScreen } from './officer/IncidentScreen';
import { createIdleWatch } from './officer/idle';
import { type GateNotice, OfficerGate } from './officer/OfficerGate';
import { QueueScreen } from './officer/QueueScreen';
import { ReleaseScreen } from './officer/ReleaseScreen';
import { RenewalScreen } from './officer/RenewalScreen';
import { RevocationScreen } from './officer/RevocationScreen';
import { VerificationScreen } from './officer/VerificationScreen';
import { createOnlineSignal } from './primitives/online';
import { ApplicationForm } from './screens/ApplicationForm';
import { OutboxScreen } from './screens/OutboxScreen';
import { StatusScreen } from './screens/StatusScreen';
import type { KioskServices } from './services';

type Tab = 'new' | 'outbox' | 'status';

/**
 * Officer mode's screens: the held applications, every application, the end-of-day release, the
 * certificates' life after issuance, and corrections of an applicant's data.
 */
const OFFICER_TABS = [
  'verify',
  'queue',
  'release',
  'renewal',
  'revocation',
  'incidents',
  'corrections',
] as const;
type OfficerTab = (typeof OFFICER_TABS)[number];

/**
 * Applicant mode is the default. Officer mode is the gate (choose an officer, type the PIN, or
 * enroll one) and, once unlocked, the officer's screens; leaving it ends the session and unmounts
 * them.
 */
type Mode =
  | { kind: 'applicant' }
  | { kind: 'gate'; notice: GateNotice; officerId: string | null }
  | { kind: 'officer'; session: OfficerSession };

/** Applications shown at once in the outbox screen. */
const OUTBOX_PAGE = 200;

export function App(props: { services: KioskServices }) {
  const i18n = createI18n('id');
  const { t, locale, setLocale } = i18n;
  const config = props.services.config;
  const online = createOnlineSignal();
  const [tab, setTab] = createSignal<Tab>('new');
  const [applicationOpen, setApplicationOpen] = createSignal(false);
  const [view, setView] = createSignal<OutboxView>({
    items: [],
    counts: { held: 0, queued: 0, synced: 0, rejected: 0 },
  });
  const [filter, setFilter] = createSignal<OutboxState | null>(null);
  // One page, newest first: a field kiosk may hold thousands of applications.
  createEffect(() => {
    const state = filter();
    onCleanup(props.services.subscribeOutbox(setView, { limit: OUTBOX_PAGE, ...(state ? { state } : {}) }));
  });
  const items = () => view().items;
  const waiting = () => view().counts.queued;
  // Issue 8 guardrails: re-checked on every outbox change, so a completed sync lifts them by itself.
  const [guardrails, setGuardrails] = createSignal<readonly Guardrail[]>([]);
  onCleanup(props.services.watchCaptureGuardrails((tripped) => setGuardrails(tripped)));

  const [mode, setMode] = createSignal<Mode>({ kind: 'applicant' });
  const [officerTab, setOfficerTab] = createSignal<OfficerTab>('verify');
  const officerTabLabel = (tab: OfficerTab): string => {
    switch (tab) {
      case 'verify':
        return t('officer.mode.tabs.verify', { count: view().counts.held });
      case 'queue':
        return t('officer.mode.tabs.queue');
      case 'release':
        return t('officer.mode.tabs.release');
      case 'renewal':
        return t('lifecycle.tabs.renewal');
      case 'revocation':
        return t('lifecycle.tabs.revocation');
      case 'incidents':
        return t('lifecycle.tabs.incidents');
      case 'corrections':
        return t('lifecycle.tabs.corrections');
    }
  };
  /** The certificate the next application renews or replaces; null for a first application. */
  const [followUp, setFollowUp] = createSignal<FollowUpStart | null>(null);
  /** A new object remounts the applicant's screens: whatever was typed is gone. */
  const [applicantScreens, setApplicantScreens] = createSignal({});
  const gate = () => {
    const current = mode();
    return current.kind === 'gate' ? current : null;
  };
  const session = () => {
    const current = mode();
    return current.kind === 'officer' ? current.session : null;
  };
  let applicantRoot: HTMLDivElement | undefined;
  let officerRoot: HTMLDivElement | undefined;

  const resetApplicant = () => {
    setTab('new');
    setApplicationOpen(false);
    // A renewal's data must not wait on screen for the next person.
    setFollowUp(null);
    setApplicantScreens({});
  };
  /**
   * "Mulai pembaruan" / "Mulai permohonan pengganti" (Pasal 14, 15): the officer hands the kiosk to
   * the applicant, whose fresh form starts from the old certificate's data.
   */
  const startFollowUp = (start: FollowUpStart) => {
    props.services.officer.end();
    setMode({ kind: 'applicant' });
    setTab('new');
    setApplicationOpen(false);
    setFollowUp(start);
    setApplicantScreens({});
    idle.restart();
  };
  const openOfficerMode = () => setMode({ kind: 'gate', notice: null, officerId: null });
  const backToApplicant = () => {
    props.services.officer.end();
    setMode({ kind: 'applicant' });
    // A form half filled in before the officer stepped in stays; anything else starts afresh.
    if (!applicationOpen()) resetApplicant();
    idle.restart();
  };
  const lockOfficer = (notice: Exclude<GateNotice, null>) => {
    const officerId = session()?.profile.officerId ?? null;
    props.services.officer.end();
    setMode({ kind: 'gate', notice, officerId });
    // Nobody may be at the kiosk: the gate goes back to applicant mode after the applicant limit.
    idle.restart();
  };

  /**
   * A key being made, a card being read or a PIN being tried is not idleness. Only the current
   * mode's screens count: work under the hidden applicant form must not keep a session open.
   */
  const busy = () => {
    const screens = mode().kind === 'applicant' ? applicantRoot : officerRoot;
    return screens?.querySelector('[aria-busy="true"]') != null;
  };

  const idle = createIdleWatch({
    seconds: () =>
      mode().kind === 'officer' ? config.officer.idleLockSeconds : config.applicantIdleResetSeconds,
    onIdle: () => {
      switch (mode().kind) {
        case 'applicant':
          resetApplicant();
          break;
        case 'gate':
          backToApplicant();
          break;
        case 'officer':
          lockOfficer('idle');
          break;
      }
    },
    // The session keeps its own idle clock too: a touch it refuses means it already ended.
    onActivity: () => {
      const open = session();
      if (open !== null && !open.touch()) lockOfficer('idle');
    },
    busy,
  });

  return (
    <div class="app" lang={locale()}>
      <header>
        <div>
          <h1>{t('app.title')}</h1>
          <p>{t('app.subtitle')}</p>
        </div>
        <div class="header-actions">
          <span
            class={online() ? 'status online' : 'status offline'}
            role="status"
            data-testid="connectivity"
          >
            {online() ? t('app.online') : t('app.offline')}
          </span>
          <Show
            when={mode().kind === 'applicant'}
            fallback={
              <span class="officer-header">
                <Show when={session()}>
                  {(open) => (
                    <span class="officer-badge" data-testid="officer-signed-in">
                      {t('officer.mode.signedInAs', { nama: open().profile.nama })}
                    </span>
                  )}
                </Show>
                <button type="button" class="primary" onClick={backToApplicant}>
                  {t('officer.mode.back')}
                </button>
              </span>
            }
          >
            <button type="button" class="secondary" onClick={openOfficerMode}>
              {t('officer.mode.open')}
            </button>
          </Show>
          <button
            type="button"
            class="secondary"
            aria-label={t('app.languageLabel')}
            onClick={() => setLocale(locale() === 'id' ? 'en' : 'id')}
          >
            {t('app.language')}
          </button>
        </div>
      </header>
      <UpdateBanner t={t} applicationOpen={applicationOpen() || mode().kind !== 'applicant'} />
      {/* Hidden, not unmounted: a form the officer interrupted is still there when they leave. */}
      <div hidden={mode().kind !== 'applicant'} ref={applicantRoot}>
        <nav class="tabs" aria-label="Menu">
          <button type="button" aria-pressed={tab() === 'new'} onClick={() => setTab('new')}>
            {t('app.tabNew')}
          </button>
          <button type="button" aria-pressed={tab() === 'outbox'} onClick={() => setTab('outbox')}>
            {t('app.tabOutbox', { count: waiting() })}
          </button>
          <button type="button" aria-pressed={tab() === 'status'} onClick={() => setTab('status')}>
            {t('app.tabStatus')}
          </button>
        </nav>
        <Show when={applicantScreens()} keyed>
          {(_screens) => (
            <main>
              <Switch>
                <Match when={tab() === 'new'}>
                  <ApplicationForm
                    t={t}
                    language={locale}
                    services={props.services}
                    onOpenChange={setApplicationOpen}
                    followUp={followUp()}
                    onFollowUpDone={resetApplicant}
                    guardrails={guardrails}
                    onOpenOutbox={() => setTab('outbox')}
                  />
                </Match>
                <Match when={tab() === 'outbox'}>
                  <OutboxScreen
                    i18n={i18n}
                    services={props.services}
                    items={items}
                    counts={() => view().counts}
                    filter={filter}
                    onFilter={setFilter}
                    online={online}
                    guardrails={guardrails}
                  />
                </Match>
                <Match when={tab() === 'status'}>
                  <StatusScreen i18n={i18n} services={props.services} />
                </Match>
              </Switch>
            </main>
          )}
        </Show>
      </div>
      <div ref={officerRoot}>
        <Switch>
          <Match when={gate()} keyed>
            {(current) => (
              <main class="officer-mode">
                <OfficerGate
                  t={t}
                  officer={props.services.officer}
                  pinLimits={{ min: config.officer.pinMinLength, max: config.officer.pinMaxLength }}
                  online={online}
                  notice={current.notice}
                  officerId={current.officerId}
                  onUnlocked={(opened) => {
                    setOfficerTab('verify');
                    setMode({ kind: 'officer', session: opened });
                    idle.restart();
                  }}
                />
              </main>
            )}
          </Match>
          <Match when={session()} keyed>
            {(_session) => (
              <>
                <nav class="tabs" aria-label={t('officer.mode.menu')}>
                  <For each={OFFICER_TABS}>
                    {(tab) => (
                      <button
                        type="button"
                        aria-pressed={officerTab() === tab}
                        onClick={() => setOfficerTab(tab)}
                      >
                        {officerTabLabel(tab)}
                      </button>
                    )}
                  </For>
                </nav>
                <main class="officer-mode">
                  <Switch>
                    <Match when={officerTab() === 'verify'}>
                      <VerificationScreen
                        i18n={i18n}
                        services={props.services}
                        online={online}
                        onSessionEnded={() => lockOfficer('ended')}
                      />
                    </Match>
                    <Match when={officerTab() === 'queue'}>
                      <QueueScreen i18n={i18n} services={props.services} />
                    </Match>
                    <Match when={officerTab() === 'release'}>
                      <ReleaseScreen
                        i18n={i18n}
                        services={props.services}
                        online={online}
                        onSessionEnded={() => lockOfficer('ended')}
                      />
                    </Match>
                    <Match when={officerTab() === 'renewal'}>
                      <RenewalScreen
                        i18n={i18n}
                        services={props.services}
                        online={online}
                        onSessionEnded={() => lockOfficer('ended')}
                        onStartFollowUp={startFollowUp}
                      />
                    </Match>
                    <Match when={officerTab() === 'revocation'}>
                      <RevocationScreen
                        i18n={i18n}
                        services={props.services}
                        online={online}
                        onSessionEnded={() => lockOfficer('ended')}
                        onStartFollowUp={startFollowUp}
                      />
                    </Match>
                    <Match when={officerTab() === 'incidents'}>
                      <IncidentScreen
                        i18n={i18n}
                        services={props.services}
                        online={online}
                        onSessionEnded={() => lockOfficer('ended')}
                      />
                    </Match>
                    <Match when={officerTab() === 'corrections'}>
                      <CorrectionScreen
                        i18n={i18n}
                        services={props.services}
                        online={online}
                        onSessionEnded={() => lockOfficer('ended')}
                      />
                    </Match>
                  </Switch>
                </main>
              </>
            )}
          </Match>
        </Switch>
      </div>
    </div>
  );
}
