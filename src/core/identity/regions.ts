/**
 * Kemendagri region codes (not BPS codes) with names as printed on the e-KTP header, e.g.
 * `'35': 'JAWA TIMUR'`, `'3577': 'KOTA MADIUN'`, `'3519': 'KABUPATEN MADIUN'`, `'357701': 'KARTOHARJO'`.
 * The table is configuration (`config/regions.json`), loaded by callers and passed in.
 */
export interface RegionTable {
  /** Two-digit province codes. */
  provinces: Record<string, string>;
  /** Four-digit regency / city codes. */
  regencies: Record<string, string>;
  /** Six-digit district (kecamatan) codes. */
  districts: Record<string, string>;
}

/** A NIK's region codes with their names; a name is null when the table does not hold the code. */
export interface NikRegion {
  provinceCode: string;
  regencyCode: string;
  districtCode: string;
  province: string | null;
  regency: string | null;
  district: string | null;
}

// Own properties only: the table may come from parsed configuration.
const lookup = (table: Record<string, string>, code: string): string | null =>
  Object.hasOwn(table, code) ? (table[code] ?? null) : null;

/**
 * The region a NIK was first registered in (digits 1-6), looked up in `table`. Returns null when the
 * text does not start with six digits (spaces, dots and dashes between groups are ignored).
 */
export function regionOf(nik: string, table: RegionTable): NikRegion | null {
  const digits = nik.replace(/[\s.-]/g, '');
  if (!/^\d{6}/.test(digits)) return null;
  const provinceCode = digits.slice(0, 2);
  const regencyCode = digits.slice(0, 4);
  const districtCode = digits.slice(0, 6);
  return {
    provinceCode,
    regencyCode,
    districtCode,
    province: lookup(table.provinces, provinceCode),
    regency: lookup(table.regencies, regencyCode),
    district: lookup(table.districts, districtCode),
  };
}
