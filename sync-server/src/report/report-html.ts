import type { CertificateType } from '../../../src/core/certificate/types';
import { REPORT_MEASURES, type ReportMeasure, type YearlyReport } from './yearly-report';

export type ReportLanguage = 'id' | 'en';

const WORDS = {
  id: {
    title: 'Laporan Pengawasan dan Evaluasi Sertifikat Elektronik',
    subtitle: 'Diskominfo Kota Madiun selaku Otoritas Pendaftaran (Pasal 23 Perwal Madiun 30/2019)',
    period: 'Periode',
    made: 'Dibuat',
    pd: 'Perangkat Daerah',
    type: 'Jenis',
    total: 'Jumlah',
    none: '(tidak terkait sertifikat)',
    byPd: 'Permohonan dan sertifikat terbit per Perangkat Daerah',
    byType: 'Per jenis sertifikat',
    reasons: 'Alasan penolakan',
    noReasons: 'Tidak ada penolakan dalam periode ini.',
    empty: 'Tidak ada kegiatan dalam periode ini.',
    measures: {
      applications: 'Permohonan',
      approved: 'Disetujui',
      rejected: 'Ditolak',
      issued: 'Terbit',
      renewed: 'Pembaruan',
      revoked: 'Dicabut',
      expiring: 'Berakhir',
      incidents: 'Insiden',
    },
    types: { individu: 'Individu', jabatan: 'Jabatan', 'sistem-elektronik': 'Sistem elektronik' },
  },
  en: {
    title: 'Electronic Certificate Supervision and Evaluation Report',
    subtitle: 'Diskominfo Kota Madiun as Registration Authority (Article 23, Mayoral Regulation 30/2019)',
    period: 'Period',
    made: 'Made',
    pd: 'Perangkat Daerah',
    type: 'Type',
    total: 'Total',
    none: '(no certificate concerned)',
    byPd: 'Applications and certificates issued per Perangkat Daerah',
    byType: 'Per certificate type',
    reasons: 'Rejection reasons',
    noReasons: 'No rejections in this period.',
    empty: 'Nothing happened in this period.',
    measures: {
      applications: 'Applications',
      approved: 'Approved',
      rejected: 'Rejected',
      issued: 'Issued',
      renewed: 'Renewed',
      revoked: 'Revoked',
      expiring: 'Expiring',
      incidents: 'Incidents',
    },
    types: { individu: 'Individual', jabatan: 'Position', 'sistem-elektronik': 'Electronic system' },
  },
} as const;

const html = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

const zeros = () => Object.fromEntries(REPORT_MEASURES.map((m) => [m, 0])) as Record<ReportMeasure, number>;

interface Bar {
  label: string;
  values: { measure: ReportMeasure; value: number }[];
}

const COLOURS: Partial<Record<ReportMeasure, string>> = {
  applications: '#1f5f99',
  issued: '#2e8540',
  rejected: '#b3261e',
  revoked: '#7a4b00',
};

/** Grouped horizontal bars as inline SVG: prints sharp, needs no script and no network. */
function barChart(title: string, bars: Bar[], words: (typeof WORDS)[ReportLanguage]): string {
  const max = Math.max(1, ...bars.flatMap((b) => b.values.map((v) => v.value)));
  const labelWidth = 260;
  const plotWidth = 380;
  const barHeight = 12;
  const groupHeight = bars[0] ? bars[0].values.length * barHeight + 10 : 0;
  const height = bars.length * groupHeight + 30;
  const parts: string[] = [];
  bars.forEach((bar, i) => {
    const y0 = 10 + i * groupHeight;
    parts.push(
      `<text x="${labelWidth - 8}" y="${y0 + (groupHeight - 10) / 2 + 4}" text-anchor="end">${html(bar.label)}</text>`,
    );
    bar.values.forEach(({ measure, value }, j) => {
      const width = Math.round((value / max) * plotWidth);
      const y = y0 + j * barHeight;
      parts.push(
        `<rect x="${labelWidth}" y="${y}" width="${width}" height="${barHeight - 2}" fill="${COLOURS[measure] ?? '#555'}"><title>${html(words.measures[measure])}: ${value}</title></rect>`,
        `<text x="${labelWidth + width + 4}" y="${y + barHeight - 3}" class="v">${value}</text>`,
      );
    });
  });
  const legend = (bars[0]?.values ?? [])
    .map(
      ({ measure }, k) =>
        `<rect x="${labelWidth + k * 110}" y="${height - 14}" width="10" height="10" fill="${COLOURS[measure] ?? '#555'}"/><text x="${labelWidth + k * 110 + 14}" y="${height - 5}">${html(words.measures[measure])}</text>`,
    )
    .join('');
  return `<figure><figcaption>${html(title)}</figcaption><svg role="img" aria-label="${html(title)}" width="${labelWidth + plotWidth + 40}" height="${height}" viewBox="0 0 ${labelWidth + plotWidth + 40} ${height}">${parts.join('')}${legend}</svg></figure>`;
}

