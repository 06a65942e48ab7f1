import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, inject, test } from 'vitest';
import { CERTIFICATE_TYPES, type CertificateType } from '../../../src/core/certificate/types';
import { ADMIN_YEARLY_REPORT_PATH } from '../../../src/protocol/sync';
import { makeApplication } from '../../../tests/support/applications';
import { type StoreTarget, storeTargets } from '../../../tests/support/forwarding-fixtures';
import { createApp } from '../http/app';
import { createLogger } from '../logger';
import type { NewApplication, Store } from '../store/store';
import { renderReportHtml } from './report-html';
import { reportFacts } from './yearly';
import {
  buildYearlyReport,
  REPORT_MEASURES,
  type ReportCounts,
  type ReportFacts,
  reportCsv,
  yearPeriod,
} from './yearly-report';

const PDS = [
  'Dinas Kesehatan',
  'Dinas Komunikasi dan Informatika',
  'Inspektorat Daerah',
  'Sekretariat Daerah',
];
const REASONS = ['dokumen-tidak-lengkap', 'foto-tidak-sesuai', 'email-bukan-email-dinas'];
/** Around the year's edges in Madiun's own time (+07:00) and in UTC: where a wrong boundary shows. */
const TIMES = [
  '2025-12-31T23:59:59+07:00',
  '2026-01-01T00:00:00+07:00',
  '2025-12-31T17:00:00.000Z',
  '2026-03-15T09:30:00+07:00',
  '2026-07-01T02:00:00.000Z',
  '2026-12-31T23:59:59+07:00',
  '2026-12-31T17:00:00.000Z',
  '2027-01-01T00:00:00+07:00',
];

/** A deterministic mix: every PD, type, decision and certificate fate, with times on both sides of each edge. */
function pick<T>(items: readonly T[], n: number): T {
  const item = items[n % items.length];
  if (item === undefined) throw new Error('empty list');
  return item;
}

async function seed(
  store: Store,
  count: number,
): Promise<{ notAfter: Map<string, string>; unlinkedIncidents: string[] }> {
  const notAfters = new Map<string, string>();
  const unlinkedIncidents: string[] = [];
  const issuedBefore: { id: string; type: CertificateType; nik: string }[] = [];
  for (let n = 0; n < count; n++) {
    const type = pick(CERTIFICATE_TYPES, n);
    const application: NewApplication = makeApplication({
      id: randomUUID(),
      perangkatDaerah: pick(PDS, Math.floor(n / 3)),
      certificateType: type,
      createdAt: pick(TIMES, n * 7 + 1),
    });
    const renewsOf = n % 5 === 4 ? issuedBefore.find((p) => p.type === type) : undefined;
    const fate = n % 4; // 0 undecided, 1 rejected, 2 approved, 3 approved and issued
    const record: NewApplication = {
      ...application,
      ...(renewsOf
        ? { previous: { applicationId: renewsOf.id, serialNumberHex: 'AB12', relation: 'renewal' } }
        : {}),
      ...(fate === 0
        ? {}
        : {
            decision: {
              decision: fate === 1 ? 'rejected' : 'approved',
              reasons: fate === 1 ? [pick(REASONS, n), ...(n % 3 === 0 ? [pick(REASONS, n + 1)] : [])] : [],
              officerId: 'officer-1',
              keyId: randomUUID(),
              decidedAt: pick(TIMES, n * 3 + 2),
              payload: '{}',
              signature: 'S',
            },
          }),
    };
    expect(await store.insertApplications([record], '2026-06-01T00:00:00.000Z')).toEqual(['stored']);
    if (fate === 3) {
      const at = new Date(pick(TIMES, n * 5 + 3)).toISOString();
      const notAfter =
        Math.floor(n / 4) % 2 === 0 ? pick(TIMES, Math.floor(n / 8)) : '2028-06-01T00:00:00.000Z';
      await store.recordOutcome(
        record.id,
        { state: 'issued', certificatePem: `PEM ${n}`, notAfter, serialNumberHex: `0${n}` },
        { at, actor: 'ca' },
      );
      issuedBefore.push({ id: record.id, type, nik: record.nik });
      notAfters.set(record.id, notAfter);
    }
    if (fate === 2 && n % 8 === 2) {
      await store.recordOutcome(
        record.id,
        { state: 'ca-rejected', reason: 'NIP tidak terdaftar' },
        {
          at: '2026-05-05T00:00:00.000Z',
          actor: 'ca',
        },
      );
    }
  }
  // Revocations done by the CA at times around the year's edges; some the CA has not done yet.
  const requested: { requestId: string; k: number }[] = [];
  for (const [k, issued] of issuedBefore.entries()) {
    if (k % 2 === 1) continue;
    const requestId = randomUUID();
    const outcome = await store.recordRevocation({
      requestId,
      applicationId: issued.id,
      serialNumberHex: `0${k}`,
      reason: 'affiliationChanged',
      lostKey: null,
      note: '',
      officerId: randomUUID(),
      keyId: randomUUID(),
      kioskId: randomUUID(),
      payload: '{}',
      signature: 'S',
      requestedAt: '2026-02-01T00:00:00.000Z',
      receivedAt: '2026-02-01T00:00:00.000Z',
      attachments: [],
      incident: null,
    });
    expect(outcome.status).toBe('requested');
    requested.push({ requestId, k });
  }
  const claimed = await store.claimForRevocation({
    token: 'report-test',
    at: '2026-02-01T00:00:00.000Z',
    leaseUntil: '2026-02-01T00:10:00.000Z',
    limit: 1000,
  });
  expect(claimed).toHaveLength(requested.length);
  await store.settleRevocations(
    'report-test',
    requested.map(({ requestId, k }) =>
      k % 6 === 4
        ? {
            requestId,
            outcome: 'retry',
            error: 'unavailable: HTTP 503',
            nextAttemptAt: '2027-02-01T00:00:00.000Z',
          }
        : { requestId, outcome: 'revoked', revokedAt: new Date(pick(TIMES, k + 1)).toISOString() },
    ),
    '2026-02-01T00:00:01.000Z',
  );
  // Incidents: some about a certificate, some about none.
  for (let k = 0; k < 14; k++) {
    const about = k % 3 === 0 ? null : (issuedBefore[k % issuedBefore.length] ?? null);
    const occurredAt = new Date(pick(TIMES, k)).toISOString();
    const incident = {
      id: randomUUID(),
      type: pick(['key-loss', 'authentication', 'other'] as const, k),
      occurredAt,
      recordedAt: '2027-01-02T00:00:00.000Z',
      certificateSerialHex: null,
      applicationId: about?.id ?? null,
      description: `kejadian ${k}`,
      actionsTaken: 'dicatat',
      reportedTo: 'BSrE',
      recordedBy: 'server',
      officerId: null,
      kioskId: null,
      revocationId: null,
      payload: null,
      signature: null,
    };
    expect((await store.recordIncident(incident)).status).toBe('recorded');
    if (about === null) unlinkedIncidents.push(occurredAt);
  }
  return { notAfter: notAfters, unlinkedIncidents };
}

