/**
 * Sealed records (issue 8): each part of an application (its personal data, its e-KTP picture, each
 * paper) is encrypted with a fresh AES-256-GCM content key, and that key is wrapped with HPKE
 * (RFC 9180: DHKEM P-256, HKDF-SHA-256, AES-256-GCM) to each recipient: always the RA archive, and
 * while the application is at the counter, the officers who may open it there.
 *
 * Every byte is authenticated. The content's AEAD data commits to the context (application and
 * part, so a blob cannot be moved to another record), the IV and a digest of every recipient entry;
 * a recipient entry may later be removed (`withoutRecipients`: the kiosk gives up its way in) and
 * its digest stays, so the removal is allowed but any change to what is left is detected.
 */
import { Aes256Gcm, CipherSuite, DhkemP256HkdfSha256, HkdfSha256 } from '@hpke/core';
import { fail, ok, type Result } from '../lib/brand';
import { base64url, fromBase64url } from '../lib/pem';

export const SEAL_VERSION = 1;
/** Who a wrapped content key is for: the RA archive (server) or an officer at the counter (kiosk). */
export type SealRecipientKind = 'archive' | 'counter';
export const SEAL_RECIPIENT_KINDS: readonly SealRecipientKind[] = ['archive', 'counter'];

/** A public key the content key is wrapped to: ECDH P-256, as WebCrypto imports it. */
export interface SealRecipientKey {
  kind: SealRecipientKind;
  /** Names the key pair (an archive key's id, an officer key's id); at most 100 characters. */
  keyId: string;
  publicKey: CryptoKey;
}

/**
 * The key pair that opens: ECDH P-256, the private half non-extractable is fine. The public half is
 * required: HPKE needs it, and from a non-extractable private key the library can only guess its
 * sign (half of such keys would fail to open).
 */
export interface SealOpeningKey {
  keyId: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

export interface SealRecipient {
  kind: SealRecipientKind;
  keyId: string;
  /** HPKE encapsulated key (65 bytes, base64url). */
  enc: string;
  /** The content key sealed with HPKE (48 bytes, base64url). */
  wrapped: string;
}

export interface SealHeader {
  v: typeof SEAL_VERSION;
  /** What the blob is: `<applicationId>/<part>`; bound into every AEAD. */
  context: string;
  /** AES-GCM IV of the content (12 bytes, base64url). */
  iv: string;
  /** SHA-256 (base64url) of each recipient entry as it was sealed, in order. */
  digests: string[];
  /** The recipients still present; a subset of what `digests` commits to. */
  recipients: SealRecipient[];
}

export interface SealedBlob {
  header: SealHeader;
  /** AES-256-GCM ciphertext with its 16-byte tag appended. */
  ciphertext: Uint8Array<ArrayBuffer>;
}

export type OpenProblem =
  /** Not a sealed blob of this version: truncated, garbled or another format. */
  | 'malformed'
  /** Sealed for another context (another application or part). */
  | 'wrong-context'
  /** No entry for this key: it was never a recipient, or its entry was removed. */
  | 'not-a-recipient'
  /** A byte changed somewhere: a recipient entry, the header or the ciphertext. */
  | 'tampered';

const MAX_CONTEXT_CHARS = 200;
const MAX_KEY_ID_CHARS = 100;
const MAX_RECIPIENTS = 32;
const IV_BYTES = 12;
const CONTENT_KEY_BYTES = 32;
const MAGIC = new Uint8Array([0x53, 0x52, 0x53, SEAL_VERSION]); // "SRS" + version
const utf8 = new TextEncoder();
const HPKE_INFO = utf8.encode('sertel-kiosk sealed record v1');

const suite = new CipherSuite({
  kem: new DhkemP256HkdfSha256(),
  kdf: new HkdfSha256(),
  aead: new Aes256Gcm(),
});

/** The ECDH P-256 parameters of every sealing key (WebCrypto `generateKey`/`importKey`). */
export const SEAL_KEY_ALGORITHM = { name: 'ECDH', namedCurve: 'P-256' } as const;

/** A key pair for sealing; the private half is non-extractable unless asked (the server stores it encrypted). */
export function generateSealKeyPair(extractable = false): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(SEAL_KEY_ALGORITHM, extractable, ['deriveBits']);
}

export async function exportSealPublicKey(publicKey: CryptoKey): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.exportKey('spki', publicKey)));
}

/** Null when the text is not an SPKI of a P-256 key. */
export async function importSealPublicKey(spkiBase64url: string): Promise<CryptoKey | null> {
  const der = fromBase64url(spkiBase64url);
  if (der === null || der.length > 200) return null;
  try {
    return await crypto.subtle.importKey('spki', der, SEAL_KEY_ALGORITHM, true, []);
  } catch {
    return null;
  }
}

const toBytes = (buffer: ArrayBuffer) => new Uint8Array(buffer);

