import { createMemo, For, Show } from 'solid-js';
import type { DecidedApplication } from '../../app/officer/decide-application';
import { submissionReceipt } from '../../app/receipt/receipt-document';
import type { RejectionReason } from '../../core/officer/decision';
import { ReceiptView } from '../components/ReceiptView';
import type { I18n } from '../i18n/i18n';
import { receiptWords } from '../receipt-words';
import { reasonLabel } from './reason-label';

/**
 * After the decision: what was decided (a rejection's reasons and note, which the applicant must be
 * told: Pasal 11 ayat 3), the submission receipt with the officer's name and NIP, and "Berikutnya".
 */
export function DecidedView(props: {
  i18n: I18n;
  decided: DecidedApplication;
  rejectionReasons: readonly RejectionReason[];
  onNext: () => void;
}) {
  const { t, locale } = props.i18n;
  // A decided application carries every fact the submission receipt prints.
  const receipt = createMemo(() => submissionReceipt(props.decided, receiptWords(t, locale(), 'submission')));

  return (
    <section class="officer-mode" data-testid="officer-decided" data-decision={props.decided.decision}>
      <div class="card">
        <Show
          when={props.decided.decision === 'rejected'}
          fallback={
            <p class="officer-success" role="status">
              {t('officer.verify.decided.approved')}
            </p>
          }
        >
          <div class="officer-reasons-given" role="status">
            <p>{t('officer.verify.decided.rejected')}</p>
            <h3>{t('officer.verify.decided.reasonsHeading')}</h3>
            <ul>
              <For each={props.decided.reasons}>
                {(code) => <li>{reasonLabel(props.rejectionReasons, code, locale())}</li>}
              </For>
            </ul>
            <Show when={props.decided.note !== ''}>
              <h3>{t('officer.verify.decided.noteHeading')}</h3>
              <p>{props.decided.note}</p>
            </Show>
          </div>
        </Show>
      </div>
      <ReceiptView receipt={receipt()} t={t} />
      <div class="officer-actions">
        <button type="button" class="primary" onClick={() => props.onNext()}>
          {t('officer.verify.decided.next')}
        </button>
      </div>
    </section>
  );
}
