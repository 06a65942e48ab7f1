import type * as OpenCv from '@techstark/opencv-js';
import type { CardVision, RgbaImage, StraightenedCard } from '../../app/ocr/ports';
import { CARD_HEIGHT, CARD_WIDTH, orderCorners, type Point, quadAspect } from '../../core/ocr/layout';
import type { GrayImage } from '../../core/ocr/quality';

type Cv = typeof OpenCv;

/** Detection runs on a copy this size: plenty for corners, and fast on two cores. */
const DETECT_SIZE = 800;
/** ID-1 is 1.586:1; perspective and rounded corners widen the range a little. */
const MIN_ASPECT = 1.3;
const MAX_ASPECT = 1.95;
/** A card smaller than this share of the frame is too small to read anyway. */
const MIN_AREA_SHARE = 0.12;

/**
 * OpenCV frees nothing by itself: every Mat is tracked here and deleted at the end of the call,
 * so a kiosk that reads hundreds of cards does not leak WebAssembly memory.
 */
function withMats<T>(work: (track: <M extends { delete(): void }>(m: M) => M) => T): T {
  const mats: { delete(): void }[] = [];
  try {
    return work((m) => {
      mats.push(m);
      return m;
    });
  } finally {
    for (const m of mats) m.delete();
  }
}

function findCard(
  cv: Cv,
  gray: OpenCv.Mat,
  track: <M extends { delete(): void }>(m: M) => M,
): Point[] | null {
  const scale = Math.min(1, DETECT_SIZE / Math.max(gray.cols, gray.rows));
  const small = track(new cv.Mat());
  cv.resize(
    gray,
    small,
    new cv.Size(Math.round(gray.cols * scale), Math.round(gray.rows * scale)),
    0,
    0,
    cv.INTER_AREA,
  );
  const blurred = track(new cv.Mat());
  cv.GaussianBlur(small, blurred, new cv.Size(5, 5), 0);
  const edges = track(new cv.Mat());
  cv.Canny(blurred, edges, 30, 90);
  const kernel = track(cv.Mat.ones(3, 3, cv.CV_8U));
  cv.dilate(edges, edges, kernel, new cv.Point(-1, -1), 2);
  const contours = track(new cv.MatVector());
  const hierarchy = track(new cv.Mat());
  cv.findContours(edges, contours, hierarchy, cv.RETR_EXTERNAL, cv.CHAIN_APPROX_SIMPLE);

  const frameArea = small.cols * small.rows;
  let best: { points: Point[]; area: number } | null = null;
  // The typings (mirada) declare size() as a Size; the binding returns a count.
  const count = contours.size() as unknown as number;
  for (let i = 0; i < count; i++) {
    const contour = track(contours.get(i));
    const area = cv.contourArea(contour);
    // A card filling the whole frame is a scan, not a photo: its "contour" is the image border.
    if (area < frameArea * MIN_AREA_SHARE || area > frameArea * 0.97 || (best && area <= best.area)) continue;
    const hull = track(new cv.Mat());
    cv.convexHull(contour, hull);
    const approx = track(new cv.Mat());
    cv.approxPolyDP(hull, approx, 0.02 * cv.arcLength(hull, true), true);
    let points: Point[];
    if (approx.rows === 4) {
      points = Array.from({ length: 4 }, (_, k) => ({
        x: approx.data32S[k * 2] ?? 0,
        y: approx.data32S[k * 2 + 1] ?? 0,
      }));
    } else {
      // Rounded corners or a shadow can spoil the polygon; the rotated bounding box still fits.
      const box = cv.minAreaRect(hull);
      // `RotatedRect.points` exists in the binding but not in the typings.
      const rotated = cv.RotatedRect as unknown as { points(r: unknown): { x: number; y: number }[] };
      points = rotated.points(box).map((p) => ({ x: p.x, y: p.y }));
    }
    const ordered = orderCorners(points);
    if (!ordered) continue;
    const aspect = quadAspect(ordered);
    if (aspect < MIN_ASPECT || aspect > MAX_ASPECT) continue;
    best = { points: ordered, area };
  }
  return best ? best.points.map((p) => ({ x: p.x / scale, y: p.y / scale })) : null;
}