/** Fixed key order: the digest and the AEAD data must not depend on how an object was built. */
function recipientText(r: SealRecipient): string {
  return JSON.stringify([r.kind, r.keyId, r.enc, r.wrapped]);
}

async function digestOf(r: SealRecipient): Promise<string> {
  return base64url(toBytes(await crypto.subtle.digest('SHA-256', utf8.encode(recipientText(r)))));
}

function contentAad(header: Pick<SealHeader, 'v' | 'context' | 'iv' | 'digests'>): Uint8Array<ArrayBuffer> {
  return utf8.encode(JSON.stringify([header.v, header.context, header.iv, header.digests]));
}

/** The wrap's AEAD data: a key wrapped for one recipient and context is useless for another. */
function wrapAad(context: string, kind: SealRecipientKind, keyId: string): Uint8Array<ArrayBuffer> {
  return utf8.encode(JSON.stringify([context, kind, keyId]));
}

function checkContext(context: string): void {
  if (context.length === 0 || context.length > MAX_CONTEXT_CHARS)
    throw new RangeError(`A seal context has 1 to ${MAX_CONTEXT_CHARS} characters`);
}

/**
 * Seals `plaintext` to every recipient (at least one archive key is required: nothing is sealed
 * that the RA could not open). Throws on a programming error (bad context, no archive recipient).
 */
export async function seal(
  plaintext: Uint8Array,
  context: string,
  recipients: readonly SealRecipientKey[],
): Promise<SealedBlob> {
  checkContext(context);
  if (!recipients.some((r) => r.kind === 'archive'))
    throw new Error('A sealed record needs the RA archive among its recipients');
  if (recipients.length > MAX_RECIPIENTS) throw new RangeError(`At most ${MAX_RECIPIENTS} recipients`);
  for (const r of recipients) {
    if (r.keyId.length === 0 || r.keyId.length > MAX_KEY_ID_CHARS)
      throw new RangeError(`A key id has 1 to ${MAX_KEY_ID_CHARS} characters`);
  }
  const contentKeyBytes = crypto.getRandomValues(new Uint8Array(CONTENT_KEY_BYTES));
  try {
    const entries: SealRecipient[] = [];
    for (const r of recipients) {
      const { ct, enc } = await suite.seal(
        { recipientPublicKey: r.publicKey, info: HPKE_INFO },
        contentKeyBytes,
        wrapAad(context, r.kind, r.keyId),
      );
      entries.push({
        kind: r.kind,
        keyId: r.keyId,
        enc: base64url(toBytes(enc)),
        wrapped: base64url(toBytes(ct)),
      });
    }
    const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
    const partial = {
      v: SEAL_VERSION,
      context,
      iv: base64url(iv),
      digests: await Promise.all(entries.map(digestOf)),
    } as const;
    const contentKey = await crypto.subtle.importKey('raw', contentKeyBytes, 'AES-GCM', false, ['encrypt']);
    const ciphertext = toBytes(
      await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: contentAad(partial) },
        contentKey,
        plaintext as Uint8Array<ArrayBuffer>,
      ),
    );
    return { header: { ...partial, digests: [...partial.digests], recipients: entries }, ciphertext };
  } finally {
    // Best effort: the raw key bytes do not outlive the call in this buffer.
    contentKeyBytes.fill(0);
  }
}

/** Opens a blob with one private key; `context` is what the caller expects it to be. */
export async function open(
  blob: SealedBlob,
  key: SealOpeningKey,
  context: string,
): Promise<Result<Uint8Array<ArrayBuffer>, OpenProblem>> {
  const { header } = blob;
  if (header.context !== context) return fail('wrong-context');
  const entry = header.recipients.find((r) => r.keyId === key.keyId);
  if (!entry) return fail('not-a-recipient');
  const committed = await Promise.all(header.recipients.map(digestOf));
  if (committed.some((d) => !header.digests.includes(d))) return fail('tampered');
  const enc = fromBase64url(entry.enc);
  const wrapped = fromBase64url(entry.wrapped);
  const iv = fromBase64url(header.iv);
  if (enc === null || wrapped === null || iv === null || iv.length !== IV_BYTES) return fail('malformed');
  let contentKeyBytes: Uint8Array<ArrayBuffer>;
  try {
    contentKeyBytes = toBytes(
      await suite.open(
        { recipientKey: { privateKey: key.privateKey, publicKey: key.publicKey }, enc, info: HPKE_INFO },
        wrapped,
        wrapAad(context, entry.kind, entry.keyId),
      ),
    );
  } catch {
    // A changed byte in the entry, or a key that is not this entry's: HPKE cannot tell which.
    return fail('tampered');
  }
  try {
    const contentKey = await crypto.subtle.importKey('raw', contentKeyBytes, 'AES-GCM', false, ['decrypt']);
    const plaintext = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv, additionalData: contentAad(header) },
      contentKey,
      blob.ciphertext,
    );
    return ok(toBytes(plaintext));
  } catch {
    return fail('tampered');
  } finally {
    contentKeyBytes.fill(0);
  }
}

