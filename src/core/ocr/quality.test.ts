import { describe, expect, it } from 'vitest';
import { assessFrame, type GrayImage } from './quality';

function image(width: number, height: number, pixel: (x: number, y: number) => number): GrayImage {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = pixel(x, y);
  return { width, height, data };
}

/** Black text-like stripes on white: plenty of edges. */
const sharpText = image(120, 80, (x, y) => (x % 6 < 2 && y % 10 < 7 ? 20 : 230));
/** The same, smeared: a square box blur. */
function blur(src: GrayImage, radius: number): GrayImage {
  const at = (x: number, y: number) =>
    src.data[
      Math.min(src.height - 1, Math.max(0, y)) * src.width + Math.min(src.width - 1, Math.max(0, x))
    ] ?? 0;
  return image(src.width, src.height, (x, y) => {
    let sum = 0;
    for (let dy = -radius; dy <= radius; dy++)
      for (let dx = -radius; dx <= radius; dx++) sum += at(x + dx, y + dy);
    return Math.round(sum / (2 * radius + 1) ** 2);
  });
}

describe('assessFrame', () => {
  it('finds a sharp, well-lit card good', () => {
    const q = assessFrame(sharpText);
    expect([q.tooDark, q.tooBright, q.blurred]).toEqual([false, false, false]);
  });

  it('finds a dark picture too dark', () => {
    expect(assessFrame(image(100, 60, (x) => (x % 5 === 0 ? 40 : 15))).tooDark).toBe(true);
  });

  it('finds a washed-out picture too bright', () => {
    expect(assessFrame(image(100, 60, () => 250)).tooBright).toBe(true);
  });

  it('finds a smeared picture blurred, and sharpness falls as blur grows', () => {
    const slight = assessFrame(blur(sharpText, 1)).sharpness;
    const heavy = assessFrame(blur(sharpText, 8));
    expect(heavy.sharpness).toBeLessThan(slight);
    expect(heavy.blurred).toBe(true);
  });

  it('copes with an empty or one-pixel frame', () => {
    expect(assessFrame({ width: 0, height: 0, data: new Uint8Array() })).toMatchObject({
      brightness: 0,
      sharpness: 0,
    });
    expect(assessFrame(image(1, 1, () => 128)).blurred).toBe(true);
  });
});
