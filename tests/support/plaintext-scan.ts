/**
 * Looks for personal data where it must not be (issue 8's acceptance: no plaintext NIK, name,
 * image, passphrase or private key in server tables outside the sealed archive, nor in logs).
 *
 * `scanForPlaintext(haystacks, needles)` searches every haystack for every needle: a text needle as
 * UTF-8, a byte needle raw, as hex and as base64 (at each of the three byte alignments), so a
 * picture shows up whether a driver dumped it as bytes, `\x…` hex or base64 text. The dump helpers
 * turn a store into haystacks named by where they came from.
 */
import { existsSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';

export interface Haystack {
  /** Where the bytes come from, e.g. `sqlite file`, `table applications`, `server log`. */
  where: string;
  bytes: Uint8Array | string;
}

export interface Needle {
  /** What it is, e.g. `NIK`, `nama`, `e-KTP bytes`: never the value itself in a report. */
  name: string;
  value: Uint8Array | string;
}

export interface Finding {
  needle: string;
  where: string;
  /** How it was found: `utf8`, `bytes`, `hex`, `base64`. */
  form: string;
  offset: number;
}

const toBytes = (value: Uint8Array | string) =>
  typeof value === 'string'
    ? Buffer.from(value, 'utf8')
    : Buffer.from(value.buffer, value.byteOffset, value.byteLength);

/**
 * The forms a needle may take in a dump. Text is searched as base64 too: a name inside DER (a CSR,
 * a certificate) kept as base64 text is still the name.
 */
function formsOf(needle: Needle): { form: string; bytes: Buffer }[] {
  const raw = toBytes(needle.value);
  const forms =
    typeof needle.value === 'string'
      ? [{ form: 'utf8', bytes: raw }]
      : [
          { form: 'bytes', bytes: raw },
          { form: 'hex', bytes: Buffer.from(raw.toString('hex'), 'latin1') },
          { form: 'hex', bytes: Buffer.from(raw.toString('hex').toUpperCase(), 'latin1') },
        ];
  // Base64 depends on where the run starts within its 3-byte group: try all three, without the
  // last (partial) group.
  for (let skip = 0; skip < 3; skip++) {
    const text = raw.subarray(skip).toString('base64');
    const whole = Math.floor((text.length - 4) / 4) * 4;
    if (whole >= 8) forms.push({ form: 'base64', bytes: Buffer.from(text.slice(0, whole), 'latin1') });
  }
  return forms;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\s\\rn]+?)-----END \1-----/g;

/**
 * PEM blocks decoded: their base64 breaks every 64 characters, so a run inside would hide across a
 * line break (in JSON the break may be the two characters `\n`).
 */
function withPemDecoded(haystacks: readonly Haystack[]): Haystack[] {
  const out: Haystack[] = [...haystacks];
  for (const haystack of haystacks) {
    const text = toBytes(haystack.bytes).toString('latin1');
    if (!text.includes('-----BEGIN ')) continue;
    for (const match of text.matchAll(PEM_BLOCK)) {
      const body = (match[2] ?? '').replaceAll('\\r', '').replaceAll('\\n', '').replace(/\s+/g, '');
      out.push({ where: `${haystack.where} (PEM ${match[1]})`, bytes: Buffer.from(body, 'base64') });
    }
  }
  return out;
}

/** Every place a needle occurs (first occurrence per haystack and form), PEM blocks decoded. */
export function scanForPlaintext(haystacks: readonly Haystack[], needles: readonly Needle[]): Finding[] {
  const findings: Finding[] = [];
  const places = withPemDecoded(haystacks);
  for (const needle of needles) {
    const forms = formsOf(needle);
    for (const haystack of places) {
      const bytes = toBytes(haystack.bytes);
      for (const { form, bytes: pattern } of forms) {
        if (pattern.length === 0) continue;
        const offset = bytes.indexOf(pattern);
        if (offset >= 0) findings.push({ needle: needle.name, where: haystack.where, form, offset });
      }
    }
  }
  return findings;
}

/** A SQLite store as haystacks: the database file and its WAL byte for byte, and every table's rows. */
export function dumpSqlite(file: string): Haystack[] {
  const haystacks: Haystack[] = [];
  for (const path of [file, `${file}-wal`]) {
    if (existsSync(path)) haystacks.push({ where: `file ${path}`, bytes: readFileSync(path) });
  }
  const db = new Database(file, { readonly: true });
  try {
    const tables = db
      .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
      .all() as { name: string }[];
    for (const { name } of tables) {
      const rows = db.prepare(`select * from "${name.replaceAll('"', '""')}"`).all() as Record<
        string,
        unknown
      >[];
      for (const [k, row] of rows.entries()) {
        for (const [column, value] of Object.entries(row)) {
          if (value instanceof Uint8Array)
            haystacks.push({ where: `table ${name} row ${k} ${column}`, bytes: value });
          else if (value !== null)
            haystacks.push({ where: `table ${name} row ${k} ${column}`, bytes: String(value) });
        }
      }
    }
  } finally {
    db.close();
  }
  return haystacks;
}

/** A PostgreSQL database as haystacks: every row of every table in `public`, cast to text. */
export async function dumpPostgres(url: string): Promise<Haystack[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'",
    );
    const haystacks: Haystack[] = [];
    for (const { table_name } of tables) {
      const ident = `"${table_name.replaceAll('"', '""')}"`;
      const { rows } = await client.query<{ row: string }>(`select t::text as row from ${ident} t`);
      for (const [k, row] of rows.entries())
        haystacks.push({ where: `table ${table_name} row ${k}`, bytes: row.row });
    }
    return haystacks;
  } finally {
    await client.end();
  }
}
