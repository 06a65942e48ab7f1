import { describe, expect, it } from 'vitest';
import { CARD_HEIGHT, CARD_WIDTH, type Rect, regionRect } from '../../core/ocr/layout';
import type { GrayImage } from '../../core/ocr/quality';
import type { OcrLine } from '../../core/ocr/types';
import type { CardVision, ReadMode, RgbaImage, TextRecognizer } from './ports';
import { readEktp } from './read-ektp';

const line = (text: string, confidence = 0.95): OcrLine => ({ text, confidence });
const HEADER = [line('PROVINSI JAWA TIMUR'), line('KOTA MADIUN')];
const BODY = [line('Nama : BUDI SANTOSO'), line('Tempat/Tgl Lahir : MADIUN, 17-01-1975')];
const NIK = [line('NIK : 3577011701750001')];

/** A card image whose first pixel says which way up it is: 1 upright, 2 turned. */
const cardImage = (way: 1 | 2): GrayImage => {
  const data = new Uint8Array(CARD_WIDTH * CARD_HEIGHT);
  data[0] = way;
  return { width: CARD_WIDTH, height: CARD_HEIGHT, data };
};

function fakeVision(initial: 1 | 2, found = true): CardVision & { turns: number } {
  const vision = {
    turns: 0,
    straighten: () => ({
      card: cardImage(initial),
      color: { width: 1, height: 1, data: new Uint8ClampedArray(4) } as RgbaImage,
      corners: found
        ? ([
            { x: 0, y: 0 },
            { x: 10, y: 0 },
            { x: 10, y: 6 },
            { x: 0, y: 6 },
          ] as const)
        : null,
    }),
    rotate180<T extends GrayImage | RgbaImage>(image: T): T {
      vision.turns++;
      if (image.data.length !== CARD_WIDTH * CARD_HEIGHT) return image;
      return cardImage(image.data[0] === 1 ? 2 : 1) as T;
    },
  };
  return vision as CardVision & { turns: number };
}

/** Reads the card only when it is upright (pixel 0 = 1); upside down it sees noise. */
function fakeRecognizer(calls: string[] = []): TextRecognizer {
  return {
    async readLines(image: GrayImage, region: Rect, mode: ReadMode) {
      const name = (['header', 'nik', 'body'] as const).find(
        (r) => JSON.stringify(regionRect(r)) === JSON.stringify(region),
      );
      calls.push(`${name}:${mode}`);
      if (image.data[0] !== 1) return [line('~~ ~~~', 0.2)];
      if (name === 'header') return HEADER;
      if (name === 'nik') return NIK;
      return BODY;
    },
  };
}

describe('readEktp', () => {
  it('reads an upright card region by region, with a digits pass over the NIK band', async () => {
    const calls: string[] = [];
    const stages: string[] = [];
    const vision = fakeVision(1);
    const result = await readEktp(
      { width: 1, height: 1, data: new Uint8Array(4) },
      { vision, recognizer: fakeRecognizer(calls) },
      (s) => stages.push(s),
    );
    expect(result.fields).toMatchObject({
      provinsi: 'JAWA TIMUR',
      kota: 'KOTA MADIUN',
      nik: '3577011701750001',
      nama: 'BUDI SANTOSO',
      tanggalLahir: '1975-01-17',
    });
    expect([result.upsideDown, result.noCard, result.cardFound, vision.turns]).toEqual([
      false,
      false,
      true,
      0,
    ]);
    expect(calls.sort()).toEqual(['body:text', 'header:text', 'nik:digits', 'nik:text']);
    expect(stages).toEqual(['straighten', 'header', 'body', 'done']);
    expect(result.text).toContain('PROVINSI JAWA TIMUR');
  });

  it('turns a card whose header only reads upside down, the colour picture too', async () => {
    const vision = fakeVision(2);
    const result = await readEktp(
      { width: 1, height: 1, data: new Uint8Array(4) },
      { vision, recognizer: fakeRecognizer() },
    );
    expect(result.upsideDown).toBe(true);
    expect(result.card.data[0]).toBe(1);
    expect(vision.turns).toBe(2);
    expect(result.fields.nik).toBe('3577011701750001');
  });

  it('says there is no card when nothing on the image reads like one', async () => {
    const recognizer: TextRecognizer = { readLines: async () => [line('~~ ~', 0.1)] };
    const result = await readEktp(
      { width: 1, height: 1, data: new Uint8Array(4) },
      { vision: fakeVision(1, false), recognizer },
    );
    expect([result.noCard, result.cardFound]).toEqual([true, false]);
  });
});
