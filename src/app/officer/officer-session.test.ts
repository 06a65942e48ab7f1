import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryKioskCounterKey } from '../../adapters/db/memory-outbox';
import { DexieOfficerKeyStore } from '../../adapters/officer/officer-key-store';
import { base64ToBytes } from '../../core/lib/pem';
import { DEVICE_KEY_ALGORITHM } from '../../protocol/kiosk-auth';
import { type OfficerLockRequest, officerLockRequestSchema, verifyStatement } from '../../protocol/officer';
import type { Enrollment, TransportResult } from '../ports';
import { createOfficerSessions, reportPendingLocks } from './officer-session';
import type { OfficerProfile, OfficerTransport } from './ports';

const KIOSK_ID = '0f6d1c4a-2b3e-4d5f-8a9b-0c1d2e3f4a5b';
const PIN = '285713';
const START = Date.parse('2026-11-26T02:30:00.000Z');

const stores: DexieOfficerKeyStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function newStore(maxWrongPins = 3) {
  const store = new DexieOfficerKeyStore({
    databaseName: `officers-${crypto.randomUUID()}`,
    iterations: 1_000,
    maxWrongPins,
    now: () => new Date(START),
  });
  stores.push(store);
  return store;
}

async function enroll(store: DexieOfficerKeyStore, username = 'siti'): Promise<OfficerProfile> {
  return store.saveEnrollment(await store.prepareKey(PIN), {
    officer: { id: crypto.randomUUID(), username, nama: username.toUpperCase(), nip: null, status: 'active' },
    keyId: crypto.randomUUID(),
    kioskId: KIOSK_ID,
    enrolledAt: new Date(START).toISOString(),
  });
}

function decisionText(profile: OfficerProfile, overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    v: 1,
    type: 'decision',
    applicationId: crypto.randomUUID(),
    applicationHash: 'a'.repeat(64),
    decision: 'approved',
    reasons: [],
    note: '',
    checklist: ['identity-matches'],
    officerId: profile.officerId,
    keyId: profile.keyId,
    kioskId: profile.kioskId,
    decidedAt: '2026-11-26T09:30:00.000+07:00',
    ...overrides,
  });
}

function releaseText(profile: OfficerProfile): string {
  return JSON.stringify({
    v: 1,
    type: 'release',
    applicationIds: [crypto.randomUUID()],
    officerId: profile.officerId,
    keyId: profile.keyId,
    kioskId: profile.kioskId,
    releasedAt: '2026-11-26T16:00:00.000+07:00',
  });
}

const publicKeyOf = (profile: OfficerProfile) =>
  crypto.subtle.importKey('spki', base64ToBytes(profile.publicKeySpki), DEVICE_KEY_ALGORITHM, false, [
    'verify',
  ]);

