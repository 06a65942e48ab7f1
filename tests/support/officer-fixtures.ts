/**
 * RA officers for tests, made and used as the kiosk will: an account (in the store or through the
 * admin API), enrollment through the kiosk-signed API with a real ECDSA P-256 key made by
 * WebCrypto, and decisions and releases signed with `signStatement` from the shared protocol.
 * Written for the server tests and for the kiosk's tests alike: nothing here knows the server's
 * internals beyond the store helpers at the end.
 */
import { createHash } from 'node:crypto';
import {
  ADMIN_OFFICERS_PATH,
  applicationHash,
  type DecisionPayload,
  OFFICER_ENROLL_PATH,
  type OfficerCodeResponse,
  officerCodeResponseSchema,
  officerEnrollResponseSchema,
  type ReleasePayload,
  type SignedStatement,
  signStatement,
} from '../../src/protocol/officer';
import { P256_KEY_ALGORITHM } from '../../src/protocol/statement';
import { type ApplicationRecord, type FramedRecord, framedRecordSchema } from '../../src/protocol/sync';
import { createOfficerAccount } from '../../sync-server/src/domain/officers';
import { createLogger } from '../../sync-server/src/logger';
import type { Store } from '../../sync-server/src/store/store';
import { type Fetcher, postSignedJson, TEST_ADMIN_TOKEN, type TestKiosk } from './signed-kiosk';

export interface TestOfficer {
  officerId: string;
  username: string;
  /** The key's id on the server: decisions and releases name it. */
  keyId: string;
  /** The kiosk the key was enrolled on: the only one that may send its statements. */
  kioskId: string;
  /** Non-extractable, as the unwrapped key is on the kiosk. */
  privateKey: CryptoKey;
  publicKeySpki: string;
  /** The RA's NIK hash key from the enrollment answer, base64. */
  nikHashKey: string;
}

/** An officer key as the kiosk makes it: ECDSA P-256. */
export function generateOfficerKey(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(P256_KEY_ALGORITHM, false, ['sign', 'verify']);
}

async function spkiBase64(publicKey: CryptoKey): Promise<string> {
  return Buffer.from(await crypto.subtle.exportKey('spki', publicKey)).toString('base64');
}

let serial = 0;
/** A username no other test officer of this process has. */
function uniqueUsername(prefix = 'petugas'): string {
  serial += 1;
  return `${prefix}${serial}.${Math.random().toString(36).slice(2, 8)}`;
}

export interface NewTestOfficer {
  username?: string;
  nama?: string;
  nip?: string | null;
  validHours?: number;
  now?: Date;
}

/** An account with its first code, straight into the store (what `add-officer` does). */
export async function createTestOfficerInStore(
  store: Store,
  options: NewTestOfficer = {},
): Promise<OfficerCodeResponse> {
  const result = await createOfficerAccount(
    store,
    {
      username: options.username ?? uniqueUsername(),
      nama: options.nama ?? 'SITI RAHAYU',
      nip: options.nip ?? null,
      ...(options.validHours === undefined ? {} : { validHours: options.validHours }),
    },
    { now: options.now ?? new Date(), actor: 'test', logger: createLogger('silent') },
  );
  if (!result.ok) throw new Error(`test officer: ${result.problem}`);
  return result.issued;
}

/** An account with its first code from the admin API (`POST /api/v1/admin/officers`). */
export async function createTestOfficerViaAdmin(
  fetcher: Fetcher,
  options: NewTestOfficer = {},
  adminToken = TEST_ADMIN_TOKEN,
): Promise<OfficerCodeResponse> {
  const response = await fetcher(ADMIN_OFFICERS_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({
      username: options.username ?? uniqueUsername(),
      nama: options.nama ?? 'SITI RAHAYU',
      ...(options.nip === undefined ? {} : { nip: options.nip }),
      ...(options.validHours === undefined ? {} : { validHours: options.validHours }),
    }),
  });
  if (response.status !== 201) throw new Error(`admin officer: ${response.status} ${await response.text()}`);
  return officerCodeResponseSchema.parse(await response.json());
}

/**
 * `POST /api/v1/officers/enroll` signed by `kiosk`, with a fresh key unless `keys` is given; the raw
 * response when refused.
 */
