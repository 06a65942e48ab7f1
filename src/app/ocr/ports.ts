import type { Point, Rect } from '../../core/ocr/layout';
import type { GrayImage } from '../../core/ocr/quality';
import type { OcrLine } from '../../core/ocr/types';

/** Decoded pixels, RGBA, row by row (what a canvas or an image decoder gives). */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

export interface StraightenedCard {
  /** The card at CARD_WIDTH × CARD_HEIGHT, grey, contrast normalised: what OCR reads. */
  card: GrayImage;
  /** The same card in colour, for the officer and the archive (the photo must stay recognisable). */
  color: RgbaImage;
  /** Where the card's corners were found in the input; null when the whole input was taken as the card. */
  corners: [Point, Point, Point, Point] | null;
}

/** Image geometry (OpenCV in the adapters): find the card, straighten it, turn it. */
export interface CardVision {
  straighten(image: RgbaImage): StraightenedCard;
  rotate180<T extends GrayImage | RgbaImage>(image: T): T;
}

export type ReadMode = 'text' | 'digits';

/** An OCR engine that reads the lines of one region of an image. */
export interface TextRecognizer {
  readLines(image: GrayImage, region: Rect, mode: ReadMode): Promise<OcrLine[]>;
}
