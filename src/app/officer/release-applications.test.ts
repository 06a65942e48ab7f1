import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryIdentity, createMemoryOutbox, type MemoryOutbox } from '../../adapters/db/memory-outbox';
import { DexieOfficerKeyStore } from '../../adapters/officer/officer-key-store';
import { base64ToBytes } from '../../core/lib/pem';
import { readRelease } from '../../core/officer/release';
import { DEVICE_KEY_ALGORITHM } from '../../protocol/kiosk-auth';
import {
  type DecisionPayload,
  OFFICER_LIMITS,
  type ReleaseRequest,
  type ReleaseResponse,
  verifyStatement,
} from '../../protocol/officer';
import type { DeviceIdentityStore, OutboxItem, OutboxState, TransportResult } from '../ports';
import { createOfficerSessions, type OfficerSessions } from './officer-session';
import type { OfficerProfile } from './ports';
import {
  type ReleaseDeps,
  type ReleaseSource,
  releaseApplications,
  releaseCandidates,
} from './release-applications';

const KIOSK_ID = '0f6d1c4a-2b3e-4d5f-8a9b-0c1d2e3f4a5b';
/** The officer who approved at the counter. */
const SITI = '1f2e3d4c-5b6a-4978-8a1b-2c3d4e5f6a7b';
const PIN = '285713';
const START = Date.parse('2026-11-26T09:00:00.000Z');
const NOW = '2026-11-26T09:00:00.000Z';
const ON = { twoPersonRule: true };

const idOf = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function decisionText(id: string, officerId: string, decision: 'approved' | 'rejected', decidedAt: string) {
  const payload: DecisionPayload = {
    v: 1,
    type: 'decision',
    applicationId: id,
    applicationHash: 'a'.repeat(64),
    decision,
    reasons: decision === 'rejected' ? ['dokumen-tidak-lengkap'] : [],
    note: '',
    checklist: [],
    officerId,
    keyId: '7e1c2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f',
    kioskId: KIOSK_ID,
    decidedAt,
  };
  return JSON.stringify(payload);
}

interface ItemOptions {
  state?: OutboxState;
  decidedBy?: string;
  decision?: 'approved' | 'rejected' | null;
  decidedAt?: string;
  release?: OutboxItem['release'];
}

function item(n: number, options: ItemOptions = {}): OutboxItem {
  const id = idOf(n);
  const { state = 'synced', decidedBy = SITI, decision = 'approved' } = options;
  const decidedAt =
    options.decidedAt ?? `2026-11-26T0${Math.floor(n / 60) % 10}:${String(n % 60).padStart(2, '0')}:00.000Z`;
  return {
    id,
    state,
    createdAt: '2026-11-26T01:00:00.000Z',
    record: {
      id,
      createdAt: '2026-11-26T01:00:00.000Z',
      certificateType: 'individu',
      applicant: {
        nama: `PEMOHON ${n}`,
        nik: '3577014501900003',
        nip: null,
        email: 'pemohon@madiunkota.go.id',
        perangkatDaerah: 'Dinas Komunikasi dan Informatika',
      },
      ocrText: '',
      csrPem: 'csr',
      encryptedPrivateKeyPem: 'key',
      ...(decision === null
        ? {}
        : {
            decision: {
              payload: decisionText(id, decidedBy, decision, decidedAt),
              signature: 'A'.repeat(86),
            },
          }),
    },
    image: { mediaType: 'image/jpeg', blob: new Blob([new Uint8Array(4)], { type: 'image/jpeg' }) },
    attachments: [],
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    syncedAt: state === 'synced' ? '2026-11-26T03:00:00.000Z' : null,
    rejection: null,
    ...(options.release ? { release: options.release } : {}),
  };
}

/** Answers every id `released`, unless the table says otherwise; keeps what it was sent. */
function fakeServer(
  answer: (request: ReleaseRequest, n: number) => TransportResult = (request) => respond(request),
) {
  const requests: ReleaseRequest[] = [];
  return {
    requests,
    transport: {
      async release(request: ReleaseRequest) {
        requests.push(structuredClone(request));
        return answer(request, requests.length);
      },
    },
  };
}