/**
 * The blob without the entries of one kind (the kiosk drops its `counter` entries once the server
 * holds the record): whoever held those keys can no longer open it. The digests stay committed.
 */
export function withoutRecipients(blob: SealedBlob, kind: SealRecipientKind): SealedBlob {
  return {
    header: { ...blob.header, recipients: blob.header.recipients.filter((r) => r.kind !== kind) },
    ciphertext: blob.ciphertext,
  };
}

/** The key ids a blob can still be opened with. */
export function recipientsOf(blob: SealedBlob): { kind: SealRecipientKind; keyId: string }[] {
  return blob.header.recipients.map(({ kind, keyId }) => ({ kind, keyId }));
}

/** One byte string: "SRS", the version, the header's length (4 bytes, big-endian), the header JSON, the ciphertext. */
export function encodeSealed(blob: SealedBlob): Uint8Array<ArrayBuffer> {
  const header = utf8.encode(JSON.stringify(blob.header));
  const out = new Uint8Array(MAGIC.length + 4 + header.length + blob.ciphertext.length);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(MAGIC.length, header.length);
  out.set(header, MAGIC.length + 4);
  out.set(blob.ciphertext, MAGIC.length + 4 + header.length);
  return out;
}

const MAX_HEADER_BYTES = 64 * 1024;
const B64URL = /^[A-Za-z0-9_-]*$/;

function isRecipient(value: unknown): value is SealRecipient {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    Object.keys(r).length === 4 &&
    (r.kind === 'archive' || r.kind === 'counter') &&
    typeof r.keyId === 'string' &&
    r.keyId.length > 0 &&
    r.keyId.length <= MAX_KEY_ID_CHARS &&
    typeof r.enc === 'string' &&
    B64URL.test(r.enc) &&
    typeof r.wrapped === 'string' &&
    B64URL.test(r.wrapped)
  );
}

function isHeader(value: unknown): value is SealHeader {
  if (typeof value !== 'object' || value === null) return false;
  const h = value as Record<string, unknown>;
  return (
    Object.keys(h).length === 5 &&
    h.v === SEAL_VERSION &&
    typeof h.context === 'string' &&
    h.context.length > 0 &&
    h.context.length <= MAX_CONTEXT_CHARS &&
    typeof h.iv === 'string' &&
    B64URL.test(h.iv) &&
    Array.isArray(h.digests) &&
    h.digests.length <= MAX_RECIPIENTS &&
    h.digests.every((d) => typeof d === 'string' && B64URL.test(d)) &&
    Array.isArray(h.recipients) &&
    h.recipients.length <= h.digests.length &&
    h.recipients.every(isRecipient)
  );
}

/** The blob back from its bytes; anything but a well-formed blob of this version is 'malformed'. */
export function decodeSealed(bytes: Uint8Array): Result<SealedBlob, 'malformed'> {
  if (bytes.length < MAGIC.length + 4) return fail('malformed');
  if (MAGIC.some((b, i) => bytes[i] !== b)) return fail('malformed');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(MAGIC.length);
  const start = MAGIC.length + 4;
  if (headerLength > MAX_HEADER_BYTES || start + headerLength > bytes.length) return fail('malformed');
  let header: unknown;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start, start + headerLength)),
    );
  } catch {
    return fail('malformed');
  }
  if (!isHeader(header)) return fail('malformed');
  return ok({ header, ciphertext: bytes.slice(start + headerLength) });
}

/** Seals and encodes in one step (what the stores keep). */
export async function sealToBytes(
  plaintext: Uint8Array,
  context: string,
  recipients: readonly SealRecipientKey[],
): Promise<Uint8Array<ArrayBuffer>> {
  return encodeSealed(await seal(plaintext, context, recipients));
}

/**
 * Decodes once and tries each key: the first that opens wins; a changed or foreign blob is the
 * answer whatever key comes next; `not-a-recipient` when none of them is one (or there are none).
 */
export async function openBytesWithAnyKey(
  bytes: Uint8Array,
  keys: readonly SealOpeningKey[],
  context: string,
): Promise<Result<Uint8Array<ArrayBuffer>, OpenProblem>> {
  const decoded = decodeSealed(bytes);
  if (!decoded.ok) return keys.length === 0 ? fail('not-a-recipient') : decoded;
  for (const key of keys) {
    const opened = await open(decoded.value, key, context);
    if (opened.ok || opened.problem !== 'not-a-recipient') return opened;
  }
  return fail('not-a-recipient');
}

/** Decodes and opens in one step. */
export async function openBytes(
  bytes: Uint8Array,
  key: SealOpeningKey,
  context: string,
): Promise<Result<Uint8Array<ArrayBuffer>, OpenProblem>> {
  const decoded = decodeSealed(bytes);
  if (!decoded.ok) return decoded;
  return open(decoded.value, key, context);
}
