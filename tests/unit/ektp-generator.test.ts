import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateDataset,
  type Manifest,
  renderEktp,
  renderEktpOnPage,
  renderEktpPng,
  writeFakeCameraFile,
} from '../../scripts/make-ektp';
import { parseNik } from '../../src/core/identity/nik';
import { parseNip } from '../../src/core/identity/nip';
import { EKTP_FIELDS } from '../../src/core/ocr/types';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium';
import {
  AGAMA,
  type EktpPerson,
  ektpHtml,
  GOL_DARAH,
  makePerson,
  PEKERJAAN,
  personFields,
  REGIONS,
  STATUS_PERKAWINAN,
} from '../support/ektp';
import { imageInfo, isJpeg } from '../support/image-info';

const seeds = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
const persons = seeds(1, 200).map((seed) => ({ seed, person: makePerson(seed) }));

const printedDate = (date: string) => {
  const [day, month, year] = date.split('-').map(Number);
  return { day: day ?? 0, month: month ?? 0, year: year ?? 0 };
};

describe('makePerson', () => {
  it('is reproducible: the same seed gives the same person, other seeds other people', () => {
    expect(makePerson(42)).toEqual(makePerson(42));
    expect(makePerson(20261125)).toEqual(makePerson(20261125));
    expect(makePerson(1)).not.toEqual(makePerson(2));
    expect(new Set(persons.map(({ person }) => person.nik)).size).toBe(persons.length);
    expect(new Set(persons.map(({ person }) => person.nama)).size).toBeGreaterThan(150);
  });

  it.each([
    ['seeds 1..200', seeds(1, 200)],
    ['seeds 1..40 (the default fixture run)', seeds(1, 40)],
    ['seeds 1000..1039', seeds(1000, 40)],
  ])('covers every allowed value across %s', (_, list) => {
    const ps = list.map(makePerson);
    const seen = <K extends keyof EktpPerson>(key: K) => new Set(ps.map((p) => p[key]));
    expect([...seen('agama')].sort()).toEqual([...AGAMA].sort());
    expect([...seen('statusPerkawinan')].sort()).toEqual([...STATUS_PERKAWINAN].sort());
    expect([...seen('golDarah')].sort()).toEqual([...GOL_DARAH].sort());
    expect([...seen('pekerjaan')].sort()).toEqual([...PEKERJAAN].sort());
    expect([...seen('jenisKelamin')].sort()).toEqual(['LAKI-LAKI', 'PEREMPUAN']);
    expect([...seen('kota')].sort()).toEqual(REGIONS.map((r) => r.kota).sort());
    expect(ps.some((p) => p.berlakuHingga === 'SEUMUR HIDUP')).toBe(true);
    expect(ps.some((p) => /^\d{2}-\d{2}-\d{4}$/.test(p.berlakuHingga))).toBe(true);
    expect(ps.some((p) => p.nama.length > 35)).toBe(true);
    expect(ps.some((p) => p.alamat.length > 35)).toBe(true);
  });

  it('draws names and addresses in every form, mostly PNS, mostly Kota Madiun, mostly valid for life', () => {
    const all = persons.map(({ person }) => person);
    const share = (f: (p: EktpPerson) => boolean) => all.filter(f).length / all.length;
    expect(all.some((p) => p.nama.startsWith('MUH. '))).toBe(true);
    expect(all.some((p) => p.nama.includes("'"))).toBe(true);
    expect(all.some((p) => p.nama.split(' ').length >= 3 && p.nama.length <= 25)).toBe(true);
    for (const form of ['JL. ', 'GG. ', 'PERUM ', 'DSN. ']) {
      expect(all.some((p) => p.alamat.startsWith(form))).toBe(true);
    }
    expect(share((p) => p.pekerjaan === 'PEGAWAI NEGERI SIPIL')).toBeGreaterThan(0.4);
    expect(share((p) => p.kota === 'KOTA MADIUN')).toBeGreaterThan(0.5);
    expect(share((p) => p.berlakuHingga === 'SEUMUR HIDUP')).toBeGreaterThan(0.7);
    expect(share((p) => p.agama === 'ISLAM')).toBeGreaterThan(0.3);
  });

  it.each(persons)('seed $seed: NIK and NIP encode the birth date, sex and region', ({ person }) => {
    const born = printedDate(person.tanggalLahir);
    expect(born.year).toBeGreaterThanOrEqual(1960);
    expect(born.year).toBeLessThanOrEqual(2003);
    const female = person.jenisKelamin === 'PEREMPUAN';

    const nik = parseNik(person.nik);
    if (!nik.ok) throw new Error(`NIK ${person.nik}: ${nik.problem}`);
    expect(nik.value.provinceCode).toBe('35');
    const region = REGIONS.find((r) => r.kota === person.kota);
    expect(nik.value.regencyCode).toBe(region?.code);
    const district = region?.districts.find((d) => d.kecamatan === person.kecamatan);
    expect(nik.value.districtCode).toBe(`${region?.code}${district?.code}`);
    expect(district?.kelurahan).toContain(person.kelDesa);
    expect(nik.value.sex).toBe(female ? 'female' : 'male');
    expect([nik.value.birthDay, nik.value.birthMonth, nik.value.birthYearTwoDigits]).toEqual([
      born.day,
      born.month,
      born.year % 100,
    ]);

    const nip = parseNip(person.nip);
    if (!nip.ok) throw new Error(`NIP ${person.nip}: ${nip.problem}`);
    expect(nip.value.kind).toBe('pns');
    expect(nip.value.birthDate).toEqual(born);
    expect(nip.value.sex).toBe(female ? 'female' : 'male');
    expect(nip.value.appointmentYear - born.year).toBeGreaterThanOrEqual(19);
    expect(nip.value.appointmentYear).toBeLessThanOrEqual(2024);

    if (person.berlakuHingga !== 'SEUMUR HIDUP') {
      const until = printedDate(person.berlakuHingga);
      expect(until.year).toBeGreaterThanOrEqual(2011);
      expect(until.year).toBeLessThanOrEqual(2013);
    }
  });

  it('personFields gives the truth in the kiosk field shape', () => {
    for (const { person } of persons) {
      const fields = personFields(person);
      expect(Object.keys(fields).sort()).toEqual([...EKTP_FIELDS].sort());
      expect(Object.keys(fields)).toHaveLength(17);
      expect(fields.provinsi).toBe('JAWA TIMUR');
      expect(fields.kota).toMatch(/^(KOTA|KABUPATEN) [A-Z]+$/);
      expect(fields.tanggalLahir).toBe(person.tanggalLahir.split('-').reverse().join('-'));
      expect(fields.tanggalLahir).toMatch(/^(19[6-9]\d|200[0-3])-\d{2}-\d{2}$/);
      expect(fields.berlakuHingga).toMatch(/^(SEUMUR HIDUP|201[1-3]-\d{2}-\d{2})$/);
      expect(fields.rtRw).toMatch(/^\d{3}\/\d{3}$/);
      expect(fields.kewarganegaraan).toBe('WNI');
      for (const value of Object.values(fields)) {
        expect(value).toBe(value.toUpperCase());
        expect(value).toBe(value.replace(/\s+/g, ' ').trim());
      }
    }
  });
});