describe.each(storeTargets(inject('databaseUrl')))('the yearly report ($kind)', ({ create }) => {
  let target: StoreTarget;
  let store: Store;
  beforeEach(async () => {
    target = await create();
    store = await target.open();
  });
  afterEach(async () => {
    await store.close();
    await target.dispose();
  });

  test('its numbers equal counts made independently from each stored application, its decision and its audit trail', async () => {
    const seeded = await seed(store, 120);
    const facts = await reportFacts(store, yearPeriod(2026));
    const report = buildYearlyReport(facts, yearPeriod(2026));

    // Independently: each application read back whole, each time compared as an instant.
    const from = Date.parse('2026-01-01T00:00:00+07:00');
    const to = Date.parse('2027-01-01T00:00:00+07:00');
    const inYear = (time: string | null | undefined) =>
      time !== null && time !== undefined && Date.parse(time) >= from && Date.parse(time) < to;
    const expected = new Map<string, ReportCounts>();
    const reasons: Record<string, number> = {};
    const counts = (pd: string, type: string) => {
      const key = `${pd}|${type}`;
      if (!expected.has(key))
        expected.set(key, Object.fromEntries(REPORT_MEASURES.map((m) => [m, 0])) as ReportCounts);
      return expected.get(key) as ReportCounts;
    };
    for (const { id } of facts.applications) {
      const application = await store.getApplication(id);
      const decision = await store.getDecision(id);
      const events = await store.listApplicationEvents(id);
      if (application === null) throw new Error('listed but not stored');
      const c = () => counts(application.perangkatDaerah, application.certificateType);
      if (inYear(application.createdAt)) c().applications++;
      if (decision && inYear(decision.decidedAt)) {
        if (decision.decision === 'approved') c().approved++;
        else {
          c().rejected++;
          for (const r of decision.reasons) reasons[r] = (reasons[r] ?? 0) + 1;
        }
      }
      const issued = events.find((e) => e.event === 'issued');
      if (issued && inYear(issued.at)) {
        c().issued++;
        if (application.previous?.relation === 'renewal') c().renewed++;
      }
      const notAfter = seeded.notAfter.get(id);
      if (issued && inYear(notAfter)) c().expiring++;
      // From the audit trail: what the CA revoked, and the incidents about this certificate.
      for (const event of events) {
        if (
          event.event === 'revoked' &&
          event.detail?.result === 'revoked' &&
          inYear(event.detail.revokedAt)
        ) {
          c().revoked++;
        }
        if (event.event === 'incident-recorded' && inYear(event.detail?.occurredAt)) c().incidents++;
      }
    }
    for (const occurredAt of seeded.unlinkedIncidents)
      if (inYear(occurredAt)) counts('null', 'null').incidents++;

    const got = new Map(
      report.rows.map((row) => [`${row.perangkatDaerah}|${row.certificateType}`, row.counts]),
    );
    const nonZero = [...expected.entries()].filter(([, c]) => REPORT_MEASURES.some((m) => c[m] > 0));
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(nonZero));
    expect(report.rejectionReasons).toEqual(reasons);
    for (const m of REPORT_MEASURES) {
      expect(report.totals[m]).toBe(nonZero.reduce((sum, [, c]) => sum + c[m], 0));
    }
    // The admin API serves the same numbers (CSV here), only with the token.
    const token = 'report-admin-token-0123456789abcdef';
    const app = createApp({ store, logger: createLogger('silent'), adminToken: token });
    const auth = { authorization: `Bearer ${token}` };
    const served = await app.request(`${ADMIN_YEARLY_REPORT_PATH}?year=2026&format=csv`, { headers: auth });
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toContain('text/csv');
    expect(await served.text()).toBe(
      reportCsv(buildYearlyReport(await reportFacts(store, yearPeriod(2026)), yearPeriod(2026))),
    );
    expect((await app.request(`${ADMIN_YEARLY_REPORT_PATH}?year=2026`)).status).toBe(401);
    expect((await app.request(`${ADMIN_YEARLY_REPORT_PATH}?year=26`, { headers: auth })).status).toBe(400);
    const page = await app.request(`${ADMIN_YEARLY_REPORT_PATH}?year=2026&format=html`, { headers: auth });
    expect(await page.text()).toContain(`<td>${report.totals.issued}</td>`);

    // The data has all of it, so a count stuck at zero would show.
    for (const m of REPORT_MEASURES) {
      expect(report.totals[m]).toBeGreaterThan(0);
    }
  });
});

