/**
 * The applicant's rights over the sealed archive (issue 8): corrections are new officer-signed
 * statements applied on read (the record itself is never edited), an export gives one person's
 * applications with their events and corrections and is logged as an opening, and retention deletes
 * the personal data on schedule while the skeleton stays for the yearly report.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, inject, test } from 'vitest';
import { CORRECTIONS_PATH, correctionResponseSchema } from '../../../src/protocol/lifecycle';
import { signStatement } from '../../../src/protocol/statement';
import { errorBodySchema } from '../../../src/protocol/sync';
import { makeApplication } from '../../../tests/support/applications';
import { archiveServer } from '../../../tests/support/archive-server';
import { manualClock, type StoreTarget, storeTargets } from '../../../tests/support/forwarding-fixtures';
import type { TestOfficer } from '../../../tests/support/officer-fixtures';
import { type Fetcher, postSignedJson, type TestKiosk } from '../../../tests/support/signed-kiosk';
import type { ServerAuditLog } from '../audit/server-chain';
import type { Store } from '../store/store';
import { exportApplicant } from './export';
import { purgeExpired } from './retention';

const NIK = '3577014501900003';
const OTHER_NIK = '3577015202850004';
const YEAR = 365 * 86_400_000;

describe.each(storeTargets(inject('databaseUrl')))(
  'the sealed archive and the applicant ($kind)',
  ({ create }) => {
    let target: StoreTarget;
    let store: Store;
    let audit: ServerAuditLog;
    let clock: ReturnType<typeof manualClock>;
    let fetcher: Fetcher;
    let kiosk: TestKiosk;
    let officer: TestOfficer;

    beforeEach(async () => {
      target = await create();
      store = await target.open();
      clock = manualClock();
      ({ audit, fetcher, kiosk, officer } = await archiveServer(store, {
        now: clock.now,
        auditNow: clock.now,
        officerAt: clock.now(),
      }));
    });
    afterEach(async () => {
      await store.close();
      await target.dispose();
    });

    async function correct(
      applicationId: string,
      fields: Record<string, unknown>,
      correctionId = randomUUID(),
    ) {
      const payload = JSON.stringify({
        v: 1,
        type: 'correction',
        correctionId,
        applicationId,
        fields,
        reason: 'salah ketik nama pada e-KTP terbaca',
        officerId: officer.officerId,
        keyId: officer.keyId,
        kioskId: officer.kioskId,
        correctedAt: clock.now().toISOString(),
      });
      return postSignedJson(
        fetcher,
        kiosk,
        CORRECTIONS_PATH,
        { kioskId: kiosk.kioskId, correction: await signStatement(officer.privateKey, payload) },
        { at: clock.now().getTime() },
      );
    }

    test('a correction is a signed statement applied on read; the stored record is not edited', async () => {
      const application = makeApplication({ nik: NIK, nama: 'Siti Rahaju', nip: null });
      await store.insertApplications([application], clock.now().toISOString());
      const correctionId = randomUUID();
      const first = await correct(
        application.id,
        { nama: 'Siti Rahayu', nip: '197501171996021001' },
        correctionId,
      );
      expect(first.status).toBe(201);
      expect(correctionResponseSchema.parse(await first.json())).toEqual({
        status: 'recorded',
        correctionId,
      });
      // A resend of the same statement is a duplicate, applied once.
      expect((await correct(application.id, { nama: 'Siti Rahayu' }, correctionId)).status).toBe(200);
      clock.advance(60_000);
      expect((await correct(application.id, { nip: null })).status).toBe(201);

      const read = await store.getApplication(application.id);
      // Applied in order: the name from the first, the NIP set and then cleared again.
      expect([read?.nama, read?.nip, read?.nik]).toEqual(['Siti Rahayu', null, NIK]);
      // The record as received is untouched: same content hash, so a resend is still a duplicate.
      expect(await store.insertApplications([application], clock.now().toISOString())).toEqual(['duplicate']);
      const events = await store.listApplicationEvents(application.id);
      expect(events.filter((e) => e.event === 'corrected').map((e) => [e.actor, e.detail?.fields])).toEqual([
        [`officer:${officer.officerId}`, 'nama,nip'],
        [`officer:${officer.officerId}`, 'nip'],
      ]);
      expect(JSON.stringify(events)).not.toContain('Siti Rahayu');
      const corrections = await store.listCorrections(application.id);
      expect(corrections.map((c) => c.fields)).toEqual([
        { nama: 'Siti Rahayu', nip: '197501171996021001' },
        { nip: null },
      ]);
      // Each names the officer's signing key (not the archive key it is sealed to).
      expect(corrections.map((c) => c.keyId)).toEqual([officer.keyId, officer.keyId]);
    });

    test('a correction of an unknown application, of no field or of the NIK is refused', async () => {
      const application = makeApplication({ nik: NIK });
      await store.insertApplications([application], clock.now().toISOString());
      const unknown = await correct(randomUUID(), { nama: 'Siti Rahayu' });
      expect([unknown.status, errorBodySchema.parse(await unknown.json()).error.code]).toEqual([
        404,
        'unknown-application',
      ]);
      for (const fields of [{}, { nik: OTHER_NIK }]) {
        const refused = await correct(application.id, fields);
        expect([refused.status, errorBodySchema.parse(await refused.json()).error.code]).toEqual([
          400,
          'invalid-correction',
        ]);
      }
      expect(await store.listCorrections(application.id)).toEqual([]);
    });

    test("an export gives all of one person's applications, corrected, and is logged with officer and reason", async () => {
      const mine = [
        makeApplication({ nik: NIK }),
        makeApplication({ nik: NIK, certificateType: 'individu' }),
      ];
      const someoneElse = makeApplication({ nik: OTHER_NIK, nama: 'Budi Hartono' });
      await store.insertApplications([...mine, someoneElse], clock.now().toISOString());
      expect((await correct(mine[0]?.id ?? '', { nama: 'Siti Rahayu Putri' })).status).toBe(201);

      const outcome = await exportApplicant(store, audit, {
        nik: NIK,
        officerUsername: officer.username,
        reason: 'permintaan akses pemohon, surat 12/2026',
        now: clock.now(),
      });
      if (!outcome.ok) throw new Error(outcome.message);
      const exported = JSON.parse(JSON.stringify(outcome.export)) as {
        applications: {
          application: { id: string; nama: string; nik: string; ektpImageBase64: string };
          events: { event: string }[];
          corrections: { fields: unknown }[];
        }[];
      };
      expect(exported.applications.map((a) => a.application.id).sort()).toEqual(mine.map((a) => a.id).sort());
      const first = exported.applications.find((a) => a.application.id === mine[0]?.id);
      expect(first?.application.nama).toBe('Siti Rahayu Putri');
      expect(first?.application.nik).toBe(NIK);
      expect(first?.application.ektpImageBase64).toBe(
        Buffer.from(mine[0]?.ektpImage ?? []).toString('base64'),
      );
      expect(first?.events.map((e) => e.event)).toEqual(['received', 'corrected']);
      expect(first?.corrections.map((c) => c.fields)).toEqual([{ nama: 'Siti Rahayu Putri' }]);
      expect(JSON.stringify(exported)).not.toContain('Budi Hartono');

      const opened = (await store.serverAuditEvents(0, 100)).filter((e) => e.type === 'archive-opened');
      expect(opened).toHaveLength(1);
      expect(opened[0]?.actor).toBe(`officer:${officer.officerId}`);
      expect(opened[0]?.detail).toMatchObject({
        purpose: 'export',
        reason: 'permintaan akses pemohon, surat 12/2026',
      });
      expect(opened[0]?.subject?.split(',').sort()).toEqual(mine.map((a) => a.id).sort());
      expect(JSON.stringify(opened)).not.toContain(NIK);
    });

    test('an export without an officer, or without a reason, opens nothing', async () => {
      await store.insertApplications([makeApplication({ nik: NIK })], clock.now().toISOString());
      const base = { nik: NIK, officerUsername: officer.username, reason: 'akses', now: clock.now() };
      expect(await exportApplicant(store, audit, { ...base, officerUsername: 'nobody' })).toMatchObject({
        ok: false,
        code: 'unknown-officer',
      });
      expect(await exportApplicant(store, audit, { ...base, reason: '   ' })).toMatchObject({
        ok: false,
        code: 'invalid-reason',
      });
      expect(await exportApplicant(store, audit, { ...base, nik: '1234' })).toMatchObject({
        ok: false,
        code: 'invalid-nik',
      });
      expect((await store.serverAuditEvents(0, 100)).filter((e) => e.type === 'archive-opened')).toEqual([]);
    });

    test('retention deletes personal data years after the end of validity or the refusal, keeping the skeleton', async () => {
      const issued = makeApplication({ nik: NIK });
      const refused = makeApplication({ nik: OTHER_NIK });
      const open = makeApplication({ nik: NIK });
      const start = clock.now();
      await store.insertApplications([issued, refused, open], start.toISOString());
      const meta = { at: start.toISOString(), actor: 'ca' };
      await store.recordOutcome(issued.id, { state: 'sent-to-ca' }, meta);
      const notAfter = new Date(start.getTime() + 2 * YEAR).toISOString();
      await store.recordOutcome(
        issued.id,
        { state: 'issued', certificatePem: 'PEM', notAfter, serialNumberHex: 'AB12' },
        meta,
      );
      await store.recordOutcome(refused.id, { state: 'sent-to-ca' }, meta);
      await store.recordOutcome(refused.id, { state: 'ca-rejected', reason: 'data tidak cocok' }, meta);
      const run = (now: Date, dryRun = false) =>
        purgeExpired({ store, audit, actor: 'cli', retentionYears: 5, now, dryRun });

      // Five years after the refusal, less a day: nothing yet.
      expect((await run(new Date(start.getTime() + 5 * YEAR - 86_400_000))).ids).toEqual([]);
      // Five years and a day after: the refusal is due; the certificate (valid two more years) is not.
      const dry = await run(new Date(start.getTime() + 5 * YEAR + 2 * 86_400_000), true);
      expect(dry.ids).toEqual([refused.id]);
      expect((await store.getApplication(refused.id))?.nama).toBe(refused.nama);
      expect((await run(new Date(start.getTime() + 5 * YEAR + 2 * 86_400_000))).ids).toEqual([refused.id]);
      // Seven years and a day: the certificate's end of validity is five years past too.
      const later = await run(new Date(start.getTime() + 7 * YEAR + 2 * 86_400_000));
      expect(later.ids).toEqual([issued.id]);

      for (const id of [issued.id, refused.id]) {
        const skeleton = await store.getApplication(id);
        expect(skeleton).toMatchObject({
          nama: '',
          nik: '',
          email: '',
          ektpImage: new Uint8Array(),
          attachments: [],
        });
        expect(skeleton?.perangkatDaerah).toBe(issued.perangkatDaerah);
        expect((await store.listApplicationEvents(id)).at(-1)?.event).toBe('personal-data-purged');
      }
      expect((await store.getApplication(issued.id))?.state).toBe('issued');
      // The open application keeps everything; the yearly report still counts all three.
      expect((await store.getApplication(open.id))?.nama).toBe(open.nama);
      expect((await store.listReportApplications()).map((a) => a.id).sort()).toEqual(
        [issued.id, refused.id, open.id].sort(),
      );
      const purged = (await store.serverAuditEvents(0, 100)).filter((e) => e.type === 'archive-purged');
      expect(purged.map((e) => [e.actor, e.subject, e.detail?.applications])).toEqual([
        ['cli', refused.id, '1'],
        ['cli', issued.id, '1'],
      ]);
      // Nothing left to purge: a second run changes nothing and records nothing.
      expect((await run(new Date(start.getTime() + 8 * YEAR))).ids).toEqual([]);
      // A purged application cannot be corrected.
      expect((await correct(issued.id, { nama: 'X' })).status).toBe(409);
    });
  },
);
