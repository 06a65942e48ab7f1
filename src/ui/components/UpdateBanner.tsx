import { useRegisterSW } from 'virtual:pwa-register/solid';
import { Show } from 'solid-js';
import type { Translate } from '../i18n/i18n';

/**
 * The kiosk never reloads by itself: a new version waits until the officer presses the button,
 * and the button waits until no application is open.
 */
export function UpdateBanner(props: { t: Translate; applicationOpen: boolean }) {
  let officerAsked = false;
  const {
    needRefresh: [needRefresh],
    updateServiceWorker,
  } = useRegisterSW({
    immediate: true,
    // The new worker took control: reload only if the officer asked for it here.
    onNeedReload() {
      if (officerAsked) window.location.reload();
    },
  });
  const reload = () => {
    officerAsked = true;
    void updateServiceWorker();
  };
  return (
    <Show when={needRefresh()}>
      <div class="banner" role="status">
        <span>{props.t('update.available')}</span>
        <button type="button" class="secondary" disabled={props.applicationOpen} onClick={reload}>
          {props.t('update.reload')}
        </button>
        <Show when={props.applicationOpen}>
          <small>{props.t('update.finishFirst')}</small>
        </Show>
      </div>
    </Show>
  );
}
