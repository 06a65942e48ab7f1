/**
 * Renewal, revocation and incidents through the API (Pasal 14, 15, 22, 24), on SQLite and on
 * PostgreSQL: kiosk-signed requests with real officer statements, applications issued by a real
 * CA through the forwarding job, and the CRL read back with OpenSSL.
 */
import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, inject, test } from 'vitest';
import { certificateProfiles } from '../../../src/app/certificate-profiles';
import {
  ADMIN_INCIDENTS_PATH,
  ADMIN_REVOCATIONS_PATH,
  CA_CRL_PATH,
  CERTIFICATES_EXPIRING_PATH,
  CERTIFICATES_LOOKUP_PATH,
  expiringResponseSchema,
  INCIDENTS_LIST_PATH,
  INCIDENTS_PATH,
  incidentListResponseSchema,
  incidentResponseSchema,
  lookupResponseSchema,
  REVOCATIONS_PATH,
  revocationResponseSchema,
} from '../../../src/protocol/lifecycle';
import { importNikHashKey, nikHash, SYNC_RELEASES_PATH } from '../../../src/protocol/officer';
import {
  type ApplicationRecord,
  errorBodySchema,
  type PreviousCertificate,
  SYNC_BATCHES_PATH,
  syncBatchResponseSchema,
} from '../../../src/protocol/sync';
import { type StoreTarget, storeTargets } from '../../../tests/support/forwarding-fixtures';
import {
  incidentRequest,
  lostKeyPapers,
  revocationRequest,
  signedQuery,
  tinyPdf,
} from '../../../tests/support/lifecycle-fixtures';
import {
  decidedRecord,
  enrollTestOfficer,
  signRelease,
  type TestOfficer,
} from '../../../tests/support/officer-fixtures';
import { opensslWorkspace } from '../../../tests/support/openssl';
import {
  appFetcher,
  enrollTestKiosk,
  type Fetcher,
  postSignedJson,
  TEST_ADMIN_TOKEN,
  type TestKiosk,
} from '../../../tests/support/signed-kiosk';
import { makeWireRecord } from '../../../tests/support/wire-records';
import { createDevCa, type DevCa } from '../ca/dev-ca/dev-ca';
import { createForwarder, type Forwarder } from '../ca/forwarding';
import { createLogger } from '../logger';
import type { Store } from '../store/store';
import { createApp } from './app';

const NIK = '3577014501900003';
const DAY = 86_400_000;
const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

async function errorOf(response: Response) {
  return errorBodySchema.parse(await response.json()).error;
}

