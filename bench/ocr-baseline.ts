/*
 * The naive e-KTP reader the OCR benchmark compares the kiosk's pipeline against: ONE tesseract.js
 * pass over the whole original image (no card detection, no straightening, no regions, no
 * orientation check, tesseract's default page segmentation), then one label regex per output line.
 * No fuzzy label matching, no look-alike repair, no snapping to allowed values, no wrapped lines:
 * a field is what follows its label on one line, and its confidence is that line's confidence.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWorker, OEM, type Worker } from 'tesseract.js';
import { tesseractLanguageFolder } from '../src/adapters/ocr/node/node-reader';
import { EKTP_FIELDS, type EktpField, type EktpFields } from '../src/core/ocr/types';

export interface BaselineResult {
  fields: EktpFields;
  /** 0..1 per field: the confidence of the line it came from; 0 when not read. */
  confidence: Record<EktpField, number>;
  /** Every line as read, for debugging. */
  text: string;
}

export interface BaselineReader {
  read(file: Buffer): Promise<BaselineResult>;
  close(): Promise<void>;
}

interface Line {
  text: string;
  confidence: number;
}

const clean = (s: string) => s.replace(/\s+/g, ' ').trim();

/** `DD-MM-YYYY` (as printed) → `YYYY-MM-DD`; anything else is kept as read. */
const isoDate = (s: string) => {
  const m = /^(\d{2})-(\d{2})-(\d{4})$/.exec(s);
  return m ? `${m[3]}-${m[2]}-${m[1]}` : s;
};

type Rule = (line: string) => Partial<EktpFields> | null;

/**
 * One rule per printed label (case-insensitive, exact spelling), tried on each line in turn; a field
 * keeps its first match.
 */
const RULES: readonly Rule[] = [
  (l) => {
    const m = /^PROVINSI\s+(.+)$/i.exec(l);
    return m ? { provinsi: clean(m[1] ?? '') } : null;
  },
  (l) => {
    const m = /^((?:KOTA|KABUPATEN)\s+.+)$/i.exec(l);
    return m ? { kota: clean(m[1] ?? '') } : null;
  },
  (l) => {
    const m = /^NIK\s*:?\s*(\d{16})/i.exec(l);
    return m ? { nik: m[1] ?? '' } : null;
  },
  (l) => {
    const m = /^Nama\s*:?\s*(.*)$/i.exec(l);
    return m ? { nama: clean(m[1] ?? '') } : null;
  },
  (l) => {
    const m = /^Tempat\s*\/\s*Tgl\s*Lahir\s*:?\s*(.*?),\s*(\S+)/i.exec(l);
    return m ? { tempatLahir: clean(m[1] ?? ''), tanggalLahir: isoDate(m[2] ?? '') } : null;
  },
  (l) => {
    const m = /^Jenis\s*Kelamin\s*:?\s*(\S+)(?:\s+Gol\.?\s*Darah\s*:?\s*(\S*))?/i.exec(l);
    if (!m) return null;
    return m[2] === undefined ? { jenisKelamin: m[1] ?? '' } : { jenisKelamin: m[1] ?? '', golDarah: m[2] };
  },
  (l) => {
    const m = /^Alamat\s*:?\s*(.*)$/i.exec(l);
    return m ? { alamat: clean(m[1] ?? '') } : null;
  },
  (l) => {
    const m = /^RT\s*\/\s*RW\s*:?\s*(\d{3}\s*\/\s*\d{3})/i.exec(l);
    return m ? { rtRw: (m[1] ?? '').replace(/\s/g, '') } : null;
  },
  (l) => {
    const m = /^Kel\s*\/\s*Desa\s*:?\s*(.*)$/i.exec(l);
    return m ? { kelDesa: clean(m[1] ?? '') } : null;
  },
  (l) => {
    const m = /^Kecamatan\s*:?\s*(.*)$/i.exec(l);
    return m ? { kecamatan: clean(m[1] ?? '') } : null;
  },
  (l) => {
    const m = /^Agama\s*:?\s*(.*)$/i.exec(l);
    return m ? { agama: clean(m[1] ?? '') } : null;
  },
  (l) => {
    const m = /^Status\s*Perkawinan\s*:?\s*(.*)$/i.exec(l);
    return m ? { statusPerkawinan: clean(m[1] ?? '') } : null;
  },
  (l) => {
    const m = /^Pekerjaan\s*:?\s*(.*)$/i.exec(l);
    return m ? { pekerjaan: clean(m[1] ?? '') } : null;
  },
  (l) => {
    const m = /^Kewarganegaraan\s*:?\s*(.*)$/i.exec(l);
    return m ? { kewarganegaraan: clean(m[1] ?? '') } : null;
  },
  (l) => {
    const m = /^Berlaku\s*Hingga\s*:?\s*(.*)$/i.exec(l);
    return m ? { berlakuHingga: isoDate(clean(m[1] ?? '')) } : null;
  },
];

/** The label-regex parse of the lines, exported for tests of the baseline itself. */
export function parseBaselineLines(lines: readonly Line[]): Omit<BaselineResult, 'text'> {
  const fields = Object.fromEntries(EKTP_FIELDS.map((f) => [f, ''])) as EktpFields;
  const confidence = Object.fromEntries(EKTP_FIELDS.map((f) => [f, 0])) as Record<EktpField, number>;
  for (const line of lines) {
    const text = line.text.trim();
    for (const rule of RULES) {
      const found = rule(text);
      if (!found) continue;
      for (const [field, value] of Object.entries(found) as [EktpField, string][]) {
        if (fields[field] !== '' || value === '') continue;
        fields[field] = value;
        confidence[field] = line.confidence;
      }
    }
  }
  return { fields, confidence };
}

export async function createBaselineReader(): Promise<BaselineReader> {
  const worker: Worker = await createWorker('ind+eng', OEM.LSTM_ONLY, {
    langPath: await tesseractLanguageFolder(join(tmpdir(), 'sertel-kiosk-bench-baseline-lang')),
    gzip: true,
    cacheMethod: 'none',
  });
  return {
    async read(file) {
      const { data } = await worker.recognize(file, {}, { text: true, blocks: true });
      const lines: Line[] = (data.blocks ?? [])
        .flatMap((b) => b.paragraphs.flatMap((p) => p.lines))
        .map((l) => ({ text: l.text.replace(/\s+$/u, ''), confidence: l.confidence / 100 }))
        .filter((l) => l.text.trim() !== '');
      return { ...parseBaselineLines(lines), text: lines.map((l) => l.text).join('\n') };
    },
    async close() {
      await worker.terminate();
    },
  };
}
