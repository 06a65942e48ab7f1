/** The e-KTP as the kiosk reads it: field names as in `../shared/domain.md`, in card order. */
export const EKTP_FIELDS = [
  'provinsi',
  'kota',
  'nik',
  'nama',
  'tempatLahir',
  'tanggalLahir',
  'jenisKelamin',
  'golDarah',
  'alamat',
  'rtRw',
  'kelDesa',
  'kecamatan',
  'agama',
  'statusPerkawinan',
  'pekerjaan',
  'kewarganegaraan',
  'berlakuHingga',
] as const;
export type EktpField = (typeof EKTP_FIELDS)[number];

export type EktpFields = Record<EktpField, string>;

/** One line of OCR output; `confidence` is 0..1 (tesseract's 0..100 divided by 100). */
export interface OcrWord {
  text: string;
  confidence: number;
}

export interface OcrLine {
  text: string;
  confidence: number;
  /** Word-level confidences when the engine gives them; the parser prefers them for a value. */
  words?: OcrWord[];
}

/**
 * What the reading pipeline hands the parser: the card straightened to its canonical layout and
 * read by region. Regions may be empty when a read failed.
 */
export interface EktpOcrRead {
  /** The two header lines: `PROVINSI <NAME>` and `KOTA|KABUPATEN <NAME>`. */
  header: OcrLine[];
  /** The left column, top to bottom: `NIK`, `Nama`, …, `Berlaku Hingga`, each `label : value`. */
  body: OcrLine[];
  /** A text read of the NIK band alone (null when not done). */
  nik: OcrLine | null;
  /** A second, digit-only read of the NIK band: a disagreement lowers the NIK's confidence. */
  nikDigits?: OcrLine | null;
}

export type EktpWarningCode =
  | 'low-confidence'
  | 'not-read'
  | 'nik-invalid'
  | 'nik-repaired'
  | 'nik-birth-date-mismatch'
  | 'nik-sex-mismatch'
  | 'nik-region-mismatch'
  | 'nik-region-unknown'
  | 'nip-invalid'
  | 'nip-birth-date-mismatch'
  | 'nip-sex-mismatch'
  | 'nip-appointment-too-early'
  | 'nip-appointment-in-future'
  | 'card-expired'
  | 'value-not-allowed';

export interface EktpWarning {
  field: EktpField | 'nip';
  code: EktpWarningCode;
}

export interface EktpReading {
  fields: EktpFields;
  /** 0..1 per field; 0 for a field that was not read. */
  confidence: Record<EktpField, number>;
  warnings: EktpWarning[];
}

export function emptyFields(): EktpFields {
  return Object.fromEntries(EKTP_FIELDS.map((f) => [f, ''])) as EktpFields;
}

export function zeroConfidence(): Record<EktpField, number> {
  return Object.fromEntries(EKTP_FIELDS.map((f) => [f, 0])) as Record<EktpField, number>;
}
