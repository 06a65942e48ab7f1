/**
 * Where things sit on an e-KTP once it is straightened. The card is ID-1 (85.60 × 53.98 mm); the
 * canonical image is about 300 dpi, the resolution tesseract is tuned for.
 */
export const CARD_WIDTH = 1518;
export const CARD_HEIGHT = 957;
export const CARD_ASPECT = CARD_WIDTH / CARD_HEIGHT;

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

/** Regions as fractions of the card, generous enough for a few degrees of residual skew. */
const FRACTIONS = {
  /** `PROVINSI …` and `KOTA|KABUPATEN …`, centred at the top. */
  header: { left: 0.08, top: 0.0, width: 0.84, height: 0.17 },
  /** The NIK line, in larger type, left. */
  nik: { left: 0.01, top: 0.14, width: 0.66, height: 0.11 },
  /** Labels and values from `Nama` to `Berlaku Hingga`; the photo column on the right is left out. */
  body: { left: 0.01, top: 0.22, width: 0.69, height: 0.6 },
} as const satisfies Record<string, Rect>;

export type CardRegion = keyof typeof FRACTIONS;

export function regionRect(region: CardRegion, width = CARD_WIDTH, height = CARD_HEIGHT): Rect {
  const f = FRACTIONS[region];
  return {
    left: Math.round(f.left * width),
    top: Math.round(f.top * height),
    width: Math.round(f.width * width),
    height: Math.round(f.height * height),
  };
}

/** Corners in the order top-left, top-right, bottom-right, bottom-left, the long side on top. */
export function orderCorners(points: readonly Point[]): [Point, Point, Point, Point] | null {
  if (points.length !== 4) return null;
  const bySum = [...points].sort((a, b) => a.x + a.y - (b.x + b.y));
  const byDiff = [...points].sort((a, b) => a.y - a.x - (b.y - b.x));
  const tl = bySum[0];
  const br = bySum[3];
  const tr = byDiff[0];
  const bl = byDiff[3];
  if (!tl || !tr || !br || !bl || new Set([tl, tr, br, bl]).size !== 4) return null;
  const top = Math.hypot(tr.x - tl.x, tr.y - tl.y);
  const left = Math.hypot(bl.x - tl.x, bl.y - tl.y);
  // A card photographed in portrait: its long side runs down the frame, so turn the order.
  return top >= left ? [tl, tr, br, bl] : [bl, tl, tr, br];
}

/** Long side over short side of a quadrilateral given in `orderCorners` order. */
export function quadAspect([tl, tr, br, bl]: readonly [Point, Point, Point, Point]): number {
  const width = (Math.hypot(tr.x - tl.x, tr.y - tl.y) + Math.hypot(br.x - bl.x, br.y - bl.y)) / 2;
  const height = (Math.hypot(bl.x - tl.x, bl.y - tl.y) + Math.hypot(br.x - tr.x, br.y - tr.y)) / 2;
  return height === 0 ? 0 : width / height;
}
