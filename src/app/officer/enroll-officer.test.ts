import { afterEach, describe, expect, it, vi } from 'vitest';
import { closeStandIns, listenSigned } from '../../../tests/support/signed-stand-in';
import { openOutbox } from '../../adapters/db/outbox-db';
import { createOfficerHttpTransport } from '../../adapters/officer/officer-http-transport';
import { DexieOfficerKeyStore } from '../../adapters/officer/officer-key-store';
import { base64ToBytes, bytesToBase64 } from '../../core/lib/pem';
import { DEVICE_KEY_ALGORITHM } from '../../protocol/kiosk-auth';
import {
  nikHash,
  OFFICER_ENROLL_PATH,
  type OfficerEnrollRequest,
  officerEnrollRequestSchema,
  signStatement,
  verifyStatement,
} from '../../protocol/officer';
import type { TransportResult } from '../ports';
import { enrollOfficer } from './enroll-officer';
import type { OfficerTransport, PinPolicy } from './ports';

const NOW = new Date('2026-11-26T02:30:00.000Z');
const KIOSK_ID = '0f6d1c4a-2b3e-4d5f-8a9b-0c1d2e3f4a5b';
const CODE = 'ABCD-EFGH-JKMN-PQRS';
const PIN = '285713';
const NIK_KEY_BYTES = new Uint8Array(32).map((_, i) => i * 7);

/** Stands in for core/officer `pinProblems`: enough to see that the use case asks it. */
const pinProblems: PinPolicy = (pin) => [
  ...(/^\d{6,12}$/.test(pin) ? [] : ['length']),
  ...(/^(\d)\1+$/.test(pin) ? ['repeated'] : []),
];

const stores: DexieOfficerKeyStore[] = [];
afterEach(() => {
  closeStandIns();
  for (const store of stores.splice(0)) store.close();
  vi.restoreAllMocks();
});

async function kiosk({ enrolled = true } = {}) {
  const identity = openOutbox(`officer-enroll-${crypto.randomUUID()}`);
  if (enrolled)
    await identity.saveEnrollment({ kioskId: KIOSK_ID, name: 'Loket 1', enrolledAt: NOW.toISOString() });
  const keys = new DexieOfficerKeyStore({
    databaseName: `officers-${crypto.randomUUID()}`,
    iterations: 1_000,
  });
  stores.push(keys);
  return { identity, keys };
}

function accepted(request: OfficerEnrollRequest, overrides: Record<string, unknown> = {}) {
  return {
    officer: {
      id: crypto.randomUUID(),
      username: request.username,
      nama: 'SITI RAHAYU',
      nip: null,
      status: 'active',
    },
    keyId: crypto.randomUUID(),
    nikHashKey: bytesToBase64(NIK_KEY_BYTES),
    ...overrides,
  };
}

function fakeTransport(answer: (request: OfficerEnrollRequest) => TransportResult) {
  const sent: { kioskId: string; request: OfficerEnrollRequest }[] = [];
  const transport: Pick<OfficerTransport, 'enrollOfficer'> = {
    async enrollOfficer(kioskId, request) {
      sent.push({ kioskId, request });
      return answer(request);
    },
  };
  return { transport, sent };
}

const refused = (status: number, code: string) => (): TransportResult => ({
  kind: 'response',
  status,
  body: { error: { code, message: code } },
});

/** A server that checks the kiosk's signature and the request's shape before it answers. */
async function signatureCheckingServer(devicePublicKeySpki: string) {
  const seen: {
    path: string;
    verified: boolean;
    kioskId: string;
    request: OfficerEnrollRequest;
    body: unknown;
  }[] = [];
  const { url } = await listenSigned(devicePublicKeySpki, async (request) => {
    const parsed = officerEnrollRequestSchema.safeParse(request.json);
    if (!request.verified || !parsed.success || request.path !== OFFICER_ENROLL_PATH)
      return [400, { error: { code: 'invalid-request' } }];
    const answer = accepted(parsed.data);
    seen.push({
      path: request.path,
      verified: request.verified,
      kioskId: request.kioskId,
      request: parsed.data,
      body: answer,
    });
    return [201, answer];
  });
  return { url, seen };
}

