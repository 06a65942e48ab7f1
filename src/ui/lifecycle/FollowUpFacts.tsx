import { Show } from 'solid-js';
import type { RevocationLogEntry } from '../../app/lifecycle/ports';
import type { PreviousCertificate } from '../../protocol/sync';
import type { I18n } from '../i18n/i18n';
import { formatDate, formatSerial } from './lifecycle-text';

/**
 * On the applicant's status page: the certificate this application renews or replaces, and the
 * revocation of this application's certificate when this kiosk requested one. No personal data.
 */
export function FollowUpFacts(props: {
  i18n: I18n;
  previous: PreviousCertificate | undefined;
  revocation: RevocationLogEntry | null;
}) {
  const { t, locale } = props.i18n;
  return (
    <>
      <Show when={props.previous}>
        {(previous) => (
          <p
            class="status-follow-up"
            data-testid="status-follows"
            data-relation={previous().relation}
            data-serial={previous().serialNumberHex}
          >
            {t(`lifecycle.status.${previous().relation}`, {
              serial: formatSerial(previous().serialNumberHex),
            })}
          </p>
        )}
      </Show>
      <Show when={props.revocation}>
        {(revocation) => {
          const serial = formatSerial(revocation().serialNumberHex);
          const reason = t(`lifecycle.reasonsShort.${revocation().reason}`);
          const state = revocation().state;
          return (
            <p
              class="status-follow-up field-error"
              data-testid="status-revocation"
              data-state={state}
              data-serial={revocation().serialNumberHex}
            >
              {state === 'revoked' || state === 'already-revoked'
                ? t('lifecycle.status.revoked', {
                    serial,
                    reason,
                    date: formatDate(locale(), revocation().revokedAt ?? revocation().requestedAt),
                  })
                : state === 'pending'
                  ? t('lifecycle.status.pending', { serial, reason })
                  : t('lifecycle.status.failed', { serial })}
            </p>
          );
        }}
      </Show>
    </>
  );
}
