import { useRegisterSW } from 'virtual:pwa-register/solid';
import { Show } from 'solid-js';
import type { Translate } from '../i18n/i18n';

/**
 * The kiosk never reloads by itself: a new version waits until the officer presses the button,
 * and the button waits until no application is open.
 */
export function UpdateBanner(props: { t: Translate; applicationOpen: boolean }) {
  const {
    needRefresh: [needRefresh],
    updateServiceWorker,
  } = useRegisterSW({
    immediate: true,
    // Given, so that the plugin never reloads on its own (e.g. when another tab took the update).
    onNeedReload() {},
  });
  const reload = () => {
    // Workbox reports updates the browser found by itself as "external" and sends no
    // `controlling` event for them, so wait for the new worker to take control directly.
    navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), {
      once: true,
    });
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
