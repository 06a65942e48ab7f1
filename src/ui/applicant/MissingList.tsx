import { For, Show } from 'solid-js';
import type { Translate } from '../i18n/i18n';
import './applicant.css';

/**
 * What the application still lacks, kept up to date as the applicant works (Pasal 20 ayat 2); the
 * submit button names this list as the reason it is disabled.
 */
export function MissingList(props: { t: Translate; id: string; items: () => readonly string[] }) {
  const { t } = props;
  return (
    <div id={props.id} class="missing-list" data-testid="missing-list" data-count={props.items().length}>
      <Show
        when={props.items().length > 0}
        fallback={<p class="missing-complete">{t('applicant.missing.complete')}</p>}
      >
        <p class="missing-heading">{t('applicant.missing.heading')}</p>
        <ul>
          <For each={props.items()}>{(item) => <li>{item}</li>}</For>
        </ul>
        <p>
          <small>{t('applicant.missing.why')}</small>
        </p>
      </Show>
    </div>
  );
}