function clock() {
  let now = START;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('officer sessions', () => {
  it('sign decisions and releases that verify with the registered public key', async () => {
    const store = newStore();
    const profile = await enroll(store);
    const sessions = createOfficerSessions({ keys: store, idleSeconds: 300 });
    const unlocked = await sessions.unlock(profile.officerId, PIN);
    if (!unlocked.ok) throw new Error(unlocked.problem);
    const session = unlocked.value;
    expect(session.profile.officerId).toBe(profile.officerId);

    const payload = decisionText(profile);
    const decision = await session.signDecision(payload);
    if (!decision.ok) throw new Error(decision.problem);
    expect(decision.value.payload).toBe(payload);
    expect(await verifyStatement(await publicKeyOf(profile), decision.value)).toBe(true);

    const release = await session.signRelease(releaseText(profile));
    if (!release.ok) throw new Error(release.problem);
    expect(await verifyStatement(await publicKeyOf(profile), release.value)).toBe(true);
  });

  it('sign nothing but a statement of that kind for this officer, key and kiosk', async () => {
    const store = newStore();
    const profile = await enroll(store);
    const sessions = createOfficerSessions({ keys: store, idleSeconds: 300 });
    const unlocked = await sessions.unlock(profile.officerId, PIN);
    if (!unlocked.ok) throw new Error(unlocked.problem);
    const session = unlocked.value;
    const refused = { ok: false, problem: 'invalid-payload' };
    expect(await session.signDecision(decisionText(profile, { officerId: crypto.randomUUID() }))).toEqual(
      refused,
    );
    expect(await session.signDecision(decisionText(profile, { keyId: crypto.randomUUID() }))).toEqual(
      refused,
    );
    expect(await session.signDecision(decisionText(profile, { kioskId: crypto.randomUUID() }))).toEqual(
      refused,
    );
    expect(await session.signDecision(decisionText(profile, { decision: 'rejected', reasons: [] }))).toEqual(
      refused,
    );
    expect(await session.signDecision(releaseText(profile))).toEqual(refused);
    expect(await session.signRelease(decisionText(profile))).toEqual(refused);
    expect(await session.signDecision('not json')).toEqual(refused);
  });

  it('end after the idle time without a touch, and the key is gone', async () => {
    const store = newStore();
    const profile = await enroll(store);
    const time = clock();
    const sessions = createOfficerSessions({ keys: store, idleSeconds: 300, now: time.now });
    const unlocked = await sessions.unlock(profile.officerId, PIN);
    if (!unlocked.ok) throw new Error(unlocked.problem);
    const session = unlocked.value;

    time.advance(299_000);
    expect(session.isActive()).toBe(true);
    expect(session.touch()).toBe(true);
    time.advance(299_000);
    // Signing counts as a touch too.
    expect((await session.signDecision(decisionText(profile))).ok).toBe(true);
    time.advance(299_999);
    expect(sessions.current()).toBe(session);
    time.advance(1);
    expect(session.isActive()).toBe(false);
    expect(sessions.current()).toBeNull();
    expect(session.touch()).toBe(false);
    expect(await session.signDecision(decisionText(profile))).toEqual({
      ok: false,
      problem: 'session-ended',
    });
  });

  it('hold the officer’s counter key and the kiosk’s fallback key, and drop both when the session ends', async () => {
    const store = newStore();
    const profile = await enroll(store);
    const kiosk = createMemoryKioskCounterKey();
    const sessions = createOfficerSessions({
      keys: store,
      idleSeconds: 300,
      now: () => START,
      kioskCounterKey: () => kiosk.kioskCounterKey(),
    });
    const unlocked = await sessions.unlock(profile.officerId, PIN);
    if (!unlocked.ok) throw new Error('did not unlock');
    const keyIds = unlocked.value.openingKeys().map((k) => k.keyId);
    expect(keyIds).toEqual([profile.counterKey?.keyId, (await kiosk.kioskCounterKey()).keyId]);
    unlocked.value.end();
    expect(unlocked.value.openingKeys()).toEqual([]);
  });

  it('end on request, and a new unlock ends the session before it', async () => {
    const store = newStore();
    const siti = await enroll(store, 'siti');
    const budi = await enroll(store, 'budi');
    const sessions = createOfficerSessions({ keys: store, idleSeconds: 300 });
    const first = await sessions.unlock(siti.officerId, PIN);
    if (!first.ok) throw new Error(first.problem);
    const second = await sessions.unlock(budi.officerId, PIN);
    if (!second.ok) throw new Error(second.problem);
    expect(first.value.isActive()).toBe(false);
    expect(await first.value.signDecision(decisionText(siti))).toEqual({
      ok: false,
      problem: 'session-ended',
    });
    expect(sessions.current()).toBe(second.value);

    sessions.end();
    expect(sessions.current()).toBeNull();
    expect(await second.value.signDecision(decisionText(budi))).toEqual({
      ok: false,
      problem: 'session-ended',
    });
  });

  it('do not open for a wrong PIN, nor for a locked officer even with the right PIN', async () => {
    const store = newStore(2);
    const profile = await enroll(store);
    const sessions = createOfficerSessions({ keys: store, idleSeconds: 300 });
    expect(await sessions.unlock(profile.officerId, '000001')).toEqual({
      ok: false,
      problem: 'wrong-pin',
      wrongPins: 1,
      attemptsLeft: 1,
    });
    expect(await sessions.unlock(profile.officerId, '000002')).toEqual({
      ok: false,
      problem: 'locked',
      lockedNow: true,
    });
    expect(await sessions.unlock(profile.officerId, PIN)).toEqual({
      ok: false,
      problem: 'locked',
      lockedNow: false,
    });
    expect(sessions.current()).toBeNull();
  });
});

function lockTransport(answers: TransportResult[]) {
  const sent: OfficerLockRequest[] = [];
  const transport: Pick<OfficerTransport, 'reportOfficerLock'> = {
    async reportOfficerLock(request) {
      sent.push(request);
      return answers.shift() ?? { kind: 'response', status: 200, body: {} };
    },
  };
  return { transport, sent };
}

const enrolledKiosk = (
  enrollment: Enrollment | null = { kioskId: KIOSK_ID, name: 'Loket 1', enrolledAt: '' },
) => ({
  enrollment: async () => enrollment,
});

async function lockedOfficer(store: DexieOfficerKeyStore, username = 'siti') {
  const profile = await enroll(store, username);
  await store.unlock(profile.officerId, '000001');
  return profile;
}

describe('reportPendingLocks', () => {
  it('reports each locked officer once, as the wire schema has it', async () => {
    const store = newStore(1);
    const profile = await lockedOfficer(store);
    const { transport, sent } = lockTransport([{ kind: 'response', status: 200, body: {} }]);
    const identity = enrolledKiosk();

    expect(await reportPendingLocks({ keys: store, transport, identity })).toEqual({
      reported: [profile.officerId],
      kept: [],
    });
    expect(sent).toEqual([
      {
        kioskId: KIOSK_ID,
        officerId: profile.officerId,
        keyId: profile.keyId,
        lockedAt: new Date(START).toISOString(),
      },
    ]);
    expect(officerLockRequestSchema.safeParse(sent[0]).success).toBe(true);
    expect((await store.get(profile.officerId))?.pendingLockReport).toBe(false);

    expect(await reportPendingLocks({ keys: store, transport, identity })).toEqual({
      reported: [],
      kept: [],
    });
    expect(sent).toHaveLength(1);
  });

  it('keeps the reports when offline and sends them later', async () => {
    const store = newStore(1);
    const siti = await lockedOfficer(store, 'siti');
    const budi = await lockedOfficer(store, 'budi');
    const { transport, sent } = lockTransport([{ kind: 'network-error', message: 'Failed to fetch' }]);
    const identity = enrolledKiosk();

    const offline = await reportPendingLocks({ keys: store, transport, identity });
    expect(offline.reported).toEqual([]);
    expect(offline.kept.map((k) => k.problem)).toEqual(['offline', 'offline']);
    expect(sent).toHaveLength(1); // the second is not tried once the first finds no network
    expect((await store.pendingLockReports()).map((o) => o.officerId).sort()).toEqual(
      [siti.officerId, budi.officerId].sort(),
    );

    const online = await reportPendingLocks({ keys: store, transport, identity });
    expect(online.reported.sort()).toEqual([siti.officerId, budi.officerId].sort());
    expect(await store.pendingLockReports()).toEqual([]);
  });

  it('takes "already locked" as an acknowledgement, and keeps a report the server refused or failed', async () => {
    const store = newStore(1);
    const profile = await lockedOfficer(store);
    const identity = enrolledKiosk();
    const failing = lockTransport([
      { kind: 'response', status: 503, body: { error: { code: 'not-ready' } } },
      { kind: 'response', status: 404, body: { error: { code: 'unknown-key' } } },
      {
        kind: 'response',
        status: 409,
        body: { error: { code: 'officer-locked', message: 'already locked' } },
      },
    ]);
    expect((await reportPendingLocks({ keys: store, transport: failing.transport, identity })).kept).toEqual([
      { officerId: profile.officerId, problem: 'server-error', serverCode: 'not-ready' },
    ]);
    expect((await reportPendingLocks({ keys: store, transport: failing.transport, identity })).kept).toEqual([
      { officerId: profile.officerId, problem: 'refused', serverCode: 'unknown-key' },
    ]);
    expect(await store.pendingLockReports()).toHaveLength(1);
    expect(await reportPendingLocks({ keys: store, transport: failing.transport, identity })).toEqual({
      reported: [profile.officerId],
      kept: [],
    });
    expect(await store.pendingLockReports()).toEqual([]);
  });

  it('sends nothing from a kiosk that is not enrolled', async () => {
    const store = newStore(1);
    const profile = await lockedOfficer(store);
    const { transport, sent } = lockTransport([]);
    expect(await reportPendingLocks({ keys: store, transport, identity: enrolledKiosk(null) })).toEqual({
      reported: [],
      kept: [{ officerId: profile.officerId, problem: 'kiosk-not-enrolled' }],
    });
    expect(sent).toEqual([]);
  });
});
