import { For, Show } from 'solid-js';
import { ProblemAlert } from '../components/ProblemAlert';
import type { Translate } from '../i18n/i18n';
import './applicant.css';

const PASAL_16 = ['1', '2'] as const;
const PASAL_17 = ['a', 'b', 'c', 'd', 'e', 'f'] as const;
const CLAUSES = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'] as const;

/**
 * The owner's obligations (Pasal 16-17) and the subscriber agreement (Pasal 13 ayat 5), in full,
 * each with its own tick. A tick is recorded with its time; the agreement's version is the one in
 * force (`agreement.version` in the configuration), and the kiosk refuses acceptance when its text
 * is another version than that.
 */
export function AgreementPanel(props: {
  t: Translate;
  /** The version in force (config). */
  version: string;
  obligationsAcceptedAt: () => string | null;
  agreementAcceptedAt: () => string | null;
  onObligations: (acceptedAt: string | null) => void;
  onAgreement: (acceptedAt: string | null) => void;
  disabled?: () => boolean;
}) {
  const { t } = props;
  const textVersion = () => t('applicant.agreement.textVersion');
  const textMatches = () => textVersion() === props.version;
  const now = () => new Date().toISOString();

  return (
    <>
      <section class="agreement" aria-labelledby="obligations-heading" data-testid="obligations">
        <h3 id="obligations-heading">{t('applicant.obligations.heading')}</h3>
        <div class="agreement-text">
          <p>{t('applicant.obligations.intro')}</p>
          <h4>{t('applicant.obligations.pasal16')}</h4>
          <ol>
            <For each={PASAL_16}>
              {(item) => <li value={Number(item)}>{t(`applicant.obligations.pasal16Items.${item}`)}</li>}
            </For>
          </ol>
          <h4>{t('applicant.obligations.pasal17')}</h4>
          <ol type="a">
            <For each={PASAL_17}>{(item) => <li>{t(`applicant.obligations.pasal17Items.${item}`)}</li>}</For>
          </ol>
        </div>
        <label class="applicant-check">
          <input
            type="checkbox"
            checked={props.obligationsAcceptedAt() !== null}
            disabled={props.disabled?.()}
            onChange={(e) => props.onObligations(e.currentTarget.checked ? now() : null)}
          />
          <span>{t('applicant.obligations.accept')}</span>
        </label>
      </section>

      <section class="agreement" aria-labelledby="agreement-heading" data-testid="agreement">
        <h3 id="agreement-heading">{t('applicant.agreement.heading')}</h3>
        <p class="agreement-version">{t('applicant.agreement.version', { version: textVersion() })}</p>
        <div class="agreement-text">
          <p>{t('applicant.agreement.intro')}</p>
          <ol>
            <For each={CLAUSES}>{(clause) => <li>{t(`applicant.agreement.clauses.${clause}`)}</li>}</For>
          </ol>
        </div>
        <Show
          when={textMatches()}
          fallback={
            <ProblemAlert
              problem={t('applicant.agreement.mismatch', { text: textVersion(), current: props.version })}
            />
          }
        >
          <label class="applicant-check">
            <input
              type="checkbox"
              checked={props.agreementAcceptedAt() !== null}
              disabled={props.disabled?.()}
              onChange={(e) => props.onAgreement(e.currentTarget.checked ? now() : null)}
            />
            <span>{t('applicant.agreement.accept', { version: props.version })}</span>
          </label>
        </Show>
      </section>
    </>
  );
}
