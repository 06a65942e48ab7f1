import { createMemo, createSignal, For, Show } from 'solid-js';
import type { DecidedApplication, DecideProblem } from '../../app/officer/decide-application';
import type { CertificateType } from '../../core/certificate/types';
import { checklistFor } from '../../core/officer/checklist';
import type { DecisionProblem, RejectionReason } from '../../core/officer/decision';
import type { DecisionKind } from '../../protocol/officer';
import { OFFICER_LIMITS } from '../../protocol/officer';
import type { I18n } from '../i18n/i18n';
import type { OfficerServices } from '../services';
import { reasonText } from './reason-label';
import { Working } from './Working';

type ProblemKey =
  | 'reasons-required'
  | 'note-required'
  | 'note-too-long'
  | 'unchecked'
  | 'invalid'
  | 'not-held'
  | 'kiosk-changed'
  | 'invalid-payload'
  | 'unexpected'
  /** The sealed application does not open (shown with `officer.verify.damaged` / `noKey`). */
  | 'damaged'
  | 'no-key';

function problemKey(problem: DecisionProblem): ProblemKey {
  if (problem.field === 'checklist' && problem.reason === 'unchecked') return 'unchecked';
  if (problem.field === 'reasons' && problem.reason === 'required') return 'reasons-required';
  if (problem.field === 'note') return problem.reason === 'required' ? 'note-required' : 'note-too-long';
  return 'invalid';
}

/**
 * The checklist of the application's type as large boxes, then the decision: approve once every
 * item is ticked, or reject with at least one configured reason (labels in the kiosk's language)
 * and a note of up to 500 characters, which a reason like "lainnya" requires.
 */
