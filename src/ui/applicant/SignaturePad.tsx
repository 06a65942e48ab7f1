import { createEffect, createSignal, on, onCleanup, onMount, Show } from 'solid-js';
import { ProblemAlert } from '../components/ProblemAlert';
import type { Translate } from '../i18n/i18n';
import { inkBox, type Stroke, type StrokePoint, specimenProblem } from './signature';
import './applicant.css';

/** The ink: one width whatever the pressure, so a finger and a stylus sign alike. */
const INK_WIDTH = 3;
const INK = '#0b1a33';
/** The saved PNG draws the pad's CSS pixels at this scale: about 1,800 px for a full-width signature. */
const EXPORT_SCALE = 3;
const EXPORT_MARGIN = 12;

/**
 * The handwritten signature specimen (BSrE's `image_ttd`), drawn with a finger, a stylus or a
 * mouse. Strokes are kept as points in pad units (the pad's width is 1), so a resized pad redraws
 * the same signature. Saving refuses an empty or tiny pad and gives a PNG cropped to the ink on a
 * transparent background; "Sign again" clears it.
 */
export function SignaturePad(props: {
  t: Translate;
  onChange: (png: Blob | null) => void;
  disabled?: () => boolean;
}) {
  const { t } = props;
  let canvas: HTMLCanvasElement | undefined;
  const [strokes, setStrokes] = createSignal<Stroke[]>([]);
  const [problem, setProblem] = createSignal<'empty' | 'tooSmall' | 'failed' | null>(null);
  const [saving, setSaving] = createSignal(false);
  const [preview, setPreview] = createSignal<string | null>(null);
  const problemText = () => {
    const p = problem();
    return p ? t(`applicant.signature.${p}`) : null;
  };
  /** The pointer drawing now: one at a time, so a resting palm adds no ink. */
  let active: { pointerId: number; stroke: StrokePoint[] } | null = null;

  const showPreview = (png: Blob | null) => {
    const old = preview();
    if (old) URL.revokeObjectURL(old);
    setPreview(png ? URL.createObjectURL(png) : null);
  };
  onCleanup(() => showPreview(null));

  const box = () => canvas?.getBoundingClientRect() ?? null;

  const redraw = () => {
    if (!canvas) return;
    const rect = canvas.getBoundingClientRect();
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(rect.width * ratio));
    const height = Math.max(1, Math.round(rect.height * ratio));
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    const context = canvas.getContext('2d');
    if (!context) return;
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.clearRect(0, 0, width, height);
    // Pad units to device pixels: x and y are both in widths of the pad.
    context.setTransform(width, 0, 0, width, 0, 0);
    drawStrokes(context, active ? [...strokes(), active.stroke] : strokes(), INK_WIDTH / rect.width);
  };

  // Every pad drawn (a new one after "Sign again") is watched, so a rotated tablet redraws the ink.
  const observer = new ResizeObserver(() => redraw());
  onCleanup(() => observer.disconnect());
  const attach = (element: HTMLCanvasElement) => {
    canvas = element;
    observer.observe(element);
  };
  onMount(() => redraw());
  createEffect(on(strokes, () => redraw(), { defer: true }));

  const point = (event: PointerEvent): StrokePoint | null => {
    const rect = box();
    if (!rect || rect.width === 0) return null;
    return { x: (event.clientX - rect.left) / rect.width, y: (event.clientY - rect.top) / rect.width };
  };

  const onPointerDown = (event: PointerEvent) => {
    if (props.disabled?.() || active || (event.pointerType === 'mouse' && event.button !== 0)) return;
    const p = point(event);
    if (!p || !canvas) return;
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    active = { pointerId: event.pointerId, stroke: [p] };
    setProblem(null);
    redraw();
  };
  const onPointerMove = (event: PointerEvent) => {
    if (!active || event.pointerId !== active.pointerId) return;
    event.preventDefault();
    // Fast strokes deliver several positions per frame; all of them make a smooth line.
    const events = typeof event.getCoalescedEvents === 'function' ? event.getCoalescedEvents() : [];
    for (const e of events.length > 0 ? events : [event]) {
      const p = point(e);
      if (p) active.stroke.push(p);
    }
    redraw();
  };
  const onPointerEnd = (event: PointerEvent) => {
    if (!active || event.pointerId !== active.pointerId) return;
    const done = active.stroke;
    active = null;
    setStrokes((all) => [...all, done]);
  };

  const save = async () => {
    const rect = box();
    const drawn = strokes();
    const refused = specimenProblem(drawn);
    if (refused) {
      setProblem(refused === 'empty' ? 'empty' : 'tooSmall');
      return;
    }
    if (!rect) return;
    setSaving(true);
    try {
      const png = await exportPng(drawn, rect.width);
      if (!png) {
        setProblem('failed');
        return;
      }
      setProblem(null);
      showPreview(png);
      props.onChange(png);
    } finally {
      setSaving(false);
    }
  };

  const signAgain = () => {
    showPreview(null);
    setStrokes([]);
    setProblem(null);
    props.onChange(null);
  };

  return (
    <section class="signature" aria-labelledby="signature-heading">
      <h3 id="signature-heading">{t('applicant.signature.heading')}</h3>
      <p>
        <small>{t('applicant.signature.intro')}</small>
      </p>
      <Show
        when={preview()}
        fallback={
          <>
            <canvas
              ref={attach}
              class="signature-pad"
              data-testid="signature-pad"
              role="img"
              aria-label={t('applicant.signature.padLabel')}
              onPointerDown={onPointerDown}
              onPointerMove={onPointerMove}
              onPointerUp={onPointerEnd}
              onPointerCancel={onPointerEnd}
            />
            <ProblemAlert problem={problemText()} />
            <div class="toolbar">
              <button type="button" class="primary" disabled={saving() || props.disabled?.()} onClick={save}>
                {t('applicant.signature.save')}
              </button>
              <button
                type="button"
                disabled={strokes().length === 0 || props.disabled?.()}
                onClick={() => setStrokes((all) => all.slice(0, -1))}
              >
                {t('applicant.signature.undo')}
              </button>
              <button
                type="button"
                disabled={strokes().length === 0 || props.disabled?.()}
                onClick={() => {
                  setStrokes([]);
                  setProblem(null);
                }}
              >
                {t('applicant.signature.clear')}
              </button>
            </div>
          </>
        }
      >
        {(url) => (
          <>
            <figure class="signature-preview">
              <img src={url()} alt={t('applicant.signature.preview')} data-testid="signature-preview" />
              <figcaption role="status">{t('applicant.signature.saved')}</figcaption>
            </figure>
            <button type="button" disabled={props.disabled?.()} onClick={signAgain}>
              {t('applicant.signature.redo')}
            </button>
          </>
        )}
      </Show>
    </section>
  );
}

