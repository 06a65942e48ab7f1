import type { ReadStage } from '../../app/ocr/read-ektp';
import type { EktpReading } from '../../core/ocr/types';

/** Why an image could not be read; the screen maps each to an Indonesian message. */
export type ReadFailure = 'unsupported-type' | 'too-large' | 'corrupt' | 'no-card' | 'engine-failed';

export type ToWorker = { id: number; type: 'read'; file: Blob } | { id: number; type: 'warm-up' };

export interface ReadSuccess extends EktpReading {
  /** The straightened card in colour (JPEG): what was read, shown to the officer and archived. */
  card: Blob;
  upsideDown: boolean;
  cardFound: boolean;
  text: string;
  ms: number;
}

export type FromWorker =
  | { id: number; type: 'stage'; stage: ReadStage }
  | { id: number; type: 'result'; result: ReadSuccess }
  | { id: number; type: 'failure'; failure: ReadFailure; message: string }
  | { id: number; type: 'ready' };

/** Inputs larger than this are refused before decoding (a 12 MP phone photo is about 5 MB). */
export const MAX_INPUT_BYTES = 20 * 1024 * 1024;
export const READABLE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
