import { type Accessor, createSignal, onCleanup } from 'solid-js';

/** `navigator.onLine` as a signal; it only says whether a link exists, not that the server answers. */
export function createOnlineSignal(): Accessor<boolean> {
  const [online, setOnline] = createSignal(navigator.onLine);
  const up = () => setOnline(true);
  const down = () => setOnline(false);
  window.addEventListener('online', up);
  window.addEventListener('offline', down);
  onCleanup(() => {
    window.removeEventListener('online', up);
    window.removeEventListener('offline', down);
  });
  return online;
}
