import { type Migration, sql } from 'kysely';
import type { StoreKind } from './migrations';

/**
 * The issued certificate sealed at rest (issue 8): its subject names the applicant. Sealed like the
 * personal data, context `<id>/certificate`; its SHA-256 fingerprint (of the leaf's DER) stays in
 * clear beside the serial and the end of validity, so a repeated report is told from another
 * certificate without opening. `certificate_pem` is blanked by the backfill in `migrate()`.
 */
export function sealedCertificateMigration(kind: StoreKind): Migration {
  const binary = kind === 'postgres' ? 'bytea' : 'blob';
  return {
    up: async (db) => {
      await db.schema.alterTable('applications').addColumn('certificate_sealed', binary).execute();
      await db.schema.alterTable('applications').addColumn('certificate_sha256', 'text').execute();
      if (kind === 'postgres') {
        // Ciphertext does not compress: TOAST compression would only burn CPU.
        await sql`alter table applications alter column certificate_sealed set storage external`.execute(db);
      }
    },
    // Sealed certificates are lost, as 0016's down loses the archive: only for a fresh database.
    down: async (db) => {
      await db.schema.alterTable('applications').dropColumn('certificate_sha256').execute();
      await db.schema.alterTable('applications').dropColumn('certificate_sealed').execute();
    },
  };
}
