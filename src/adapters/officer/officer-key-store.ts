/**
 * Officers' signing keys on this kiosk (docs/officers.md): each private key is kept only as PKCS#8
 * encrypted with AES-256-GCM under a key derived from the officer's PIN (PBKDF2-HMAC-SHA-256), in a
 * small IndexedDB database of its own. Unlocking gives a non-extractable key for the session only.
 * Each officer's counter key (ECDH P-256, issue 8: it opens applications sealed while they wait at
 * the counter) is wrapped the same way, under the same PIN-derived key with its own IV.
 */
import Dexie, { type EntityTable } from 'dexie';
import type {
  EnrolledOfficer,
  OfficerKeyStore,
  OfficerProfile,
  PinAttemptRule,
  PreparedOfficerKey,
  UnlockResult,
} from '../../app/officer/ports';
import { PBKDF2_ITERATIONS, passwordBytes, SALT_BYTES } from '../../core/certificate/pbes2';
import { bytesToBase64 } from '../../core/lib/pem';
import { consecutiveWrongPins } from '../../core/officer/pin';
import {
  exportSealPublicKey,
  generateSealKeyPair,
  importSealPublicKey,
  SEAL_KEY_ALGORITHM,
  type SealOpeningKey,
} from '../../core/sealing/seal';
import { P256_KEY_ALGORITHM } from '../../protocol/statement';

const OFFICER_DATABASE_NAME = 'sertel-officers';
/** `officer.maxWrongPins` in config/kiosk.json when nothing else is said. */
const DEFAULT_MAX_WRONG_PINS = 5;
/** 96 bits: the IV length AES-GCM is specified for. */
const IV_BYTES = 12;
const NIK_HASH_KEY_ID = 'nik-hash-key';

const utf8 = new TextEncoder();

interface KdfParameters {
  name: 'PBKDF2';
  hash: 'SHA-256';
  /** Kept per record: a later default (or a test's small count) must still open older records. */
  iterations: number;
}

/** The counter key's private half, wrapped under the same PIN-derived key as the signing key. */
interface WrappedCounterKey {
  /** SPKI DER, base64url (as `exportSealPublicKey` gives it). */
  publicKeySpki: string;
  iv: Uint8Array<ArrayBuffer>;
  ciphertext: Uint8Array<ArrayBuffer>;
}

/** The private key as stored: nothing here opens without the PIN. */
interface WrappedKey {
  kdf: KdfParameters;
  salt: Uint8Array<ArrayBuffer>;
  iv: Uint8Array<ArrayBuffer>;
  /** AES-256-GCM of the PKCS#8 DER, tag appended (WebCrypto's form). */
  ciphertext: Uint8Array<ArrayBuffer>;
  counter: WrappedCounterKey;
}

interface StoredCounterKey {
  keyId: string;
  publicKeySpki: string;
  /** Null once locked or removed, as the signing key's. */
  iv: Uint8Array<ArrayBuffer> | null;
  ciphertext: Uint8Array<ArrayBuffer> | null;
}

interface OfficerRow extends Omit<OfficerProfile, 'counterKey'> {
  kdf: KdfParameters;
  /** Null once locked or removed: the key cannot be recovered from this kiosk any more. */
  salt: Uint8Array<ArrayBuffer> | null;
  iv: Uint8Array<ArrayBuffer> | null;
  ciphertext: Uint8Array<ArrayBuffer> | null;
  /** Absent in rows enrolled before counter keys existed. */
  counter?: StoredCounterKey;
}

interface SecretRow {
  id: typeof NIK_HASH_KEY_ID;
  /** A CryptoKey is structured-cloneable: IndexedDB keeps it without it ever being readable. */
  key: CryptoKey;
  savedAt: string;
}

class OfficerDatabase extends Dexie {
  officers!: EntityTable<OfficerRow, 'officerId'>;
  secrets!: EntityTable<SecretRow, 'id'>;

  constructor(name: string) {
    super(name);
    // Append-only, as in outbox-db: a kiosk may skip versions.
    this.version(1).stores({ officers: 'officerId, username', secrets: 'id' });
  }
}

export interface OfficerKeyStoreOptions {
  databaseName?: string;
  /** PBKDF2 rounds for new keys; 600,000 (OWASP 2023). Tests pass fewer. */
  iterations?: number;
  /** Used when no `afterPinAttempt` is given. */
  maxWrongPins?: number;
  /** The lockout rule; core/officer's `consecutiveWrongPins(maxWrongPins)` when not given. */
  afterPinAttempt?: PinAttemptRule;
  now?: () => Date;
}

