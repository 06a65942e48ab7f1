import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { StoreDatabase } from './kysely-store';

/**
 * A 32-byte key the RA's servers share (the NIK hash key, the e-mail code key): insert-if-absent,
 * then read, so every process ends up with the key the first one made. Cached once loaded; a
 * failure is not cached, so the next call tries again (the database may have been away).
 */
export function serverSecret(db: Kysely<StoreDatabase>, name: string): () => Promise<Uint8Array> {
  let loaded: Promise<Uint8Array> | undefined;
  const load = async (): Promise<Uint8Array> => {
    await db
      .insertInto('server_secrets')
      .values({ name, value: randomBytes(32).toString('base64'), created_at: new Date().toISOString() })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const row = await db
      .selectFrom('server_secrets')
      .select('value')
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    const key = new Uint8Array(Buffer.from(row.value, 'base64'));
    if (key.length !== 32) throw new Error(`the stored ${name} is not 32 bytes`);
    return key;
  };
  return () => {
    loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    });
    return loaded;
  };
}
