/**
 * Synthetic e-KTP cards for tests and benchmarks: a seeded person and the card drawn as HTML,
 * which a real browser turns into an image (`scripts/make-ektp.ts`). No real person's data is used.
 *
 * Categorical fields (sex, agama, status, golongan darah, region, pekerjaan, the kind of name and
 * address, a dated `Berlaku Hingga`) come from a low-discrepancy sequence over the seed, so any run
 * of about 40 consecutive seeds holds every allowed value; free text (names, streets, numbers,
 * dates) comes from `seededRandom(seed)`.
 */
import type { EktpFields } from '../../src/core/ocr/types';

export interface EktpPerson {
  provinsi: string;
  /** As printed in the header: `KOTA MADIUN` or `KABUPATEN <NAME>`. */
  kota: string;
  nik: string;
  nama: string;
  tempatLahir: string;
  /** DD-MM-YYYY as printed. */
  tanggalLahir: string;
  jenisKelamin: 'LAKI-LAKI' | 'PEREMPUAN';
  golDarah: string;
  alamat: string;
  rtRw: string;
  kelDesa: string;
  kecamatan: string;
  agama: string;
  statusPerkawinan: string;
  pekerjaan: string;
  kewarganegaraan: string;
  /** `SEUMUR HIDUP` or DD-MM-YYYY as printed. */
  berlakuHingga: string;
  /** A PNS NIP consistent with the birth date and sex, appointed at least 19 years after birth. */
  nip: string;
  /** Place of issue, printed under the photo. */
  tempatTerbit: string;
  /** Date of issue, DD-MM-YYYY, printed under the place of issue. */
  tanggalTerbit: string;
}

