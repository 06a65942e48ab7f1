/**
 * The store's rules for the renewal list and the incident register (lifecycle-store.ts), on SQLite
 * and PostgreSQL: which issued certificates count as about to expire, and time ranges.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, inject, test } from 'vitest';
import type { PreviousCertificate } from '../../../src/protocol/sync';
import { makeApplication } from '../../../tests/support/applications';
import { type StoreTarget, storeTargets } from '../../../tests/support/forwarding-fixtures';
import { storeRevocation } from '../../../tests/support/store-revocations';
import type { NewIncident } from './lifecycle-store';
import type { NewApplication, Store } from './store';

const NOW = '2026-11-26T03:00:00.000Z';
const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.parse(NOW) + days * DAY).toISOString();
let serials = 0x10;

describe.each(storeTargets(inject('databaseUrl')))('the lifecycle store ($kind)', ({ create }) => {
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

  /** An application with a certificate ending in `days`; its id and serial. */
  async function certificate(
    days: number,
    fields: Partial<Omit<NewApplication, 'decision'>> & { verdict?: 'approved' | 'rejected' } = {},
  ): Promise<{ applicationId: string; serialNumberHex: string }> {
    const { verdict = 'approved', ...rest } = fields;
    const application = makeApplication({ id: randomUUID(), ...rest });
    const outcomes = await store.insertApplications(
      [
        {
          ...application,
          decision: {
            decision: verdict,
            reasons: verdict === 'rejected' ? ['foto-tidak-jelas'] : [],
            officerId: randomUUID(),
            keyId: randomUUID(),
            decidedAt: NOW,
            payload: '{}',
            signature: 'S'.repeat(86),
          },
        },
      ],
      NOW,
    );
    expect(outcomes).toEqual(['stored']);
    serials += 1;
    const serialNumberHex = serials.toString(16).toUpperCase().padStart(32, '7');
    if (days !== Number.POSITIVE_INFINITY) {
      const issued = await store.recordOutcome(
        application.id,
        {
          state: 'issued',
          certificatePem: `PEM ${serialNumberHex}`,
          notAfter: inDays(days),
          serialNumberHex,
        },
        { at: NOW, actor: 'ca' },
      );
      expect(issued.status).toBe('recorded');
    }
    return { applicationId: application.id, serialNumberHex };
  }

  const listed = async (windowDays = 30) =>
    (await store.listExpiringCertificates({ from: NOW, until: inDays(windowDays), limit: 100 })).map(
      (c) => c.applicationId,
    );

  test('the renewal list: within the window, the latest per person and type, none followed by a renewal that still counts, none revoked', async () => {
    const soon = await certificate(10);
    const later = await certificate(45, { nik: '3577018808500007' });
    const expired = await certificate(-1, { nik: '3577011203850002' });
    // Two of one person's certificates of the same type: only the later one is hers to renew.
    const olderOfTwo = await certificate(5, { nik: '3577010101900001' });
    const newerOfTwo = await certificate(20, { nik: '3577010101900001' });
    // …but another type is another certificate.
    const jabatan = await certificate(6, {
      nik: '3577010101900001',
      certificateType: 'jabatan',
      jabatan: 'Kepala Seksi',
    });
    // Followed by a renewal on its way: not listed. Followed only by refused ones: listed.
    const renewed = await certificate(12, { nik: '3577015505800004' });
    const follow = (of: {
      applicationId: string;
      serialNumberHex: string;
    }): { previous: PreviousCertificate } => ({
      previous: { ...of, relation: 'renewal' },
    });
    await certificate(Number.POSITIVE_INFINITY, { nik: '3577015505800004', ...follow(renewed) });
    const refusedFollowers = await certificate(14, { nik: '3577016606700005' });
    await certificate(Number.POSITIVE_INFINITY, {
      nik: '3577016606700005',
      ...follow(refusedFollowers),
      verdict: 'rejected',
    });
    const caRejected = await certificate(Number.POSITIVE_INFINITY, {
      nik: '3577016606700005',
      ...follow(refusedFollowers),
    });
    await store.recordOutcome(
      caRejected.applicationId,
      { state: 'ca-rejected', reason: 'CSR' },
      { at: NOW, actor: 'ca' },
    );
    const revoked = await certificate(15, { nik: '3577017707600006' });
    await store.recordRevocation(
      storeRevocation({
        requestId: randomUUID(),
        ...revoked,
        reason: 'superseded',
        requestedAt: NOW,
        receivedAt: NOW,
        attachments: [],
      }),
    );

    const ids = await listed();
    expect(ids).toEqual(
      expect.arrayContaining([
        soon.applicationId,
        newerOfTwo.applicationId,
        jabatan.applicationId,
        refusedFollowers.applicationId,
      ]),
    );
    for (const absent of [later, expired, olderOfTwo, renewed, revoked])
      expect(ids).not.toContain(absent.applicationId);
    expect(ids).toHaveLength(4);
    // Soonest first (one Perangkat Daerah here).
    const rows = await store.listExpiringCertificates({ from: NOW, until: inDays(30), limit: 100 });
    expect(rows.map((r) => r.notAfter)).toEqual([...rows.map((r) => r.notAfter)].sort());
    expect(rows.find((r) => r.applicationId === soon.applicationId)).toEqual({
      applicationId: soon.applicationId,
      nama: 'Siti Rahayu',
      perangkatDaerah: 'Dinas Komunikasi dan Informatika',
      certificateType: 'individu',
      serialNumberHex: soon.serialNumberHex,
      notAfter: inDays(10),
    });
    expect(await listed(60)).toContain(later.applicationId);
    expect(await store.listExpiringCertificates({ from: NOW, until: inDays(30), limit: 2 })).toHaveLength(2);
    // Searched by serial, the renewed one says what follows it.
    const [found] = await store.findIssuedCertificates({ serialNumberHex: renewed.serialNumberHex }, 10);
    expect(found?.followedBy).toMatchObject({ relation: 'renewal', state: 'received' });
    const [refusedOnly] = await store.findIssuedCertificates(
      { serialNumberHex: refusedFollowers.serialNumberHex },
      10,
    );
    expect(refusedOnly?.followedBy).toBeNull();
  });

  test('incidents by time range (occurrence, half-open, any offset), with the officer’s name; the same id again is a duplicate', async () => {
    const incident = (occurredAt: string, extra: Partial<NewIncident> = {}): NewIncident => ({
      id: randomUUID(),
      type: 'authentication',
      occurredAt,
      recordedAt: NOW,
      certificateSerialHex: null,
      applicationId: null,
      description: 'Masalah autentikasi',
      actionsTaken: '',
      reportedTo: '',
      recordedBy: 'server',
      officerId: null,
      kioskId: null,
      revocationId: null,
      payload: null,
      signature: null,
      ...extra,
    });
    // 2026-01-01 00:00 WIB is 2025-12-31 17:00 UTC: the offset is honoured.
    const newYear = incident('2026-01-01T00:00:00+07:00');
    const before = incident('2025-12-31T16:59:59.999Z');
    const last = incident('2026-12-31T23:59:59+07:00');
    for (const i of [last, newYear, before]) expect((await store.recordIncident(i)).status).toBe('recorded');
    expect(await store.recordIncident(newYear)).toMatchObject({ status: 'duplicate' });
    expect(await store.recordIncident({ ...newYear, description: 'lain' })).toMatchObject({
      status: 'duplicate',
    });
    expect(await store.recordIncident({ ...newYear, payload: '{"other":1}' })).toEqual({
      status: 'conflict',
    });
    const year = { from: '2025-12-31T17:00:00.000Z', to: '2026-12-31T17:00:00.000Z' };
    expect((await store.listIncidents(year)).map((i) => i.id)).toEqual([newYear.id, last.id]);
    expect((await store.listIncidents({ ...year, limit: 1 })).map((i) => i.id)).toEqual([newYear.id]);
    expect((await store.listIncidents(year))[0]).toMatchObject({
      occurredAt: '2025-12-31T17:00:00.000Z',
      recordedByName: null,
    });
  });
});
