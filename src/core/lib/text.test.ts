import { describe, expect, it } from 'vitest';
import { closestByKey, collapseSpaces, editDistance, lettersKey } from './text';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['nama', 'nama', 0],
    ['kitten', 'sitting', 3],
    ['nama', 'narna', 2],
    ['agama', 'agmaa', 1], // one adjacent swap
    ['ab', 'ba', 1],
    ['ca', 'abc', 3], // OSA: no edits inside a transposed pair
    ['keldesa', 'keloesa', 1],
    ['kabupaten', 'kabupatem', 1],
  ])('%j ↔ %j = %i', (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
    expect(editDistance(b, a)).toBe(expected);
  });
});

describe('lettersKey', () => {
  it.each([
    ['Nama', 'nama'],
    ['Narna', 'nama'],
    ['Tempat/TglLahir', 'tempattgllahir'],
    ['Tempat/Tgl Lahir', 'tempattgllahir'],
    ['RT/ RW', 'rtrw'],
    ['PROV1NSI', 'provinsi'],
    ['GoI. Darah', 'goidarah'],
    ['LAKI-LAKI', 'lakilaki'],
    ['  : ', ''],
  ])('%j → %j', (input, expected) => {
    expect(lettersKey(input)).toBe(expected);
  });
});

describe('collapseSpaces', () => {
  it.each([
    ['  JL.   PAHLAWAN \t NO. 37 ', 'JL. PAHLAWAN NO. 37'],
    ['', ''],
    ['\n', ''],
  ])('%j → %j', (input, expected) => {
    expect(collapseSpaces(input)).toBe(expected);
  });
});

describe('closestByKey', () => {
  const agama = ['ISLAM', 'KATHOLIK', 'KATOLIK'] as const;
  it.each([
    ['KATOLIK', 'KATOLIK', 0],
    ['KATHOLIK', 'KATHOLIK', 0],
    ['KATHOLlK', 'KATHOLIK', 1],
    ['lSLAM', 'ISLAM', 1],
  ])('%j → %s at %i', (input, value, distance) => {
    expect(closestByKey(input, agama)).toEqual({ value, distance });
  });

  it('returns null without candidates', () => {
    expect(closestByKey('ISLAM', [])).toBeNull();
  });
});