describe('enrollOfficer', () => {
  it('registers a new key in a kiosk-signed request and keeps it wrapped, with the NIK hash key', async () => {
    const { identity, keys } = await kiosk();
    const { url, seen } = await signatureCheckingServer((await identity.deviceKey()).publicKeySpki);
    const transport = createOfficerHttpTransport(url, identity);

    const result = await enrollOfficer(
      { username: ' Siti ', code: 'abcd efgh jkmn pqrs', pin: PIN },
      { keys, transport, identity, pinProblems, now: () => NOW },
    );
    if (!result.ok) throw new Error(`enrollment failed: ${result.problem}`);
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request).toMatchObject({
      verified: true,
      kioskId: KIOSK_ID,
      request: { username: 'siti', code: CODE },
    });
    const answer = request?.body as ReturnType<typeof accepted>;
    expect(result.value).toEqual({
      officerId: answer.officer.id,
      keyId: answer.keyId,
      username: 'siti',
      nama: 'SITI RAHAYU',
      nip: null,
      kioskId: KIOSK_ID,
      publicKeySpki: request?.request.publicKeySpki,
      enrolledAt: NOW.toISOString(),
      wrongPins: 0,
      lockedAt: null,
      pendingLockReport: false,
      // Issue 8: the counter key applications are sealed to at the counter, named after this key.
      counterKey: { keyId: `counter-${answer.keyId}`, publicKeySpki: expect.any(String) },
    });
    expect(await keys.list()).toEqual([result.value]);

    // The key the server registered is the one the PIN opens.
    const unlocked = await keys.unlock(answer.officer.id, PIN);
    if (!unlocked.ok) throw new Error(unlocked.problem);
    const registered = await crypto.subtle.importKey(
      'spki',
      base64ToBytes(request?.request.publicKeySpki ?? ''),
      DEVICE_KEY_ALGORITHM,
      false,
      ['verify'],
    );
    expect(await verifyStatement(registered, await signStatement(unlocked.value.privateKey, '{"x":1}'))).toBe(
      true,
    );

    const nikKey = await keys.nikHashKey();
    if (!nikKey) throw new Error('no NIK hash key kept');
    expect(nikKey.extractable).toBe(false);
    expect(nikKey.algorithm).toMatchObject({ name: 'HMAC', hash: { name: 'SHA-256' } });
    const reference = await crypto.subtle.importKey(
      'raw',
      NIK_KEY_BYTES,
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    expect(await nikHash(nikKey, '3577014501900001')).toBe(await nikHash(reference, '3577014501900001'));
  });

  it.each<[string, () => TransportResult, string]>([
    ['an unknown code', refused(400, 'invalid-code'), 'invalid-code'],
    ['a used code', refused(409, 'code-used'), 'code-used'],
    ['an expired code', refused(410, 'code-expired'), 'code-expired'],
    ['an unknown username', refused(404, 'unknown-username'), 'unknown-username'],
    ['a locked account', refused(409, 'officer-locked'), 'officer-locked'],
    ['a kiosk the server does not know', refused(401, 'unknown-kiosk'), 'kiosk-not-enrolled'],
    ['a revoked kiosk', refused(403, 'kiosk-revoked'), 'kiosk-revoked'],
    ['another 401', refused(401, 'whatever'), 'kiosk-not-enrolled'],
    ['no network', () => ({ kind: 'network-error', message: 'Failed to fetch' }), 'offline'],
    ['a server failure', refused(503, 'not-ready'), 'server-error'],
    ['an unexpected refusal', refused(400, 'invalid-request'), 'server-error'],
    [
      'an answer without a key id',
      () => ({ kind: 'response', status: 201, body: { officer: {} } }),
      'server-error',
    ],
  ])('%s → %s, and nothing is kept', async (_what, answer, problem) => {
    const { identity, keys } = await kiosk();
    const { transport, sent } = fakeTransport(answer);
    const result = await enrollOfficer(
      { username: 'siti', code: CODE, pin: PIN },
      { keys, transport, identity, pinProblems, now: () => NOW },
    );
    expect(result).toMatchObject({ ok: false, problem });
    expect(sent).toHaveLength(1);
    expect(await keys.list()).toEqual([]);
    expect(await keys.nikHashKey()).toBeNull();
  });

  it('refuses an account for another username than the one typed', async () => {
    const { identity, keys } = await kiosk();
    const { transport } = fakeTransport((request) => ({
      kind: 'response',
      status: 201,
      body: accepted(request, {
        officer: { id: crypto.randomUUID(), username: 'budi', nama: 'BUDI', nip: null, status: 'active' },
      }),
    }));
    const result = await enrollOfficer(
      { username: 'siti', code: CODE, pin: PIN },
      { keys, transport, identity, pinProblems, now: () => NOW },
    );
    expect(result).toEqual({ ok: false, problem: 'server-error' });
    expect(await keys.list()).toEqual([]);
  });

  it('keeps the server code of a refusal for support', async () => {
    const { identity, keys } = await kiosk();
    const { transport } = fakeTransport(refused(409, 'code-used'));
    expect(
      await enrollOfficer(
        { username: 'siti', code: CODE, pin: PIN },
        { keys, transport, identity, pinProblems, now: () => NOW },
      ),
    ).toEqual({ ok: false, problem: 'code-used', serverCode: 'code-used' });
  });

  it('asks nothing of the server, and makes no key, for a bad PIN, code or username, or an unenrolled kiosk', async () => {
    const { identity, keys } = await kiosk();
    const prepare = vi.spyOn(keys, 'prepareKey');
    const { transport, sent } = fakeTransport(refused(500, 'never'));
    const deps = { keys, transport, identity, pinProblems, now: () => NOW };

    expect(await enrollOfficer({ username: 'siti', code: CODE, pin: '111111' }, deps)).toEqual({
      ok: false,
      problem: 'weak-pin',
      pinProblems: ['repeated'],
    });
    expect(await enrollOfficer({ username: 'siti', code: 'ABCD-EFGH-JKMN-PQR0', pin: PIN }, deps)).toEqual({
      ok: false,
      problem: 'invalid-code',
    });
    expect(await enrollOfficer({ username: 's', code: CODE, pin: PIN }, deps)).toEqual({
      ok: false,
      problem: 'unknown-username',
    });
    const unenrolled = await kiosk({ enrolled: false });
    expect(
      await enrollOfficer(
        { username: 'siti', code: CODE, pin: PIN },
        { ...deps, identity: unenrolled.identity },
      ),
    ).toEqual({ ok: false, problem: 'kiosk-not-enrolled' });

    expect(sent).toEqual([]);
    expect(prepare).not.toHaveBeenCalled();
  });
});