describe('rendering (Chromium)', () => {
  let browser: Browser;

  beforeAll(async () => {
    const executablePath = findChromium();
    if (!executablePath) {
      throw new Error(
        'Chromium not found: these tests render e-KTP images with a real browser. Install Debian chromium (apt-get install chromium) or set CHROMIUM_PATH.',
      );
    }
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('clean: the same seed gives the same PNG bytes, another seed another image', async () => {
    const context = await browser.newContext();
    try {
      const a = await renderEktpPng(browser, 5);
      const b = await renderEktp(context, 5, 'clean');
      expect(b.mediaType).toBe('image/png');
      expect(Buffer.compare(a, b.image)).toBe(0);
      expect(imageInfo(a)).toEqual({ type: 'png', width: 1012, height: 638 });
      const other = await renderEktpPng(context, 6);
      expect(Buffer.compare(a, other)).not.toBe(0);
    } finally {
      await context.close();
    }
  });

  it('photo and degraded: big JPEGs of the card on a desk, the same corners, reproducible', async () => {
    const page = await browser.newPage();
    try {
      const photo = await renderEktpOnPage(page, 11, 'photo');
      const degraded = await renderEktpOnPage(page, 11, 'degraded');
      for (const r of [photo, degraded]) {
        expect(r.mediaType).toBe('image/jpeg');
        expect(isJpeg(r.image)).toBe(true);
        expect(imageInfo(r.image)).toEqual({ type: 'jpeg', width: 1600, height: 1200 });
        for (const { x, y } of r.corners) {
          expect(x).toBeGreaterThan(0);
          expect(x).toBeLessThan(1600);
          expect(y).toBeGreaterThan(0);
          expect(y).toBeLessThan(1200);
        }
        const [tl, tr] = r.corners;
        const top = Math.hypot(tr.x - tl.x, tr.y - tl.y);
        expect(top / 1600).toBeGreaterThan(0.5);
        expect(top / 1600).toBeLessThan(0.85);
      }
      expect(degraded.corners).toEqual(photo.corners);
      expect(degraded.image.length).toBeLessThan(photo.image.length);
      const again = await renderEktpOnPage(page, 11, 'degraded');
      expect(Buffer.compare(again.image, degraded.image)).toBe(0);
    } finally {
      await page.close();
    }
  });

  it('lowres is about 500 px wide; upside-down is the scan turned by 180°', async () => {
    const page = await browser.newPage();
    try {
      const low = await renderEktpOnPage(page, 12, 'lowres');
      const info = imageInfo(low.image);
      expect(info.type).toBe('png');
      expect(info.width).toBeLessThanOrEqual(560);
      expect(info.width).toBeGreaterThanOrEqual(440);
      expect(info.height).toBe(Math.round((info.width * 638) / 1012));

      const flipped = await renderEktpOnPage(page, 12, 'upside-down');
      expect(imageInfo(flipped.image)).toEqual({ type: 'png', width: 1012, height: 638 });
      expect(flipped.corners[0]).toEqual({ x: 1012, y: 638 });
      expect(flipped.corners[2]).toEqual({ x: 0, y: 0 });
      const clean = await renderEktpOnPage(page, 12, 'clean');
      expect(Buffer.compare(flipped.image, clean.image)).not.toBe(0);
    } finally {
      await page.close();
    }
  });

  it('keeps the layout: values wrap inside their column, at most two lines, above 82% of the height', async () => {
    const page = await browser.newPage({ viewport: { width: 1012, height: 638 } });
    try {
      for (const seed of seeds(1, 40)) {
        const person = makePerson(seed);
        await page.setContent(ektpHtml(person));
        const layout = (await page.evaluate(`[...document.querySelectorAll('#card .row')].map((row) => {
          const value = row.querySelector('.v');
          const range = document.createRange();
          range.selectNodeContents(value);
          const rects = [...range.getClientRects()];
          // Lines a word lands on (a word split over two lines is a wrap inside a word).
          const nodes = [];
          const walker = document.createTreeWalker(value, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
          const at = (i, end) => {
            for (const node of nodes) {
              if (end ? i <= node.length : i < node.length) return [node, i];
              i -= node.length;
            }
          };
          const text = value.textContent;
          let splitWord = null;
          for (const m of text.matchAll(/\\S+/g)) {
            const r = document.createRange();
            r.setStart(...at(m.index, false));
            r.setEnd(...at(m.index + m[0].length, true));
            const tops = new Set([...r.getClientRects()].filter((q) => q.width > 0).map((q) => Math.round(q.top)));
            if (tops.size > 1) splitWord = m[0];
          }
          return {
            label: row.querySelector('.l').textContent,
            lines: Math.round(value.getBoundingClientRect().height / 26),
            right: Math.max(...rects.map((r) => r.right)),
            bottom: row.getBoundingClientRect().bottom,
            splitWord,
          };
        })`)) as { label: string; lines: number; right: number; bottom: number; splitWord: string | null }[];
        expect(layout).toHaveLength(12);
        for (const row of layout) {
          const where = `seed ${seed}, ${row.label}`;
          const wraps = row.label === 'Nama' || row.label === 'Alamat';
          expect(row.lines, where).toBeLessThanOrEqual(wraps ? 2 : 1);
          // The photo starts at 68% of the width; the body region ends at 82% of the height.
          expect(row.right, where).toBeLessThan(0.68 * 1012);
          expect(row.bottom, where).toBeLessThan(0.82 * 638);
          // Wraps fall between words only, so joining the lines with one space gives the value back.
          expect(row.splitWord, where).toBeNull();
        }
        const nama = layout.find((r) => r.label === 'Nama');
        if (person.nama.length >= 36) expect(nama?.lines, person.nama).toBe(2);
      }
    } finally {
      await page.close();
    }
  });

  it('writes a fake-camera file and a dataset with its manifest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ektp-gen-'));
    try {
      const png = await renderEktpPng(browser, 3);
      await writeFakeCameraFile(png, join(dir, 'card.mjpeg'), browser);
      const frame = readFileSync(join(dir, 'card.mjpeg'));
      expect(imageInfo(frame)).toEqual({ type: 'jpeg', width: 1012, height: 638 });
      const photo = await renderEktp(browser, 3, 'photo');
      await writeFakeCameraFile(photo.image, join(dir, 'photo.mjpeg'));
      expect(Buffer.compare(readFileSync(join(dir, 'photo.mjpeg')), photo.image)).toBe(0);
      await expect(writeFakeCameraFile(photo.image, join(dir, 'photo.jpg'))).rejects.toThrow(/mjpeg/);

      const out = join(dir, 'set');
      const { manifest, timings } = await generateDataset({
        seeds: [3, 4],
        variants: ['clean', 'lowres'],
        out,
        host: browser,
      });
      expect(manifest.images.map((i) => i.file)).toEqual([
        'ektp-3-clean.png',
        'ektp-3-lowres.png',
        'ektp-4-clean.png',
        'ektp-4-lowres.png',
      ]);
      for (const image of manifest.images) {
        expect(existsSync(join(out, image.file))).toBe(true);
        expect(image.truth).toEqual(personFields(makePerson(image.seed)));
      }
      const written = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
      expect(written).toEqual(manifest);
      const truth = JSON.parse(readFileSync(join(out, 'ektp-3.json'), 'utf8'));
      expect(truth).toEqual({ seed: 3, person: makePerson(3), fields: personFields(makePerson(3)) });
      expect(timings.perVariant.clean?.count).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
