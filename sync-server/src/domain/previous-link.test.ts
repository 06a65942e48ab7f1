import { afterAll, afterEach, beforeEach, describe, expect, inject, test } from 'vitest';
import type { ApplicationRecord, PreviousCertificate } from '../../../src/protocol/sync';
import { type StoreTarget, storeTargets } from '../../../tests/support/forwarding-fixtures';
import { makeOpensslCa, openssl } from '../../../tests/support/openssl-ca';
import { KIOSK_ID, makeWireRecord } from '../../../tests/support/wire-records';
import type { Store } from '../store/store';
import { ingestBatch } from './ingest';
import { recordCaOutcome } from './outcome';

const RECEIVED = '2026-11-26T03:00:00.000Z';

describe.each(storeTargets(inject('databaseUrl')))(
  'a renewal or replacement names the certificate it follows ($kind)',
  ({ create }) => {
    let target: StoreTarget;
    let store: Store;
    const ca = makeOpensslCa('Test CA Tautan');
    afterAll(() => ca.remove());

    beforeEach(async () => {
      target = await create();
      store = await target.open();
    });
    afterEach(async () => {
      await store.close();
      await target.dispose();
    });

    async function ingestOne(record: ApplicationRecord) {
      const { results } = await ingestBatch(store, { kioskId: KIOSK_ID, records: [record] }, RECEIVED);
      return results[0];
    }

    /** An application of Siti's with a certificate issued for it; its serial as OpenSSL prints it. */
    async function issued(): Promise<{ record: ApplicationRecord; serial: string }> {
      const record = await makeWireRecord();
      expect(await ingestOne(record)).toMatchObject({ status: 'stored' });
      const certificatePem = ca.sign(record.csrPem);
      const outcome = await recordCaOutcome(
        store,
        record.id,
        { outcome: 'issued', certificatePem },
        { now: new Date(), actor: 'admin' },
      );
      expect(outcome.ok).toBe(true);
      const serial = openssl(['x509', '-noout', '-serial'], certificatePem)
        .out.trim()
        .replace(/^serial=/, '');
      return { record, serial };
    }

    test('the server keeps the serial of an issued certificate, and a renewal that names it is stored with the link', async () => {
      const { record, serial } = await issued();
      expect((await store.getApplication(record.id))?.certificateSerialHex).toBe(serial);
      const previous: PreviousCertificate = {
        applicationId: record.id,
        serialNumberHex: serial,
        relation: 'renewal',
      };
      const renewal = await makeWireRecord({ previous });
      expect(await ingestOne(renewal)).toMatchObject({ status: 'stored' });
      expect((await store.getApplication(renewal.id))?.previous).toEqual(previous);
      // A first application has no link.
      expect((await store.getApplication(record.id))?.previous).toBeUndefined();
    });

    test.each([
      ['an unknown application', 'unknown', 'not known to the server'],
      ['another serial', 'serial', 'serial does not match'],
      ['another person', 'nik', 'belongs to someone else'],
      ['another certificate type', 'type', 'keeps the certificate type'],
      ['an application without a certificate', 'not-issued', 'no issued certificate'],
    ] as const)(
      'a link to %s is refused with its reason, and nothing is stored',
      async (_, what, message) => {
        const { record, serial } = await issued();
        const waiting = await makeWireRecord();
        expect(await ingestOne(waiting)).toMatchObject({ status: 'stored' });
        const previous: PreviousCertificate = {
          applicationId:
            what === 'unknown'
              ? '0b8a7c1e-5d2f-4e3a-9b6c-1d2e3f4a5b6c'
              : what === 'not-issued'
                ? waiting.id
                : record.id,
          serialNumberHex:
            what === 'serial' ? `${serial.startsWith('7') ? '6' : '7'}${serial.slice(1)}` : serial,
          relation: 'replacement',
        };
        const follower = await makeWireRecord({
          previous,
          ...(what === 'nik' ? { applicant: { nik: '3577010101900001' } } : {}),
          ...(what === 'type' ? { certificateType: 'jabatan' as const } : {}),
        });
        const result = await ingestOne(follower);
        expect(result).toMatchObject({ status: 'rejected', code: 'invalid-previous' });
        expect(result?.message).toContain(message);
        expect(await store.getApplication(follower.id)).toBeNull();
      },
    );
  },
);
