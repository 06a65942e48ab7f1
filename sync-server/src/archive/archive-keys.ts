/**
 * The RA archive's keys (Pasal 11 ayat 4, issue 8): kiosks seal every application to the current
 * public key, so that only the RA, not the kiosk that captured it, can read it back. The private
 * keys are kept encrypted in the store under a passphrase from outside it (`ARCHIVE_PASSPHRASE` or
 * a file beside the database): a copy of the database alone opens nothing.
 */
import { randomBytes } from 'node:crypto';
import { decryptPrivateKey, encryptPrivateKey } from '../../../src/core/certificate/pkcs8';
import {
  exportSealPublicKey,
  generateSealKeyPair,
  importSealPublicKey,
  SEAL_KEY_ALGORITHM,
  type SealOpeningKey,
} from '../../../src/core/sealing/seal';
import type { ArchiveKeyRow, ArchiveKeyStore } from '../store/kysely-archive-keys';

/** What kiosks and operators see of an archive key; the private half never leaves this module. */
export interface ArchiveKeyInfo {
  keyId: string;
  /** SPKI DER of the ECDH P-256 public key, base64url. */
  publicKeySpki: string;
  createdAt: string;
  /** Null for the current key. */
  retiredAt: string | null;
}

export interface ArchiveKeys {
  /** The key kiosks seal to; the first is made on first use. */
  current(): Promise<ArchiveKeyInfo>;
  /** Every key, oldest first. */
  list(): Promise<ArchiveKeyInfo[]>;
  /** A new current key; the old ones are retired but still open what was sealed to them. */
  rotate(): Promise<ArchiveKeyInfo>;
  /** The key pair that opens blobs sealed to `keyId`, or null when there is no such key. */
  openingKey(keyId: string): Promise<SealOpeningKey | null>;
}

export interface ArchiveKeysOptions {
  store: ArchiveKeyStore;
  passphrase: string;
  now?: () => Date;
  /** PBKDF2 iterations of a new key's encryption (tests use few). */
  iterations?: number;
}

/** The archive passphrase does not open a stored key: the server must not run on. */
export class ArchiveKeyError extends Error {
  override name = 'ArchiveKeyError';
}

const info = ({ keyId, publicKeySpki, createdAt, retiredAt }: ArchiveKeyRow): ArchiveKeyInfo => ({
  keyId,
  publicKeySpki,
  createdAt,
  retiredAt,
});

export function createArchiveKeys({
  store,
  passphrase,
  now = () => new Date(),
  iterations,
}: ArchiveKeysOptions): ArchiveKeys {
  if (passphrase === '') throw new RangeError('The archive passphrase must not be empty');
  const opened = new Map<string, Promise<SealOpeningKey>>();

  const makeKey = async (): Promise<Omit<ArchiveKeyRow, 'retiredAt'>> => {
    const at = now();
    const pair = await generateSealKeyPair(true);
    return {
      keyId: `archive-${at.toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(4).toString('hex')}`,
      publicKeySpki: await exportSealPublicKey(pair.publicKey),
      encryptedPrivateKeyPem: await encryptPrivateKey(
        pair.privateKey,
        passphrase,
        iterations === undefined ? {} : { iterations },
      ),
      createdAt: at.toISOString(),
    };
  };

  const currentRow = async (): Promise<ArchiveKeyRow | undefined> =>
    (await store.listArchiveKeys()).find((k) => k.retiredAt === null);

  const open = async (row: ArchiveKeyRow): Promise<SealOpeningKey> => {
    const pkcs8 = await decryptPrivateKey(row.encryptedPrivateKeyPem, passphrase);
    if (!pkcs8.ok) {
      throw new ArchiveKeyError(
        pkcs8.problem === 'wrong-passphrase'
          ? `ARCHIVE_PASSPHRASE does not open archive key ${row.keyId} (it was made under another passphrase)`
          : `archive key ${row.keyId} is damaged (${pkcs8.problem})`,
      );
    }
    const [privateKey, publicKey] = await Promise.all([
      crypto.subtle.importKey('pkcs8', pkcs8.value, SEAL_KEY_ALGORITHM, false, ['deriveBits']),
      importSealPublicKey(row.publicKeySpki),
    ]);
    if (publicKey === null) throw new ArchiveKeyError(`archive key ${row.keyId} has a damaged public key`);
    return { keyId: row.keyId, privateKey, publicKey };
  };

  return {
    async current() {
      const existing = await currentRow();
      if (existing) return info(existing);
      await store.addArchiveKey(await makeKey(), { onlyIfNone: true });
      const made = await currentRow();
      if (!made) throw new Error('no current archive key after creating one');
      return info(made);
    },
    async list() {
      return (await store.listArchiveKeys()).map(info);
    },
    async rotate() {
      const key = await makeKey();
      await store.addArchiveKey(key);
      return info({ ...key, retiredAt: null });
    },
    async openingKey(keyId) {
      const cached = opened.get(keyId);
      if (cached) return cached;
      const row = (await store.listArchiveKeys()).find((k) => k.keyId === keyId);
      if (!row) return null;
      const opening = open(row);
      opened.set(keyId, opening);
      // A failure is not kept: a corrected passphrase (or a database back) is tried next time.
      opening.catch(() => opened.delete(keyId));
      return opening;
    },
  };
}
