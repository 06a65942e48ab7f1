import { createMemo, createSignal, For, Show } from 'solid-js';
import { qrMatrix, qrSvgPath } from '../../adapters/receipt/qr';
import { type ReceiptPaper, receiptPdf } from '../../adapters/receipt/receipt-pdf';
import type { ReceiptDocument } from '../../app/receipt/receipt-document';
import type { Translate } from '../i18n/i18n';

/**
 * A receipt (tanda terima) on screen, printable on A4 or an 80 mm receipt printer (print CSS picks
 * the paper from `data-paper`), and downloadable as PDF. The QR code carries the application number.
 */
export function ReceiptView(props: { receipt: ReceiptDocument; t: Translate }) {
  const [paper, setPaper] = createSignal<ReceiptPaper>('a4');
  const [busy, setBusy] = createSignal(false);
  const qr = createMemo(() => qrSvgPath(qrMatrix(props.receipt.applicationNumber)));

  const print = (chosen: ReceiptPaper) => {
    setPaper(chosen);
    // The attribute must be in the DOM before the print dialog lays the page out.
    document.documentElement.dataset.print = chosen;
    const done = () => {
      delete document.documentElement.dataset.print;
      window.removeEventListener('afterprint', done);
    };
    window.addEventListener('afterprint', done);
    window.print();
  };

  const download = async (chosen: ReceiptPaper) => {
    setBusy(true);
    try {
      const bytes = await receiptPdf(props.receipt, chosen);
      const url = URL.createObjectURL(new Blob([bytes.slice()], { type: 'application/pdf' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `tanda-terima-${props.receipt.applicationNumber}.pdf`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="receipt" aria-label={props.receipt.title}>
      <article class="receipt-sheet" data-paper={paper()} data-testid="receipt">
        <div class="receipt-body">
          <header>
            <p class="receipt-issuer">{props.t('receipt.issuer')}</p>
            <h2>{props.receipt.title}</h2>
          </header>
          <dl>
            <For each={props.receipt.rows}>
              {(row) => (
                <div>
                  <dt>{row.label}</dt>
                  <dd>{row.value}</dd>
                </div>
              )}
            </For>
          </dl>
        </div>
        <svg
          class="receipt-qr"
          viewBox={qr().viewBox}
          role="img"
          aria-label={props.t('receipt.qrLabel', { number: props.receipt.applicationNumber })}
          shape-rendering="crispEdges"
        >
          <rect width="100%" height="100%" fill="#fff" />
          <path d={qr().path} fill="#000" />
        </svg>
        <p class="receipt-footer">{props.receipt.footer}</p>
      </article>
      <div class="receipt-actions">
        <button type="button" onClick={() => print('a4')}>
          {props.t('receipt.printA4')}
        </button>
        <button type="button" class="secondary" onClick={() => print('roll80')}>
          {props.t('receipt.printRoll')}
        </button>
        <button type="button" class="secondary" disabled={busy()} onClick={() => download(paper())}>
          {props.t('receipt.downloadPdf')}
        </button>
        <Show when={busy()}>
          <span role="status">{props.t('receipt.makingPdf')}</span>
        </Show>
      </div>
    </section>
  );
}
