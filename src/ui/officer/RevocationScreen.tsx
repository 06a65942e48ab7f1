import { type Accessor, createSignal, For, Show } from 'solid-js';
import { type FollowUpStart, followUpBlock, startFollowUp } from '../../app/lifecycle/follow-up';
import {
  type CertificateRecord,
  LOST_KEY_KINDS,
  type LostKeyKind,
  REVOCATION_ATTACHMENT_KINDS,
  REVOCATION_REASON_CODES,
  type RevocationAttachmentKind,
  type RevocationReasonCode,
  type RevocationResponse,
} from '../../protocol/lifecycle';
import { formatSize } from '../applicant/sizes';
import type { I18n } from '../i18n/i18n';
import { CertificateFinder } from '../lifecycle/CertificateFinder';
import { formatDate, formatSerial, revokeProblemText } from '../lifecycle/lifecycle-text';
import type { KioskServices } from '../services';
import { Working } from './Working';
import './officer.css';
import '../lifecycle/lifecycle.css';
import { ProblemAlert } from '../components/ProblemAlert';

/**
 * Revocation (Pasal 15), in officer mode: find the certificate, choose the RFC 5280 reason and,
 * for a lost, damaged or inaccessible key, attach the papers of ayat 3; confirm with the PIN and
 * sign. The server records it (and the incident), the forwarding job takes it to the CA; a lost
 * key's owner then applies again from here.
 */
