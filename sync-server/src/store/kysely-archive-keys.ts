/**
 * The RA archive's key pairs (issue 8, Pasal 11 ayat 4): kiosks seal every record to the current
 * public key; the private keys are kept only encrypted (PKCS#8 under a passphrase that is not in
 * the database), all of them, so that a record sealed before a rotation still opens.
 */
import { type Kysely, type Migration, sql } from 'kysely';
import type { StoreDatabase } from './kysely-store';

export interface ArchiveKeysTable {
  key_id: string;
  /** SPKI DER, base64url: what kiosks are given. */
  public_key_spki: string;
  /** PEM `ENCRYPTED PRIVATE KEY` (PBES2); opens only with the archive passphrase. */
  encrypted_private_key_pem: string;
  created_at: string;
  /** Set when a newer key took over: no new seals to it, but it still opens what it sealed. */
  retired_at: string | null;
}

export interface ArchiveKeyRow {
  keyId: string;
  publicKeySpki: string;
  encryptedPrivateKeyPem: string;
  createdAt: string;
  retiredAt: string | null;
}

export interface ArchiveKeyStore {
  /** Every archive key, oldest first. */
  listArchiveKeys(): Promise<ArchiveKeyRow[]>;
  /**
   * Makes `key` the current one in one transaction: every other key is retired at `key.createdAt`.
   * With `onlyIfNone`, adds nothing when a current key exists (two processes starting at once
   * agree on one key) and answers false.
   */
  addArchiveKey(key: Omit<ArchiveKeyRow, 'retiredAt'>, options?: { onlyIfNone?: boolean }): Promise<boolean>;
}

export const archiveKeysMigration: Migration = {
  up: async (db) => {
    await db.schema
      .createTable('archive_keys')
      .addColumn('key_id', 'text', (col) => col.primaryKey())
      .addColumn('public_key_spki', 'text', (col) => col.notNull())
      .addColumn('encrypted_private_key_pem', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('retired_at', 'text')
      .execute();
    // At most one current key: a second concurrent first start fails here instead of forking.
    await sql`create unique index archive_keys_one_current on archive_keys ((retired_at is null)) where retired_at is null`.execute(
      db,
    );
  },
  down: async (db) => {
    await db.schema.dropTable('archive_keys').execute();
  },
};

export function createArchiveKeyMethods(db: Kysely<StoreDatabase>): ArchiveKeyStore {
  const listArchiveKeys = async (): Promise<ArchiveKeyRow[]> => {
    const rows = await db
      .selectFrom('archive_keys')
      .selectAll()
      .orderBy('created_at')
      .orderBy('key_id')
      .execute();
    return rows.map((row) => ({
      keyId: row.key_id,
      publicKeySpki: row.public_key_spki,
      encryptedPrivateKeyPem: row.encrypted_private_key_pem,
      createdAt: row.created_at,
      retiredAt: row.retired_at,
    }));
  };
  return {
    listArchiveKeys,
    async addArchiveKey(key, { onlyIfNone = false } = {}) {
      const add = db.transaction().execute(async (trx) => {
        const current = await trx
          .selectFrom('archive_keys')
          .select('key_id')
          .where('retired_at', 'is', null)
          .executeTakeFirst();
        if (current && onlyIfNone) return false;
        // The first key retires nothing: under READ COMMITTED an update here could retire a key
        // another server just made (and handed out); the unique index settles that race instead.
        if (!onlyIfNone)
          await trx
            .updateTable('archive_keys')
            .set({ retired_at: key.createdAt })
            .where('retired_at', 'is', null)
            .execute();
        await trx
          .insertInto('archive_keys')
          .values({
            key_id: key.keyId,
            public_key_spki: key.publicKeySpki,
            encrypted_private_key_pem: key.encryptedPrivateKeyPem,
            created_at: key.createdAt,
            retired_at: null,
          })
          .execute();
        return true;
      });
      if (!onlyIfNone) return add;
      // Another process made the first key between our read and our insert: the index refused ours.
      return add.catch(async (error: unknown) => {
        const keys = await listArchiveKeys();
        if (keys.some((k) => k.retiredAt === null)) return false;
        throw error;
      });
    },
  };
}
