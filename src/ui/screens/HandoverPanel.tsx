import { createMemo, createSignal, onCleanup, onMount, Show } from 'solid-js';
import type { HandoverPackage } from '../../app/handover';
import type { HandoverCryptoProblem, Pkcs12Form } from '../../app/handover-crypto';
import type { OutboxSummary } from '../../app/ports';
import { handoverFactsOf, handoverReceipt } from '../../app/receipt/receipt-document';
import type { CertificateInfo } from '../../core/certificate/certificate';
import { toPem } from '../../core/lib/pem';
import { ReceiptView } from '../components/ReceiptView';
import { type I18n, localeTag } from '../i18n/i18n';
import { receiptWords } from '../receipt-words';
import type { KioskServices } from '../services';

/** Certificate files are small; anything larger is not what BSrE sends. */
const MAX_CERTIFICATE_BYTES = 256 * 1024;

/** Reads PEM as text and DER as a binary string the parser recognises; never throws. */
async function readCertificateFile(file: File): Promise<string | null> {
  if (file.size > MAX_CERTIFICATE_BYTES) return null;
  const bytes = new Uint8Array(await file.arrayBuffer());
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (text.includes('-----BEGIN')) return text;
  // DER: armoured as PEM, so one parser path serves both.
  return toPem('CERTIFICATE', bytes);
}