/** The authenticated data binds a ciphertext to its public key and to this format. */
function associatedData(publicKeySpki: string): Uint8Array<ArrayBuffer> {
  return utf8.encode(`sertel-officer-key/v1\n${publicKeySpki}`);
}

/** The counter key's: another format, so the two ciphertexts can never stand in for each other. */
function counterAssociatedData(publicKeySpki: string): Uint8Array<ArrayBuffer> {
  return utf8.encode(`sertel-officer-counter-key/v1\n${publicKeySpki}`);
}

/** The counter key's id: named after the officer's key id on this kiosk, within seal.ts's 100 characters. */
const counterKeyId = (officerKeyId: string) => `counter-${officerKeyId}`.slice(0, 100);

async function pinKey(pin: string, salt: Uint8Array<ArrayBuffer>, kdf: KdfParameters, usage: KeyUsage) {
  const base = await crypto.subtle.importKey('raw', passwordBytes(pin), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: kdf.hash, salt, iterations: kdf.iterations },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    [usage],
  );
}

function isWrappedKey(value: unknown): value is WrappedKey {
  if (typeof value !== 'object' || value === null) return false;
  const { kdf, salt, iv, ciphertext, counter } = value as Partial<WrappedKey>;
  return (
    kdf?.name === 'PBKDF2' &&
    salt instanceof Uint8Array &&
    iv instanceof Uint8Array &&
    ciphertext instanceof Uint8Array &&
    typeof counter?.publicKeySpki === 'string' &&
    counter.iv instanceof Uint8Array &&
    counter.ciphertext instanceof Uint8Array
  );
}

function toProfile(row: OfficerRow): OfficerProfile {
  const { kdf: _kdf, salt: _salt, iv: _iv, ciphertext: _ciphertext, counter, ...profile } = row;
  return counter
    ? { ...profile, counterKey: { keyId: counter.keyId, publicKeySpki: counter.publicKeySpki } }
    : profile;
}

/** The counter key with its public half (HPKE needs both), or null when it cannot be opened. */
async function openCounterKey(
  counter: StoredCounterKey | undefined,
  key: CryptoKey,
): Promise<SealOpeningKey | null> {
  if (!counter?.iv || !counter.ciphertext) return null;
  const publicKey = await importSealPublicKey(counter.publicKeySpki);
  if (publicKey === null) return null;
  let pkcs8: Uint8Array<ArrayBuffer>;
  try {
    pkcs8 = new Uint8Array(
      await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: counter.iv, additionalData: counterAssociatedData(counter.publicKeySpki) },
        key,
        counter.ciphertext,
      ),
    );
  } catch {
    return null;
  }
  try {
    const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, SEAL_KEY_ALGORITHM, false, [
      'deriveBits',
    ]);
    return { keyId: counter.keyId, privateKey, publicKey };
  } catch {
    return null;
  } finally {
    pkcs8.fill(0);
  }
}

/** Counts the wrong PINs of each officer and locks by the rule given. */
export class DexieOfficerKeyStore implements OfficerKeyStore {
  readonly #db: OfficerDatabase;
  readonly #iterations: number;
  readonly #afterPinAttempt: PinAttemptRule;
  readonly #now: () => Date;

  constructor(options: OfficerKeyStoreOptions = {}) {
    const iterations = options.iterations ?? PBKDF2_ITERATIONS;
    if (!Number.isInteger(iterations) || iterations < 1) {
      throw new RangeError('PBKDF2 iterations must be a positive integer');
    }
    this.#db = new OfficerDatabase(options.databaseName ?? OFFICER_DATABASE_NAME);
    this.#iterations = iterations;
    this.#afterPinAttempt =
      options.afterPinAttempt ?? consecutiveWrongPins(options.maxWrongPins ?? DEFAULT_MAX_WRONG_PINS);
    this.#now = options.now ?? (() => new Date());
  }

