// Copies the OCR engine, its language data and OpenCV.js from node_modules into public/tesseract/, so the
// kiosk serves (and precaches) them from its own origin: nothing is ever fetched from a CDN.
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'public', 'tesseract');
const pkgDir = (name) => dirname(require.resolve(`${name}/package.json`));

// LSTM-only cores: the worker picks relaxed SIMD, SIMD or plain by what the browser supports.
const files = [
  [join(pkgDir('tesseract.js'), 'dist', 'worker.min.js'), 'worker.min.js'],
  ...['tesseract-core-lstm', 'tesseract-core-simd-lstm', 'tesseract-core-relaxedsimd-lstm'].map((n) => [
    join(pkgDir('tesseract.js-core'), `${n}.wasm.js`),
    `${n}.wasm.js`,
  ]),
  // Both languages must sit in one folder (tesseract.js 7 crashes on per-language paths).
  [join(pkgDir('@tesseract.js-data/ind'), '4.0.0_best_int', 'ind.traineddata.gz'), 'lang/ind.traineddata.gz'],
  [join(pkgDir('@tesseract.js-data/eng'), '4.0.0_best_int', 'eng.traineddata.gz'), 'lang/eng.traineddata.gz'],
  // OpenCV.js is a classic script (it assigns globals), loaded with importScripts in the OCR worker.
  [join(pkgDir('@techstark/opencv-js'), 'dist', 'opencv.js'), 'opencv.js'],
];

let bytes = 0;
for (const [from, to] of files) {
  const target = join(out, to);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(from, target);
  bytes += statSync(target).size;
}
console.log(`OCR assets: ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB in public/tesseract/`);