function download(bytes: Uint8Array | string, name: string, type: string) {
  const blob = new Blob([typeof bytes === 'string' ? bytes : bytes.slice()], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // Revoked later: some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Handover at the counter (Pasal 13 ayat 6). The officer loads the certificate; the applicant types
 * the passphrase. Nothing here shows the passphrase or keeps it after the attempt.
 */
export function HandoverPanel(props: {
  i18n: I18n;
  services: KioskServices;
  item: () => OutboxSummary;
  onClose: () => void;
  /** The officer named on the handover receipt; none prints a dash. */
  officer?: { nama: string; nip: string | null } | null;
}) {
  const { t, locale } = props.i18n;
  const [certificateText, setCertificateText] = createSignal<string | null>(null);
  const [chainText, setChainText] = createSignal<string | null>(null);
  const [info, setInfo] = createSignal<CertificateInfo | null>(null);
  const [passphrase, setPassphrase] = createSignal('');
  const [form, setForm] = createSignal<Pkcs12Form>('modern');
  const [busy, setBusy] = createSignal<'checking' | 'working' | null>(null);
  const [message, setMessage] = createSignal<{ kind: 'error' | 'ok'; text: string } | null>(null);
  const [result, setResult] = createSignal<HandoverPackage | null>(null);
  const locked = () => Boolean(props.item().handover?.lockedAt);
  // Just handed over: the state handOver recorded, before the outbox view catches up; otherwise the
  // outbox's own record, so a reopened panel shows the receipt of the earlier handover.
  const receipt = createMemo(() => {
    const handed = result();
    const item = handed ? { ...props.item(), handover: handed.handover } : props.item();
    const facts = handoverFactsOf(item, props.officer ?? null);
    return facts ? handoverReceipt(facts, receiptWords(t, locale(), 'handover')) : null;
  });
  onCleanup(() => setPassphrase(''));

  const date = (iso: string) => new Date(iso).toLocaleDateString(localeTag(locale()), { dateStyle: 'long' });
  const problemText = (p: HandoverCryptoProblem) => t(`handover.problems.${p}`);

  const precheck = async () => {
    setInfo(null);
    setResult(null);
    const certificate = certificateText();
    if (certificate === null) return;
    setBusy('checking');
    try {
      const checked = await props.services.precheckCertificate({
        certificateText: certificate,
        chainText: chainText(),
        id: props.item().id,
      });
      if (checked.ok) {
        setInfo(checked.value);
        setMessage({
          kind: 'ok',
          text: t('handover.certificateOk', {
            serial: checked.value.serialNumberHex,
            notAfter: date(checked.value.notAfter),
          }),
        });
      } else setMessage({ kind: 'error', text: problemText(checked.problem) });
    } finally {
      setBusy(null);
    }
  };

  // The certificate the server brought back needs no file: the officer only confirms it.
  // Sealed on the kiosk until now (issue 8): opened in memory with the officer's session.
  const [fromServer, setFromServer] = createSignal<'opened' | 'no-key' | 'damaged' | null>(null);
  onMount(async () => {
    const issued = await props.services.issuedCertificate(props.item().id);
    if (issued.kind === 'none') return;
    if (issued.kind !== 'text') {
      setFromServer(issued.kind);
      return;
    }
    setFromServer('opened');
    setCertificateText(issued.pem);
    await precheck();
  });

  const onFile = async (file: File | undefined, which: 'certificate' | 'chain') => {
    if (!file) return;
    const text = await readCertificateFile(file);
    if (text === null) {
      setMessage({
        kind: 'error',
        text:
          which === 'certificate' ? t('handover.problems.not-x509') : t('handover.problems.chain-not-x509'),
      });
      return;
    }
    if (which === 'certificate') setCertificateText(text);
    else setChainText(text);
    await precheck();
  };

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const certificate = certificateText();
    if (busy() || certificate === null) return;
    setBusy('working');
    setMessage(null);
    try {
      const outcome = await props.services.handOver({
        id: props.item().id,
        passphrase: passphrase(),
        certificateText: certificate,
        chainText: chainText(),
        form: form(),
      });
      if (outcome.ok) {
        setResult(outcome.value);
        setMessage({ kind: 'ok', text: t('handover.done') });
        return;
      }
      const p = outcome.problem;
      switch (p.reason) {
        case 'wrong-passphrase':
          setMessage({ kind: 'error', text: t('handover.attemptsLeft', { count: p.attemptsLeft }) });
          break;
        case 'locked':
          // The locked panel says it, with the officer's unlock button.
          setMessage(null);
          break;
        case 'certificate':
          setMessage({ kind: 'error', text: problemText(p.problem) });
          break;
        default:
          setMessage({ kind: 'error', text: t(`handover.problems.${p.reason}`) });
      }
    } catch (err) {
      console.error(`handover failed: ${err instanceof Error ? err.name : 'unknown error'}`);
      setMessage({ kind: 'error', text: t('form.unexpected') });
    } finally {
      // Each attempt is typed afresh: the passphrase does not linger in the form.
      setPassphrase('');
      setBusy(null);
    }
  };

  const unlock = async () => {
    await props.services.unlockHandover(props.item().id);
    setMessage({ kind: 'ok', text: t('handover.unlocked') });
  };

  return (
    <form class="handover" onSubmit={submit} data-testid="handover" aria-busy={busy() !== null}>
      <h3>{t('handover.heading')}</h3>
      <p>{t('handover.intro')}</p>
      <Show when={fromServer() === 'opened'}>
        <p data-testid="handover-from-server">{t('handover.fromServer')}</p>
      </Show>
      <Show when={fromServer() === 'no-key' || fromServer() === 'damaged'}>
        <p class="officer-notice" role="status" data-testid="handover-from-server-closed">
          {t(fromServer() === 'damaged' ? 'handover.fromServerDamaged' : 'handover.fromServerNoKey')}
        </p>
      </Show>
      <div class="field">
        <label for={`cert-${props.item().id}`}>{t('handover.certificateFile')}</label>
        <input
          id={`cert-${props.item().id}`}
          type="file"
          accept=".pem,.crt,.cer,.der,application/x-x509-user-cert,application/pkix-cert"
          onChange={(e) => void onFile(e.currentTarget.files?.[0], 'certificate')}
        />
      </div>
      <div class="field">
        <label for={`chain-${props.item().id}`}>{t('handover.chainFile')}</label>
        <input
          id={`chain-${props.item().id}`}
          type="file"
          accept=".pem,.crt,.cer,.der"
          onChange={(e) => void onFile(e.currentTarget.files?.[0], 'chain')}
        />
      </div>
      <Show when={busy() === 'checking'}>
        <p aria-live="polite">{t('handover.checking')}</p>
      </Show>

      <Show
        when={!locked()}
        fallback={
          <div class="problems" role="alert">
            <p>{t('handover.locked')}</p>
            <button type="button" class="secondary" onClick={unlock}>
              {t('handover.unlock')}
            </button>
          </div>
        }
      >
        <Show when={info() && !result()}>
          <div class="field">
            <label for={`pass-${props.item().id}`}>{t('handover.passphrase')}</label>
            <small>{t('handover.passphraseHint')}</small>
            <input
              id={`pass-${props.item().id}`}
              type="password"
              autocomplete="off"
              value={passphrase()}
              onInput={(e) => setPassphrase(e.currentTarget.value)}
            />
          </div>
          <fieldset>
            <legend>{t('handover.form')}</legend>
            <label class="choice">
              <input
                type="radio"
                name={`form-${props.item().id}`}
                checked={form() === 'modern'}
                onChange={() => setForm('modern')}
              />
              <span>{t('handover.modern')}</span>
            </label>
            <label class="choice">
              <input
                type="radio"
                name={`form-${props.item().id}`}
                checked={form() === 'legacy'}
                onChange={() => setForm('legacy')}
              />
              <span>{t('handover.legacy')}</span>
            </label>
            <Show when={form() === 'legacy'}>
              <p class="warning">{t('handover.legacyWarning')}</p>
            </Show>
          </fieldset>
          <Show when={busy() === 'working'}>
            <label class="progress" aria-live="polite">
              {t('handover.working')}
              <progress />
            </label>
          </Show>
          <button type="submit" class="primary" disabled={busy() !== null}>
            {t('handover.submit')}
          </button>
        </Show>
      </Show>

      <Show when={message()}>
        {(m) => (
          <p
            class={m().kind === 'error' ? 'field-error' : 'success'}
            role={m().kind === 'error' ? 'alert' : 'status'}
          >
            {m().text}
          </p>
        )}
      </Show>
      <Show when={result()}>
        {(r) => (
          <div class="toolbar">
            <button
              type="button"
              class="primary"
              data-testid="download-p12"
              onClick={() => download(r().pkcs12, `${r().fileStem}.p12`, 'application/x-pkcs12')}
            >
              {t('handover.downloadP12')}
            </button>
            <button
              type="button"
              class="secondary"
              data-testid="download-pem"
              onClick={() =>
                download(r().certificatePem + r().chainPem, `${r().fileStem}.pem`, 'application/x-pem-file')
              }
            >
              {t('handover.downloadPem')}
            </button>
          </div>
        )}
      </Show>
      <Show when={receipt()}>
        {(r) => (
          <div data-testid="handover-receipt">
            <p>{t('handover.receiptHint')}</p>
            <ReceiptView receipt={r()} t={t} />
          </div>
        )}
      </Show>
      <button type="button" class="secondary" onClick={props.onClose}>
        {t('handover.close')}
      </button>
    </form>
  );
}
