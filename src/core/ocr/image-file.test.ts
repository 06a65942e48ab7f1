import { describe, expect, it } from 'vitest';
import { isCompleteImageFile } from './image-file';

const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 0xff, 0xd9]);
const png = Uint8Array.from([
  0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
]);
const webp = Uint8Array.from([0x52, 0x49, 0x46, 0x46, 8, 0, 0, 0, 0x57, 0x45, 0x42, 0x50, 0, 0, 0, 0]);

describe('isCompleteImageFile', () => {
  it.each([
    ['a whole JPEG', jpeg, 'image/jpeg', true],
    ['a JPEG with trailing padding', Uint8Array.from([...jpeg, 0, 0, 0]), 'image/jpeg', true],
    ['a JPEG cut short', jpeg.subarray(0, 7), 'image/jpeg', false],
    ['not a JPEG at all', png, 'image/jpeg', false],
    ['a whole PNG', png, 'image/png', true],
    ['a PNG cut short', png.subarray(0, png.length - 3), 'image/png', false],
    ['a whole WebP', webp, 'image/webp', true],
    ['a WebP cut short', webp.subarray(0, 14), 'image/webp', false],
    ['a PDF', Uint8Array.from([0x25, 0x50, 0x44, 0x46]), 'application/pdf', false],
    ['an empty file', new Uint8Array(), 'image/png', false],
  ])('%s → %s', (_what, bytes, type, complete) => {
    expect(isCompleteImageFile(bytes, type)).toBe(complete);
  });
});