function respond(
  request: ReleaseRequest,
  perId: Record<string, ReleaseResponse['results'][number]['status'] | { code: string }> = {},
  refusedStatements: number[] = [],
): TransportResult {
  const body: ReleaseResponse = { results: [], refused: [] };
  for (const [index, statement] of request.releases.entries()) {
    if (refusedStatements.includes(index)) {
      body.refused.push({ index, code: 'invalid-signature', message: 'bad' });
      continue;
    }
    const read = readRelease(statement.payload);
    if (!read.ok) throw new Error('unreadable release');
    for (const applicationId of read.value.applicationIds) {
      const wanted = perId[applicationId] ?? 'released';
      body.results.push(
        typeof wanted === 'string'
          ? { applicationId, status: wanted }
          : { applicationId, status: 'refused', code: wanted.code, message: 'no' },
      );
    }
  }
  return { kind: 'response', status: 200, body };
}

const sentIds = (requests: readonly ReleaseRequest[]) =>
  requests.flatMap((r) =>
    r.releases.map((s) => {
      const read = readRelease(s.payload);
      if (!read.ok) throw new Error('unreadable release');
      return read.value.applicationIds;
    }),
  );

const stores: DexieOfficerKeyStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

interface Setup {
  outbox: MemoryOutbox;
  identity: DeviceIdentityStore;
  sessions: OfficerSessions;
  /** The releasing officer (BUDI), whose session is open. */
  profile: OfficerProfile;
  server: ReturnType<typeof fakeServer>;
  deps: ReleaseDeps;
}

async function setup(items: OutboxItem[], server = fakeServer()): Promise<Setup> {
  const store = new DexieOfficerKeyStore({
    databaseName: `officers-${crypto.randomUUID()}`,
    iterations: 1_000,
    now: () => new Date(START),
  });
  stores.push(store);
  const profile = await store.saveEnrollment(await store.prepareKey(PIN), {
    officer: { id: crypto.randomUUID(), username: 'budi', nama: 'BUDI SANTOSO', nip: null, status: 'active' },
    keyId: crypto.randomUUID(),
    kioskId: KIOSK_ID,
    enrolledAt: NOW,
  });
  const identity = createMemoryIdentity();
  await identity.saveEnrollment({ kioskId: KIOSK_ID, name: 'Loket 1', enrolledAt: NOW });
  const sessions = createOfficerSessions({ keys: store, idleSeconds: 300, now: () => START });
  const unlocked = await sessions.unlock(profile.officerId, PIN);
  if (!unlocked.ok) throw new Error(`unlock: ${unlocked.problem}`);
  const outbox = createMemoryOutbox({ items });
  return {
    outbox,
    identity,
    sessions,
    profile,
    server,
    deps: {
      outbox,
      session: () => sessions.current(),
      identity,
      transport: server.transport,
      rules: ON,
      now: () => new Date(START),
    },
  };
}

const released = (outbox: MemoryOutbox) =>
  outbox
    .all()
    .filter((i) => i.release !== undefined)
    .map((i) => i.id);

