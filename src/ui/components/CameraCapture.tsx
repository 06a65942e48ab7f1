import { Show } from 'solid-js';
import type { Translate } from '../i18n/i18n';
import { captureFrame, createCameraFeed } from '../primitives/camera';

/** Live preview with a card-shaped guide and a hint when the picture would read badly. */
export function CameraCapture(props: {
  t: Translate;
  onCapture: (photo: Blob) => void;
  onCancel: () => void;
}) {
  const { t } = props;
  let video: HTMLVideoElement | undefined;
  const { state, quality, stop } = createCameraFeed(() => video);

  const hint = () => {
    const q = quality();
    if (!q) return t('camera.starting');
    if (q.tooDark) return t('camera.tooDark');
    if (q.tooBright) return t('camera.tooBright');
    if (q.blurred) return t('camera.blurred');
    return t('camera.good');
  };

  const capture = async () => {
    if (!video) return;
    const photo = await captureFrame(video);
    stop();
    if (photo) props.onCapture(photo);
  };

  return (
    <div class="camera">
      <Show
        when={state() !== 'denied'}
        fallback={
          <p class="warning" role="alert">
            {t('camera.denied')}
          </p>
        }
      >
        <div class="camera-view">
          <video ref={video} muted playsinline aria-label={t('camera.heading')} />
          <div class="card-guide" aria-hidden="true" />
        </div>
        <p class="camera-hint" role="status" data-testid="camera-hint">
          {state() === 'starting' ? t('camera.starting') : hint()}
        </p>
        <p>
          <small>{t('camera.guide')}</small>
        </p>
      </Show>
      <div class="toolbar">
        <button type="button" class="primary" disabled={state() !== 'live'} onClick={capture}>
          {t('camera.capture')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('camera.cancel')}
        </button>
      </div>
    </div>
  );
}
