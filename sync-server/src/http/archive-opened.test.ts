/**
 * Opening the sealed archive is an officer action, logged with who, when and why (issue 8): the
 * officer lookup and the expiring list each leave an `archive-opened` event in the server chain,
 * naming the officer, the applications handed out and the purpose.
 */
import { afterEach, beforeEach, describe, expect, inject, test } from 'vitest';
import { CERTIFICATES_EXPIRING_PATH, CERTIFICATES_LOOKUP_PATH } from '../../../src/protocol/lifecycle';
import { makeApplication } from '../../../tests/support/applications';
import { archiveServer } from '../../../tests/support/archive-server';
import {
  applicantRequest,
  manualClock,
  type StoreTarget,
  seedApproved,
  storeTargets,
  testDevCa,
} from '../../../tests/support/forwarding-fixtures';
import { signedQuery } from '../../../tests/support/lifecycle-fixtures';
import type { TestOfficer } from '../../../tests/support/officer-fixtures';
import { type Fetcher, postSignedJson, type TestKiosk } from '../../../tests/support/signed-kiosk';
import { auditKeyFrom } from '../audit/key';
import { createServerAuditLog } from '../audit/server-chain';
import { createForwarder } from '../ca/forwarding';
import { createLogger } from '../logger';
import { nikHashHex } from '../store/nik-hash';
import type { Store } from '../store/store';

const NIK = '3577014501900003';
const DAY = 86_400_000;

describe.each(storeTargets(inject('databaseUrl')))('archive openings are audited ($kind)', ({ create }) => {
  let target: StoreTarget;
  let store: Store;
  let fetcher: Fetcher;
  let kiosk: TestKiosk;
  let officer: TestOfficer;
  let issuedId: string;
  const nowMs = Date.now();

  beforeEach(async () => {
    target = await create();
    store = await target.open();
    ({ fetcher, kiosk, officer } = await archiveServer(store, { now: () => new Date(nowMs) }));
    const application = makeApplication({ nik: NIK });
    issuedId = application.id;
    await store.insertApplications([application], new Date(nowMs).toISOString());
    const meta = { at: new Date(nowMs).toISOString(), actor: 'ca' };
    await store.recordOutcome(issuedId, { state: 'sent-to-ca' }, meta);
    await store.recordOutcome(
      issuedId,
      {
        state: 'issued',
        certificatePem: '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n',
        notAfter: new Date(nowMs + 10 * DAY).toISOString(),
        serialNumberHex: 'AB12',
      },
      meta,
    );
  });
  afterEach(async () => {
    await store.close();
    await target.dispose();
  });

  const openings = async () =>
    (await store.serverAuditEvents(0, 100)).filter((e) => e.type === 'archive-opened');

  test('a lookup by NIK and by serial each record the officer, the application and the purpose', async () => {
    const hash = nikHashHex(await store.nikHashKey(), NIK);
    for (const query of [{ nikHash: hash }, { serialNumberHex: 'AB12' }]) {
      const response = await postSignedJson(
        fetcher,
        kiosk,
        CERTIFICATES_LOOKUP_PATH,
        await signedQuery(officer, { kind: 'lookup', ...query }, { at: nowMs }),
        { at: nowMs },
      );
      expect(response.status).toBe(200);
    }
    const events = await openings();
    expect(events.map((e) => [e.actor, e.subject, e.detail?.purpose])).toEqual([
      [`officer:${officer.officerId}`, issuedId, 'lookup-by-nik'],
      [`officer:${officer.officerId}`, issuedId, 'lookup-by-serial'],
    ]);
    // Ids only: the audit chain never holds the NIK or its hash.
    expect(JSON.stringify(events)).not.toContain(NIK);
    expect(JSON.stringify(events)).not.toContain(hash);
  });

  test('a submission to the CA records the applications it carried out of the archive', async () => {
    const clock = manualClock();
    const audit = createServerAuditLog({ store, key: auditKeyFrom('kunci-audit-uji-0123456789abcdef0123') });
    const approved = [makeApplication(await applicantRequest()), makeApplication(await applicantRequest())];
    await seedApproved(store, approved, { release: true });
    const ca = await testDevCa(clock.now);
    try {
      const forwarder = createForwarder({
        store,
        connector: ca,
        logger: createLogger('silent'),
        now: clock.now,
        audit,
      });
      await forwarder.runOnce();
    } finally {
      await ca.close();
    }
    const events = (await openings()).filter((e) => e.detail?.purpose === 'ca-submission');
    expect(events).toHaveLength(1);
    expect(events[0]?.actor).toBe('server');
    expect(events[0]?.subject?.split(',').sort()).toEqual(approved.map((a) => a.id).sort());
  });

  test('the expiring list records the officer and the applications it named', async () => {
    const response = await postSignedJson(
      fetcher,
      kiosk,
      CERTIFICATES_EXPIRING_PATH,
      await signedQuery(officer, { kind: 'expiring' }, { at: nowMs }),
      { at: nowMs },
    );
    expect(response.status).toBe(200);
    const events = await openings();
    expect(events.map((e) => [e.actor, e.subject, e.detail?.purpose, e.detail?.applications])).toEqual([
      [`officer:${officer.officerId}`, issuedId, 'expiring-list', '1'],
    ]);
  });
});
