import { Show } from 'solid-js';

/** A form's problem, announced as it appears; nothing when there is none. */
export function ProblemAlert(props: { problem: string | null }) {
  return (
    <Show when={props.problem}>
      {(problem) => (
        <p class="field-error" role="alert">
          {problem()}
        </p>
      )}
    </Show>
  );
}