describe('the report as CSV and as a printable page', () => {
  const facts: ReportFacts = {
    applications: [
      {
        id: 'a1',
        perangkatDaerah: '=cmd|calc',
        certificateType: 'individu',
        createdAt: '2026-02-01T00:00:00+07:00',
        decision: {
          kind: 'rejected',
          decidedAt: '2026-02-02T00:00:00+07:00',
          reasons: ['foto-tidak-sesuai'],
        },
        issuedAt: null,
        certificateNotAfter: null,
        relation: null,
      },
      {
        id: 'a2',
        perangkatDaerah: 'Dinas "Kesehatan", Kota <Madiun>',
        certificateType: 'jabatan',
        createdAt: '2026-02-01T00:00:00+07:00',
        decision: { kind: 'approved', decidedAt: '2026-02-02T00:00:00+07:00', reasons: [] },
        issuedAt: '2026-02-03T00:00:00.000Z',
        certificateNotAfter: '2028-02-03T00:00:00.000Z',
        relation: null,
      },
    ],
    revocations: [{ applicationId: 'a2', revokedAt: '2026-06-01T00:00:00.000Z' }],
    incidents: [
      { applicationId: 'a2', occurredAt: '2026-06-01T00:00:00.000Z' },
      { applicationId: null, occurredAt: '2026-07-01T00:00:00.000Z' },
      { applicationId: null, occurredAt: '2027-07-01T00:00:00.000Z' },
    ],
  };
  const report = buildYearlyReport(facts, yearPeriod(2026));

  test('rows per Perangkat Daerah and type, revocations and incidents on their certificate’s row, the rest on their own', () => {
    expect(
      report.rows.map((r) => [r.perangkatDaerah, r.certificateType, r.counts.revoked, r.counts.incidents]),
    ).toEqual([
      ['=cmd|calc', 'individu', 0, 0],
      ['Dinas "Kesehatan", Kota <Madiun>', 'jabatan', 1, 1],
      [null, null, 0, 1],
    ]);
    expect(report.totals).toMatchObject({
      applications: 2,
      approved: 1,
      rejected: 1,
      issued: 1,
      revoked: 1,
      incidents: 2,
    });
  });

  test('CSV: quoted where needed, a formula never starts a cell, totals and reasons follow', () => {
    const lines = reportCsv(report).split('\r\n');
    expect(lines[0]).toBe(`perangkat_daerah,certificate_type,${REPORT_MEASURES.join(',')}`);
    expect(lines[1]).toBe(`"'=cmd|calc",individu,1,0,1,0,0,0,0,0`);
    expect(lines[2]).toBe('"Dinas ""Kesehatan"", Kota <Madiun>",jabatan,1,1,0,1,0,1,0,1');
    expect(lines[4]).toBe('TOTAL,,2,1,1,1,0,1,0,2');
    expect(lines).toContain('foto-tidak-sesuai,1');
  });

  test('the page: a table, two charts as SVG, the reasons by their label, and nothing unescaped', () => {
    const page = renderReportHtml(report, {
      madeAt: new Date('2027-01-05T03:00:00.000Z'),
      reasonLabels: { 'foto-tidak-sesuai': 'Foto pada e-KTP tidak sesuai dengan pemohon' },
    });
    expect(page).toContain('<html lang="id">');
    expect(page.match(/<svg /g)).toHaveLength(2);
    expect(page).toContain('Dinas &quot;Kesehatan&quot;, Kota &lt;Madiun&gt;');
    expect(page).not.toContain('<Madiun>');
    expect(page).toContain('Foto pada e-KTP tidak sesuai dengan pemohon');
    expect(page).toContain('1 Januari 2026 – 31 Desember 2026');
    expect(renderReportHtml(report, { madeAt: new Date(), language: 'en' })).toContain('Rejection reasons');
  });
});