export async function enrollOfficerWithCode(
  fetcher: Fetcher,
  kiosk: TestKiosk,
  enrollment: { username: string; code: string; keys?: CryptoKeyPair; at?: Date | number },
): Promise<{ response: Response; officer: TestOfficer | null }> {
  const pair = enrollment.keys ?? (await generateOfficerKey());
  const publicKeySpki = await spkiBase64(pair.publicKey);
  const response = await postSignedJson(
    fetcher,
    kiosk,
    OFFICER_ENROLL_PATH,
    { username: enrollment.username, code: enrollment.code, publicKeySpki },
    enrollment.at === undefined ? {} : { at: enrollment.at },
  );
  if (response.status !== 201) return { response, officer: null };
  const answer = officerEnrollResponseSchema.parse(await response.clone().json());
  return {
    response,
    officer: {
      officerId: answer.officer.id,
      username: answer.officer.username,
      keyId: answer.keyId,
      kioskId: kiosk.kioskId,
      privateKey: pair.privateKey,
      publicKeySpki,
      nikHashKey: answer.nikHashKey,
    },
  };
}

/** An account made in the store, enrolled on `kiosk` through the API: the whole path. */
export async function enrollTestOfficer(
  fetcher: Fetcher,
  store: Store,
  kiosk: TestKiosk,
  options: NewTestOfficer & { at?: Date | number } = {},
): Promise<TestOfficer> {
  const issued = await createTestOfficerInStore(store, options);
  const { response, officer } = await enrollOfficerWithCode(fetcher, kiosk, {
    username: issued.officer.username,
    code: issued.code,
    ...(options.at === undefined ? {} : { at: options.at }),
  });
  if (officer === null) throw new Error(`officer enrollment: ${response.status} ${await response.text()}`);
  return officer;
}

/** A JSON record as a binary batch carries it: the picture by length and SHA-256. */
export function toFramedRecord(record: ApplicationRecord): FramedRecord {
  const bytes = Buffer.from(record.ektpImage.dataBase64, 'base64');
  return {
    ...record,
    ektpImage: {
      mediaType: record.ektpImage.mediaType,
      byteLength: bytes.byteLength,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    },
  };
}

/**
 * `applicationHash` as the server computes it: over the record as the wire schema returns it (the
 * schema trims some texts) in its framed form. A kiosk must hash the same form.
 */
function serverApplicationHash(record: ApplicationRecord | FramedRecord): Promise<string> {
  const framed = 'dataBase64' in record.ektpImage ? toFramedRecord(record as ApplicationRecord) : record;
  return applicationHash(framedRecordSchema.parse(framed));
}

/** The payload an officer signs for `record`; any field can be overridden (to make it wrong). */
export async function decisionPayload(
  officer: TestOfficer,
  record: ApplicationRecord | FramedRecord,
  overrides: Partial<DecisionPayload> = {},
): Promise<DecisionPayload> {
  const decision = overrides.decision ?? 'approved';
  return {
    v: 1,
    type: 'decision',
    applicationId: record.id,
    applicationHash: await serverApplicationHash(record),
    decision,
    reasons: decision === 'rejected' ? ['foto-tidak-jelas'] : [],
    note: '',
    checklist: ['identitas-cocok', 'nip-cocok'],
    officerId: officer.officerId,
    keyId: officer.keyId,
    kioskId: officer.kioskId,
    decidedAt: '2026-11-26T09:30:00.000+07:00',
    ...overrides,
  };
}

/** Signs any payload text (or value, as JSON) with the officer's key. */
export function signAsOfficer(
  officer: Pick<TestOfficer, 'privateKey'>,
  payload: unknown,
): Promise<SignedStatement> {
  return signStatement(officer.privateKey, typeof payload === 'string' ? payload : JSON.stringify(payload));
}

export async function signDecision(
  officer: TestOfficer,
  record: ApplicationRecord | FramedRecord,
  overrides: Partial<DecisionPayload> = {},
): Promise<SignedStatement> {
  return signAsOfficer(officer, await decisionPayload(officer, record, overrides));
}

/** The record with the officer's signed decision inside, as the kiosk queues it once decided. */
export async function decidedRecord(
  officer: TestOfficer,
  record: ApplicationRecord,
  overrides: Partial<DecisionPayload> = {},
): Promise<ApplicationRecord> {
  return { ...record, decision: await signDecision(officer, record, overrides) };
}

export function releasePayload(
  officer: TestOfficer,
  applicationIds: string[],
  overrides: Partial<ReleasePayload> = {},
): ReleasePayload {
  return {
    v: 1,
    type: 'release',
    applicationIds,
    officerId: officer.officerId,
    keyId: officer.keyId,
    kioskId: officer.kioskId,
    releasedAt: '2026-11-26T16:00:00.000+07:00',
    ...overrides,
  };
}

export function signRelease(
  officer: TestOfficer,
  applicationIds: string[],
  overrides: Partial<ReleasePayload> = {},
): Promise<SignedStatement> {
  return signAsOfficer(officer, releasePayload(officer, applicationIds, overrides));
}
