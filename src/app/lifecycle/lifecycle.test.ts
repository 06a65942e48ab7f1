/**
 * The kiosk's lifecycle use cases (renewal, revocation, incidents, corrections) with the kiosk's own adapters
 * against the real sync server over HTTP and a real CA behind its forwarding job; and their
 * refusals before anything is sent.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { certificateProfiles } from '../../../src/app/certificate-profiles';
import { createDevCa, type DevCa } from '../../../sync-server/src/ca/dev-ca/dev-ca';
import { createForwarder, type Forwarder } from '../../../sync-server/src/ca/forwarding';
import { createApp } from '../../../sync-server/src/http/app';
import { createLogger } from '../../../sync-server/src/logger';
import { openStore } from '../../../sync-server/src/store/open';
import type { Store } from '../../../sync-server/src/store/store';
import { makeApplication } from '../../../tests/support/applications';
import { applicantRequest, seedApproved } from '../../../tests/support/forwarding-fixtures';
import { createTestOfficerInStore } from '../../../tests/support/officer-fixtures';
import { createTestEnrollmentCode } from '../../../tests/support/signed-kiosk';
import { createMemoryIdentity } from '../../adapters/db/memory-outbox';
import { createLifecycleHttpTransport } from '../../adapters/lifecycle/lifecycle-http-transport';
import { createMemoryRevocationLog } from '../../adapters/lifecycle/revocation-log';
import { createOfficerHttpTransport } from '../../adapters/officer/officer-http-transport';
import { DexieOfficerKeyStore } from '../../adapters/officer/officer-key-store';
import { createHttpTransport } from '../../adapters/sync/http-transport';
import { readStatementText } from '../../core/officer/statement-text';
import { correctionPayloadSchema, revocationPayloadSchema } from '../../protocol/lifecycle';
import { enrollKiosk } from '../enroll-kiosk';
import { enrollOfficer } from '../officer/enroll-officer';
import { createOfficerSessions, type OfficerSessions } from '../officer/officer-session';
import type { DeviceIdentityStore, TransportResult } from '../ports';
import { findCertificates, listExpiring, parseSearch } from './certificates';
import { recordCorrection } from './corrections';
import { followUpMismatch, startFollowUp } from './follow-up';
import { listIncidents, recordIncident } from './incidents';
import type { LifecycleTransport } from './ports';
import { paperProblem, revokeCertificate } from './revoke-certificate';

const NIK = '3577014501900003';
const PIN = '285713';
const DAY = 86_400_000;

const pdf = () => new Blob(['%PDF-1.4\n% laporan polisi\n%%EOF\n'], { type: 'application/pdf' });
const png = () =>
  new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])], {
    type: 'image/png',
  });

describe('against the sync server and its CA', () => {
  let dataDir: string;
  let store: Store;
  let ca: DevCa;
  let forwarder: Forwarder;
  let server: ServerType;
  let url: string;
  let identity: DeviceIdentityStore;
  let keys: DexieOfficerKeyStore;
  let sessions: OfficerSessions;
  let log: ReturnType<typeof createMemoryRevocationLog>;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sertel-kiosk-lifecycle-'));
    store = await openStore({ dataDir });
    ca = await createDevCa({
      dir: null,
      passphrase: 'frasa sandi CA uji coba',
      profiles: certificateProfiles,
      keyIterations: 1000,
      validityDays: 20,
    });
    const logger = createLogger('silent');
    forwarder = createForwarder({ store, connector: ca, logger });
    const app = createApp({ store, logger, ca, renewalWindowDays: 30 });
    server = await new Promise((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    identity = createMemoryIdentity();
    const { code } = await createTestEnrollmentCode(store);
    expect(
      (
        await enrollKiosk(code, {
          identity,
          transport: createHttpTransport(url, identity),
          now: () => new Date(),
        })
      ).ok,
    ).toBe(true);
    keys = new DexieOfficerKeyStore({ databaseName: `officers-${randomUUID()}`, iterations: 1_000 });
    const account = await createTestOfficerInStore(store, { nama: 'SITI RAHAYU' });
    const enrolled = await enrollOfficer(
      { username: account.officer.username, code: account.code, pin: PIN },
      {
        keys,
        transport: createOfficerHttpTransport(url, identity),
        identity,
        pinProblems: () => [],
        now: () => new Date(),
      },
    );
    if (!enrolled.ok) throw new Error(`officer enrollment: ${enrolled.problem}`);
    sessions = createOfficerSessions({ keys, idleSeconds: 300 });
    const unlocked = await sessions.unlock(enrolled.value.officerId, PIN);
    expect(unlocked.ok).toBe(true);
    log = createMemoryRevocationLog();
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    keys.close();
    await ca.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const deps = () => ({
    session: () => sessions.current(),
    identity,
    transport: createLifecycleHttpTransport(url, identity),
    now: () => new Date(),
    keys,
    log,
    newId: () => randomUUID(),
  });

  /** An application issued by the CA through the forwarding job; its id and serial. */
  async function issued(perangkatDaerah = 'Dinas Komunikasi dan Informatika') {
    const application = makeApplication({
      ...(await applicantRequest({ perangkatDaerah })),
      id: randomUUID(),
      nik: NIK,
    });
    await seedApproved(store, [application], { release: true });
    expect(await forwarder.runOnce()).toMatchObject({ issued: 1 });
    const stored = await store.getApplication(application.id);
    return { applicationId: application.id, serialNumberHex: stored?.certificateSerialHex ?? '' };
  }

  it('renewal: the expiring list per Perangkat Daerah, the search by NIK and by serial, and the form’s start from the old certificate', async () => {
    const old = await issued();
    const listed = await listExpiring(deps());
    expect(listed).toMatchObject({ ok: true, value: { windowDays: 30 } });
    if (!listed.ok) return;
    expect(listed.value.groups).toEqual([
      {
        perangkatDaerah: 'Dinas Komunikasi dan Informatika',
        certificates: [
          expect.objectContaining({ applicationId: old.applicationId, serialNumberHex: old.serialNumberHex }),
        ],
      },
    ]);
    expect(await listExpiring(deps(), 3)).toMatchObject({ ok: true, value: { groups: [] } });

    const byNik = await findCertificates({ nik: NIK }, deps());
    // Typed as the handover receipt prints it, in lower case.
    const typed = parseSearch(old.serialNumberHex.match(/.{2}/g)?.join(':').toLowerCase() ?? '');
    if (!typed.ok) throw new Error('the serial did not parse');
    const bySerial = await findCertificates(typed.value, deps());
    expect(byNik).toEqual(bySerial);
    if (!byNik.ok) throw new Error('search failed');
    const [certificate] = byNik.value;
    if (!certificate) throw new Error('no certificate found');
    const start = startFollowUp(certificate, 'renewal');
    expect(start).toEqual({
      ok: true,
      value: {
        previous: { ...old, relation: 'renewal' },
        certificateType: 'individu',
        notAfter: certificate.notAfter,
        prefill: expect.objectContaining({
          nik: NIK,
          nama: 'SITI RAHAYU',
          perangkatDaerah: 'Dinas Komunikasi dan Informatika',
        }),
      },
    });
    if (!start.ok) return;
    expect(followUpMismatch(start.value, { nik: NIK, certificateType: 'individu' })).toBeNull();
    expect(followUpMismatch(start.value, { nik: '3577011203850002', certificateType: 'individu' })).toBe(
      'nik-differs',
    );
    expect(followUpMismatch(start.value, { nik: NIK, certificateType: 'jabatan' })).toBe('type-differs');
    // A replacement follows a revocation, not a certificate still in force.
    expect(startFollowUp(certificate, 'replacement')).toEqual({ ok: false, problem: 'not-revoked' });
  });

  it('lost key: signed with the papers, recorded, kept for the status page; revoked by the CA, then a replacement may start and a renewal may not', async () => {
    const old = await issued();
    const result = await revokeCertificate(
      {
        certificate: old,
        reason: 'keyCompromise',
        lostKey: 'inaccessible',
        note: '  Lupa frasa sandi  ',
        papers: [
          { kind: 'police-report', blob: pdf() },
          { kind: 'owner-statement', blob: png() },
        ],
      },
      deps(),
    );
    expect(result).toMatchObject({
      ok: true,
      value: {
        status: 'requested',
        revocation: { state: 'pending', lostKey: 'inaccessible' },
        incidentId: expect.any(String),
      },
    });
    if (!result.ok) return;
    const saved = await log.forApplication(old.applicationId);
    expect(saved).toMatchObject({
      serialNumberHex: old.serialNumberHex,
      state: 'pending',
      reason: 'keyCompromise',
    });
    // The statement the server keeps names the papers by digest, and the trimmed note.
    const stored = await store.getRevocation(result.value.revocation.requestId);
    const read = readStatementText(revocationPayloadSchema, stored?.payload ?? '');
    expect(read.ok && read.value.attachments.map((a) => [a.kind, a.byteLength])).toEqual([
      ['police-report', (await pdf().arrayBuffer()).byteLength],
      ['owner-statement', 12],
    ]);
    expect(read.ok && read.value.note).toBe('Lupa frasa sandi');

    expect(await forwarder.runOnce()).toMatchObject({ revoked: 1 });
    const found = await findCertificates({ serialNumberHex: old.serialNumberHex }, deps());
    if (!found.ok || !found.value[0]) throw new Error('not found');
    expect(found.value[0].revocation).toMatchObject({ state: 'revoked' });
    expect(startFollowUp(found.value[0], 'renewal')).toEqual({ ok: false, problem: 'revoked' });
    expect(startFollowUp(found.value[0], 'replacement')).toMatchObject({
      ok: true,
      value: { previous: { ...old, relation: 'replacement' } },
    });

    const listed = await listIncidents(
      { from: new Date(Date.now() - DAY).toISOString(), to: new Date(Date.now() + DAY).toISOString() },
      deps(),
    );
    expect(listed).toMatchObject({
      ok: true,
      value: {
        truncated: false,
        incidents: [{ id: result.value.incidentId, type: 'key-loss', recordedByName: 'SITI RAHAYU' }],
      },
    });
  });

  it('incidents: recorded with the officer’s signature (the serial finds its application), then listed', async () => {
    const old = await issued();
    const recorded = await recordIncident(
      {
        incidentType: 'repudiation',
        occurredAt: new Date(Date.now() - DAY).toISOString(),
        certificateSerialHex: old.serialNumberHex,
        applicationId: null,
        description: ' Pemilik menyangkal tanda tangan pada surat 12/2026 ',
        actionsTaken: 'Diteruskan ke BSrE',
        reportedTo: 'BSrE',
      },
      deps(),
    );
    expect(recorded).toMatchObject({
      ok: true,
      value: {
        status: 'recorded',
        incident: {
          applicationId: old.applicationId,
          description: 'Pemilik menyangkal tanda tangan pada surat 12/2026',
        },
      },
    });
    const future = await recordIncident(
      {
        incidentType: 'other',
        occurredAt: new Date(Date.now() + DAY).toISOString(),
        certificateSerialHex: null,
        applicationId: null,
        description: 'x',
        actionsTaken: '',
        reportedTo: '',
      },
      deps(),
    );
    expect(future).toEqual({ ok: false, problem: { kind: 'invalid', fields: ['occurredAt'] } });
    const empty = await recordIncident(
      {
        incidentType: 'other',
        occurredAt: new Date().toISOString(),
        certificateSerialHex: null,
        applicationId: null,
        description: '   ',
        actionsTaken: '',
        reportedTo: '',
      },
      deps(),
    );
    expect(empty).toEqual({ ok: false, problem: { kind: 'invalid', fields: ['description'] } });
  });

  it('corrections: signed by the session’s officer, kept beside the record, applied on the server’s read', async () => {
    const application = makeApplication({ ...(await applicantRequest()), id: randomUUID(), nik: NIK });
    await seedApproved(store, [application], { release: false });
    const recorded = await recordCorrection(
      {
        applicationId: application.id,
        fields: { nama: '  siti   rahayu putri ', jabatan: ' Analis Kebijakan ', nip: '   ', mobile: '' },
        reason: '  Salah ketik pada nama  ',
      },
      deps(),
    );
    expect(recorded).toMatchObject({
      ok: true,
      value: { status: 'recorded', correctionId: expect.any(String) },
    });
    if (!recorded.ok) return;

    const [stored, ...more] = await store.listCorrections(application.id);
    expect(more).toEqual([]);
    const profile = sessions.current()?.profile;
    expect(stored).toMatchObject({
      id: recorded.value.correctionId,
      officerId: profile?.officerId,
      fields: { nama: 'SITI RAHAYU PUTRI', jabatan: 'Analis Kebijakan' },
      reason: 'Salah ketik pada nama',
    });
    const read = readStatementText(correctionPayloadSchema, stored?.payload ?? '');
    if (!read.ok) throw new Error('the stored statement does not parse');
    // Only the fields given, trimmed; the blank ones are not corrected.
    expect(read.value.fields).toEqual({ nama: 'SITI RAHAYU PUTRI', jabatan: 'Analis Kebijakan' });
    // The server checked the signature against this officer's enrolled key.
    expect(read.value).toMatchObject({
      officerId: profile?.officerId,
      keyId: profile?.keyId,
      applicationId: application.id,
      correctionId: recorded.value.correctionId,
      reason: 'Salah ketik pada nama',
    });
    // The record is not edited; every read applies the correction.
    expect(await store.getApplication(application.id)).toMatchObject({
      nama: 'SITI RAHAYU PUTRI',
      jabatan: 'Analis Kebijakan',
      nik: NIK,
    });

    const mobile = await recordCorrection(
      { applicationId: application.id, fields: { mobile: '0812-3456-7890' }, reason: 'Nomor HP baru' },
      deps(),
    );
    expect(mobile).toMatchObject({ ok: true, value: { status: 'recorded' } });
    expect(await store.getApplication(application.id)).toMatchObject({
      nama: 'SITI RAHAYU PUTRI',
      mobile: '+6281234567890',
    });

    const unknown = await recordCorrection(
      { applicationId: randomUUID(), fields: { nama: 'SITI' }, reason: 'Salah ketik' },
      deps(),
    );
    expect(unknown).toEqual({ ok: false, problem: { kind: 'refused', serverCode: 'unknown-application' } });
  });

  it('a certificate the server does not hold is refused with its code; the log keeps nothing', async () => {
    const old = await issued();
    const refused = await revokeCertificate(
      {
        certificate: { ...old, serialNumberHex: 'ABCDEF' },
        reason: 'superseded',
        lostKey: null,
        note: '',
        papers: [],
      },
      deps(),
    );
    expect(refused).toEqual({ ok: false, problem: { kind: 'refused', serverCode: 'unknown-certificate' } });
    expect(log.all()).toEqual([]);
  });
});

