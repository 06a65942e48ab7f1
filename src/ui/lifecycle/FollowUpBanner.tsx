import { Show } from 'solid-js';
import type { FollowUpStart } from '../../app/lifecycle/follow-up';
import type { Locale, Translate } from '../i18n/i18n';
import { formatDate, formatSerial } from './lifecycle-text';
import './lifecycle.css';

/** At the top of a renewal or replacement form: which certificate it follows, and what to do. */
export function FollowUpBanner(props: {
  t: Translate;
  language: () => Locale;
  followUp: FollowUpStart | null;
}) {
  const { t } = props;
  return (
    <Show when={props.followUp}>
      {(start) => (
        <div
          class="follow-up-banner"
          role="note"
          data-testid="follow-up-banner"
          data-relation={start().previous.relation}
          data-serial={start().previous.serialNumberHex}
        >
          <strong>
            {t(`lifecycle.followUp.${start().previous.relation}`, {
              serial: formatSerial(start().previous.serialNumberHex),
            })}
          </strong>
          <Show when={start().notAfter}>
            {(notAfter) => (
              <p>{t('lifecycle.followUp.validUntil', { date: formatDate(props.language(), notAfter()) })}</p>
            )}
          </Show>
          <p>{t('lifecycle.followUp.hint')}</p>
        </div>
      )}
    </Show>
  );
}
