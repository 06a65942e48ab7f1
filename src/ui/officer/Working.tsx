import { Show } from 'solid-js';

/** The progress shown while slow key work runs (PBKDF2, signing): `label` says what it is. */
export function Working(props: { when: boolean; label: string }) {
  return (
    <Show when={props.when}>
      <div class="officer-working" role="status" aria-live="polite">
        <span>{props.label}</span>
        <progress />
      </div>
    </Show>
  );
}