describe('releaseCandidates', () => {
  const BUDI = '4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a';
  const sources = (items: OutboxItem[]): ReleaseSource[] => createMemoryOutbox({ items }).all();

  it('lists approvals not yet released, oldest decision first, and says which may be released now', () => {
    const list = releaseCandidates(
      sources([
        item(1, { decidedAt: '2026-11-26T16:00:00.000+07:00' }),
        item(2, { decidedBy: BUDI, decidedAt: '2026-11-26T08:00:00.000Z' }),
        item(3, { state: 'queued', decidedAt: '2026-11-26T07:59:00.000Z' }),
        item(4, { decision: 'rejected' }),
        item(5, { state: 'held', decision: null }),
        item(6, { release: { releasedAt: NOW, officerId: BUDI } }),
        // Refused by the server: it would never know this id.
        item(7, { state: 'rejected' }),
      ]),
      BUDI,
      ON,
    );
    expect(list.map((c) => [c.id, c.selectable, c.blocked, c.decidedAt])).toEqual([
      [idOf(3), false, 'not-synced', '2026-11-26T07:59:00.000Z'],
      [idOf(2), false, 'self-release', '2026-11-26T08:00:00.000Z'],
      // 16:00 WIB is 09:00 UTC: after the others, whatever the text says.
      [idOf(1), true, null, '2026-11-26T16:00:00.000+07:00'],
    ]);
    expect(list[2]).toEqual({
      id: idOf(1),
      nama: 'PEMOHON 1',
      certificateType: 'individu',
      perangkatDaerah: 'Dinas Komunikasi dan Informatika',
      decidedBy: SITI,
      decidedAt: '2026-11-26T16:00:00.000+07:00',
      selectable: true,
      blocked: null,
    });
  });

  it('lets the deciding officer release when the two-person rule is off', () => {
    const list = releaseCandidates(sources([item(1, { decidedBy: BUDI })]), BUDI, { twoPersonRule: false });
    expect(list.map((c) => [c.selectable, c.blocked])).toEqual([[true, null]]);
  });

  it('names a self-release before a missing sync: syncing would not make it releasable', () => {
    const list = releaseCandidates(sources([item(1, { decidedBy: BUDI, state: 'queued' })]), BUDI, ON);
    expect(list.map((c) => c.blocked)).toEqual(['self-release']);
  });
});