describe('before anything is sent', () => {
  const counting = () => {
    const calls: string[] = [];
    const answer = (name: string, result: TransportResult) => async () => {
      calls.push(name);
      return result;
    };
    const offline: TransportResult = { kind: 'network-error', message: 'fetch failed' };
    const transport: LifecycleTransport = {
      expiring: answer('expiring', offline),
      lookup: answer('lookup', offline),
      listIncidents: answer('listIncidents', offline),
      revoke: answer('revoke', offline),
      recordIncident: answer('recordIncident', offline),
      recordCorrection: answer('recordCorrection', offline),
    };
    return { calls, transport };
  };
  const KIOSK_ID = '0f6d1c4a-2b3e-4d5f-8a9b-0c1d2e3f4a5b';
  const profile = {
    officerId: randomUUID(),
    keyId: randomUUID(),
    username: 'siti',
    nama: 'SITI RAHAYU',
    nip: null,
    kioskId: KIOSK_ID,
    publicKeySpki: 'x',
    enrolledAt: '2026-11-26T00:00:00.000Z',
    wrongPins: 0,
    lockedAt: null,
    pendingLockReport: false,
  };
  const session = (active: boolean) => ({
    profile,
    isActive: () => active,
    signLifecycle: async (payload: string) => ({
      ok: true as const,
      value: { payload, signature: 'A'.repeat(86) },
    }),
  });
  const identity = (kioskId: string | null) => ({
    enrollment: async () =>
      kioskId === null ? null : { kioskId, name: 'Loket', enrolledAt: '2026-11-26T00:00:00.000Z' },
  });

  it('a session that ended, a kiosk enrolled again since, no RA key for a NIK: nothing is sent', async () => {
    const { calls, transport } = counting();
    const base = { transport, now: () => new Date(), keys: { nikHashKey: async () => null } };
    expect(await listExpiring({ ...base, session: () => null, identity: identity(KIOSK_ID) })).toEqual({
      ok: false,
      problem: { kind: 'session-ended' },
    });
    expect(
      await listExpiring({ ...base, session: () => session(false), identity: identity(KIOSK_ID) }),
    ).toEqual({
      ok: false,
      problem: { kind: 'session-ended' },
    });
    expect(
      await listExpiring({ ...base, session: () => session(true), identity: identity(randomUUID()) }),
    ).toEqual({
      ok: false,
      problem: { kind: 'not-enrolled' },
    });
    expect(
      await findCertificates(
        { nik: NIK },
        { ...base, session: () => session(true), identity: identity(KIOSK_ID) },
      ),
    ).toEqual({
      ok: false,
      problem: { kind: 'no-key' },
    });
    expect(calls).toEqual([]);
    // With everything in place, a missing link is `offline`.
    expect(
      await listExpiring({ ...base, session: () => session(true), identity: identity(KIOSK_ID) }),
    ).toEqual({
      ok: false,
      problem: { kind: 'offline' },
    });
    expect(calls).toEqual(['expiring']);
  });

  it('a correction without a session, without a field, without a reason or with a value that does not read: nothing is sent', async () => {
    const { calls, transport } = counting();
    const base = { transport, now: () => new Date(), identity: identity(KIOSK_ID), newId: randomUUID };
    const applicationId = randomUUID();
    expect(
      await recordCorrection(
        { applicationId, fields: { nama: 'SITI' }, reason: 'Salah ketik' },
        { ...base, session: () => null },
      ),
    ).toEqual({ ok: false, problem: { kind: 'session-ended' } });
    const active = { ...base, session: () => session(true) };
    expect(
      await recordCorrection(
        { applicationId, fields: { nama: '  ', jabatan: '' }, reason: 'Salah ketik' },
        active,
      ),
    ).toEqual({ ok: false, problem: { kind: 'invalid', fields: ['fields'] } });
    expect(
      await recordCorrection({ applicationId, fields: { nama: 'SITI' }, reason: '   ' }, active),
    ).toEqual({
      ok: false,
      problem: { kind: 'invalid', fields: ['reason'] },
    });
    expect(
      await recordCorrection(
        { applicationId: 'SK-1234', fields: { nip: '1234', mobile: '021-555' }, reason: 'x' },
        active,
      ),
    ).toEqual({ ok: false, problem: { kind: 'invalid', fields: ['applicationId', 'nip', 'mobile'] } });
    expect(calls).toEqual([]);
    expect(
      await recordCorrection({ applicationId, fields: { nama: 'SITI' }, reason: 'Salah ketik' }, active),
    ).toEqual({ ok: false, problem: { kind: 'offline' } });
    expect(calls).toEqual(['recordCorrection']);
  });

  it('a lost key without both papers, or a paper of the wrong kind of file, is refused at the kiosk', async () => {
    const { calls, transport } = counting();
    const result = await revokeCertificate(
      {
        certificate: { applicationId: randomUUID(), serialNumberHex: 'AB' },
        reason: 'keyCompromise',
        lostKey: 'lost',
        note: '',
        papers: [{ kind: 'police-report', blob: pdf() }],
      },
      {
        transport,
        session: () => session(true),
        identity: identity(KIOSK_ID),
        now: () => new Date(),
        log: createMemoryRevocationLog(),
        newId: randomUUID,
      },
    );
    expect(result).toEqual({
      ok: false,
      problem: { kind: 'papers', paper: 'owner-statement', problem: 'missing' },
    });
    expect(calls).toEqual([]);
  });

  it.each([
    [
      'a PDF and a photo for a lost key',
      'lost',
      [
        ['police-report', 'application/pdf', 10],
        ['owner-statement', 'image/jpeg', 10],
      ],
      null,
    ],
    ['no papers for a superseded certificate', null, [], null],
    [
      'a Word file',
      null,
      [['police-report', 'application/msword', 10]],
      ['police-report', 'unsupported-type'],
    ],
    ['an empty file', null, [['police-report', 'application/pdf', 0]], ['police-report', 'empty']],
    [
      'a file over 5 MiB',
      null,
      [['owner-statement', 'image/png', 5 * 1024 * 1024 + 1]],
      ['owner-statement', 'too-large'],
    ],
    [
      'two police reports',
      null,
      [
        ['police-report', 'application/pdf', 1],
        ['police-report', 'application/pdf', 1],
      ],
      ['police-report', 'duplicate'],
    ],
    [
      'a damaged key with one paper',
      'damaged',
      [['owner-statement', 'image/png', 1]],
      ['police-report', 'missing'],
    ],
  ] as const)('papers: %s', (_what, lostKey, papers, expected) => {
    const blobs = papers.map(([kind, type, size]) => ({
      kind,
      blob: new Blob([new Uint8Array(size)], { type }),
    }));
    expect(paperProblem(lostKey, blobs)).toEqual(
      expected === null ? null : { paper: expected[0], problem: expected[1] },
    );
  });
});

it.each([
  ['3577014501900003', { nik: '3577014501900003' }],
  ['3577 0145 0190 0003', { nik: '3577014501900003' }],
  ['4a:6f:01', { serialNumberHex: '4A6F01' }],
  ['0x1A2B', { serialNumberHex: '1A2B' }],
  ['ABC', { serialNumberHex: '0ABC' }],
  ['3577000000000000', { serialNumberHex: '3577000000000000' }],
])('the search reads %j as %j', (text, expected) => {
  expect(parseSearch(text)).toEqual({ ok: true, value: expected });
});

it.each([
  ['', 'empty'],
  ['SITI', 'not-nik-or-serial'],
  ['12-34-zz', 'not-nik-or-serial'],
])('the search refuses %j (%s)', (text, problem) => {
  expect(parseSearch(text)).toEqual({ ok: false, problem });
});
