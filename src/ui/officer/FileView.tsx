import { createMemo, onCleanup, Show } from 'solid-js';
import type { Translate } from '../i18n/i18n';

/** An object URL for the blob, revoked when the owner is disposed (or the blob changes). */
function createObjectUrl(blob: () => Blob): () => string {
  return createMemo(() => {
    const url = URL.createObjectURL(blob());
    onCleanup(() => URL.revokeObjectURL(url));
    return url;
  });
}

/**
 * One file of an application for the officer: a picture shown at once, a PDF in an <object>
 * with a link to open it in a new tab (some browsers show no PDF inline).
 */
export function FileView(props: { t: Translate; label: string; mediaType: string; blob: Blob }) {
  // The stored type may be missing; the record's media type is the one that was checked.
  const url = createObjectUrl(() => props.blob.slice(0, props.blob.size, props.mediaType));
  const kb = () => Math.max(1, Math.round(props.blob.size / 1024));

  return (
    <figure class="officer-file">
      <figcaption>
        {props.label} <small>({props.t('officer.verify.fileSize', { kb: kb() })})</small>
      </figcaption>
      <Show when={props.mediaType === 'application/pdf'} fallback={<img src={url()} alt={props.label} />}>
        <object data={url()} type="application/pdf" aria-label={props.label}>
          <p>{props.t('officer.verify.pdfFallback')}</p>
        </object>
        <a href={url()} target="_blank" rel="noopener">
          {props.t('officer.verify.openPdf')}
        </a>
      </Show>
    </figure>
  );
}