function drawStrokes(context: CanvasRenderingContext2D, strokes: readonly Stroke[], width: number) {
  context.strokeStyle = INK;
  context.fillStyle = INK;
  context.lineWidth = width;
  context.lineCap = 'round';
  context.lineJoin = 'round';
  for (const stroke of strokes) {
    const [first, ...rest] = stroke;
    if (!first) continue;
    if (rest.length === 0) {
      // A dot (the i's, a full stop): a tap leaves a round mark.
      context.beginPath();
      context.arc(first.x, first.y, width / 2, 0, 2 * Math.PI);
      context.fill();
      continue;
    }
    context.beginPath();
    context.moveTo(first.x, first.y);
    for (const p of rest) context.lineTo(p.x, p.y);
    context.stroke();
  }
}

/** The strokes cropped to the ink with a margin, at `EXPORT_SCALE` times the pad's CSS size. */
async function exportPng(strokes: readonly Stroke[], padWidth: number): Promise<Blob | null> {
  const ink = inkBox(strokes);
  if (!ink) return null;
  const unit = padWidth * EXPORT_SCALE;
  const margin = (EXPORT_MARGIN + INK_WIDTH) / padWidth;
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil((ink.maxX - ink.minX + 2 * margin) * unit);
  canvas.height = Math.ceil((ink.maxY - ink.minY + 2 * margin) * unit);
  const context = canvas.getContext('2d');
  if (!context) return null;
  context.setTransform(unit, 0, 0, unit, (margin - ink.minX) * unit, (margin - ink.minY) * unit);
  drawStrokes(context, strokes, INK_WIDTH / padWidth);
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
}
