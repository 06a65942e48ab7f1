import { createEffect, createResource, createSignal, Match, on, Show, Switch } from 'solid-js';
import type { ServerNikCheck } from '../../app/officer/duplicate-nik';
import type { Translate } from '../i18n/i18n';
import type { OfficerServices } from '../services';

type ServerState = { kind: 'checking' } | ServerNikCheck;

/**
 * The duplicate-NIK flag: the other applications of this kiosk with the same NIK, and the server's
 * count when online (asked again when the link comes back).
 */
export function DuplicateNikPanel(props: {
  t: Translate;
  officer: OfficerServices;
  application: { id: string; nik: string };
  online: () => boolean;
}) {
  const { t } = props;
  const [local] = createResource(
    () => ({ ...props.application }),
    (application) => props.officer.localNikMatches(application),
  );
  const [server, setServer] = createSignal<ServerState>({ kind: 'offline' });
  let asked = 0;

  const ask = async () => {
    const ticket = ++asked;
    setServer({ kind: 'checking' });
    let answer: ServerNikCheck;
    try {
      answer = await props.officer.checkNikAtServer(props.application.nik);
    } catch {
      answer = { kind: 'failed' };
    }
    // Only the latest question's answer counts.
    if (ticket === asked) setServer(answer);
  };

  createEffect(
    on(props.online, (online) => {
      const state = server();
      if (!online) {
        if (state.kind === 'checking' || state.kind === 'offline') setServer({ kind: 'offline' });
        return;
      }
      if (state.kind !== 'checked') void ask();
    }),
  );

  const localOpen = () => (local() ?? []).filter((m) => m.standing === 'open').length;
  const localCertificates = () => (local() ?? []).filter((m) => m.standing === 'certificate').length;
  const checked = () => {
    const s = server();
    return s.kind === 'checked' ? s : null;
  };
  const flagged = () => {
    const s = server();
    const remote = s.kind === 'checked' && s.openApplications + s.validCertificates > 0;
    return localOpen() + localCertificates() > 0 || remote;
  };

  return (
    <section
      class={flagged() ? 'card officer-duplicate flagged' : 'card officer-duplicate'}
      aria-labelledby="officer-duplicate-heading"
      data-testid="officer-duplicate"
      data-flagged={flagged() ? 'true' : 'false'}
    >
      <h2 id="officer-duplicate-heading">{t('officer.verify.duplicate.heading')}</h2>
      <Show when={flagged()}>
        <p class="flag" role="alert">
          {t('officer.verify.duplicate.flagged')}
        </p>
      </Show>
      <Show when={!local.loading}>
        <Show
          when={localOpen() + localCertificates() > 0}
          fallback={<p>{t('officer.verify.duplicate.localNone')}</p>}
        >
          <Show when={localOpen() > 0}>
            <p>{t('officer.verify.duplicate.localOpen', { count: localOpen() })}</p>
          </Show>
          <Show when={localCertificates() > 0}>
            <p>{t('officer.verify.duplicate.localCertificate', { count: localCertificates() })}</p>
          </Show>
        </Show>
      </Show>
      <p data-testid="officer-duplicate-server" data-state={server().kind} aria-live="polite">
        <Switch>
          <Match when={server().kind === 'checking'}>{t('officer.verify.duplicate.checking')}</Match>
          <Match when={server().kind === 'offline'}>{t('officer.verify.duplicate.offline')}</Match>
          <Match when={server().kind === 'no-key'}>{t('officer.verify.duplicate.noKey')}</Match>
          <Match when={server().kind === 'not-enrolled'}>{t('officer.verify.duplicate.notEnrolled')}</Match>
          <Match when={server().kind === 'failed'}>{t('officer.verify.duplicate.failed')}</Match>
          <Match when={checked()}>
            {(s) =>
              s().openApplications + s().validCertificates === 0
                ? t('officer.verify.duplicate.serverNone')
                : t('officer.verify.duplicate.serverFound', {
                    open: s().openApplications,
                    certificates: s().validCertificates,
                  })
            }
          </Match>
        </Switch>
      </p>
    </section>
  );
}
