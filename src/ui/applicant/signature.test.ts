import { describe, expect, it } from 'vitest';
import { inkBox, inkLength, type Stroke, specimenProblem } from './signature';

const line = (x0: number, y0: number, x1: number, y1: number, steps = 10): Stroke =>
  Array.from({ length: steps + 1 }, (_, i) => ({
    x: x0 + ((x1 - x0) * i) / steps,
    y: y0 + ((y1 - y0) * i) / steps,
  }));

describe('specimenProblem', () => {
  it.each<[string, Stroke[], ReturnType<typeof specimenProblem>]>([
    ['no strokes', [], 'empty'],
    ['strokes without points', [[], []], 'empty'],
    ['one tap', [[{ x: 0.5, y: 0.2 }]], 'too-small'],
    ['a short tick', [line(0.1, 0.1, 0.15, 0.12)], 'too-small'],
    [
      'a long scribble in one spot',
      [line(0.5, 0.1, 0.52, 0.1, 2), ...Array(20).fill(line(0.5, 0.1, 0.52, 0.11))],
      'too-small',
    ],
    ['a signature across half the pad', [line(0.1, 0.2, 0.35, 0.1), line(0.35, 0.1, 0.6, 0.25)], null],
    ['one long stroke', [line(0.05, 0.15, 0.6, 0.15)], null],
  ])('%s → %s', (_what, strokes, expected) => {
    expect(specimenProblem(strokes)).toBe(expected);
  });
});

describe('inkBox and inkLength', () => {
  it('measures the strokes together', () => {
    const strokes = [line(0.1, 0.1, 0.4, 0.1), line(0.2, 0.3, 0.2, 0.2)];
    expect(inkBox(strokes)).toEqual({ minX: 0.1, minY: 0.1, maxX: 0.4, maxY: 0.3 });
    expect(inkLength(strokes)).toBeCloseTo(0.4, 10);
  });

  it('has no box without ink', () => {
    expect(inkBox([])).toBeNull();
    expect(inkLength([[{ x: 0.2, y: 0.2 }]])).toBe(0);
  });
});