export function DecisionPanel(props: {
  i18n: I18n;
  officer: OfficerServices;
  rejectionReasons: readonly RejectionReason[];
  applicationId: string;
  certificateType: CertificateType;
  hasWarnings: boolean;
  onDecided: (decided: DecidedApplication) => void;
  onSessionEnded: () => void;
}) {
  const { t, locale } = props.i18n;
  const maxNote = OFFICER_LIMITS.maxNoteChars;
  const items = createMemo(() => checklistFor(props.certificateType, { hasWarnings: props.hasWarnings }));
  const [ticked, setTicked] = createSignal<ReadonlySet<string>>(new Set());
  const [rejecting, setRejecting] = createSignal(false);
  const [reasons, setReasons] = createSignal<ReadonlySet<string>>(new Set());
  const [note, setNote] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [problems, setProblems] = createSignal<ProblemKey[]>([]);

  const complete = () => items().every((item) => ticked().has(item));
  const toggle = (set: ReadonlySet<string>, value: string, on: boolean) => {
    const next = new Set(set);
    if (on) next.add(value);
    else next.delete(value);
    return next;
  };
  const needsNote = () =>
    props.rejectionReasons.some((r) => r.needsNote === true && reasons().has(r.code)) && note().trim() === '';

  const decide = async (decision: DecisionKind) => {
    if (busy()) return;
    // Checked here for the message; the use case checks the same rules again before signing.
    if (decision === 'rejected') {
      const local: ProblemKey[] = [
        ...(reasons().size === 0 ? (['reasons-required'] as const) : []),
        ...(needsNote() ? (['note-required'] as const) : []),
        ...(note().trim().length > maxNote ? (['note-too-long'] as const) : []),
      ];
      if (local.length > 0) {
        setProblems(local);
        return;
      }
    }
    setBusy(true);
    setProblems([]);
    try {
      const result = await props.officer.decide({
        applicationId: props.applicationId,
        decision,
        reasons: decision === 'rejected' ? [...reasons()] : [],
        note: decision === 'rejected' ? note() : '',
        checklist: items().filter((item) => ticked().has(item)),
      });
      if (result.ok) {
        props.onDecided(result.value);
        return;
      }
      const problem: DecideProblem = result.problem;
      if (problem.kind === 'session-ended') {
        props.onSessionEnded();
        return;
      }
      setProblems(
        problem.kind === 'invalid' ? [...new Set(problem.problems.map(problemKey))] : [problem.kind],
      );
    } catch (err) {
      console.error(`deciding failed: ${err instanceof Error ? err.name : 'unknown error'}`);
      setProblems(['unexpected']);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="officer-decision-heading" aria-busy={busy()}>
      <h2 id="officer-checklist-heading">{t('officer.verify.checklist.heading')}</h2>
      <p>{t('officer.verify.checklist.hint')}</p>
      <fieldset class="officer-checks" aria-labelledby="officer-checklist-heading" disabled={busy()}>
        <For each={items()}>
          {(item) => (
            <label class="choice">
              <input
                type="checkbox"
                checked={ticked().has(item)}
                onChange={(e) => setTicked(toggle(ticked(), item, e.currentTarget.checked))}
              />
              <span>{t(`officer.verify.checklist.items.${item}`)}</span>
            </label>
          )}
        </For>
      </fieldset>
      <p role="status" data-testid="officer-checklist-progress">
        {t('officer.verify.checklist.progress', {
          done: items().filter((item) => ticked().has(item)).length,
          total: items().length,
        })}
      </p>

      <h2 id="officer-decision-heading">{t('officer.verify.decision.heading')}</h2>
      <Show
        when={rejecting()}
        fallback={
          <>
            <Show when={!complete()}>
              <p>{t('officer.verify.decision.approveHint')}</p>
            </Show>
            <div class="officer-actions">
              <button
                type="button"
                class="primary"
                disabled={!complete() || busy()}
                onClick={() => void decide('approved')}
              >
                {t('officer.verify.decision.approve')}
              </button>
              <button
                type="button"
                class="danger"
                disabled={busy()}
                onClick={() => {
                  setProblems([]);
                  setRejecting(true);
                }}
              >
                {t('officer.verify.decision.reject')}
              </button>
            </div>
          </>
        }
      >
        <fieldset class="officer-checks" disabled={busy()}>
          <legend>{t('officer.verify.decision.reasonsLegend')}</legend>
          <For each={props.rejectionReasons}>
            {(reason) => (
              <label class="choice">
                <input
                  type="checkbox"
                  value={reason.code}
                  checked={reasons().has(reason.code)}
                  onChange={(e) => setReasons(toggle(reasons(), reason.code, e.currentTarget.checked))}
                />
                <span>{reasonText(reason, locale())}</span>
              </label>
            )}
          </For>
        </fieldset>
        <div class="field officer-note">
          <label for="officer-note">{t('officer.verify.decision.note')}</label>
          <textarea
            id="officer-note"
            maxlength={maxNote}
            value={note()}
            disabled={busy()}
            aria-invalid={needsNote() && problems().includes('note-required')}
            onInput={(e) => setNote(e.currentTarget.value)}
          />
          <small>{t('officer.verify.decision.noteCount', { length: note().length, max: maxNote })}</small>
        </div>
        <div class="officer-actions">
          <button
            type="button"
            class="danger primary"
            disabled={busy()}
            onClick={() => void decide('rejected')}
          >
            {t('officer.verify.decision.confirmReject')}
          </button>
          <button
            type="button"
            class="secondary"
            disabled={busy()}
            onClick={() => {
              setProblems([]);
              setRejecting(false);
            }}
          >
            {t('officer.verify.decision.cancelReject')}
          </button>
        </div>
      </Show>
      <Show when={problems().length > 0}>
        <div class="problems" role="alert">
          <For each={problems()}>
            {(key) => (
              <p>
                {key === 'damaged'
                  ? t('officer.verify.damaged')
                  : key === 'no-key'
                    ? t('officer.verify.noKey')
                    : t(`officer.verify.problems.${key}`, { max: maxNote })}
              </p>
            )}
          </For>
        </div>
      </Show>
      <Working when={busy()} label={t('officer.verify.decision.signing')} />
    </section>
  );
}
