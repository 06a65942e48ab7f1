/**
 * A test kiosk with a real device key: enrolled through the server (or straight into a store) and
 * signing requests exactly as the kiosk's transport does, with `signRequest` from the shared
 * protocol. Used by the server tests, the robustness suite and the benchmark.
 */
import {
  ADMIN_ENROLLMENT_CODES_PATH,
  createEnrollmentCodeResponseSchema,
  DEVICE_KEY_ALGORITHM,
  ENROLL_PATH,
  enrollResponseSchema,
  newNonce,
  signRequest,
} from '../../src/protocol/kiosk-auth';
import { SYNC_BATCHES_PATH } from '../../src/protocol/sync';
import {
  hashEnrollmentCode,
  type IssuedEnrollmentCode,
  issueEnrollmentCode,
} from '../../sync-server/src/domain/enrollment';
import type { Store } from '../../sync-server/src/store/store';
import { KIOSK_ID } from './wire-records';

/** An admin token for test servers (long enough for the config check). */
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789-abcdefghij';

/** How a helper reaches the server: a Hono app in-process, or a real server over HTTP. */
export type Fetcher = (path: string, init?: RequestInit) => Promise<Response>;

export function appFetcher(app: {
  request(path: string, init?: RequestInit): Response | Promise<Response>;
}): Fetcher {
  return async (path, init) => app.request(path, init);
}

export function urlFetcher(baseUrl: string): Fetcher {
  return (path, init) => fetch(new URL(path, baseUrl), init);
}

export interface TestKiosk {
  kioskId: string;
  name: string;
  /** Non-extractable, as on the real kiosk. */
  privateKey: CryptoKey;
  publicKeySpki: string;
}

/** A device key as the kiosk makes it: ECDSA P-256, private half non-extractable. */
export function generateDeviceKey(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(DEVICE_KEY_ALGORITHM, false, ['sign', 'verify']);
}

export async function exportSpkiBase64(publicKey: CryptoKey): Promise<string> {
  return Buffer.from(await crypto.subtle.exportKey('spki', publicKey)).toString('base64');
}

/** A one-time code written straight into the store (what `enroll-kiosk` does). */
export function createTestEnrollmentCode(
  store: Store,
  options: { name?: string; validMs?: number; now?: Date } = {},
): Promise<IssuedEnrollmentCode> {
  return issueEnrollmentCode(store, {
    name: options.name ?? 'Loket Uji',
    now: options.now ?? new Date(),
    ...(options.validMs === undefined ? {} : { validMs: options.validMs }),
  });
}

/** A one-time code from the admin API. */
export async function createEnrollmentCodeViaAdmin(
  fetcher: Fetcher,
  name = 'Loket Uji',
  adminToken = TEST_ADMIN_TOKEN,
): Promise<IssuedEnrollmentCode> {
  const response = await fetcher(ADMIN_ENROLLMENT_CODES_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ name }),
  });
  if (response.status !== 201) throw new Error(`admin code: ${response.status} ${await response.text()}`);
  return createEnrollmentCodeResponseSchema.parse(await response.json());
}

/** Enrolls a fresh device key with `code` through `POST ENROLL_PATH`; the raw response if refused. */
export async function enrollWithCode(
  fetcher: Fetcher,
  code: string,
  keys?: CryptoKeyPair,
): Promise<{ response: Response; kiosk: TestKiosk | null }> {
  const pair = keys ?? (await generateDeviceKey());
  const publicKeySpki = await exportSpkiBase64(pair.publicKey);
  const response = await fetcher(ENROLL_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, publicKeySpki }),
  });
  if (response.status !== 201) return { response, kiosk: null };
  const { kioskId, name } = enrollResponseSchema.parse(await response.clone().json());
  return { response, kiosk: { kioskId, name, privateKey: pair.privateKey, publicKeySpki } };
}

/** A code from the store, then enrollment through the server: the whole path a kiosk takes. */
export async function enrollTestKiosk(
  fetcher: Fetcher,
  store: Store,
  options: { name?: string; now?: Date } = {},
): Promise<TestKiosk> {
  const { code } = await createTestEnrollmentCode(store, options);
  const { response, kiosk } = await enrollWithCode(fetcher, code);
  if (kiosk === null) throw new Error(`enrollment: ${response.status} ${await response.text()}`);
  return kiosk;
}

