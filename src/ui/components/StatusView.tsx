import { createMemo, createResource, For, Show } from 'solid-js';
import type { RevocationLogEntry } from '../../app/lifecycle/ports';
import type { OutboxSummary } from '../../app/ports';
import { statusDetails } from '../../app/status/status-details';
import type { RejectionReason } from '../../core/officer/decision';
import { type I18n, localeTag } from '../i18n/i18n';
import { FollowUpFacts } from '../lifecycle/FollowUpFacts';
import { reasonLabel } from '../officer/reason-label';

/**
 * The applicant's view of one application: open to anyone at the kiosk, so no NIK, no e-mail, no
 * picture and the name masked. An officer's rejection shows its reasons and note (Pasal 11 ayat 3).
 */
export function StatusView(props: {
  i18n: I18n;
  item: OutboxSummary;
  rejectionReasons: readonly RejectionReason[];
  /** The revocation this kiosk requested for the application's certificate (lifecycle services). */
  revocationOf?: (applicationId: string) => Promise<RevocationLogEntry | null>;
}) {
  const { t, locale } = props.i18n;
  const details = createMemo(() => statusDetails(props.item));
  const [revocation] = createResource(
    () => props.item.id,
    async (id) => (await props.revocationOf?.(id).catch(() => null)) ?? null,
  );
  const time = (iso: string) =>
    new Date(iso).toLocaleString(localeTag(locale()), {
      dateStyle: 'long',
      timeStyle: 'short',
    });

  return (
    <section class="card status-view" data-testid="status-view" data-stage={details().stage}>
      <h2>{t('status.view.heading', { number: details().number })}</h2>
      <dl class="status-facts">
        <dt>{t('status.view.number')}</dt>
        <dd>
          <code>{details().number}</code>
        </dd>
        <dt>{t('status.view.type')}</dt>
        <dd>{t(`form.types.${details().certificateType}`)}</dd>
        <dt>{t('status.view.perangkatDaerah')}</dt>
        <dd>{details().perangkatDaerah}</dd>
        <Show when={details().maskedName}>
          {(name) => (
            <>
              <dt>{t('status.view.nama')}</dt>
              <dd>{name()}</dd>
            </>
          )}
        </Show>
        <dt>{t('status.view.submittedAt')}</dt>
        <dd>{time(details().submittedAt)}</dd>
        <Show when={details().handedOverAt}>
          {(at) => (
            <>
              <dt>{t('status.view.handedOverAt')}</dt>
              <dd>{time(at())}</dd>
            </>
          )}
        </Show>
      </dl>
      <FollowUpFacts
        i18n={props.i18n}
        previous={props.item.record.previous}
        revocation={revocation() ?? null}
      />
      <div class={`status-stage status-stage-${details().stage}`} role="status">
        <p class="status-stage-label">
          <span>{t('status.view.stage')}:</span>{' '}
          <strong>{t(`status.stages.${details().stage}.label`)}</strong>
        </p>
        <p>
          <span>{t('status.view.next')}:</span> {t(`status.stages.${details().stage}.next`)}
        </p>
        <Show when={details().email}>
          {(email) => (
            <p class="status-email" data-testid="status-email" data-email={email()}>
              <span>{t('email.status.label')}:</span> <strong>{t(`email.status.${email()}`)}</strong>
              <Show when={email() === 'waiting'}>
                <br />
                {t('email.status.waitingNext')}
              </Show>
            </p>
          )}
        </Show>
      </div>
      <Show when={details().officerRejection}>
        {(rejection) => (
          <div class="status-reasons">
            <h3>{t('status.view.reasonsHeading')}</h3>
            <ul data-testid="status-reasons">
              <For each={rejection().reasons}>
                {(code) => <li>{reasonLabel(props.rejectionReasons, code, locale())}</li>}
              </For>
            </ul>
            <Show when={rejection().note !== ''}>
              <h3>{t('status.view.noteHeading')}</h3>
              <p data-testid="status-note">{rejection().note}</p>
            </Show>
          </div>
        )}
      </Show>
      <Show when={details().caReason}>
        {(reason) => <p class="field-error">{t('status.view.caReason', { reason: reason() })}</p>}
      </Show>
    </section>
  );
}