/** mulberry32: small, fast, and the same sequence on every machine for a seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit hash of a seed and a salt, for independent random streams derived from one seed. */
export function mixSeed(seed: number, salt: number): number {
  let h = Math.imul((seed >>> 0) ^ Math.imul(salt, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Allowed values (../../shared/domain.md, section e-KTP)

export const AGAMA = [
  'ISLAM',
  'KRISTEN',
  'KATHOLIK',
  'KATOLIK',
  'HINDU',
  'BUDHA',
  'BUDDHA',
  'KONGHUCU',
  'KHONGHUCU',
  'KEPERCAYAAN TERHADAP TUHAN YME',
] as const;
export const STATUS_PERKAWINAN = ['BELUM KAWIN', 'KAWIN', 'CERAI HIDUP', 'CERAI MATI'] as const;
export const GOL_DARAH = ['A', 'B', 'AB', 'O', '-'] as const;
export const PEKERJAAN = [
  'PEGAWAI NEGERI SIPIL',
  'KARYAWAN SWASTA',
  'WIRASWASTA',
  'GURU',
  'MENGURUS RUMAH TANGGA',
  'PELAJAR/MAHASISWA',
] as const;

interface District {
  /** Two-digit kecamatan code inside the regency. */
  code: string;
  kecamatan: string;
  kelurahan: readonly string[];
}

interface Region {
  /** Four-digit Kemendagri regency/city code. */
  code: string;
  kota: string;
  /** The town name used for places of birth and issue. */
  town: string;
  districts: readonly District[];
}

/**
 * Kota Madiun with its real kecamatan and kelurahan (domain.md). For the neighbouring regencies the
 * regency codes are real; the kecamatan are real names, but their two-digit codes are only plausible
 * (not checked against the Kemendagri list) and the desa are a plausible sample.
 */
export const REGIONS: readonly Region[] = [
  {
    code: '3577',
    kota: 'KOTA MADIUN',
    town: 'MADIUN',
    districts: [
      {
        code: '01',
        kecamatan: 'KARTOHARJO',
        kelurahan: [
          'ORO-ORO OMBO',
          'SUKOSARI',
          'KLEGEN',
          'REJOMULYO',
          'PILANGBANGO',
          'TAWANGREJO',
          'KANIGORO',
          'KARTOHARJO',
          'KELUN',
        ],
      },
      {
        code: '02',
        kecamatan: 'MANGUHARJO',
        kelurahan: [
          'MANGUHARJO',
          'SOGATEN',
          'PATIHAN',
          'NGEGONG',
          'WINONGO',
          'MADIUN LOR',
          'PANGONGANGAN',
          'NAMBANGAN LOR',
          'NAMBANGAN KIDUL',
        ],
      },
      {
        code: '03',
        kecamatan: 'TAMAN',
        kelurahan: [
          'MOJOREJO',
          'PANDEAN',
          'BANJAREJO',
          'KUNCEN',
          'MANISREJO',
          'KEJURON',
          'JOSENAN',
          'DEMANGAN',
          'TAMAN',
        ],
      },
    ],
  },
  {
    code: '3519',
    kota: 'KABUPATEN MADIUN',
    town: 'MADIUN',
    districts: [
      { code: '01', kecamatan: 'MADIUN', kelurahan: ['DIMONG', 'SIDODADI', 'NGLAMES', 'TIRAK'] },
      { code: '04', kecamatan: 'JIWAN', kelurahan: ['JIWAN', 'KINCANG WETAN', 'GRABAHAN', 'SAMBIREJO'] },
      { code: '07', kecamatan: 'DOLOPO', kelurahan: ['DOLOPO', 'BANGUNSARI', 'KRADINAN', 'GLONGGONG'] },
      { code: '09', kecamatan: 'GEGER', kelurahan: ['GEGER', 'SANGEN', 'PURWOSARI', 'KAIBON'] },
      { code: '12', kecamatan: 'MEJAYAN', kelurahan: ['KRAJAN', 'PANDEAN', 'WONOREJO', 'KALIGUNTING'] },
      { code: '15', kecamatan: 'SARADAN', kelurahan: ['SARADAN', 'SUMBERSARI', 'KLANGON', 'BAJULAN'] },
    ],
  },
  {
    code: '3520',
    kota: 'KABUPATEN MAGETAN',
    town: 'MAGETAN',
    districts: [
      { code: '02', kecamatan: 'MAOSPATI', kelurahan: ['MAOSPATI', 'PANDEYAN', 'NGUJUNG', 'SUGIHWARAS'] },
      { code: '05', kecamatan: 'PLAOSAN', kelurahan: ['PLAOSAN', 'SARANGAN', 'SIDOMUKTI', 'PACALAN'] },
      { code: '08', kecamatan: 'PANEKAN', kelurahan: ['PANEKAN', 'TAPEN', 'SIDOWAYAH'] },
      { code: '11', kecamatan: 'BENDO', kelurahan: ['BENDO', 'DUYUNG', 'KLEDOKAN'] },
      { code: '16', kecamatan: 'TAKERAN', kelurahan: ['TAKERAN', 'KUWONHARJO', 'KIRINGAN'] },
    ],
  },
  {
    code: '3521',
    kota: 'KABUPATEN NGAWI',
    town: 'NGAWI',
    districts: [
      { code: '03', kecamatan: 'NGAWI', kelurahan: ['KARANGTENGAH', 'MARGOMULYO', 'PELEM', 'KARTOHARJO'] },
      { code: '06', kecamatan: 'PARON', kelurahan: ['PARON', 'GELUNG', 'TEGALARUM', 'JAMBANGAN'] },
      { code: '10', kecamatan: 'GENENG', kelurahan: ['GENENG', 'KERSIKAN', 'KASREMAN'] },
      {
        code: '13',
        kecamatan: 'KEDUNGGALAR',
        kelurahan: ['KEDUNGGALAR', 'BANGUNREJO KIDUL', 'GEMARANG'],
      },
      { code: '18', kecamatan: 'WIDODAREN', kelurahan: ['WIDODAREN', 'SEKARALAS', 'KAUMAN'] },
    ],
  },
  {
    code: '3502',
    kota: 'KABUPATEN PONOROGO',
    town: 'PONOROGO',
    districts: [
      {
        code: '01',
        kecamatan: 'PONOROGO',
        kelurahan: ['MANGKUJAYAN', 'TAMANARUM', 'NOLOGATEN', 'KERTOSARI'],
      },
      { code: '04', kecamatan: 'BABADAN', kelurahan: ['BABADAN', 'PATIHAN WETAN', 'POLOREJO'] },
      { code: '07', kecamatan: 'JENANGAN', kelurahan: ['JENANGAN', 'SETONO', 'PANJERENG'] },
      { code: '14', kecamatan: 'SIMAN', kelurahan: ['SIMAN', 'PATIHAN KIDUL', 'DEMANGAN'] },
      { code: '17', kecamatan: 'JETIS', kelurahan: ['JETIS', 'KUTU WETAN', 'WINONG'] },
      { code: '20', kecamatan: 'SUKOREJO', kelurahan: ['SUKOREJO', 'KRANGGAN', 'GANDU'] },
    ],
  },
];

const OTHER_BIRTHPLACES = [
  'SURABAYA',
  'YOGYAKARTA',
  'SURAKARTA',
  'MALANG',
  'KEDIRI',
  'NGANJUK',
  'BOJONEGORO',
  'JAKARTA',
  'SEMARANG',
  'BLITAR',
  'TULUNGAGUNG',
  'PACITAN',
];

// ---------------------------------------------------------------------------------------------
// Names and addresses

const MEN = [
  'BUDI',
  'AGUS',
  'EKO',
  'HARI',
  'JOKO',
  'RUDI',
  'SLAMET',
  'BAMBANG',
  'ANDRI',
  'BAYU',
  'TEGUH',
  'WAHYU',
  'HERU',
  'SUGENG',
  'PRIYO',
  'ARIF',
  'FAJAR',
  'HENDRA',
  'YUDHA',
  'RIZKY',
  'ADITYA',
  'GALIH',
  'IMAM',
  'AHMAD',
  'SUPRIYADI',
  'DIDIK',
  'YOHANES',
  'KETUT',
];
const WOMEN = [
  'SITI',
  'SRI',
  'DEWI',
  'RINA',
  'ENDANG',
  'WAHYUNI',
  'NUR',
  'INDAH',
  'YULI',
  'RATNA',
  'ANI',
  'TITIK',
  'KARTIKA',
  'PUTRI',
  'AYU',
  'NOVITA',
  'RETNO',
  'DIAH',
  'WULAN',
  'FITRI',
  'MEGA',
  'SUMARNI',
  'MARIA',
  'LILIS',
];
const MIDDLE_MEN = ['ADI', 'DWI', 'TRI', 'PUTRA', 'SETYO', 'HADI', 'NUR', 'BUDI', 'YOGA', 'DANU'];
const MIDDLE_WOMEN = ['AYU', 'DWI', 'TRI', 'PUSPITA', 'NURUL', 'RATNA', 'KUSUMA', 'SARI', 'INTAN', 'DIAN'];
const LAST_MEN = [
  'SANTOSO',
  'PRASETYO',
  'WIBOWO',
  'HARTONO',
  'SETIAWAN',
  'PURNOMO',
  'KURNIAWAN',
  'SUSANTO',
  'HIDAYAT',
  'NUGROHO',
  'SAPUTRA',
  'SUBAGYO',
  'SUTRISNO',
  'SISWANTO',
  'WAHYUDI',
  'FIRMANSYAH',
];
const LAST_WOMEN = [
  'RAHAYU',
  'LESTARI',
  'UTAMI',
  'HANDAYANI',
  'SULISTYOWATI',
  'PRATIWI',
  'SETYAWATI',
  'KUSUMAWATI',
  'RAHMAWATI',
  'WULANDARI',
  'PUSPITASARI',
  'ANGGRAINI',
];
const LAST_ANY = ['WIJAYA', 'SIREGAR', 'TANJUNG', 'SIMATUPANG', 'HALIM', 'NASUTION', 'GINTING', 'LUBIS'];
const LONG_PREFIX_MEN = ['RADEN', 'RADEN MAS', 'R.'];
const LONG_PREFIX_WOMEN = ['RADEN AJENG', 'RADEN RORO', 'R. AJ.'];
const LONG_LAST_MEN = ['SOSRODIHARJO', 'PRAWIRONEGORO', 'SURYOHADIKUSUMO', 'WIRYOSUDARMO', 'HADIPRANOTO'];
const LONG_LAST_WOMEN = [
  'WAHYUNINGSIH KUSUMAWARDHANI',
  'PRAWIROATMOJO',
  'SASTROWARDOYO',
  'KUSUMANINGRUM',
  'RETNOWULANDARI',
];
const MUH_NAMES = ['SHOLEH', 'ARIFIN', 'ROFIQ', 'SYAIFUL', 'NURHUDA', 'KHOIRUL', 'ZAINUDDIN', 'FAUZI'];
const APOSTROPHE_MEN = ["MA'RUF", "NU'MAN", "SYAFI'I", "JA'FAR", "RO'UF", "MAS'UD"];
const APOSTROPHE_WOMEN = ["NI'MAH", "ROBI'AH", "MU'AWANAH", "FARI'AH", "ZULFA'", "MAR'ATUS"];

const STREETS = [
  'PAHLAWAN',
  'MERAPI',
  'DIPONEGORO',
  'SALAK',
  'COKROAMINOTO',
  'KUTILANG',
  'SERAYU',
  'BASUKI RAHMAT',
  'KOLONEL MARHADI',
  'TRUNOJOYO',
  'YOS SUDARSO',
  'SUMBERSARI',
  'WILIS',
  'RAYA SOLO',
];
const GANG = ['MAWAR', 'MELATI', 'MANGGA', 'SAWO', 'KENANGA', 'ANGGREK', 'DAMAI', 'MERPATI', 'SRIKAYA'];
const PERUM = ['GRIYA ASRI', 'TAMAN HARAPAN', 'BUMI MAS', 'WINONGO ASRI', 'PURI INDAH', 'GRIYA PERMATA'];
const DUSUN = ['KRAJAN', 'SUMBERAGUNG', 'NGRANCANG', 'KEDUNGREJO', 'TEGALSARI', 'SIDOREJO', 'BANARAN'];
const ROMAN = ['', '', ' I', ' II', ' III', ' IV'];

// ---------------------------------------------------------------------------------------------

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const frac = (x: number) => x - Math.floor(x);
const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Irrational steps for the low-discrepancy picks, one per field (pairwise rationally independent). */
const STEP = {
  sex: Math.SQRT2,
  agama: Math.sqrt(3),
  status: Math.sqrt(5),
  golDarah: Math.sqrt(7),
  region: Math.sqrt(11),
  berlaku: Math.sqrt(13),
  pekerjaan: Math.sqrt(17),
  name: Math.sqrt(19),
  address: Math.sqrt(23),
} as const;

/**
 * Picks from weighted choices at the point `frac(seed × step)`: a Weyl sequence, so consecutive
 * seeds spread evenly over the choices (every value with weight ≥ 7% shows up within 40 seeds).
 */
function spread<T>(seed: number, step: number, choices: readonly (readonly [T, number])[]): T {
  const total = choices.reduce((sum, [, w]) => sum + w, 0);
  let u = frac(seed * step + step / 7) * total;
  for (const [value, weight] of choices) {
    if (u < weight) return value;
    u -= weight;
  }
  return (choices[choices.length - 1] as readonly [T, number])[0];
}

const evenly = <T>(values: readonly T[], first?: T, firstWeight = 0): (readonly [T, number])[] =>
  values.map((v) => [v, v === first ? firstWeight : (1 - firstWeight) / (values.length - 1)] as const);

type NameStyle = 'plain' | 'middle' | 'long' | 'muh' | 'apostrophe';
type AddressStyle = 'jl' | 'gg' | 'perum' | 'dsn' | 'long';

export function makePerson(seed: number): EktpPerson {
  const rnd = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const int = (min: number, max: number) => min + Math.floor(rnd() * (max - min + 1));

  const female = spread(seed, STEP.sex, [
    [false, 1],
    [true, 1],
  ]);
  const agama = spread(seed, STEP.agama, evenly(AGAMA, 'ISLAM', 0.4));
  const statusPerkawinan = spread(seed, STEP.status, [
    ['KAWIN', 0.5],
    ['BELUM KAWIN', 0.24],
    ['CERAI HIDUP', 0.13],
    ['CERAI MATI', 0.13],
  ]);
  const golDarah = spread(seed, STEP.golDarah, [
    ['A', 0.25],
    ['B', 0.25],
    ['AB', 0.14],
    ['O', 0.26],
    ['-', 0.1],
  ]);
  const region = spread(seed, STEP.region, evenly(REGIONS, REGIONS[0], 0.6));
  const datedCard = spread(seed, STEP.berlaku, [
    [false, 0.84],
    [true, 0.16],
  ]);
  const pekerjaan = spread(seed, STEP.pekerjaan, evenly(PEKERJAAN, 'PEGAWAI NEGERI SIPIL', 0.55));
  const nameStyle = spread<NameStyle>(seed, STEP.name, [
    ['plain', 0.4],
    ['middle', 0.24],
    ['long', 0.14],
    ['muh', 0.11],
    ['apostrophe', 0.11],
  ]);
  const addressStyle = spread<AddressStyle>(seed, STEP.address, [
    ['jl', 0.34],
    ['gg', 0.19],
    ['perum', 0.17],
    ['dsn', 0.16],
    ['long', 0.14],
  ]);

  // Birth date: dated (older) cards belong to older holders; students are young.
  const year = datedCard
    ? int(1960, 1988)
    : pekerjaan === 'PELAJAR/MAHASISWA'
      ? int(1999, 2003)
      : int(1960, 2003);
  const month = int(1, 12);
  const day = int(1, daysInMonth(year, month));

  const district = pick(region.districts);
  const serial = int(1, 2999);
  const nik = `${region.code}${district.code}${pad(female ? day + 40 : day)}${pad(month)}${pad(year % 100)}${pad(serial, 4)}`;

  // PNS NIP: birth date, first appointment (19+ years after birth, not after 2024), sex, serial.
  const appointmentYear = int(year + 19, Math.min(year + 35, 2024));
  const nip = `${year}${pad(month)}${pad(day)}${appointmentYear}${pad(int(1, 12))}${female ? 2 : 1}${pad(int(1, 150), 3)}`;

  const tempatLahir = rnd() < 0.72 ? region.town : pick(OTHER_BIRTHPLACES);

  let berlakuHingga = 'SEUMUR HIDUP';
  let issued: { year: number; month: number; day: number };
  if (datedCard) {
    // Printed as the holder's birthday in 2011-2013; issued five years before.
    const until = int(2011, 2013);
    berlakuHingga = `${pad(Math.min(day, daysInMonth(until, month)))}-${pad(month)}-${until}`;
    const issueYear = until - 5;
    const issueMonth = int(1, 12);
    issued = { year: issueYear, month: issueMonth, day: int(1, daysInMonth(issueYear, issueMonth)) };
  } else {
    const issueYear = int(Math.max(2014, year + 17), 2024);
    const issueMonth = int(1, 12);
    issued = { year: issueYear, month: issueMonth, day: int(1, daysInMonth(issueYear, issueMonth)) };
  }

  return {
    provinsi: 'JAWA TIMUR',
    kota: region.kota,
    nik,
    nama: makeName(nameStyle, female, pick, rnd),
    tempatLahir,
    tanggalLahir: `${pad(day)}-${pad(month)}-${year}`,
    jenisKelamin: female ? 'PEREMPUAN' : 'LAKI-LAKI',
    golDarah,
    alamat: makeAddress(addressStyle, region.code !== '3577', pick, int),
    rtRw: `${pad(int(1, 20), 3)}/${pad(int(1, 12), 3)}`,
    kelDesa: pick(district.kelurahan),
    kecamatan: district.kecamatan,
    agama,
    statusPerkawinan,
    pekerjaan,
    kewarganegaraan: 'WNI',
    berlakuHingga,
    nip,
    tempatTerbit: region.kota,
    tanggalTerbit: `${pad(issued.day)}-${pad(issued.month)}-${issued.year}`,
  };
}

function makeName(
  style: NameStyle,
  female: boolean,
  pick: <T>(list: readonly T[]) => T,
  rnd: () => number,
): string {
  const first = pick(female ? WOMEN : MEN);
  const middle = pick(female ? MIDDLE_WOMEN : MIDDLE_MEN);
  const last = () => (rnd() < 0.25 ? pick(LAST_ANY) : pick(female ? LAST_WOMEN : LAST_MEN));
  switch (style) {
    case 'plain':
      return `${first} ${last()}`;
    case 'middle':
      return `${first} ${middle} ${last()}`;
    case 'long': {
      // Long enough (36+ characters) to wrap onto a second line of the value column.
      const prefix = pick(female ? LONG_PREFIX_WOMEN : LONG_PREFIX_MEN);
      let name = `${prefix} ${first} ${middle} ${pick(female ? LONG_LAST_WOMEN : LONG_LAST_MEN)}`;
      while (name.length < 36) name = `${name} ${last()}`;
      return name;
    }
    case 'muh':
      return female ? `${first} ${pick(APOSTROPHE_WOMEN)}` : `MUH. ${pick(MUH_NAMES)} ${last()}`;
    case 'apostrophe':
      return female
        ? `${pick(APOSTROPHE_WOMEN)} ${last()}`
        : rnd() < 0.5
          ? `${first} ${pick(APOSTROPHE_MEN)}`
          : `${pick(APOSTROPHE_MEN)} ${last()}`;
  }
}

function makeAddress(
  style: AddressStyle,
  rural: boolean,
  pick: <T>(list: readonly T[]) => T,
  int: (min: number, max: number) => number,
): string {
  const no = () => `NO. ${int(1, 150)}${int(0, 9) === 0 ? 'A' : ''}`;
  switch (style) {
    case 'jl':
      return `JL. ${pick(STREETS)} ${no()}`;
    case 'gg':
      return `GG. ${pick(GANG)}${pick(ROMAN)} ${no()}`;
    case 'perum':
      return `PERUM ${pick(PERUM)} BLOK ${pick(['A', 'B', 'C', 'D', 'E', 'F'])}-${int(1, 30)}`;
    case 'dsn':
      return rural ? `DSN. ${pick(DUSUN)}` : `DSN. ${pick(DUSUN)} ${no()}`;
    case 'long':
      // Long enough to wrap onto a second line.
      return pick([
        () => `PERUM ${pick(PERUM)} JL. ${pick(GANG)} RAYA BLOK ${pick(['F', 'G', 'H'])} NO. ${int(1, 40)}`,
        () => `JL. ${pick(STREETS)} GG. ${pick(GANG)}${pick(ROMAN)} ${no()} (BELAKANG MASJID)`,
        () => `DSN. ${pick(DUSUN)} JL. RAYA MADIUN-PONOROGO KM ${int(3, 25)}`,
      ])();
  }
}

/** DD-MM-YYYY → YYYY-MM-DD. */
function isoFromPrinted(date: string): string {
  const [dd, mm, yyyy] = date.split('-');
  return `${yyyy}-${mm}-${dd}`;
}

const clean = (s: string) => s.replace(/\s+/g, ' ').trim().toUpperCase();

/** The ground truth as a perfect reader returns it (`EktpFields`, the kiosk's field shape). */
export function personFields(p: EktpPerson): EktpFields {
  return {
    provinsi: clean(p.provinsi),
    kota: clean(p.kota),
    nik: p.nik,
    nama: clean(p.nama),
    tempatLahir: clean(p.tempatLahir),
    tanggalLahir: isoFromPrinted(p.tanggalLahir),
    jenisKelamin: p.jenisKelamin,
    golDarah: p.golDarah,
    alamat: clean(p.alamat),
    rtRw: p.rtRw,
    kelDesa: clean(p.kelDesa),
    kecamatan: clean(p.kecamatan),
    agama: p.agama,
    statusPerkawinan: p.statusPerkawinan,
    pekerjaan: p.pekerjaan,
    kewarganegaraan: p.kewarganegaraan,
    berlakuHingga: p.berlakuHingga === 'SEUMUR HIDUP' ? p.berlakuHingga : isoFromPrinted(p.berlakuHingga),
  };
}

// ---------------------------------------------------------------------------------------------
// The card

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A value as HTML: escaped, and hyphenated words kept whole so a long value wraps only at a space
 * (a reader joins wrapped lines with one space, which then gives back the value exactly).
 */
const valueHtml = (s: string) =>
  escapeHtml(s).replace(/\S*-\S*/g, (word) => `<span class="nw">${word}</span>`);

const hashString = (s: string) => {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
};

/** Fine guilloche: families of sine waves across the card, the same on every card. */
function guillocheSvg(): string {
  const paths: string[] = [];
  const wave = (y0: number, amp: number, period: number, phase: number) => {
    const pts: string[] = [];
    for (let x = 0; x <= 1012; x += 6) {
      const y = y0 + amp * Math.sin((x / period) * 2 * Math.PI + phase);
      pts.push(`${x},${y.toFixed(1)}`);
    }
    return `M${pts.join('L')}`;
  };
  for (let i = 0; i < 22; i++) {
    paths.push(
      `<path d="${wave(20 + i * 28, 14, 180, i * 0.55)}" stroke="#6aa6cf" stroke-opacity="0.28" fill="none" stroke-width="0.9"/>`,
    );
    paths.push(
      `<path d="${wave(34 + i * 28, 10, 122, -i * 0.8)}" stroke="#8ec0a8" stroke-opacity="0.22" fill="none" stroke-width="0.8"/>`,
    );
  }
  // A rosette in the middle, behind the text, like the card's emblem watermark: wavy rings.
  const rosette: string[] = [];
  for (let j = 0; j < 14; j++) {
    const pts: string[] = [];
    for (let k = 0; k <= 360; k++) {
      const t = (k / 360) * 2 * Math.PI;
      const r = 40 + j * 9 + 16 * Math.sin(11 * t + j * 0.45);
      pts.push(`${(470 + r * Math.cos(t)).toFixed(1)},${(360 + r * 0.8 * Math.sin(t)).toFixed(1)}`);
    }
    rosette.push(
      `<path d="M${pts.join('L')}Z" stroke="#5f9cc8" stroke-opacity="0.2" fill="none" stroke-width="0.9"/>`,
    );
  }
  return `<svg class="guilloche" width="1012" height="638" viewBox="0 0 1012 638" xmlns="http://www.w3.org/2000/svg">${paths.join('')}${rosette.join('')}</svg>`;
}

const GUILLOCHE = guillocheSvg();

/** A seeded scribble for the holder's signature. */
function signatureSvg(rnd: () => number): string {
  let x = 18 + rnd() * 20;
  let y = 40 + rnd() * 10;
  let d = `M${x.toFixed(1)},${y.toFixed(1)}`;
  const strokes = 5 + Math.floor(rnd() * 4);
  for (let i = 0; i < strokes; i++) {
    const nx = Math.min(215, x + 18 + rnd() * 30);
    const ny = 18 + rnd() * 44;
    d += ` C${(x + rnd() * 30).toFixed(1)},${(y - 30 + rnd() * 60).toFixed(1)} ${(nx - rnd() * 30).toFixed(1)},${(ny - 30 + rnd() * 60).toFixed(1)} ${nx.toFixed(1)},${ny.toFixed(1)}`;
    x = nx;
    y = ny;
  }
  const underline = `M${(20 + rnd() * 30).toFixed(1)},${(58 + rnd() * 6).toFixed(1)} Q${(110 + rnd() * 20).toFixed(1)},${(50 + rnd() * 16).toFixed(1)} ${(190 + rnd() * 25).toFixed(1)},${(52 + rnd() * 8).toFixed(1)}`;
  return `<svg width="233" height="76" viewBox="0 0 233 76" xmlns="http://www.w3.org/2000/svg"><path d="${d}" stroke="#1b2440" stroke-width="2.2" fill="none" stroke-linecap="round" stroke-linejoin="round"/><path d="${underline}" stroke="#1b2440" stroke-width="1.8" fill="none" stroke-linecap="round"/></svg>`;
}

/** A stylised passport photo: red background for even birth years, blue for odd, like real cards. */
function photoHtml(p: EktpPerson, rnd: () => number): string {
  const year = Number(p.tanggalLahir.slice(-4));
  const bg = year % 2 === 0 ? '#c8242b' : '#1f4f9c';
  const skin = ['#f1c9a5', '#e0b08a', '#c98f66', '#b07a52'][Math.floor(rnd() * 4)];
  const clothes = ['#f4f4f0', '#3b3f46', '#8a6d3b', '#2f4b7c', '#6b7f4a'][Math.floor(rnd() * 5)];
  const hijab = p.jenisKelamin === 'PEREMPUAN' && rnd() < 0.6;
  const hair = hijab ? ['#1f1f24', '#5a3d52', '#2d4a63', '#e8e2d6'][Math.floor(rnd() * 4)] : '#1c1612';
  return `<div class="photo" style="background:${bg}">
      <div class="shoulders" style="background:${clothes}"></div>
      ${hijab ? `<div class="hijab" style="background:${hair}"></div>` : `<div class="hair" style="background:${hair}"></div>`}
      <div class="face" style="background:${skin}"></div>
    </div>`;
}

/**
 * The card at 1012 × 638 px (ID-1 at about 300 dpi), inside an element with id `card`. The layout
 * follows domain.md and `src/core/ocr/layout.ts`: header centred on top, NIK larger in a monospace
 * digit font, then the labelled column (values wrap inside their column), photo on the right with the
 * place and date of issue and the signature under it. Corner markers `.corner` (zero-size, at the
 * card's sharp corners) let a renderer find where the card landed on a photo.
 */
export function ektpHtml(p: EktpPerson): string {
  const rnd = seededRandom(hashString(`${p.nik}|${p.nama}`));
  const row = (label: string, value: string, cls = '') =>
    `<div class="row ${cls}"><div class="l">${label}</div><div class="c">:</div><div class="v">${value}</div></div>`;
  const rows = [
    row('Nama', valueHtml(p.nama)),
    row('Tempat/Tgl Lahir', valueHtml(`${p.tempatLahir}, ${p.tanggalLahir}`)),
    row(
      'Jenis Kelamin',
      `<span class="jk">${valueHtml(p.jenisKelamin)}</span><span class="gd"><span class="gl">Gol. Darah</span> : ${valueHtml(p.golDarah)}</span>`,
    ),
    row('Alamat', valueHtml(p.alamat)),
    row('RT/RW', valueHtml(p.rtRw), 'sub'),
    row('Kel/Desa', valueHtml(p.kelDesa), 'sub'),
    row('Kecamatan', valueHtml(p.kecamatan), 'sub'),
    row('Agama', valueHtml(p.agama), p.agama.length > 24 ? 'narrow' : ''),
    row('Status Perkawinan', valueHtml(p.statusPerkawinan)),
    row('Pekerjaan', valueHtml(p.pekerjaan)),
    row('Kewarganegaraan', valueHtml(p.kewarganegaraan)),
    row('Berlaku Hingga', valueHtml(p.berlakuHingga)),
  ].join('');
  return `<!doctype html><html><head><meta charset="utf-8"><style>
    html, body { margin: 0; padding: 0; background: #fff; }
    #card { position: relative; width: 1012px; height: 638px; border-radius: 38px; overflow: hidden;
      background:
        repeating-radial-gradient(circle at 28% 62%, rgba(70,130,185,0.10) 0 1px, transparent 1px 9px),
        repeating-radial-gradient(circle at 78% 30%, rgba(90,150,120,0.08) 0 1px, transparent 1px 12px),
        repeating-linear-gradient(37deg, rgba(60,120,180,0.05) 0 1px, transparent 1px 7px),
        linear-gradient(160deg, #cde6f6 0%, #e6f2fa 42%, #d4ebf3 70%, #bcdcf0 100%);
      font-family: 'Liberation Sans', Arial, Helvetica, sans-serif; color: #16161a; }
    #card .guilloche { position: absolute; left: 0; top: 0; }
    #card .corner { position: absolute; width: 0; height: 0; }
    .head { position: absolute; left: 0; right: 0; top: 16px; text-align: center; font-weight: bold;
      font-size: 29px; line-height: 37px; letter-spacing: 0.3px; }
    .nik { position: absolute; left: 30px; top: 98px; font-size: 34px; font-weight: bold; line-height: 44px;
      white-space: nowrap; }
    .nik .l { display: inline-block; width: 82px; }
    .nik .n { font-family: 'OCR A Std', 'OCR A', 'OCR-A', 'Liberation Mono', 'DejaVu Sans Mono', monospace;
      font-size: 38px; letter-spacing: 1px; }
    .body { position: absolute; left: 30px; top: 150px; width: 652px; font-size: 20px; line-height: 26px; }
    .row { display: grid; grid-template-columns: 212px 16px 1fr; }
    .row .l { white-space: nowrap; }
    .row.sub .l { padding-left: 24px; }
    .row .v { font-weight: bold; overflow-wrap: break-word; padding-right: 6px; }
    .row.narrow .v { letter-spacing: -0.6px; font-size: 19px; }
    .jk { display: inline-block; width: 150px; }
    .gd { white-space: nowrap; }
    .gl { font-weight: normal; }
    .nw { white-space: nowrap; }
    .photo { position: absolute; left: 690px; top: 186px; width: 229px; height: 240px; overflow: hidden; }
    .photo .shoulders { position: absolute; left: 12px; top: 170px; width: 205px; height: 120px;
      border-radius: 90px 90px 10px 10px; }
    .photo .face { position: absolute; left: 74px; top: 50px; width: 82px; height: 106px; border-radius: 50%; }
    .photo .hair { position: absolute; left: 68px; top: 38px; width: 94px; height: 70px; border-radius: 50% 50% 40% 40%; }
    .photo .hijab { position: absolute; left: 56px; top: 34px; width: 118px; height: 190px;
      border-radius: 60px 60px 40px 40px; }
    .issue { position: absolute; left: 690px; top: 432px; width: 229px; text-align: center; font-size: 17px;
      line-height: 21px; font-weight: bold; }
    .sign { position: absolute; left: 688px; top: 478px; }
  </style></head><body><div id="card">
    ${GUILLOCHE}
    <div class="head">PROVINSI ${escapeHtml(p.provinsi)}<br>${escapeHtml(p.kota)}</div>
    <div class="nik"><span class="l">NIK</span>: <span class="n">${escapeHtml(p.nik)}</span></div>
    <div class="body">${rows}</div>
    ${photoHtml(p, rnd)}
    <div class="issue">${escapeHtml(p.tempatTerbit)}<br>${escapeHtml(p.tanggalTerbit)}</div>
    <div class="sign">${signatureSvg(rnd)}</div>
    <i class="corner" data-corner="0" style="left:0;top:0"></i><i class="corner" data-corner="1" style="right:0;top:0"></i>
    <i class="corner" data-corner="2" style="right:0;bottom:0"></i><i class="corner" data-corner="3" style="left:0;bottom:0"></i>
  </div></body></html>`;
}