/** A code from the admin API, then enrollment through the server (a real server with ADMIN_TOKEN). */
export async function enrollTestKioskViaAdmin(
  fetcher: Fetcher,
  name = 'Loket Uji',
  adminToken = TEST_ADMIN_TOKEN,
): Promise<TestKiosk> {
  const { code } = await createEnrollmentCodeViaAdmin(fetcher, name, adminToken);
  const { response, kiosk } = await enrollWithCode(fetcher, code);
  if (kiosk === null) throw new Error(`enrollment: ${response.status} ${await response.text()}`);
  return kiosk;
}

/**
 * Enrolls a kiosk with a chosen id (by default the wire records' `KIOSK_ID`) directly in the store,
 * so existing batches built with `batch()` name the kiosk that signs them.
 */
export async function enrollTestKioskInStore(
  store: Store,
  options: { kioskId?: string; name?: string; now?: Date } = {},
): Promise<TestKiosk> {
  const now = options.now ?? new Date();
  const issued = await createTestEnrollmentCode(store, {
    now,
    ...(options.name ? { name: options.name } : {}),
  });
  const keys = await generateDeviceKey();
  const publicKeySpki = await exportSpkiBase64(keys.publicKey);
  const outcome = await store.enrollKiosk({
    codeHash: hashEnrollmentCode(issued.code),
    kioskId: options.kioskId ?? KIOSK_ID,
    publicKeySpki,
    at: now.toISOString(),
  });
  if (outcome.status !== 'enrolled') throw new Error(`enrollment in store: ${outcome.status}`);
  return { kioskId: outcome.kiosk.id, name: outcome.kiosk.name, privateKey: keys.privateKey, publicKeySpki };
}

export interface SignOptions {
  method?: string;
  /** Path with query, as sent; the batches path by default. */
  path?: string;
  /** The signing time (the kiosk's clock): now by default. */
  at?: Date | number;
  nonce?: string;
  /** Sign as this kiosk id instead of the kiosk's own (an impostor test). */
  kioskId?: string;
}

export type BodyInput = string | Uint8Array;

const toBytes = (body: BodyInput): Uint8Array<ArrayBuffer> =>
  typeof body === 'string' ? new TextEncoder().encode(body) : body.slice();

/** The four signature headers for `body`. */
export function signedHeaders(
  kiosk: TestKiosk,
  body: BodyInput,
  options: SignOptions = {},
): Promise<Record<string, string>> {
  const at = options.at ?? Date.now();
  return signRequest(kiosk.privateKey, {
    kioskId: options.kioskId ?? kiosk.kioskId,
    method: options.method ?? 'POST',
    path: options.path ?? SYNC_BATCHES_PATH,
    timestamp: String(typeof at === 'number' ? Math.round(at) : at.getTime()),
    nonce: options.nonce ?? newNonce(),
    body: toBytes(body),
  });
}

/** `RequestInit` for a signed JSON POST of `body` (a JSON string or bytes, sent as given). */
export async function signedInit(
  kiosk: TestKiosk,
  body: BodyInput,
  options: SignOptions & { contentType?: string } = {},
): Promise<RequestInit> {
  const headers = await signedHeaders(kiosk, body, options);
  return {
    method: options.method ?? 'POST',
    headers: { 'content-type': options.contentType ?? 'application/json', ...headers },
    body: toBytes(body),
  };
}

/** Posts a batch object, signed, to the batches path. */
export async function postSignedBatch(
  fetcher: Fetcher,
  kiosk: TestKiosk,
  batch: unknown,
  options: SignOptions = {},
) {
  const body = JSON.stringify(batch);
  return fetcher(options.path ?? SYNC_BATCHES_PATH, await signedInit(kiosk, body, options));
}

/** Posts `body` (any JSON value) signed by `kiosk` to `path`: the officer routes, statuses, … */
export async function postSignedJson(
  fetcher: Fetcher,
  kiosk: TestKiosk,
  path: string,
  body: unknown,
  options: Omit<SignOptions, 'path'> = {},
): Promise<Response> {
  return fetcher(path, await signedInit(kiosk, JSON.stringify(body), { ...options, path }));
}
