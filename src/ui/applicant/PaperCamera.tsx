import { createSignal, Show } from 'solid-js';
import type { Translate } from '../i18n/i18n';
import { createCameraFeed } from '../primitives/camera';
import { capturePage, type PreparedPart, pageGuide } from './page-image';
import './applicant.css';

/**
 * The kiosk camera for papers, as `CameraCapture` does it for the e-KTP: a live picture with an
 * A4-shaped guide and a hint when the photo would read badly. It stays open for the next page
 * until the applicant presses Done; each photo is the part of the frame inside the guide.
 */
export function PaperCamera(props: {
  t: Translate;
  /** What is being photographed, for the video's label. */
  name: string;
  onCapture: (page: PreparedPart) => void;
  onDone: () => void;
}) {
  const { t } = props;
  let video: HTMLVideoElement | undefined;
  const [guide, setGuide] = createSignal({ left: '10%', top: '5%', width: '80%', height: '90%' });
  const [taken, setTaken] = createSignal(0);
  const [capturing, setCapturing] = createSignal(false);
  const { state, quality } = createCameraFeed(
    () => video,
    ({ videoWidth: w, videoHeight: h }) => {
      if (w === 0 || h === 0) return;
      const g = pageGuide(w, h);
      const pct = (v: number, of: number) => `${((v / of) * 100).toFixed(2)}%`;
      setGuide({ left: pct(g.x, w), top: pct(g.y, h), width: pct(g.w, w), height: pct(g.h, h) });
    },
  );

  const hint = () => {
    const q = quality();
    if (!q || state() === 'starting') return t('applicant.paperCamera.starting');
    if (q.tooDark) return t('applicant.paperCamera.tooDark');
    if (q.tooBright) return t('applicant.paperCamera.tooBright');
    if (q.blurred) return t('applicant.paperCamera.blurred');
    return t('applicant.paperCamera.good');
  };

  const capture = async () => {
    if (!video || capturing()) return;
    setCapturing(true);
    try {
      const page = await capturePage(video);
      if (!page) return;
      setTaken((n) => n + 1);
      props.onCapture(page);
    } finally {
      setCapturing(false);
    }
  };

  return (
    <div class="camera paper-camera">
      <Show
        when={state() !== 'denied'}
        fallback={
          <p class="warning" role="alert">
            {t('applicant.paperCamera.denied')}
          </p>
        }
      >
        <div class="camera-view">
          <video
            ref={video}
            muted
            playsinline
            aria-label={`${t('applicant.paperCamera.heading')}: ${props.name}`}
          />
          <div class="page-guide" aria-hidden="true" style={guide()} />
        </div>
        <p class="camera-hint" role="status">
          {hint()}
        </p>
        <p>
          <small>{t('applicant.paperCamera.guide')}</small>
        </p>
        <Show when={taken() > 0}>
          <p role="status">{t('applicant.paperCamera.taken', { count: taken() })}</p>
        </Show>
      </Show>
      <div class="toolbar">
        <button type="button" class="primary" disabled={state() !== 'live' || capturing()} onClick={capture}>
          {t('applicant.paperCamera.capture')}
        </button>
        <button type="button" onClick={props.onDone}>
          {t('applicant.paperCamera.done')}
        </button>
      </div>
    </div>
  );
}
