/**
 * Synthetic e-KTP cards for tests and benchmarks: a seeded person and the card drawn as HTML,
 * which a real browser turns into an image. No real person's data is ever used.
 */

export interface EktpPerson {
  provinsi: string;
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
  berlakuHingga: string;
  /** A NIP consistent with the birth date and sex. */
  nip: string;
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

const MEN = ['BUDI', 'AGUS', 'EKO', 'HARI', 'JOKO', 'RUDI', 'SLAMET', 'BAMBANG', 'DWI', 'ANDRI'];
const WOMEN = ['SITI', 'SRI', 'DEWI', 'RINA', 'ENDANG', 'WAHYUNI', 'LESTARI', 'NUR', 'INDAH', 'YULI'];
const FAMILY = [
  'SANTOSO',
  'PRASETYO',
  'WIBOWO',
  'HARTONO',
  'SETIAWAN',
  'RAHAYU',
  'LESTARI',
  'PURNOMO',
  'UTAMI',
  'KURNIAWAN',
];
const STREETS = [
  'JL. PAHLAWAN',
  'JL. MERAPI',
  'JL. DIPONEGORO',
  'JL. SALAK',
  'JL. COKROAMINOTO',
  'JL. KUTILANG',
];
const DISTRICTS: { code: string; kecamatan: string; kelurahan: string[] }[] = [
  { code: '357701', kecamatan: 'KARTOHARJO', kelurahan: ['ORO-ORO OMBO', 'SUKOSARI', 'KLEGEN', 'REJOMULYO'] },
  {
    code: '357702',
    kecamatan: 'MANGUHARJO',
    kelurahan: ['MANGUHARJO', 'SOGATEN', 'PATIHAN', 'NAMBANGAN LOR'],
  },
  { code: '357703', kecamatan: 'TAMAN', kelurahan: ['MOJOREJO', 'PANDEAN', 'BANJAREJO', 'KEJURON'] },
];

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function makePerson(seed: number): EktpPerson {
  const rnd = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const female = rnd() < 0.5;
  const district = pick(DISTRICTS);
  const year = 1965 + Math.floor(rnd() * 35);
  const month = 1 + Math.floor(rnd() * 12);
  const day = 1 + Math.floor(rnd() * 28);
  const serial = 1 + Math.floor(rnd() * 900);
  const nik = `${district.code}${pad(female ? day + 40 : day)}${pad(month)}${pad(year % 100)}${pad(serial, 4)}`;
  const appointmentYear = year + 20 + Math.floor(rnd() * 8);
  const nip = `${year}${pad(month)}${pad(day)}${appointmentYear}${pad(1 + Math.floor(rnd() * 12))}${female ? 2 : 1}${pad(1 + Math.floor(rnd() * 200), 3)}`;
  return {
    provinsi: 'JAWA TIMUR',
    kota: 'KOTA MADIUN',
    nik,
    nama: `${pick(female ? WOMEN : MEN)} ${pick(FAMILY)}`,
    tempatLahir: 'MADIUN',
    tanggalLahir: `${pad(day)}-${pad(month)}-${year}`,
    jenisKelamin: female ? 'PEREMPUAN' : 'LAKI-LAKI',
    golDarah: pick(['A', 'B', 'AB', 'O', '-']),
    alamat: `${pick(STREETS)} NO. ${1 + Math.floor(rnd() * 120)}`,
    rtRw: `${pad(1 + Math.floor(rnd() * 20), 3)}/${pad(1 + Math.floor(rnd() * 12), 3)}`,
    kelDesa: pick(district.kelurahan),
    kecamatan: district.kecamatan,
    agama: pick(['ISLAM', 'ISLAM', 'ISLAM', 'KRISTEN', 'KATHOLIK', 'HINDU']),
    statusPerkawinan: pick(['KAWIN', 'BELUM KAWIN', 'KAWIN', 'CERAI HIDUP']),
    pekerjaan: 'PEGAWAI NEGERI SIPIL',
    kewarganegaraan: 'WNI',
    berlakuHingga: 'SEUMUR HIDUP',
    nip,
  };
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The card at 1012 × 638 px (ID-1 at about 300 dpi), inside an element with id `card`. */
export function ektpHtml(p: EktpPerson): string {
  const rows: [string, string][] = [
    ['Nama', p.nama],
    ['Tempat/Tgl Lahir', `${p.tempatLahir}, ${p.tanggalLahir}`],
    ['Jenis Kelamin', `${p.jenisKelamin}&nbsp;&nbsp;&nbsp;&nbsp;Gol. Darah : ${p.golDarah}`],
    ['Alamat', p.alamat],
    ['&nbsp;&nbsp;&nbsp;&nbsp;RT/RW', p.rtRw],
    ['&nbsp;&nbsp;&nbsp;&nbsp;Kel/Desa', p.kelDesa],
    ['&nbsp;&nbsp;&nbsp;&nbsp;Kecamatan', p.kecamatan],
    ['Agama', p.agama],
    ['Status Perkawinan', p.statusPerkawinan],
    ['Pekerjaan', p.pekerjaan],
    ['Kewarganegaraan', p.kewarganegaraan],
    ['Berlaku Hingga', p.berlakuHingga],
  ];
  const body = rows
    .map(
      ([label, value]) =>
        `<tr><td class="l">${label}</td><td>:</td><td>${label.includes('&') || label === 'Jenis Kelamin' ? value : escapeHtml(value)}</td></tr>`,
    )
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><style>
    body { margin: 0; background: #fff; }
    #card { position: relative; width: 1012px; height: 638px; border-radius: 36px; overflow: hidden;
      background: linear-gradient(160deg, #cfe8f7 0%, #e9f4fb 45%, #bfdff2 100%);
      font-family: 'Liberation Sans', Arial, sans-serif; color: #111; }
    .head { text-align: center; font-weight: bold; font-size: 30px; line-height: 38px; padding-top: 18px; }
    .nik { position: absolute; left: 34px; top: 104px; font-size: 34px; font-weight: bold; }
    .nik span { font-family: 'Liberation Mono', 'OCR A', monospace; letter-spacing: 2px; }
    table { position: absolute; left: 34px; top: 152px; border-collapse: collapse; font-size: 21px; font-weight: bold; }
    td { padding: 1px 6px 1px 0; white-space: nowrap; vertical-align: top; }
    td.l { width: 210px; font-weight: normal; }
    .photo { position: absolute; left: 720px; top: 160px; width: 230px; height: 290px; background: #c62828; }
    .photo::after { content: ''; position: absolute; left: 55px; top: 40px; width: 120px; height: 150px; border-radius: 50%; background: #f1c9a5; }
    .issue { position: absolute; left: 720px; top: 462px; width: 230px; text-align: center; font-size: 19px; font-weight: bold; }
  </style></head><body><div id="card">
    <div class="head">PROVINSI ${escapeHtml(p.provinsi)}<br>${escapeHtml(p.kota)}</div>
    <div class="nik">NIK&nbsp;&nbsp;:&nbsp;<span>${escapeHtml(p.nik)}</span></div>
    <table>${body}</table>
    <div class="photo"></div>
    <div class="issue">KOTA MADIUN<br>12-08-2019</div>
  </div></body></html>`;
}
