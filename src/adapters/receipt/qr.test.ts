import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { qrMatrix, qrSvgPath } from './qr';

/** The symbol as an RGBA image, `scale` pixels a module, with its quiet zone: what a camera would see. */
function raster(text: string, scale = 4) {
  const matrix = qrMatrix(text);
  const side = (matrix.size + 8) * scale;
  const data = new Uint8ClampedArray(side * side * 4).fill(255);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const row = Math.floor(y / scale) - 4;
      const column = Math.floor(x / scale) - 4;
      const inside = row >= 0 && column >= 0 && row < matrix.size && column < matrix.size;
      if (inside && matrix.isDark(row, column)) data.fill(0, (y * side + x) * 4, (y * side + x) * 4 + 3);
    }
  }
  return { data, side };
}

describe('qrMatrix', () => {
  it.each(['SK-7F3K9-Q2MXA-J', 'https://sertel.madiunkota.go.id/status/SK-7F3K9-Q2MXA-J'])(
    'decodes back to %s',
    (text) => {
      const { data, side } = raster(text);
      expect(jsQR(data, side, side)?.data).toBe(text);
    },
  );

  it('draws one square of the SVG path per dark module, inside the quiet zone', () => {
    const matrix = qrMatrix('SK-7F3K9-Q2MXA-J');
    let dark = 0;
    for (let r = 0; r < matrix.size; r++)
      for (let c = 0; c < matrix.size; c++) if (matrix.isDark(r, c)) dark++;
    const { path, viewBox } = qrSvgPath(matrix);
    expect(path.match(/M/g)?.length).toBe(dark);
    expect(viewBox).toBe(`0 0 ${matrix.size + 8} ${matrix.size + 8}`);
    expect(path).not.toMatch(/M[0-3] |M\d+ [0-3]h/);
  });
});