  async prepareKey(pin: string): Promise<PreparedOfficerKey> {
    // Extractable only so that it can be wrapped; it goes out of scope when this returns.
    const pair = (await crypto.subtle.generateKey(P256_KEY_ALGORITHM, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const publicKeySpki = bytesToBase64(
      new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey)),
    );
    const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
    // The counter key, extractable for the same reason and as briefly.
    const counterPair = await generateSealKeyPair(true);
    const counterPublicKeySpki = await exportSealPublicKey(counterPair.publicKey);
    const counterPkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', counterPair.privateKey));
    const kdf: KdfParameters = { name: 'PBKDF2', hash: 'SHA-256', iterations: this.#iterations };
    const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
    const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
    const counterIv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
    try {
      const key = await pinKey(pin, salt, kdf, 'encrypt');
      const ciphertext = new Uint8Array(
        await crypto.subtle.encrypt(
          { name: 'AES-GCM', iv, additionalData: associatedData(publicKeySpki) },
          key,
          pkcs8,
        ),
      );
      const counterCiphertext = new Uint8Array(
        await crypto.subtle.encrypt(
          { name: 'AES-GCM', iv: counterIv, additionalData: counterAssociatedData(counterPublicKeySpki) },
          key,
          counterPkcs8,
        ),
      );
      const wrapped: WrappedKey = {
        kdf,
        salt,
        iv,
        ciphertext,
        counter: { publicKeySpki: counterPublicKeySpki, iv: counterIv, ciphertext: counterCiphertext },
      };
      return { publicKeySpki, counterPublicKeySpki, wrapped };
    } finally {
      // Best effort: the engine may hold copies, but these buffers at least do not linger.
      pkcs8.fill(0);
      counterPkcs8.fill(0);
    }
  }

  async saveEnrollment(prepared: PreparedOfficerKey, enrolled: EnrolledOfficer): Promise<OfficerProfile> {
    if (!isWrappedKey(prepared.wrapped)) throw new TypeError('not a key prepared by this store');
    const { kdf, salt, iv, ciphertext, counter } = prepared.wrapped;
    const row: OfficerRow = {
      officerId: enrolled.officer.id,
      keyId: enrolled.keyId,
      username: enrolled.officer.username,
      nama: enrolled.officer.nama,
      nip: enrolled.officer.nip,
      kioskId: enrolled.kioskId,
      publicKeySpki: prepared.publicKeySpki,
      enrolledAt: enrolled.enrolledAt,
      wrongPins: 0,
      lockedAt: null,
      // A new enrollment replaces an older (locked) one: the server, having enrolled this key, has
      // an active account, and a late report about the old key must not lock it again.
      pendingLockReport: false,
      kdf,
      salt,
      iv,
      ciphertext,
      counter: { keyId: counterKeyId(enrolled.keyId), ...counter },
    };
    await this.#db.officers.put(row);
    return toProfile(row);
  }

  async unlock(officerId: string, pin: string): Promise<UnlockResult> {
    const row = await this.#db.officers.get(officerId);
    if (!row) return { ok: false, problem: 'unknown-officer' };
    if (row.lockedAt !== null || !row.salt || !row.iv || !row.ciphertext) {
      return { ok: false, problem: 'locked', lockedNow: false };
    }
    // PBKDF2 and the decryption run outside any transaction (awaiting WebCrypto would commit it);
    // the count is then applied to the row as it is by then, so tries from two tabs all count.
    const opened = await this.#open(row, pin);
    if (opened === 'damaged') return { ok: false, problem: 'damaged' };
    const correct = opened !== 'wrong-pin';

    const counted = await this.#db.transaction('rw', this.#db.officers, async () => {
      const current = await this.#db.officers.get(officerId);
      if (!current) return { kind: 'gone' } as const;
      if (current.keyId !== row.keyId) return { kind: 'replaced' } as const;
      if (current.lockedAt !== null) return { kind: 'locked', lockedNow: false } as const;
      const outcome = this.#afterPinAttempt(current.wrongPins, correct);
      if (outcome.lock) {
        // The lock and the overwrite of the ciphertext commit together; the fields go next.
        await this.#db.officers.put({
          ...current,
          wrongPins: outcome.wrongPins,
          lockedAt: this.#now().toISOString(),
          pendingLockReport: true,
          ciphertext: current.ciphertext && new Uint8Array(current.ciphertext.length),
          ...(current.counter?.ciphertext
            ? {
                counter: {
                  ...current.counter,
                  ciphertext: new Uint8Array(current.counter.ciphertext.length),
                },
              }
            : {}),
        });
        return { kind: 'locked', lockedNow: true } as const;
      }
      if (outcome.wrongPins !== current.wrongPins) {
        await this.#db.officers.put({ ...current, wrongPins: outcome.wrongPins });
      }
      return {
        kind: 'counted',
        outcome,
        profile: toProfile({ ...current, wrongPins: outcome.wrongPins }),
      } as const;
    });

    switch (counted.kind) {
      case 'gone':
        return { ok: false, problem: 'unknown-officer' };
      case 'replaced':
        // Re-enrolled in another tab meanwhile: the PIN must open the new key.
        return this.unlock(officerId, pin);
      case 'locked':
        if (counted.lockedNow) await this.#eraseKeyMaterial(officerId);
        return { ok: false, problem: 'locked', lockedNow: counted.lockedNow };
      case 'counted':
        if (opened === 'wrong-pin') {
          return {
            ok: false,
            problem: 'wrong-pin',
            wrongPins: counted.outcome.wrongPins,
            attemptsLeft: counted.outcome.attemptsLeft,
          };
        }
        return {
          ok: true,
          value: { profile: counted.profile, privateKey: opened.privateKey, counterKey: opened.counterKey },
        };
    }
  }

  async list(): Promise<OfficerProfile[]> {
    const rows = await this.#db.officers.orderBy('username').toArray();
    return rows.map(toProfile);
  }

  async get(officerId: string): Promise<OfficerProfile | null> {
    const row = await this.#db.officers.get(officerId);
    return row ? toProfile(row) : null;
  }

  async remove(officerId: string): Promise<'removed' | 'not-found' | 'lock-report-pending'> {
    const row = await this.#db.officers.get(officerId);
    if (!row) return 'not-found';
    if (row.pendingLockReport) return 'lock-report-pending';
    await this.#eraseKeyMaterial(officerId);
    await this.#db.officers.delete(officerId);
    return 'removed';
  }

  async pendingLockReports(): Promise<OfficerProfile[]> {
    // A handful of officers per kiosk: no index on a boolean (IndexedDB cannot index one anyway).
    const rows = await this.#db.officers.toArray();
    return rows.filter((row) => row.pendingLockReport && row.lockedAt !== null).map(toProfile);
  }

  async clearPendingLockReport(officerId: string, keyId: string): Promise<void> {
    await this.#db.transaction('rw', this.#db.officers, async () => {
      const row = await this.#db.officers.get(officerId);
      // A report about an older key says nothing about the key enrolled since.
      if (row?.keyId === keyId && row.pendingLockReport) {
        await this.#db.officers.put({ ...row, pendingLockReport: false });
      }
    });
  }

  async saveNikHashKey(key: CryptoKey): Promise<void> {
    if (key.extractable) throw new TypeError('the NIK hash key must be non-extractable');
    await this.#db.secrets.put({ id: NIK_HASH_KEY_ID, key, savedAt: this.#now().toISOString() });
  }

  async nikHashKey(): Promise<CryptoKey | null> {
    return (await this.#db.secrets.get(NIK_HASH_KEY_ID))?.key ?? null;
  }

  /** Closes the database (tests, and a kiosk reset that deletes it). */
  close(): void {
    this.#db.close();
  }

  /** The keys, 'wrong-pin' on an authentication failure, 'damaged' if the plaintext is not a key. */
  async #open(
    row: OfficerRow,
    pin: string,
  ): Promise<{ privateKey: CryptoKey; counterKey: SealOpeningKey | null } | 'wrong-pin' | 'damaged'> {
    const { salt, iv, ciphertext } = row;
    if (!salt || !iv || !ciphertext) return 'damaged';
    let pkcs8: Uint8Array<ArrayBuffer>;
    let key: CryptoKey;
    try {
      key = await pinKey(pin, salt, row.kdf, 'decrypt');
      pkcs8 = new Uint8Array(
        await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv, additionalData: associatedData(row.publicKeySpki) },
          key,
          ciphertext,
        ),
      );
    } catch {
      // GCM's tag failed: with a 128-bit tag, a wrong PIN (a damaged ciphertext looks the same).
      return 'wrong-pin';
    }
    let privateKey: CryptoKey;
    try {
      privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, P256_KEY_ALGORITHM, false, ['sign']);
    } catch {
      return 'damaged';
    } finally {
      pkcs8.fill(0);
    }
    // A counter key that does not open leaves the officer able to sign; held applications then
    // open with the kiosk's fallback key only, as for officers enrolled before counter keys.
    return { privateKey, counterKey: await openCounterKey(row.counter, key) };
  }

  /**
   * Overwrites, then removes the wrapped key. Best effort against the disk: IndexedDB engines may
   * keep old pages until they compact, but nothing readable through the database stays.
   */
  async #eraseKeyMaterial(officerId: string): Promise<void> {
    await this.#db.transaction('rw', this.#db.officers, async () => {
      const row = await this.#db.officers.get(officerId);
      if (row?.ciphertext) {
        await this.#db.officers.put({
          ...row,
          ciphertext: new Uint8Array(row.ciphertext.length),
          ...(row.counter?.ciphertext
            ? { counter: { ...row.counter, ciphertext: new Uint8Array(row.counter.ciphertext.length) } }
            : {}),
        });
      }
    });
    await this.#db.transaction('rw', this.#db.officers, async () => {
      const row = await this.#db.officers.get(officerId);
      if (row)
        await this.#db.officers.put({
          ...row,
          salt: null,
          iv: null,
          ciphertext: null,
          ...(row.counter ? { counter: { ...row.counter, iv: null, ciphertext: null } } : {}),
        });
    });
  }
}