function toGray(mat: OpenCv.Mat): GrayImage {
  return { width: mat.cols, height: mat.rows, data: new Uint8Array(mat.data) };
}

export function createOpenCvVision(cv: Cv): CardVision {
  return {
    straighten(image: RgbaImage): StraightenedCard {
      return withMats((track) => {
        const rgba = track(cv.matFromArray(image.height, image.width, cv.CV_8UC4, image.data));
        const gray = track(new cv.Mat());
        cv.cvtColor(rgba, gray, cv.COLOR_RGBA2GRAY);

        const found = findCard(cv, gray, track);
        const corners = orderCorners(
          found ?? [
            { x: 0, y: 0 },
            { x: gray.cols, y: 0 },
            { x: gray.cols, y: gray.rows },
            { x: 0, y: gray.rows },
          ],
        );
        const quad = corners ?? [
          { x: 0, y: 0 },
          { x: gray.cols, y: 0 },
          { x: gray.cols, y: gray.rows },
          { x: 0, y: gray.rows },
        ];
        const from = track(
          cv.matFromArray(
            4,
            1,
            cv.CV_32FC2,
            quad.flatMap((p) => [p.x, p.y]),
          ),
        );
        const to = track(
          cv.matFromArray(4, 1, cv.CV_32FC2, [0, 0, CARD_WIDTH, 0, CARD_WIDTH, CARD_HEIGHT, 0, CARD_HEIGHT]),
        );
        const transform = track(cv.getPerspectiveTransform(from, to));
        const card = track(new cv.Mat());
        cv.warpPerspective(
          gray,
          card,
          transform,
          new cv.Size(CARD_WIDTH, CARD_HEIGHT),
          cv.INTER_CUBIC,
          cv.BORDER_REPLICATE,
        );
        // Uneven light (a lamp on one side, a shadow) is evened out tile by tile.
        const clahe = track(new cv.CLAHE(2.0, new cv.Size(8, 8)));
        const normalised = track(new cv.Mat());
        clahe.apply(card, normalised);
        const color = track(new cv.Mat());
        cv.warpPerspective(
          rgba,
          color,
          transform,
          new cv.Size(CARD_WIDTH, CARD_HEIGHT),
          cv.INTER_LINEAR,
          cv.BORDER_REPLICATE,
        );
        return {
          card: toGray(normalised),
          color: { width: color.cols, height: color.rows, data: new Uint8ClampedArray(color.data) },
          corners: found && corners ? corners : null,
        };
      });
    },
    rotate180<T extends GrayImage | RgbaImage>(image: T): T {
      return withMats((track) => {
        const channels = image.data.length / (image.width * image.height);
        const src = track(
          cv.matFromArray(image.height, image.width, channels === 4 ? cv.CV_8UC4 : cv.CV_8UC1, image.data),
        );
        const dst = track(new cv.Mat());
        cv.rotate(src, dst, cv.ROTATE_180);
        const data =
          image.data instanceof Uint8ClampedArray
            ? new Uint8ClampedArray(dst.data)
            : new Uint8Array(dst.data);
        return { width: dst.cols, height: dst.rows, data } as T;
      });
    },
  };
}

/**
 * Loads OpenCV.js. Its Emscripten module is a "thenable" until the WebAssembly runtime is ready:
 * returning it from an async function would make the promise chase `then` forever, so wait for
 * readiness through `then`, remove it, and hand the module out inside an object.
 */
export async function loadOpenCv(load: () => Promise<unknown>): Promise<{ cv: Cv }> {
  const mod = (await load()) as { default?: unknown; cv?: unknown };
  const cv = (mod.default ?? mod.cv ?? mod) as Cv & { then?: (ready: () => void) => void };
  if (typeof cv.then === 'function') {
    const then = cv.then.bind(cv);
    await new Promise<void>((resolve) => then(() => resolve()));
    delete cv.then;
  }
  return { cv };
}
