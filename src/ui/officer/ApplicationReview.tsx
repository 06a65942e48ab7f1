import { For, Show } from 'solid-js';
import type { StoredOutboxItem } from '../../app/ports';
import { applicationNumber } from '../../core/application/application-number';
import { EKTP_FIELDS, type EktpField, type EktpWarningCode } from '../../core/ocr/types';
import { RECORD_ATTACHMENT_KINDS } from '../../protocol/sync';
import { type I18n, localeTag } from '../i18n/i18n';
import { FollowUpFacts } from '../lifecycle/FollowUpFacts';
import { FileView } from './FileView';

const WARNING_CODES: Record<EktpWarningCode, true> = {
  'low-confidence': true,
  'not-read': true,
  'nik-invalid': true,
  'nik-repaired': true,
  'nik-birth-date-mismatch': true,
  'nik-sex-mismatch': true,
  'nik-region-mismatch': true,
  'nik-region-unknown': true,
  'nip-invalid': true,
  'nip-birth-date-mismatch': true,
  'nip-sex-mismatch': true,
  'nip-appointment-too-early': true,
  'nip-appointment-in-future': true,
  'card-expired': true,
  'value-not-allowed': true,
};
const isWarningCode = (code: string): code is EktpWarningCode => Object.hasOwn(WARNING_CODES, code);

/**
 * Everything the officer checks an application against (officer mode only): the applicant's data,
 * the e-KTP fields as confirmed at the counter with the reading's warnings, the e-KTP picture and
 * every paper.
 */
export function ApplicationReview(props: { i18n: I18n; item: StoredOutboxItem }) {
  const { t, locale } = props.i18n;
  const record = () => props.item.record;
  const applicant = () => props.item.record.applicant;
  const ektp = () => props.item.record.ektp;
  const time = (iso: string) =>
    new Date(iso).toLocaleString(localeTag(locale()), {
      dateStyle: 'long',
      timeStyle: 'short',
    });
  const fieldLabel = (field: EktpField | 'nip') => t(`ektp.fields.${field}`);
  const warningText = (code: string) =>
    isWarningCode(code) ? t(`ektp.warnings.${code}`) : t('officer.verify.unknownWarning', { code });
  const attachments = () =>
    // Papers in the order of the checklist, then the signature specimen.
    [...props.item.attachments].sort(
      (a, b) => RECORD_ATTACHMENT_KINDS.indexOf(a.kind) - RECORD_ATTACHMENT_KINDS.indexOf(b.kind),
    );
  const none = () => t('officer.verify.none');

  return (
    <>
      <section class="card" aria-labelledby="officer-applicant-heading">
        <h2 id="officer-applicant-heading">{t('officer.verify.applicantHeading')}</h2>
        <dl class="officer-facts">
          <dt>{t('officer.verify.fields.number')}</dt>
          <dd data-testid="officer-application-number">{applicationNumber(props.item.id)}</dd>
          <dt>{t('officer.verify.fields.type')}</dt>
          <dd>{t(`form.types.${record().certificateType}`)}</dd>
          <dt>{t('officer.verify.fields.nama')}</dt>
          <dd>{applicant().nama}</dd>
          <dt>{t('officer.verify.fields.nik')}</dt>
          <dd>{applicant().nik}</dd>
          <dt>{t('officer.verify.fields.nip')}</dt>
          <dd>{applicant().nip ?? none()}</dd>
          <dt>{t('officer.verify.fields.email')}</dt>
          <dd>{applicant().email}</dd>
          <dt>{t('officer.verify.fields.perangkatDaerah')}</dt>
          <dd>{applicant().perangkatDaerah}</dd>
          <Show when={applicant().jabatan}>
            {(jabatan) => (
              <>
                <dt>{t('officer.verify.fields.jabatan')}</dt>
                <dd>{jabatan()}</dd>
              </>
            )}
          </Show>
          <Show when={applicant().host}>
            {(host) => (
              <>
                <dt>{t('officer.verify.fields.host')}</dt>
                <dd>{host()}</dd>
              </>
            )}
          </Show>
          <dt>{t('officer.verify.fields.createdAt')}</dt>
          <dd>{time(props.item.createdAt)}</dd>
        </dl>
        {/* A renewal or replacement: the officer sees which certificate it follows. */}
        <FollowUpFacts i18n={props.i18n} previous={record().previous} revocation={null} />
      </section>

      <section class="card" aria-labelledby="officer-ektp-heading">
        <h2 id="officer-ektp-heading">{t('officer.verify.ektpHeading')}</h2>
        <Show when={ektp()} fallback={<p>{t('officer.verify.ektpMissing')}</p>}>
          {(reading) => (
            <>
              <table class="officer-ektp">
                <tbody>
                  <For each={EKTP_FIELDS}>
                    {(field) => {
                      const confirmed = () => reading().confirmed.includes(field);
                      return (
                        <tr>
                          <th scope="row">{fieldLabel(field)}</th>
                          <td>{reading().fields[field] || none()}</td>
                          <td class={confirmed() ? '' : 'unconfirmed'}>
                            {confirmed() ? t('officer.verify.confirmed') : t('officer.verify.notConfirmed')}
                            {' · '}
                            {t('officer.verify.confidence', {
                              percent: Math.round((reading().confidence[field] ?? 0) * 100),
                            })}
                          </td>
                        </tr>
                      );
                    }}
                  </For>
                </tbody>
              </table>
              <h3>{t('officer.verify.warningsHeading')}</h3>
              <Show when={reading().warnings.length > 0} fallback={<p>{t('officer.verify.noWarnings')}</p>}>
                <ul class="officer-warnings" data-testid="officer-warnings">
                  <For each={reading().warnings}>
                    {(warning) => (
                      <li>
                        {fieldLabel(warning.field)}: {warningText(warning.code)}
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
            </>
          )}
        </Show>
      </section>

      <section class="card" aria-labelledby="officer-files-heading">
        <h2 id="officer-files-heading">{t('officer.verify.filesHeading')}</h2>
        <div class="officer-files">
          <FileView
            t={t}
            label={t('officer.verify.ektpImage')}
            mediaType={props.item.image.mediaType}
            blob={props.item.image.blob}
          />
          <For each={attachments()} fallback={<p>{t('officer.verify.noAttachments')}</p>}>
            {(attachment) => (
              <FileView
                t={t}
                label={t(`officer.verify.attachmentKinds.${attachment.kind}`)}
                mediaType={attachment.mediaType}
                blob={attachment.blob}
              />
            )}
          </For>
        </div>
      </section>
    </>
  );
}
