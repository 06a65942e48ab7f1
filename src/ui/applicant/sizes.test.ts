import { describe, expect, it } from 'vitest';
import { formatLimit, formatSize } from './sizes';

describe('formatSize and formatLimit', () => {
  it.each<[number, 'id' | 'en', string]>([
    [1_234_567, 'id', '1,3 MB'],
    [1_234_567, 'en', '1.3 MB'],
    // Just over 5 MB never reads as 5.0 MB.
    [5_000_001, 'en', '5.1 MB'],
    [120_000, 'en', '0.2 MB'],
  ])('size %d (%s) → %s', (bytes, locale, text) => {
    expect(formatSize(bytes, locale)).toBe(text);
  });

  it.each<[number, string]>([
    [5_000_000, '5 MB'],
    // 20 MiB: the text says 20, never more than the kiosk takes.
    [20 * 1024 * 1024, '20 MB'],
    [6_000_000, '6 MB'],
    [500_000, '0.5 MB'],
  ])('limit %d → %s', (bytes, text) => {
    expect(formatLimit(bytes, 'en')).toBe(text);
  });
});
