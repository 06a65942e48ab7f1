import type { RegionTable } from '../../core/identity/regions';
import { regionRect } from '../../core/ocr/layout';
import { parseEktp } from '../../core/ocr/parse-ektp';
import type { GrayImage } from '../../core/ocr/quality';
import type { EktpOcrRead, EktpReading, OcrLine } from '../../core/ocr/types';
import type { CardVision, RgbaImage, TextRecognizer } from './ports';

export type ReadStage = 'straighten' | 'header' | 'body' | 'done';

export interface EktpResult extends EktpReading {
  /** The straightened card that was read: what the officer is shown (grey as read, and in colour). */
  card: GrayImage;
  color: RgbaImage;
  cardFound: boolean;
  upsideDown: boolean;
  /** Nothing on the image looked like an e-KTP (no header, no labels). */
  noCard: boolean;
  /** Every line as read, header, NIK and body: kept with the application for audit. */
  text: string;
}

/** Both header lines found with confidence ≥ 0.75 each. */
const UPRIGHT = 3.5;

/** The header names the province: if the parser finds neither line, the card may be upside down. */
function headerScore(lines: OcrLine[]): number {
  // Both lines, read with confidence, score above UPRIGHT; anything less is worth a look upside down.
  const { fields, confidence } = parseEktp({ header: lines, body: [], nik: null });
  return (fields.provinsi ? 1 + confidence.provinsi : 0) + (fields.kota ? 1 + confidence.kota : 0);
}

/**
 * Straightens the card, reads it by region (the header and the label column as text, the NIK
 * band with digits only) and parses the result. The regions are read in parallel where the
 * recognizer allows it.
 */
export async function readEktp(
  image: RgbaImage,
  deps: { vision: CardVision; recognizer: TextRecognizer; regions?: RegionTable },
  onStage?: (stage: ReadStage) => void,
): Promise<EktpResult> {
  onStage?.('straighten');
  const straightened = deps.vision.straighten(image);
  let card = straightened.card;
  let color = straightened.color;

  onStage?.('header');
  const read = (img: GrayImage, region: 'header' | 'nik' | 'body', mode: 'text' | 'digits') =>
    deps.recognizer.readLines(img, regionRect(region, img.width, img.height), mode);
  // Start the digits read at once: it runs beside the header read on a second engine.
  let nikDigits = read(card, 'nik', 'digits');
  let header = await read(card, 'header', 'text');
  let upsideDown = false;
  let score = headerScore(header);
  if (score < UPRIGHT) {
    const turned = deps.vision.rotate180(card);
    const turnedHeader = await read(turned, 'header', 'text');
    const turnedScore = headerScore(turnedHeader);
    if (turnedScore > score) {
      card = turned;
      color = deps.vision.rotate180(color);
      header = turnedHeader;
      score = turnedScore;
      upsideDown = true;
      nikDigits = read(card, 'nik', 'digits');
    }
  }

  onStage?.('body');
  const [body, nikBand, digitLines] = await Promise.all([
    read(card, 'body', 'text'),
    read(card, 'nik', 'text'),
    nikDigits,
  ]);
  // The text engine reads the NIK's larger type best; the digits-only read is a second opinion.
  const nikLine = nikBand.find((line) => /\d{6}/.test(line.text.replace(/\s/g, ''))) ?? nikBand[0] ?? null;
  const ocr: EktpOcrRead = { header, body, nik: nikLine, nikDigits: digitLines[0] ?? null };
  const reading = parseEktp(ocr, deps.regions ? { regions: deps.regions } : {});
  onStage?.('done');
  // Noise can look like a word or two; a card gives its header or several confident fields.
  const confidentFields = Object.values(reading.confidence).filter((c) => c >= 0.5).length;
  return {
    ...reading,
    card,
    color,
    cardFound: straightened.corners !== null,
    upsideDown,
    noCard: score < 1 && confidentFields < 3,
    text: [...header, ...nikBand, ...body].map((l) => l.text).join('\n'),
  };
}
