import {
  type Accessor,
  createMemo,
  createResource,
  createSignal,
  For,
  Match,
  onCleanup,
  Show,
  Switch,
} from 'solid-js';
import { type DecidedApplication, hasOcrWarnings } from '../../app/officer/decide-application';
import type { OutboxSummary, OutboxView } from '../../app/ports';
import { clearNameOf } from '../../app/sealing/open-at-counter';
import { applicationNumber } from '../../core/application/application-number';
import { type I18n, localeTag } from '../i18n/i18n';
import type { KioskServices } from '../services';
import { ApplicationReview } from './ApplicationReview';
import { DecidedView } from './DecidedView';
import { DecisionPanel } from './DecisionPanel';
import { DuplicateNikPanel } from './DuplicateNikPanel';
import './officer.css';

/** Held applications listed at once; a counter holds a handful, a busy day a few dozen. */
const HELD_PAGE = 500;

const oldestFirst = (a: OutboxSummary, b: OutboxSummary) => a.createdAt.localeCompare(b.createdAt);

/**
 * Officer mode's work (Pasal 11): the applications held for the officer in capture order, one
 * application in full with the duplicate-NIK flag and the checklist, the signed decision, and the
 * submission receipt.
 */
export function VerificationScreen(props: {
  i18n: I18n;
  services: KioskServices;
  online: Accessor<boolean>;
  /** The session ended under the screen (idle on its own clock): back to the PIN. */
  onSessionEnded: () => void;
}) {
  const { t, locale } = props.i18n;
  const officer = props.services.officer;
  const [view, setView] = createSignal<OutboxView | null>(null);
  onCleanup(props.services.subscribeOutbox(setView, { state: 'held', limit: HELD_PAGE }));
  const held = createMemo(() => [...(view()?.items ?? [])].sort(oldestFirst));

  const [selected, setSelected] = createSignal<string | null>(null);
  const [decided, setDecided] = createSignal<DecidedApplication | null>(null);
  const [item] = createResource(selected, (id) => officer.heldItem(id));

  const open = (id: string) => {
    setDecided(null);
    setSelected(id);
    window.scrollTo({ top: 0 });
  };
  const backToList = () => {
    setDecided(null);
    setSelected(null);
    window.scrollTo({ top: 0 });
  };
  const time = (iso: string) =>
    new Date(iso).toLocaleString(localeTag(locale()), {
      dateStyle: 'medium',
      timeStyle: 'short',
    });

  return (
    <Switch>
      <Match when={decided()} keyed>
        {(result) => (
          <DecidedView
            i18n={props.i18n}
            decided={result}
            rejectionReasons={props.services.config.rejectionReasons}
            onNext={backToList}
          />
        )}
      </Match>
      <Match when={selected()}>
        <div class="officer-mode" data-testid="officer-review">
          <div class="officer-actions">
            <button type="button" class="secondary" onClick={backToList}>
              {t('officer.verify.backToList')}
            </button>
          </div>
          <Show when={!item.loading} fallback={<p role="status">{t('officer.verify.loading')}</p>}>
            <Show when={item()} keyed fallback={<p class="officer-notice">{t('officer.verify.gone')}</p>}>
              {(opened) => (
                <Show
                  when={opened.ok ? opened.value : null}
                  keyed
                  fallback={
                    <p class="officer-notice" role="alert" data-testid="officer-open-problem">
                      {t(
                        !opened.ok && opened.problem === 'damaged'
                          ? 'officer.verify.damaged'
                          : 'officer.verify.noKey',
                      )}
                    </p>
                  }
                >
                  {(application) => (
                    <>
                      {/* First: a NIK already in use is what the officer must not miss. */}
                      <DuplicateNikPanel
                        t={t}
                        officer={officer}
                        application={{ id: application.id, nik: application.record.applicant.nik }}
                        online={props.online}
                      />
                      <ApplicationReview i18n={props.i18n} item={application} />
                      <DecisionPanel
                        i18n={props.i18n}
                        officer={officer}
                        rejectionReasons={props.services.config.rejectionReasons}
                        applicationId={application.id}
                        certificateType={application.record.certificateType}
                        hasWarnings={hasOcrWarnings(application.record)}
                        onDecided={(result) => {
                          setDecided(result);
                          window.scrollTo({ top: 0 });
                        }}
                        onSessionEnded={props.onSessionEnded}
                      />
                    </>
                  )}
                </Show>
              )}
            </Show>
          </Show>
        </div>
      </Match>
      <Match when={true}>
        <section class="card" data-testid="officer-queue">
          <h2>{t('officer.verify.heading')}</h2>
          <p>{t('officer.verify.intro')}</p>
          <Show when={view() !== null} fallback={<p role="status">{t('officer.verify.loading')}</p>}>
            <Show when={held().length > 0} fallback={<p>{t('officer.verify.empty')}</p>}>
              <p role="status">{t('officer.verify.count', { count: view()?.counts.held ?? 0 })}</p>
              <ol class="officer-queue">
                <For each={held()}>
                  {(application) => (
                    <li data-testid="officer-held" data-id={application.id}>
                      <div>
                        <strong>{clearNameOf(application) ?? applicationNumber(application.id)}</strong>
                        <span>
                          {applicationNumber(application.id)} ·{' '}
                          {t(`form.types.${application.record.certificateType}`)}
                        </span>
                        <br />
                        <small>
                          {application.record.applicant.perangkatDaerah} ·{' '}
                          {t('officer.verify.capturedAt', { time: time(application.createdAt) })}
                        </small>
                      </div>
                      <button type="button" class="primary" onClick={() => open(application.id)}>
                        {t('officer.verify.open')}
                      </button>
                    </li>
                  )}
                </For>
              </ol>
            </Show>
          </Show>
        </section>
      </Match>
    </Switch>
  );
}
