import { createSignal, onCleanup, Show } from 'solid-js';
import type { ReadFailure, ReadSuccess } from '../../adapters/ocr/ocr-protocol';
import type { ReadStage } from '../../app/ocr/read-ektp';
import type { Translate } from '../i18n/i18n';
import type { KioskServices } from '../services';
import { CameraCapture } from './CameraCapture';

export interface CaptureOutcome {
  /** The picture kept with the application: the straightened card that was read, or the upload. */
  image: Blob | null;
  reading: ReadSuccess | null;
}

type Mode = 'idle' | 'camera' | 'reading' | 'done';

const STAGES: ReadStage[] = ['straighten', 'header', 'body', 'done'];
/** When reading fails, the upload itself may still serve as the e-KTP scan typed from by hand. */
const KEEP_ON_FAILURE: ReadFailure[] = ['no-card', 'engine-failed'];

/** Camera, file picker or drag-and-drop; then the reading, with progress, and a retake. */
export function EktpCapture(props: {
  t: Translate;
  services: KioskServices;
  error?: string | undefined;
  onChange: (outcome: CaptureOutcome) => void;
  onStart: () => void;
}) {
  const { t } = props;
  const [mode, setMode] = createSignal<Mode>('idle');
  const [stage, setStage] = createSignal<ReadStage>('straighten');
  const [failure, setFailure] = createSignal<ReadFailure | null>(null);
  const [notice, setNotice] = createSignal<string | null>(null);
  const [preview, setPreview] = createSignal<string | null>(null);
  const [dragging, setDragging] = createSignal(false);
  let run = 0;

  const show = (image: Blob | null) => {
    const old = preview();
    if (old) URL.revokeObjectURL(old);
    setPreview(image ? URL.createObjectURL(image) : null);
  };
  onCleanup(() => show(null));

  const read = async (file: Blob) => {
    props.onStart();
    const mine = ++run;
    setMode('reading');
    setFailure(null);
    setNotice(null);
    setStage('straighten');
    const outcome = await props.services.ektpReader.read(file, (s) => mine === run && setStage(s));
    if (mine !== run) return;
    setMode('done');
    if (outcome.ok) {
      show(outcome.result.card);
      const seconds = (outcome.result.ms / 1000).toFixed(1);
      setNotice(`${t('ektp.readIn', { seconds })}${outcome.result.upsideDown ? ` ${t('ektp.turned')}` : ''}`);
      props.onChange({ image: outcome.result.card, reading: outcome.result });
      return;
    }
    setFailure(outcome.failure);
    // For support: the reason in English, never image content or field values.
    console.warn(`e-KTP reader: ${outcome.failure}: ${outcome.message}`);
    const keep =
      KEEP_ON_FAILURE.includes(outcome.failure) && file.size <= props.services.config.ektpImage.maxBytes;
    show(keep ? file : null);
    props.onChange({ image: keep ? file : null, reading: null });
  };

  const retake = () => {
    run++;
    setMode('idle');
    setFailure(null);
    setNotice(null);
    show(null);
    props.onChange({ image: null, reading: null });
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer?.files[0];
    if (file) void read(file);
  };

  return (
    <section class="ektp-capture" aria-labelledby="ektp-heading">
      <h3 id="ektp-heading">{t('ektp.heading')}</h3>
      <p>
        <small>{t('ektp.intro')}</small>
      </p>
      <Show when={mode() === 'camera'}>
        <CameraCapture t={t} onCapture={(photo) => void read(photo)} onCancel={() => setMode('idle')} />
      </Show>
      <Show when={mode() === 'idle' || (mode() === 'done' && !preview())}>
        {/* biome-ignore lint/a11y/noStaticElementInteractions: dropping is a pointer convenience; the buttons inside serve the keyboard */}
        <div
          class={dragging() ? 'drop-zone dragging' : 'drop-zone'}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          data-testid="ektp-drop-zone"
        >
          <button type="button" class="primary" onClick={() => setMode('camera')}>
            {t('ektp.camera')}
          </button>
          <label class="file-button">
            <span>{t('ektp.chooseFile')}</span>
            <input
              type="file"
              accept="image/jpeg,image/png,image/webp,application/pdf"
              aria-label={t('form.ektp')}
              onChange={(e) => {
                const file = e.currentTarget.files?.[0];
                e.currentTarget.value = '';
                if (file) void read(file);
              }}
            />
          </label>
          <span>{t('ektp.drop')}</span>
          <small>{t('form.ektpHint')}</small>
        </div>
      </Show>
      <Show when={mode() === 'reading'}>
        <label class="progress" aria-live="polite">
          {t('ektp.reading')} {t(`ektp.stages.${stage()}`)}
          <progress max={STAGES.length} value={STAGES.indexOf(stage()) + 1} />
        </label>
      </Show>
      <Show when={failure()}>
        {(f) => (
          <div class="problems" role="alert" data-testid="ektp-failure">
            <p>{t(`ektp.failures.${f()}`)}</p>
            <p>
              <small>{t('ektp.manual')}</small>
            </p>
          </div>
        )}
      </Show>
      <Show when={props.error}>
        <p class="field-error">{props.error}</p>
      </Show>
      <Show when={preview()}>
        {(url) => (
          <figure class="ektp-picture">
            <img src={url()} alt={t('ektp.picture')} />
            <figcaption>{notice()}</figcaption>
          </figure>
        )}
      </Show>
      <Show when={mode() === 'done'}>
        <button type="button" onClick={retake}>
          {t('ektp.retake')}
        </button>
      </Show>
    </section>
  );
}
