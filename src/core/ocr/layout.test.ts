import { describe, expect, it } from 'vitest';
import { CARD_ASPECT, CARD_HEIGHT, CARD_WIDTH, orderCorners, quadAspect, regionRect } from './layout';

const card = [
  { x: 100, y: 50 },
  { x: 900, y: 80 },
  { x: 880, y: 580 },
  { x: 90, y: 560 },
];

describe('orderCorners', () => {
  it.each([
    ['already in order', [0, 1, 2, 3]],
    ['reversed', [3, 2, 1, 0]],
    ['shuffled', [2, 0, 3, 1]],
  ])('puts the corners of a landscape card in TL, TR, BR, BL order when %s', (_what, order) => {
    const points = order.map((i) => card[i] ?? { x: 0, y: 0 });
    expect(orderCorners(points)).toEqual(card);
  });

  it('turns a card photographed in portrait so that its long side is on top', () => {
    const portrait = [
      { x: 100, y: 100 },
      { x: 400, y: 100 },
      { x: 400, y: 576 },
      { x: 100, y: 576 },
    ];
    const ordered = orderCorners(portrait);
    expect(ordered).not.toBeNull();
    if (!ordered) return;
    expect(quadAspect(ordered)).toBeGreaterThan(1);
  });

  it.each([[[]], [[{ x: 0, y: 0 }]], [card.slice(0, 3)]])('refuses anything but four points', (points) => {
    expect(orderCorners(points)).toBeNull();
  });
});

describe('quadAspect', () => {
  it('is the ID-1 ratio for a straight card', () => {
    const straight = orderCorners([
      { x: 0, y: 0 },
      { x: CARD_WIDTH, y: 0 },
      { x: CARD_WIDTH, y: CARD_HEIGHT },
      { x: 0, y: CARD_HEIGHT },
    ]);
    expect(straight && quadAspect(straight)).toBeCloseTo(CARD_ASPECT, 5);
    expect(CARD_ASPECT).toBeCloseTo(85.6 / 53.98, 2);
  });
});

describe('regionRect', () => {
  it.each(['header', 'nik', 'body'] as const)('keeps the %s region inside the card', (region) => {
    const r = regionRect(region);
    expect(r.left).toBeGreaterThanOrEqual(0);
    expect(r.top).toBeGreaterThanOrEqual(0);
    expect(r.left + r.width).toBeLessThanOrEqual(CARD_WIDTH);
    expect(r.top + r.height).toBeLessThanOrEqual(CARD_HEIGHT);
  });

  it('leaves the photo column (from 68% of the width) out of the text regions', () => {
    expect(regionRect('body').left + regionRect('body').width).toBeLessThanOrEqual(
      Math.round(0.7 * CARD_WIDTH),
    );
    expect(regionRect('nik').left + regionRect('nik').width).toBeLessThanOrEqual(
      Math.round(0.68 * CARD_WIDTH),
    );
  });

  it('scales with the image', () => {
    expect(regionRect('header', CARD_WIDTH * 2, CARD_HEIGHT * 2).width).toBe(regionRect('header').width * 2);
  });
});