/** The printable page (A4 landscape): a table per Perangkat Daerah and type, charts, rejection reasons. */
export function renderReportHtml(
  report: YearlyReport,
  options: { language?: ReportLanguage; madeAt: Date; reasonLabels?: Record<string, string> },
): string {
  const lang = options.language ?? 'id';
  const w = WORDS[lang];
  const typeName = (t: CertificateType | null) => (t === null ? '—' : w.types[t]);
  const head = `<tr><th>${w.pd}</th><th>${w.type}</th>${REPORT_MEASURES.map((m) => `<th>${w.measures[m]}</th>`).join('')}</tr>`;
  const body = report.rows
    .map(
      (row) =>
        `<tr><td>${html(row.perangkatDaerah ?? w.none)}</td><td>${typeName(row.certificateType)}</td>${REPORT_MEASURES.map((m) => `<td>${row.counts[m]}</td>`).join('')}</tr>`,
    )
    .join('');
  const totals = `<tr class="total"><th colspan="2">${w.total}</th>${REPORT_MEASURES.map((m) => `<td>${report.totals[m]}</td>`).join('')}</tr>`;

  const perPd = new Map<string, Record<ReportMeasure, number>>();
  const perType = new Map<CertificateType, Record<ReportMeasure, number>>();
  for (const row of report.rows) {
    if (row.perangkatDaerah !== null) {
      const sum = perPd.get(row.perangkatDaerah) ?? zeros();
      for (const m of REPORT_MEASURES) sum[m] += row.counts[m];
      perPd.set(row.perangkatDaerah, sum);
    }
    if (row.certificateType !== null) {
      const sum = perType.get(row.certificateType) ?? zeros();
      for (const m of REPORT_MEASURES) sum[m] += row.counts[m];
      perType.set(row.certificateType, sum);
    }
  }
  const shown: ReportMeasure[] = ['applications', 'issued', 'rejected', 'revoked'];
  const toBars = (entries: [string, Record<ReportMeasure, number>][]) =>
    entries.map(([label, counts]) => ({
      label,
      values: shown.map((measure) => ({ measure, value: counts[measure] })),
    }));
  const charts =
    report.rows.length === 0
      ? ''
      : barChart(w.byPd, toBars([...perPd.entries()]), w) +
        barChart(w.byType, toBars([...perType.entries()].map(([t, c]) => [typeName(t), c])), w);
  const reasons = Object.entries(report.rejectionReasons).sort((a, b) => b[1] - a[1]);
  const reasonList =
    reasons.length === 0
      ? `<p>${w.noReasons}</p>`
      : `<table class="reasons"><tbody>${reasons
          .map(([code, n]) => `<tr><td>${html(options.reasonLabels?.[code] ?? code)}</td><td>${n}</td></tr>`)
          .join('')}</tbody></table>`;
  const from = new Date(report.period.from);
  const to = new Date(Date.parse(report.period.to) - 1);
  const day = (d: Date) =>
    d.toLocaleDateString(lang === 'id' ? 'id-ID' : 'en-GB', { timeZone: 'Asia/Jakarta', dateStyle: 'long' });
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${html(w.title)} ${html(report.period.label)}</title>
<style>
@page { size: A4 landscape; margin: 12mm; }
body { font: 11pt/1.35 system-ui, sans-serif; color: #111; margin: 16px; }
h1 { font-size: 16pt; margin: 0; } .sub { margin: 2px 0 10px; color: #333; }
table { border-collapse: collapse; margin: 8px 0 16px; } th, td { border: 1px solid #999; padding: 3px 6px; }
td { text-align: right; } td:first-child, td:nth-child(2) { text-align: left; } .total td, .total th { font-weight: 700; background: #eee; }
figure { margin: 8px 0 16px; break-inside: avoid; } figcaption { font-weight: 600; margin-bottom: 4px; }
svg text { font: 9pt system-ui, sans-serif; } svg text.v { fill: #333; }
@media print { body { margin: 0; } }
</style></head><body>
<h1>${html(w.title)}</h1>
<p class="sub">${html(w.subtitle)}<br>${w.period}: ${html(day(from))} – ${html(day(to))} · ${w.made}: ${html(day(options.madeAt))}</p>
${report.rows.length === 0 ? `<p>${w.empty}</p>` : `<table><thead>${head}</thead><tbody>${body}${totals}</tbody></table>`}
${charts}
<h2>${w.reasons}</h2>
${reasonList}
</body></html>
`;
}
