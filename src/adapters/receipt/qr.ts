import QRCode from 'qrcode';

/** A QR symbol as dark/light modules, row by row; drawn the same way on screen (SVG) and in the PDF. */
export interface QrMatrix {
  size: number;
  isDark(row: number, column: number): boolean;
}

/**
 * Error correction M: an application number survives a crease or a smudged thermal print, and the
 * symbol stays small (version 2 for `SK-…`).
 */
export function qrMatrix(text: string): QrMatrix {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  return { size: modules.size, isDark: (row, column) => modules.get(row, column) === 1 };
}

/** The dark modules as one SVG path in module units, with the 4-module quiet zone the standard asks. */
export function qrSvgPath(matrix: QrMatrix): { path: string; viewBox: string } {
  const quiet = 4;
  const parts: string[] = [];
  for (let row = 0; row < matrix.size; row++) {
    for (let column = 0; column < matrix.size; column++) {
      if (matrix.isDark(row, column)) parts.push(`M${column + quiet} ${row + quiet}h1v1h-1z`);
    }
  }
  const side = matrix.size + 2 * quiet;
  return { path: parts.join(''), viewBox: `0 0 ${side} ${side}` };
}