export function RevocationScreen(props: {
  i18n: I18n;
  services: KioskServices;
  online: Accessor<boolean>;
  onSessionEnded: () => void;
  onStartFollowUp: (start: FollowUpStart) => void;
}) {
  const { t, locale } = props.i18n;
  const lifecycle = props.services.lifecycle;
  const [chosen, setChosen] = createSignal<CertificateRecord | null>(null);
  const [reason, setReason] = createSignal<RevocationReasonCode | null>(null);
  const [lostKey, setLostKey] = createSignal<LostKeyKind | null>(null);
  const [papers, setPapers] = createSignal<Partial<Record<RevocationAttachmentKind, File>>>({});
  const [note, setNote] = createSignal('');
  const [verified, setVerified] = createSignal(false);
  const [pin, setPin] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [problem, setProblem] = createSignal<string | null>(null);
  const [result, setResult] = createSignal<{
    response: RevocationResponse;
    certificate: CertificateRecord;
  } | null>(null);

  const clear = () => {
    setChosen(null);
    setReason(null);
    setLostKey(null);
    setPapers({});
    setNote('');
    setVerified(false);
    setPin('');
    setProblem(null);
    setResult(null);
  };

  const choose = (certificate: CertificateRecord) => {
    clear();
    setChosen(certificate);
  };

  const ready = () => chosen() !== null && reason() !== null && verified() && pin() !== '' && props.online();

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const certificate = chosen();
    const why = reason();
    if (busy() || certificate === null || why === null || !ready()) return;
    setBusy(true);
    setProblem(null);
    try {
      // Irreversible: the officer types the PIN again to sign it.
      const confirmed = await lifecycle.confirmPin(pin());
      setPin('');
      if (confirmed === 'session-ended') return props.onSessionEnded();
      if (confirmed === 'locked') {
        setProblem(t('lifecycle.revocation.lockedPin'));
        return props.onSessionEnded();
      }
      if (confirmed === 'wrong-pin') return setProblem(t('lifecycle.revocation.wrongPin'));
      const kind = lostKey();
      const answer = await lifecycle.revoke({
        certificate,
        reason: why,
        lostKey: kind,
        note: note(),
        papers:
          kind === null
            ? []
            : REVOCATION_ATTACHMENT_KINDS.flatMap((paper) => {
                const file = papers()[paper];
                return file ? [{ kind: paper, blob: file }] : [];
              }),
      });
      if (answer.ok) {
        setResult({
          response: answer.value,
          certificate: { ...certificate, revocation: answer.value.revocation },
        });
        return;
      }
      if (answer.problem.kind === 'session-ended') return props.onSessionEnded();
      setProblem(revokeProblemText(t, answer.problem));
    } catch (err) {
      console.error(`revocation failed: ${err instanceof Error ? err.name : 'unknown error'}`);
      setProblem(t('lifecycle.problems.unexpected'));
    } finally {
      setBusy(false);
    }
  };

  const startReplacement = (certificate: CertificateRecord) => {
    const started = startFollowUp(certificate, 'replacement');
    if (started.ok) props.onStartFollowUp(started.value);
    else setProblem(t(`lifecycle.renewal.blocked.${started.problem}`));
  };
  const replacement = () => {
    const done = result();
    if (done !== null) startReplacement(done.certificate);
  };

  return (
    <section class="card lifecycle" data-testid="revocation-screen" aria-busy={busy()}>
      <h2>{t('lifecycle.revocation.heading')}</h2>
      <p>{t('lifecycle.revocation.intro')}</p>

      <Show
        when={result()}
        fallback={
          <Show
            when={chosen()}
            fallback={
              <CertificateFinder
                i18n={props.i18n}
                services={props.services}
                online={props.online}
                idPrefix="revocation"
                onSessionEnded={props.onSessionEnded}
                actions={(certificate) => (
                  <Show
                    when={certificate.revocation !== null}
                    fallback={
                      <button type="button" class="primary" onClick={() => choose(certificate)}>
                        {t('lifecycle.revocation.choose')}
                      </button>
                    }
                  >
                    {/* Revoked (or asked to be): the owner of a lost key applies again from here. */}
                    <button
                      type="button"
                      class="primary"
                      disabled={followUpBlock(certificate, 'replacement') !== null}
                      onClick={() => startReplacement(certificate)}
                    >
                      {t('lifecycle.revocation.result.replacement')}
                    </button>
                  </Show>
                )}
              />
            }
          >
            {(certificate) => (
              <form class="revocation-form" onSubmit={submit} novalidate data-testid="revocation-form">
                <div
                  class="officer-notice"
                  data-testid="revocation-chosen"
                  data-serial={certificate().serialNumberHex}
                >
                  <strong>{t('lifecycle.revocation.chosen')}:</strong> {certificate().applicant.nama} —{' '}
                  {t(`form.types.${certificate().certificateType}`)} —{' '}
                  <code>{formatSerial(certificate().serialNumberHex)}</code> (
                  {t('lifecycle.finder.validUntil')} {formatDate(locale(), certificate().notAfter)})
                </div>
                <fieldset>
                  <legend>{t('lifecycle.revocation.reasonLegend')}</legend>
                  <div class="choices stacked">
                    <For each={REVOCATION_REASON_CODES}>
                      {(code) => (
                        <label class="choice">
                          <input
                            type="radio"
                            name="revocation-reason"
                            value={code}
                            checked={reason() === code}
                            disabled={busy()}
                            onChange={() => setReason(code)}
                          />
                          <span>{t(`lifecycle.reasons.${code}`)}</span>
                        </label>
                      )}
                    </For>
                  </div>
                </fieldset>
                <fieldset>
                  <legend>{t('lifecycle.revocation.lostKeyLegend')}</legend>
                  <small>{t('lifecycle.revocation.lostKeyHint')}</small>
                  <div class="choices stacked">
                    <label class="choice">
                      <input
                        type="radio"
                        name="revocation-lost-key"
                        checked={lostKey() === null}
                        disabled={busy()}
                        onChange={() => setLostKey(null)}
                      />
                      <span>{t('lifecycle.lostKey.none')}</span>
                    </label>
                    <For each={LOST_KEY_KINDS}>
                      {(kind) => (
                        <label class="choice">
                          <input
                            type="radio"
                            name="revocation-lost-key"
                            value={kind}
                            checked={lostKey() === kind}
                            disabled={busy()}
                            onChange={() => {
                              setLostKey(kind);
                              // A lost key is a compromised key until shown otherwise.
                              if (reason() === null) setReason('keyCompromise');
                            }}
                          />
                          <span>{t(`lifecycle.lostKey.${kind}`)}</span>
                        </label>
                      )}
                    </For>
                  </div>
                </fieldset>
                <Show when={lostKey() !== null}>
                  <ul class="revocation-papers">
                    <For each={REVOCATION_ATTACHMENT_KINDS}>
                      {(kind) => (
                        <li class="paper" data-testid="revocation-paper" data-kind={kind}>
                          <label class="file-button">
                            <span>
                              {t('lifecycle.papers.choose', { name: t(`lifecycle.papers.${kind}`) })}
                            </span>
                            <input
                              type="file"
                              accept="application/pdf,image/jpeg,image/png"
                              aria-label={t('lifecycle.papers.choose', {
                                name: t(`lifecycle.papers.${kind}`),
                              })}
                              disabled={busy()}
                              onChange={(e) => {
                                const file = e.currentTarget.files?.[0];
                                setPapers((all) => ({ ...all, [kind]: file }));
                              }}
                            />
                          </label>
                          <small>{t('lifecycle.papers.hint')}</small>
                          <Show when={papers()[kind]}>
                            {(file) => (
                              <p class="paper-status">
                                {t('lifecycle.papers.attached', {
                                  name: file().name,
                                  size: formatSize(file().size, locale()),
                                })}
                              </p>
                            )}
                          </Show>
                        </li>
                      )}
                    </For>
                  </ul>
                </Show>
                <div class="field">
                  <label for="revocation-note">{t('lifecycle.revocation.note')}</label>
                  <textarea
                    id="revocation-note"
                    maxLength={500}
                    rows={3}
                    value={note()}
                    disabled={busy()}
                    onInput={(e) => setNote(e.currentTarget.value)}
                  />
                </div>
                <label class="choice">
                  <input
                    type="checkbox"
                    checked={verified()}
                    disabled={busy()}
                    onChange={(e) => setVerified(e.currentTarget.checked)}
                  />
                  <span>{t('lifecycle.revocation.verified')}</span>
                </label>
                <div class="field officer-pin">
                  <label for="revocation-pin">{t('lifecycle.revocation.pin')}</label>
                  <input
                    id="revocation-pin"
                    type="password"
                    inputmode="numeric"
                    autocomplete="off"
                    maxLength={12}
                    value={pin()}
                    disabled={busy()}
                    onInput={(e) => setPin(e.currentTarget.value.replace(/\D/g, ''))}
                  />
                </div>
                <Working when={busy()} label={t('lifecycle.revocation.working')} />
                <ProblemAlert problem={problem()} />
                <div class="officer-actions">
                  <button type="submit" class="primary" disabled={busy() || !ready()}>
                    {t('lifecycle.revocation.submit')}
                  </button>
                  <button type="button" class="secondary" disabled={busy()} onClick={clear}>
                    {t('lifecycle.revocation.another')}
                  </button>
                </div>
              </form>
            )}
          </Show>
        }
      >
        {(done) => (
          <div
            class="officer-success"
            role="status"
            data-testid="revocation-result"
            data-status={done().response.status}
            data-state={done().response.revocation.state}
            data-request-id={done().response.revocation.requestId}
          >
            <p>{t(`lifecycle.revocation.result.${done().response.status}`)}</p>
            <p>
              {t('lifecycle.revocation.result.state', {
                state: t(`lifecycle.states.${done().response.revocation.state}`),
              })}{' '}
              — <code>{formatSerial(done().response.revocation.serialNumberHex)}</code>
            </p>
            <Show when={done().response.incidentId}>
              <p data-testid="revocation-incident">{t('lifecycle.revocation.result.incident')}</p>
            </Show>
            <Show when={done().response.revocation.lostKey !== null}>
              <p>{t('lifecycle.revocation.result.replacementHint')}</p>
            </Show>
            <ProblemAlert problem={problem()} />
            <div class="officer-actions">
              <Show when={done().response.revocation.lostKey !== null}>
                <button type="button" class="primary" onClick={replacement}>
                  {t('lifecycle.revocation.result.replacement')}
                </button>
              </Show>
              <button type="button" class="secondary" onClick={clear}>
                {t('lifecycle.revocation.another')}
              </button>
            </div>
          </div>
        )}
      </Show>
    </section>
  );
}
