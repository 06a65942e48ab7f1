/** A grey image, one byte per pixel, row by row. */
export interface GrayImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface FrameQuality {
  /** Mean grey level, 0..255. */
  brightness: number;
  /** Variance of the Laplacian: low means blurred (or an empty, flat picture). */
  sharpness: number;
  tooDark: boolean;
  tooBright: boolean;
  blurred: boolean;
}

export const QUALITY_LIMITS = { minBrightness: 60, maxBrightness: 235, minSharpness: 60 } as const;

/**
 * Cheap enough to run on every preview frame (on a downscaled copy): tells the applicant to
 * move to the light or hold still before a capture that would read badly.
 */
export function assessFrame(image: GrayImage, limits = QUALITY_LIMITS): FrameQuality {
  const { width, height, data } = image;
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum += data[i] ?? 0;
  const brightness = data.length === 0 ? 0 : sum / data.length;

  let lapSum = 0;
  let lapSq = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const lap =
        (data[i - 1] ?? 0) +
        (data[i + 1] ?? 0) +
        (data[i - width] ?? 0) +
        (data[i + width] ?? 0) -
        4 * (data[i] ?? 0);
      lapSum += lap;
      lapSq += lap * lap;
      n++;
    }
  }
  const sharpness = n === 0 ? 0 : lapSq / n - (lapSum / n) ** 2;
  return {
    brightness,
    sharpness,
    tooDark: brightness < limits.minBrightness,
    tooBright: brightness > limits.maxBrightness,
    blurred: sharpness < limits.minSharpness,
  };
}
