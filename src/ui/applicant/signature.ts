/**
 * What a drawn signature is, in pad units (the pad's width is 1, y counted in the same unit), and
 * when it is too little to be a specimen. Pure: the pad component draws, this judges.
 */
export interface StrokePoint {
  x: number;
  y: number;
}
export type Stroke = readonly StrokePoint[];

/** Less ink than this (a fifth of the pad's width) is a slip of the finger, not a signature. */
export const MIN_INK_LENGTH = 0.2;
/** The ink must reach this far across or down (in pad widths). */
export const MIN_INK_EXTENT = 0.08;

export type SpecimenProblem = 'empty' | 'too-small';

/** The bounding box of the ink, or null when there is none. */
export function inkBox(
  strokes: readonly Stroke[],
): { minX: number; minY: number; maxX: number; maxY: number } | null {
  let box: { minX: number; minY: number; maxX: number; maxY: number } | null = null;
  for (const stroke of strokes) {
    for (const { x, y } of stroke) {
      box = box
        ? {
            minX: Math.min(box.minX, x),
            minY: Math.min(box.minY, y),
            maxX: Math.max(box.maxX, x),
            maxY: Math.max(box.maxY, y),
          }
        : { minX: x, minY: y, maxX: x, maxY: y };
    }
  }
  return box;
}

/** The length of all the strokes together. */
export function inkLength(strokes: readonly Stroke[]): number {
  let length = 0;
  for (const stroke of strokes) {
    for (let i = 1; i < stroke.length; i++) {
      const a = stroke[i - 1];
      const b = stroke[i];
      if (a && b) length += Math.hypot(b.x - a.x, b.y - a.y);
    }
  }
  return length;
}

/** Why these strokes cannot be saved as the specimen, or null when they can. */
export function specimenProblem(strokes: readonly Stroke[]): SpecimenProblem | null {
  const box = inkBox(strokes);
  if (!box) return 'empty';
  const extent = Math.max(box.maxX - box.minX, box.maxY - box.minY);
  if (inkLength(strokes) < MIN_INK_LENGTH || extent < MIN_INK_EXTENT) return 'too-small';
  return null;
}