describe.each(storeTargets(inject('databaseUrl')))(
  'renewal, revocation and incidents over the API ($kind)',
  ({ create }) => {
    let target: StoreTarget;
    let store: Store;
    let ca: DevCa;
    let forwarder: Forwarder;
    let app: Hono;
    let fetcher: Fetcher;
    let kiosk: TestKiosk;
    let decider: TestOfficer;
    let releaser: TestOfficer;
    let logLines: string[];
    let nowMs: number;

    beforeEach(async () => {
      target = await create();
      store = await target.open();
      nowMs = Date.now();
      // Twenty days of validity: every certificate this CA issues is within the 30-day renewal window.
      ca = await createDevCa({
        dir: null,
        passphrase: 'frasa sandi CA uji coba',
        profiles: certificateProfiles,
        keyIterations: 1000,
        validityDays: 20,
        now: () => new Date(nowMs),
      });
      logLines = [];
      const logger = createLogger('info', { write: (line: string) => void logLines.push(line) });
      forwarder = createForwarder({ store, connector: ca, logger, now: () => new Date(nowMs) });
      app = createApp({
        store,
        logger,
        now: () => new Date(nowMs),
        adminToken: TEST_ADMIN_TOKEN,
        ca,
        renewalWindowDays: 30,
      });
      fetcher = async (path, init) => appFetcher(app)(path, init);
      kiosk = await enrollTestKiosk(fetcher, store);
      decider = await enrollTestOfficer(fetcher, store, kiosk, { nama: 'SITI RAHAYU' });
      releaser = await enrollTestOfficer(fetcher, store, kiosk, { nama: 'BUDI SANTOSO' });
    });
    afterEach(async () => {
      await ca.close();
      await store.close();
      await target.dispose();
    });

    const post = (path: string, body: unknown) => postSignedJson(fetcher, kiosk, path, body, { at: nowMs });

    /**
     * The whole path of an application: captured and decided at the kiosk, synced, released by a
     * second officer, its e-mail confirmed, forwarded to the CA and issued. Its serial.
     */
    async function issue(record: ApplicationRecord): Promise<string> {
      const decided = await decidedRecord(decider, record);
      const synced = syncBatchResponseSchema.parse(
        await (await post(SYNC_BATCHES_PATH, { kioskId: kiosk.kioskId, records: [decided] })).json(),
      );
      expect(synced.results[0]).toMatchObject({ status: 'stored' });
      const released = await post(SYNC_RELEASES_PATH, {
        kioskId: kiosk.kioskId,
        releases: [await signRelease(releaser, [record.id])],
      });
      expect(released.status).toBe(200);
      await store.recordEmailConfirmation({
        applicationId: record.id,
        email: record.applicant.email.toLowerCase(),
        confirmedAt: new Date(nowMs).toISOString(),
        via: 'code',
        actor: 'test',
      });
      expect(await forwarder.runOnce()).toMatchObject({ submitted: 1, issued: 1 });
      const stored = await store.getApplication(record.id);
      if (stored?.certificateSerialHex == null) throw new Error('not issued');
      return stored.certificateSerialHex;
    }

    async function expiring() {
      const response = await post(
        CERTIFICATES_EXPIRING_PATH,
        await signedQuery(decider, { kind: 'expiring' }, { at: nowMs }),
      );
      expect(response.status).toBe(200);
      return expiringResponseSchema.parse(await response.json());
    }

    async function lookup(query: { nikHash: string } | { serialNumberHex: string }) {
      const response = await post(
        CERTIFICATES_LOOKUP_PATH,
        await signedQuery(decider, { kind: 'lookup', ...query }, { at: nowMs }),
      );
      expect(response.status).toBe(200);
      return lookupResponseSchema.parse(await response.json()).certificates;
    }

    async function crlText(): Promise<{ text: string; response: Response }> {
      const response = await fetcher(CA_CRL_PATH);
      expect(response.status).toBe(200);
      const work = opensslWorkspace('sertel-api-crl');
      try {
        work.write('crl.der', new Uint8Array(await response.clone().arrayBuffer()));
        return {
          text: work.must(['crl', '-inform', 'DER', '-in', 'crl.der', '-noout', '-text']).out,
          response,
        };
      } finally {
        work.remove();
      }
    }

    test('every route refuses an unsigned request first, then an officer of another kiosk, a stale query, a query of another kind', async () => {
      for (const path of [
        CERTIFICATES_EXPIRING_PATH,
        CERTIFICATES_LOOKUP_PATH,
        INCIDENTS_LIST_PATH,
        REVOCATIONS_PATH,
        INCIDENTS_PATH,
      ]) {
        const unsigned = await fetcher(path, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        expect(unsigned.status).toBe(401);
        expect((await errorOf(unsigned)).code).toBe('unsigned-request');
      }
      const otherKiosk = await enrollTestKiosk(fetcher, store, { name: 'Loket Lain' });
      const stranger = await enrollTestOfficer(fetcher, store, otherKiosk);
      // The stranger's key belongs to another kiosk: this kiosk cannot present it.
      const foreign = await post(CERTIFICATES_EXPIRING_PATH, {
        ...(await signedQuery(stranger, { kind: 'expiring' }, { at: nowMs, kioskId: kiosk.kioskId })),
        kioskId: kiosk.kioskId,
      });
      expect(foreign.status).toBe(403);
      expect((await errorOf(foreign)).code).toBe('unknown-officer');
      const stale = await post(
        CERTIFICATES_EXPIRING_PATH,
        await signedQuery(decider, { kind: 'expiring' }, { at: nowMs - 20 * 60_000 }),
      );
      expect(stale.status).toBe(400);
      expect((await errorOf(stale)).code).toBe('stale-statement');
      const wrongKind = await post(
        CERTIFICATES_EXPIRING_PATH,
        await signedQuery(decider, { kind: 'lookup', serialNumberHex: 'AB' }, { at: nowMs }),
      );
      expect(wrongKind.status).toBe(400);
      expect((await errorOf(wrongKind)).code).toBe('invalid-query');
      const mismatch = await post(CERTIFICATES_EXPIRING_PATH, {
        ...(await signedQuery(decider, { kind: 'expiring' }, { at: nowMs })),
        kioskId: otherKiosk.kioskId,
      });
      expect(mismatch.status).toBe(403);
      expect((await errorOf(mismatch)).code).toBe('kiosk-mismatch');
      // A changed statement no longer verifies.
      const query = await signedQuery(decider, { kind: 'expiring' }, { at: nowMs });
      const forged = await post(CERTIFICATES_EXPIRING_PATH, {
        ...query,
        query: {
          ...query.query,
          payload: query.query.payload.replace('"expiring"}', '"expiring","withinDays":366}'),
        },
      });
      expect(forged.status).toBe(400);
      expect((await errorOf(forged)).code).toBe('invalid-query');
    });

    test('renewal (Pasal 14): listed per Perangkat Daerah, found by NIK and by serial; the renewal issued through the forwarding job links old and new, and the old leaves the list', async () => {
      const first = await makeWireRecord();
      const serial = await issue(first);
      const other = await makeWireRecord({
        applicant: {
          nik: '3577011203850002',
          nama: 'Budi Santoso',
          email: 'budi@madiunkota.go.id',
          perangkatDaerah: 'Badan Kepegawaian Daerah',
        },
      });
      await issue(other);

      const before = await expiring();
      expect(before.windowDays).toBe(30);
      expect(before.groups.map((g) => g.perangkatDaerah)).toEqual([
        'Badan Kepegawaian Daerah',
        'Dinas Komunikasi dan Informatika',
      ]);
      const listed = before.groups.flatMap((g) => g.certificates);
      expect(listed.find((c) => c.applicationId === first.id)).toEqual({
        applicationId: first.id,
        nama: 'Siti Rahayu',
        perangkatDaerah: 'Dinas Komunikasi dan Informatika',
        certificateType: 'individu',
        serialNumberHex: serial,
        notAfter: expect.any(String),
      });
      // A window that ends before the certificates do lists none.
      const narrow = await post(
        CERTIFICATES_EXPIRING_PATH,
        await signedQuery(decider, { kind: 'expiring', withinDays: 5 }, { at: nowMs }),
      );
      expect(expiringResponseSchema.parse(await narrow.json()).groups).toEqual([]);

      const key = await importNikHashKey(decider.nikHashKey);
      const byNik = await lookup({ nikHash: await nikHash(key, NIK) });
      expect(byNik).toHaveLength(1);
      expect(byNik[0]).toMatchObject({
        applicationId: first.id,
        serialNumberHex: serial,
        certificateType: 'individu',
        applicant: {
          nik: NIK,
          nama: 'Siti Rahayu',
          email: 'siti.rahayu@madiunkota.go.id',
          nip: '197501171996021001',
        },
        revocation: null,
        followedBy: null,
      });
      expect(await lookup({ serialNumberHex: serial })).toEqual(byNik);
      expect(await lookup({ serialNumberHex: 'ABCDEF' })).toEqual([]);

      // The applicant comes back a day later.
      nowMs += DAY;
      const previous: PreviousCertificate = {
        applicationId: first.id,
        serialNumberHex: serial,
        relation: 'renewal',
      };
      const renewal = await makeWireRecord({ previous });
      const newSerial = await issue(renewal);
      expect(newSerial).not.toBe(serial);
      expect((await store.getApplication(renewal.id))?.previous).toEqual(previous);

      const after = (await expiring()).groups.flatMap((g) => g.certificates).map((c) => c.applicationId);
      expect(after).not.toContain(first.id);
      expect(after).toContain(renewal.id);
      expect(after).toContain(other.id);
      const [newest, old] = await lookup({ nikHash: await nikHash(key, NIK) });
      expect(newest).toMatchObject({ applicationId: renewal.id, serialNumberHex: newSerial });
      expect(old).toMatchObject({
        applicationId: first.id,
        followedBy: { applicationId: renewal.id, relation: 'renewal', state: 'issued' },
      });
      // The lookup by NIK is logged by its kind, never the NIK, the name or the hash.
      const log = logLines.join('\n');
      expect(log).toContain('certificate lookup');
      for (const secret of [NIK, 'Siti Rahayu', await nikHash(key, NIK)]) expect(log).not.toContain(secret);
    });

    test('lost key (Pasal 15 ayat 2-3): the request with its papers raises an incident, reaches the CA through the forwarding job, the CRL lists the serial as Key Compromise, and a replacement links to it', async () => {
      const record = await makeWireRecord();
      const serial = await issue(record);
      const papers = lostKeyPapers();
      const body = await revocationRequest(decider, {
        applicationId: record.id,
        serialNumberHex: serial,
        reason: 'keyCompromise',
        lostKey: 'lost',
        note: 'Laptop dicuri',
        papers,
        at: nowMs,
      });
      const response = await post(REVOCATIONS_PATH, body);
      expect(response.status).toBe(201);
      const answer = revocationResponseSchema.parse(await response.json());
      expect(answer).toMatchObject({
        status: 'requested',
        revocation: { applicationId: record.id, serialNumberHex: serial, state: 'pending', lostKey: 'lost' },
      });
      expect(answer.incidentId).not.toBeNull();
      // The papers are kept byte for byte.
      const kept = await store.getRevocationAttachments(answer.revocation.requestId);
      expect(
        kept.map((p) => [
          p.kind,
          p.mediaType,
          Buffer.from(p.data).equals(Buffer.from(papers.find((x) => x.kind === p.kind)?.bytes ?? [])),
        ]),
      ).toEqual([
        ['owner-statement', 'image/png', true],
        ['police-report', 'application/pdf', true],
      ]);
      // The same request again is answered as before, and raises nothing new.
      const again = revocationResponseSchema.parse(await (await post(REVOCATIONS_PATH, body)).json());
      expect(again).toMatchObject({ status: 'duplicate', incidentId: answer.incidentId });

      expect((await crlText()).text).not.toContain(serial);
      expect(await forwarder.runOnce()).toMatchObject({ revoked: 1 });
      const { text, response: crl } = await crlText();
      expect(crl.headers.get('content-type')).toBe('application/pkix-crl');
      expect(crl.headers.get('cache-control')).toBe('public, max-age=60');
      expect(text).toMatch(
        new RegExp(
          `Serial Number: ${serial}\\s+Revocation Date: .+\\s+CRL entry extensions:\\s+X509v3 CRL Reason Code:\\s+Key Compromise`,
        ),
      );

      // The incident, for the officer (signed list) and for the administrator (CSV).
      const listed = incidentListResponseSchema.parse(
        await (
          await post(
            INCIDENTS_LIST_PATH,
            await signedQuery(
              decider,
              {
                kind: 'incidents',
                from: new Date(nowMs - DAY).toISOString(),
                to: new Date(nowMs + DAY).toISOString(),
              },
              { at: nowMs },
            ),
          )
        ).json(),
      );
      expect(listed.incidents).toEqual([
        expect.objectContaining({
          id: answer.incidentId,
          type: 'key-loss',
          certificateSerialHex: serial,
          applicationId: record.id,
          recordedBy: `officer:${decider.officerId}`,
          recordedByName: 'SITI RAHAYU',
          revocationId: answer.revocation.requestId,
        }),
      ]);
      expect(listed.incidents[0]?.description).toContain('hilang');
      const csv = await fetcher(ADMIN_INCIDENTS_PATH.concat('?format=csv'), { headers: admin });
      expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      const lines = (await csv.text()).trimEnd().split('\r\n');
      expect(lines[0]).toBe(
        'id,type,occurred_at,recorded_at,certificate_serial,application_id,description,actions_taken,reported_to,recorded_by,recorded_by_name,revocation_id',
      );
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain(`${answer.incidentId},key-loss,`);

      // The audit trail of the old application tells the whole story.
      const events = (await store.listApplicationEvents(record.id)).map((e) => e.event);
      expect(events).toEqual(
        expect.arrayContaining(['issued', 'revocation-requested', 'incident-recorded', 'revoked']),
      );
      const revocations = (await (await fetcher(ADMIN_REVOCATIONS_PATH, { headers: admin })).json()) as {
        revocations: { requestId: string; state: string; revokedAt: string | null }[];
      };
      expect(revocations.revocations).toEqual([
        expect.objectContaining({
          requestId: answer.revocation.requestId,
          state: 'revoked',
          revokedAt: expect.any(String),
        }),
      ]);

      // A revoked certificate is not offered for renewal.
      const stillListed = (await expiring()).groups
        .flatMap((g) => g.certificates)
        .map((c) => c.applicationId);
      expect(stillListed).not.toContain(record.id);

      // The replacement: a new application, new key, linked to the revoked certificate.
      const previous: PreviousCertificate = {
        applicationId: record.id,
        serialNumberHex: serial,
        relation: 'replacement',
      };
      const replacement = await makeWireRecord({ previous });
      await issue(replacement);
      expect((await store.getApplication(replacement.id))?.previous).toEqual(previous);
      const [old] = await lookup({ serialNumberHex: serial });
      expect(old).toMatchObject({
        revocation: { state: 'revoked', reason: 'keyCompromise' },
        followedBy: { applicationId: replacement.id, relation: 'replacement' },
      });
      // The personal data and the note stay out of the log.
      const log = logLines.join('\n');
      expect(log).toContain('revocation request');
      for (const secret of [NIK, 'Siti Rahayu', 'Laptop dicuri']) expect(log).not.toContain(secret);
    });

    test('revocation refusals: papers other than those signed, a lost key without its papers, a serial the application does not hold; another request for the same certificate finds the first', async () => {
      const record = await makeWireRecord();
      const serial = await issue(record);
      const papers = lostKeyPapers();
      const swapped = await post(
        REVOCATIONS_PATH,
        await revocationRequest(decider, {
          applicationId: record.id,
          serialNumberHex: serial,
          lostKey: 'damaged',
          papers,
          sentPapers: [
            { ...papers[0], bytes: tinyPdf('lain') } as (typeof papers)[number],
            papers[1] as (typeof papers)[number],
          ],
          at: nowMs,
        }),
      );
      expect(swapped.status).toBe(400);
      expect((await errorOf(swapped)).code).toBe('attachment-mismatch');
      // A paper that is not what it says it is.
      const fake = [
        { ...(papers[0] as (typeof papers)[number]), bytes: new Uint8Array(Buffer.from('not a pdf at all')) },
        papers[1] as (typeof papers)[number],
      ];
      const notPdf = await post(
        REVOCATIONS_PATH,
        await revocationRequest(decider, {
          applicationId: record.id,
          serialNumberHex: serial,
          lostKey: 'lost',
          papers: fake,
          at: nowMs,
        }),
      );
      expect((await errorOf(notPdf)).code).toBe('invalid-attachment');
      // The statement itself refuses a lost key without both papers (the kiosk cannot even sign it).
      await expect(
        revocationRequest(decider, {
          applicationId: record.id,
          serialNumberHex: serial,
          lostKey: 'lost',
          papers: papers.slice(0, 1),
          at: nowMs,
        }),
      ).rejects.toThrow(/police report and the owner statement/);
      const wrongSerial = await post(
        REVOCATIONS_PATH,
        await revocationRequest(decider, { applicationId: record.id, serialNumberHex: '0A0B0C', at: nowMs }),
      );
      expect(wrongSerial.status).toBe(404);
      expect((await errorOf(wrongSerial)).code).toBe('unknown-certificate');
      expect(
        await store.listRevocations({ from: '1970-01-01T00:00:00Z', to: '9999-01-01T00:00:00Z' }),
      ).toEqual([]);

      const first = revocationResponseSchema.parse(
        await (
          await post(
            REVOCATIONS_PATH,
            await revocationRequest(decider, {
              applicationId: record.id,
              serialNumberHex: serial,
              reason: 'cessationOfOperation',
              at: nowMs,
            }),
          )
        ).json(),
      );
      expect(first).toMatchObject({ status: 'requested', incidentId: null, revocation: { lostKey: null } });
      const second = await post(
        REVOCATIONS_PATH,
        await revocationRequest(releaser, {
          applicationId: record.id,
          serialNumberHex: serial,
          reason: 'superseded',
          at: nowMs,
        }),
      );
      expect(second.status).toBe(200);
      expect(revocationResponseSchema.parse(await second.json())).toMatchObject({
        status: 'already-requested',
        revocation: { requestId: first.revocation.requestId, reason: 'cessationOfOperation' },
      });
      // No incident for a request that is not about a lost key.
      expect(await store.listIncidents({ from: '1970-01-01T00:00:00Z', to: '9999-01-01T00:00:00Z' })).toEqual(
        [],
      );
    });

    test('incidents (Pasal 22, 24): recorded by an officer (a serial finds its application), listed by range, exported as CSV; a repeat is a duplicate; the description stays out of the log', async () => {
      const record = await makeWireRecord();
      const serial = await issue(record);
      const occurredAt = new Date(nowMs - 2 * DAY).toISOString();
      const body = await incidentRequest(decider, {
        incidentType: 'authenticity',
        occurredAt,
        certificateSerialHex: serial,
        description: '=HYPERLINK("http://x") tanda tangan palsu, "diragukan"',
        at: nowMs,
      });
      const response = await post(INCIDENTS_PATH, body);
      expect(response.status).toBe(201);
      const recorded = incidentResponseSchema.parse(await response.json());
      expect(recorded.incident).toMatchObject({
        type: 'authenticity',
        occurredAt,
        certificateSerialHex: serial,
        applicationId: record.id,
        recordedByName: 'SITI RAHAYU',
      });
      expect((await post(INCIDENTS_PATH, body)).status).toBe(200);
      const general = await post(
        INCIDENTS_PATH,
        await incidentRequest(releaser, { incidentType: 'other', at: nowMs }),
      );
      expect(general.status).toBe(201);
      // A named application must exist; a serial it does not hold is refused.
      const unknown = await post(
        INCIDENTS_PATH,
        await incidentRequest(decider, { applicationId: randomUUID(), at: nowMs }),
      );
      expect((await errorOf(unknown)).code).toBe('unknown-application');
      const mismatch = await post(
        INCIDENTS_PATH,
        await incidentRequest(decider, { applicationId: record.id, certificateSerialHex: 'ABCD', at: nowMs }),
      );
      expect((await errorOf(mismatch)).code).toBe('serial-mismatch');

      const range = (from: number, to: number) =>
        `?from=${encodeURIComponent(new Date(from).toISOString())}&to=${encodeURIComponent(new Date(to).toISOString())}`;
      const json = (await (
        await fetcher(ADMIN_INCIDENTS_PATH + range(nowMs - 3 * DAY, nowMs - DAY), { headers: admin })
      ).json()) as {
        incidents: { id: string }[];
      };
      expect(json.incidents.map((i) => i.id)).toEqual([recorded.incident.id]);
      const csv = await (
        await fetcher(`${ADMIN_INCIDENTS_PATH + range(nowMs - 3 * DAY, nowMs + DAY)}&format=csv`, {
          headers: admin,
        })
      ).text();
      const lines = csv.trimEnd().split('\r\n');
      expect(lines).toHaveLength(3);
      // A spreadsheet must not run the text as a formula; quotes are doubled.
      expect(lines[1]).toContain(`"'=HYPERLINK(""http://x"") tanda tangan palsu, ""diragukan"""`);
      expect((await fetcher(`${ADMIN_INCIDENTS_PATH}?from=kemarin`, { headers: admin })).status).toBe(400);
      expect((await fetcher(ADMIN_INCIDENTS_PATH)).status).toBe(401);
      expect(await store.listApplicationEvents(record.id)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ event: 'incident-recorded', actor: `officer:${decider.officerId}` }),
        ]),
      );
      expect(logLines.join('\n')).not.toContain('HYPERLINK');
    });

    test('the CRL is public and refreshed at once after a revocation; without a CA it is 404', async () => {
      const record = await makeWireRecord();
      const serial = await issue(record);
      const before = await crlText();
      expect(before.text).toContain('No Revoked Certificates');
      await post(
        REVOCATIONS_PATH,
        await revocationRequest(decider, {
          applicationId: record.id,
          serialNumberHex: serial,
          reason: 'superseded',
          at: nowMs,
        }),
      );
      // Still within the cache's minute, but the CA revoked something since: a new CRL.
      expect((await crlText()).text).toContain('No Revoked Certificates');
      await forwarder.runOnce();
      expect((await crlText()).text).toMatch(new RegExp(`Serial Number: ${serial}[\\s\\S]*Superseded`));
      const none = createApp({ store, logger: createLogger('silent') });
      const response = await none.request(CA_CRL_PATH);
      expect(response.status).toBe(404);
      expect((await errorOf(response)).code).toBe('no-ca');
    });
  },
);