describe('releaseApplications', () => {
  it('signs one release with the officer’s key, sends it as this kiosk and marks what was released', async () => {
    const { deps, server, outbox, profile } = await setup([item(1), item(2), item(3)]);

    const result = await releaseApplications([idOf(2), idOf(1), idOf(2)], deps);

    expect(result).toEqual({
      ok: true,
      value: [
        { id: idOf(2), outcome: 'released' },
        { id: idOf(1), outcome: 'released' },
      ],
    });
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.kioskId).toBe(KIOSK_ID);
    const statement = request?.releases[0];
    if (!statement) throw new Error('nothing sent');
    const publicKey = await crypto.subtle.importKey(
      'spki',
      base64ToBytes(profile.publicKeySpki),
      DEVICE_KEY_ALGORITHM,
      false,
      ['verify'],
    );
    expect(await verifyStatement(publicKey, statement)).toBe(true);
    expect(readRelease(statement.payload)).toEqual({
      ok: true,
      value: {
        v: 1,
        type: 'release',
        applicationIds: [idOf(2), idOf(1)],
        officerId: profile.officerId,
        keyId: profile.keyId,
        kioskId: KIOSK_ID,
        releasedAt: NOW,
      },
    });
    expect(outbox.get(idOf(1))?.release).toEqual({ releasedAt: NOW, officerId: profile.officerId });
    expect(released(outbox).sort()).toEqual([idOf(1), idOf(2)]);
    // The release changes neither state nor history.
    expect(outbox.get(idOf(1))?.state).toBe('synced');
    expect(outbox.get(idOf(1))?.history.map((e) => e.state)).toEqual(['captured', 'queued', 'synced']);
  });

  it('refuses a self-release on the kiosk and never signs or sends it', async () => {
    const server = fakeServer();
    const { deps, outbox, profile } = await setup([], server);
    const mine = item(1, { decidedBy: profile.officerId });
    await outbox.add({ ...mine, state: 'queued' });
    await outbox.markSynced([mine.id], NOW);
    await outbox.add({ ...item(2), state: 'queued' });
    await outbox.markSynced([idOf(2)], NOW);

    expect(await releaseApplications([mine.id], deps)).toEqual({
      ok: true,
      value: [{ id: mine.id, outcome: 'refused', code: 'self-release' }],
    });
    expect(server.requests).toEqual([]);

    expect(await releaseApplications([mine.id, idOf(2)], deps)).toEqual({
      ok: true,
      value: [
        { id: mine.id, outcome: 'refused', code: 'self-release' },
        { id: idOf(2), outcome: 'released' },
      ],
    });
    expect(sentIds(server.requests)).toEqual([[idOf(2)]]);
    expect(released(outbox)).toEqual([idOf(2)]);
  });

  it('refuses on the kiosk what is not an approval, unknown, or released already', async () => {
    const { deps, server } = await setup([
      item(1, { decision: 'rejected' }),
      item(2, { state: 'held', decision: null }),
      item(3, { release: { releasedAt: NOW, officerId: SITI } }),
    ]);
    expect(await releaseApplications([idOf(1), idOf(2), idOf(3), idOf(9)], deps)).toEqual({
      ok: true,
      value: [
        { id: idOf(1), outcome: 'refused', code: 'not-approved' },
        { id: idOf(2), outcome: 'refused', code: 'not-approved' },
        { id: idOf(3), outcome: 'refused', code: 'already-released' },
        { id: idOf(9), outcome: 'refused', code: 'unknown-application' },
      ],
    });
    expect(server.requests).toEqual([]);
  });

  it('still sends an approval the kiosk has not seen acknowledged: the server may hold it', async () => {
    const { deps, server } = await setup([item(1, { state: 'queued' })]);
    expect(await releaseApplications([idOf(1)], deps)).toEqual({
      ok: true,
      value: [{ id: idOf(1), outcome: 'released' }],
    });
    expect(sentIds(server.requests)).toEqual([[idOf(1)]]);
  });

  it('splits the ids into statements of 200 and requests of 20 statements', async () => {
    const count = OFFICER_LIMITS.maxReleaseIds * OFFICER_LIMITS.maxReleasesPerRequest + 1;
    const numbers = Array.from({ length: count }, (_, i) => i + 1);
    const { deps, server, outbox } = await setup(numbers.map((n) => item(n)));

    const result = await releaseApplications(numbers.map(idOf), deps);

    expect(result.ok && result.value.every((o) => o.outcome === 'released')).toBe(true);
    expect(result.ok && result.value.length).toBe(count);
    expect(server.requests.map((r) => r.releases.length)).toEqual([20, 1]);
    const statements = sentIds(server.requests);
    expect(statements.map((ids) => ids.length)).toEqual([...Array(20).fill(200), 1]);
    expect(statements.flat()).toEqual(numbers.map(idOf));
    expect(released(outbox)).toHaveLength(count);
  });

  it('keeps what an earlier request released when a later one finds no link', async () => {
    const count = OFFICER_LIMITS.maxReleaseIds * OFFICER_LIMITS.maxReleasesPerRequest + 2;
    const numbers = Array.from({ length: count }, (_, i) => i + 1);
    const server = fakeServer((request, n) =>
      n === 1 ? respond(request) : { kind: 'network-error', message: 'fetch failed' },
    );
    const { deps, outbox } = await setup(
      numbers.map((n) => item(n)),
      server,
    );

    const result = await releaseApplications(numbers.map(idOf), deps);

    if (!result.ok) throw new Error(`failed: ${result.problem.kind}`);
    expect(result.value.slice(-3)).toEqual([
      { id: idOf(count - 2), outcome: 'released' },
      { id: idOf(count - 1), outcome: 'not-sent', problem: 'offline' },
      { id: idOf(count), outcome: 'not-sent', problem: 'offline' },
    ]);
    expect(released(outbox)).toHaveLength(count - 2);
  });

  it('gives the server’s answer per id and marks only what it released, now or before', async () => {
    const numbers = Array.from({ length: OFFICER_LIMITS.maxReleaseIds + 5 }, (_, i) => i + 1);
    // The second statement (ids 201-205) is refused whole.
    const server = fakeServer((request) =>
      respond(
        request,
        {
          [idOf(1)]: { code: 'self-release' },
          [idOf(2)]: { code: 'not-approved' },
          [idOf(3)]: { code: 'unknown-application' },
          [idOf(4)]: 'already-released',
        },
        [1],
      ),
    );
    const { deps, outbox } = await setup(
      numbers.map((n) => item(n)),
      server,
    );

    const result = await releaseApplications(numbers.map(idOf), deps);

    if (!result.ok) throw new Error(`failed: ${result.problem.kind}`);
    const byId = new Map(result.value.map((o) => [o.id, o]));
    expect([1, 2, 3, 4, 5, 201, 205].map((n) => byId.get(idOf(n)))).toEqual([
      { id: idOf(1), outcome: 'refused', code: 'self-release' },
      { id: idOf(2), outcome: 'refused', code: 'not-approved' },
      { id: idOf(3), outcome: 'refused', code: 'unknown-application' },
      { id: idOf(4), outcome: 'refused', code: 'already-released' },
      { id: idOf(5), outcome: 'released' },
      { id: idOf(201), outcome: 'refused', code: 'invalid-signature' },
      { id: idOf(205), outcome: 'refused', code: 'invalid-signature' },
    ]);
    const marked = new Set(released(outbox));
    expect(marked.has(idOf(4)) && marked.has(idOf(5)) && marked.has(idOf(200))).toBe(true);
    expect([1, 2, 3, 201, 205].some((n) => marked.has(idOf(n)))).toBe(false);
    expect(marked.size).toBe(197);
  });

  it('marks nothing when the server cannot be reached or answers with an error', async () => {
    const cases: [TransportResult, unknown][] = [
      [{ kind: 'network-error', message: 'fetch failed' }, { kind: 'offline' }],
      [
        { kind: 'response', status: 503, body: { error: { code: 'unavailable', message: 'later' } } },
        { kind: 'server', serverCode: 'unavailable' },
      ],
      [{ kind: 'response', status: 200, body: { results: 'nonsense' } }, { kind: 'server' }],
      [
        { kind: 'response', status: 401, body: { error: { code: 'kiosk-revoked' } } },
        { kind: 'not-enrolled' },
      ],
    ];
    for (const [answer, problem] of cases) {
      const { deps, outbox, server } = await setup(
        [item(1)],
        fakeServer(() => answer),
      );
      expect(await releaseApplications([idOf(1)], deps)).toEqual({ ok: false, problem });
      expect(server.requests).toHaveLength(1);
      expect(released(outbox)).toEqual([]);
    }
  });

  it('needs something to release, an open session and this kiosk’s enrollment, before sending anything', async () => {
    const { deps, server, sessions } = await setup([item(1)]);
    expect(await releaseApplications([], deps)).toEqual({
      ok: false,
      problem: { kind: 'nothing-to-release' },
    });
    expect(await releaseApplications([idOf(1)], { ...deps, session: () => null })).toEqual({
      ok: false,
      problem: { kind: 'session-ended' },
    });
    const open = sessions.current();
    open?.end();
    expect(await releaseApplications([idOf(1)], { ...deps, session: () => open })).toEqual({
      ok: false,
      problem: { kind: 'session-ended' },
    });
    expect(server.requests).toEqual([]);
  });

  it('refuses when the kiosk was enrolled again since the officer enrolled here', async () => {
    const { deps, server, identity, outbox } = await setup([item(1)]);
    await identity.saveEnrollment({ kioskId: crypto.randomUUID(), name: 'Loket 1', enrolledAt: NOW });
    expect(await releaseApplications([idOf(1)], deps)).toEqual({
      ok: false,
      problem: { kind: 'not-enrolled' },
    });
    await identity.forgetEnrollment();
    expect(await releaseApplications([idOf(1)], deps)).toEqual({
      ok: false,
      problem: { kind: 'not-enrolled' },
    });
    expect(server.requests).toEqual([]);
    expect(released(outbox)).toEqual([]);
  });
});
