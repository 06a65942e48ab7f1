/**
 * The store's side of the sealed archive (issue 8, Pasal 11 ayat 4): personal data is sealed to the
 * current RA archive public key before it is written, and opened with the archive private key when
 * read. Writing needs only the public key (in the store); reading needs the archive passphrase,
 * asked for at the first read, so a server without it can still take applications in.
 */
import {
  decodeSealed,
  importSealPublicKey,
  open,
  type SealRecipientKey,
  sealToBytes,
} from '../../../src/core/sealing/seal';
import { secretFromEnvOrFile } from '../secret-file';
import type { ArchiveKeyStore } from '../store/kysely-archive-keys';
import { type ArchiveKeys, createArchiveKeys } from './archive-keys';

export interface ArchiveSealer {
  /** Seals to the current archive key (the first key is made on first use, which needs the passphrase). */
  seal(plaintext: Uint8Array, context: string): Promise<{ keyId: string; sealed: Uint8Array<ArrayBuffer> }>;
  /** Opens a blob sealed by `seal`; throws when it does not open (never returns partial data). */
  open(bytes: Uint8Array, context: string): Promise<Uint8Array<ArrayBuffer>>;
}

/** No archive passphrase where one is needed (PostgreSQL without ARCHIVE_PASSPHRASE). */
export class ArchiveLockedError extends Error {
  override name = 'ArchiveLockedError';
}

export interface ArchiveSealerOptions {
  store: ArchiveKeyStore;
  /** The archive passphrase, resolved when first needed; undefined: none configured. */
  passphrase: () => string | undefined;
  /** PBKDF2 iterations of a key this sealer makes (tests use few). */
  iterations?: number;
}

export function createArchiveSealer({ store, passphrase, iterations }: ArchiveSealerOptions): ArchiveSealer {
  let keys: ArchiveKeys | undefined;
  const publicKeys = new Map<string, Promise<CryptoKey | null>>();

  const archiveKeys = (why: string): ArchiveKeys => {
    if (keys) return keys;
    const secret = passphrase();
    if (secret === undefined || secret === '') {
      throw new ArchiveLockedError(
        `ARCHIVE_PASSPHRASE is not set: the sealed archive cannot ${why} (give every server sharing the database the same one)`,
      );
    }
    keys = createArchiveKeys({
      store,
      passphrase: secret,
      ...(iterations === undefined ? {} : { iterations }),
    });
    return keys;
  };

  const recipient = async (): Promise<SealRecipientKey> => {
    let current = (await store.listArchiveKeys()).find((k) => k.retiredAt === null);
    if (current === undefined) {
      await archiveKeys('make its first key').current();
      current = (await store.listArchiveKeys()).find((k) => k.retiredAt === null);
      if (current === undefined) throw new Error('no current archive key after creating one');
    }
    const { keyId, publicKeySpki } = current;
    let imported = publicKeys.get(keyId);
    if (!imported) {
      imported = importSealPublicKey(publicKeySpki);
      publicKeys.set(keyId, imported);
    }
    const publicKey = await imported;
    if (publicKey === null) throw new Error(`archive key ${keyId} has a damaged public key`);
    return { kind: 'archive', keyId, publicKey };
  };

  return {
    async seal(plaintext, context) {
      const key = await recipient();
      return { keyId: key.keyId, sealed: await sealToBytes(plaintext, context, [key]) };
    },
    async open(bytes, context) {
      const decoded = decodeSealed(bytes);
      if (!decoded.ok) throw new Error(`sealed archive entry ${context} is malformed`);
      const entry = decoded.value.header.recipients.find((r) => r.kind === 'archive');
      if (entry === undefined) throw new Error(`sealed archive entry ${context} has no archive recipient`);
      const key = await archiveKeys('be opened').openingKey(entry.keyId);
      if (key === null)
        throw new Error(`sealed archive entry ${context} names unknown archive key ${entry.keyId}`);
      const plain = await open(decoded.value, key, context);
      if (!plain.ok) throw new Error(`sealed archive entry ${context} does not open (${plain.problem})`);
      return plain.value;
    },
  };
}

/** Where a store finds the archive passphrase; the first that gives one wins. */
export interface ArchivePassphraseSources {
  /** Given by the caller (`config.archive.passphrase`). */
  configured?: string | undefined;
  /** For SQLite: DATA_DIR/archive/passphrase, made on first need as the server makes it. */
  file?: string | undefined;
}

/** Resolves, once and only when first needed: the configured value, ARCHIVE_PASSPHRASE, then the file. */
export function archivePassphraseResolver({
  configured,
  file,
}: ArchivePassphraseSources): () => string | undefined {
  let resolved: { value: string | undefined } | undefined;
  return () => {
    if (resolved) return resolved.value;
    const fromEnv = process.env.ARCHIVE_PASSPHRASE;
    const given = configured ?? (fromEnv === undefined || fromEnv === '' ? undefined : fromEnv);
    const value =
      given ??
      (file === undefined
        ? undefined
        : secretFromEnvOrFile(file, undefined, undefined, 'ARCHIVE_PASSPHRASE'));
    resolved = { value };
    return value;
  };
}
