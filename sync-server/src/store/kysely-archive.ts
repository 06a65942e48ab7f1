/**
 * The sealed archive's own operations (issue 8): officers' corrections, sealed like the record they
 * correct and applied on read, never written into it; the lookup of one person's applications for
 * the access right; and the deletion of personal data (the issued certificate with it) after
 * retention.
 */
import type { Kysely } from 'kysely';
import {
  type CorrectionFields,
  correctionFieldsSchema,
  correctionPayloadSchema,
} from '../../../src/protocol/lifecycle';
import type { ArchiveSealer } from '../archive/archive-sealer';
import type { ArchiveStore, StoredCorrection } from './archive-store';
import type { StoreDatabase } from './kysely-store';
import { BLANK_PERSONAL_COLUMNS } from './sealed-personal';

const correctionContext = (applicationId: string, id: string) => `${applicationId}/correction/${id}`;
const utf8 = new TextEncoder();
const PURGE_CHUNK_IDS = 200;

interface SealedCorrection {
  /** The officer's signing key; absent in corrections sealed before it was kept (its payload names it). */
  keyId?: string;
  fields: CorrectionFields;
  reason: string;
  payload: string;
  signature: string;
}

function officerKeyIdOf(payload: string): string {
  const parsed = correctionPayloadSchema.safeParse(JSON.parse(payload));
  return parsed.success ? parsed.data.keyId : '';
}

export function createArchiveMethods(db: Kysely<StoreDatabase>, sealer: ArchiveSealer): ArchiveStore {
  return {
    async recordCorrection(correction) {
      const app = await db
        .selectFrom('applications')
        .select(['id', 'purged_at'])
        .where('id', '=', correction.applicationId)
        .executeTakeFirst();
      if (app === undefined) return 'unknown-application';
      if (app.purged_at !== null) return 'purged';
      const body: SealedCorrection = {
        keyId: correction.keyId,
        fields: correction.fields,
        reason: correction.reason,
        payload: correction.payload,
        signature: correction.signature,
      };
      const { keyId, sealed } = await sealer.seal(
        utf8.encode(JSON.stringify(body)),
        correctionContext(correction.applicationId, correction.id),
      );
      return db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('application_corrections')
          .values({
            id: correction.id,
            application_id: correction.applicationId,
            officer_id: correction.officerId,
            corrected_at: correction.at,
            key_id: keyId,
            sealed: Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength),
          })
          .onConflict((oc) => oc.column('id').doNothing())
          .returning('id')
          .execute();
        if (inserted.length === 0) return 'duplicate';
        await trx
          .insertInto('application_events')
          .values({
            application_id: correction.applicationId,
            at: correction.at,
            event: 'corrected',
            actor: `officer:${correction.officerId}`,
            // Which fields, never their values.
            detail: JSON.stringify({
              correctionId: correction.id,
              keyId: correction.keyId,
              fields: Object.keys(correction.fields).sort().join(','),
            }),
          })
          .execute();
        return 'recorded';
      });
    },

    async listCorrections(applicationId) {
      const rows = await db
        .selectFrom('application_corrections')
        .selectAll()
        .where('application_id', '=', applicationId)
        .orderBy('corrected_at')
        .orderBy('id')
        .execute();
      const out: StoredCorrection[] = [];
      for (const row of rows) {
        const plain = await sealer.open(new Uint8Array(row.sealed), correctionContext(applicationId, row.id));
        const body = JSON.parse(new TextDecoder().decode(plain)) as SealedCorrection;
        const fields = correctionFieldsSchema.parse(body.fields);
        out.push({
          id: row.id,
          applicationId,
          officerId: row.officer_id,
          // `key_id` names the archive key the row is sealed to, not the officer's.
          keyId: body.keyId ?? officerKeyIdOf(body.payload),
          at: row.corrected_at,
          fields,
          reason: body.reason,
          payload: body.payload,
          signature: body.signature,
        });
      }
      return out;
    },

    async applicationIdsByNikHash(nikHash) {
      const rows = await db
        .selectFrom('applications')
        .select('id')
        .where('nik_hash', '=', nikHash)
        .orderBy('received_at')
        .orderBy('id')
        .execute();
      return rows.map((r) => r.id);
    },

    async listPurgeable(cutoff, limit) {
      const rows = await db
        .selectFrom('applications as a')
        .leftJoin('application_decisions as d', 'd.application_id', 'a.id')
        .select('a.id')
        .where('a.purged_at', 'is', null)
        .where((eb) =>
          eb.or([
            eb.and([eb('a.state', '=', 'issued'), eb('a.certificate_not_after', '<=', cutoff)]),
            eb.and([eb('a.state', '=', 'ca-rejected'), eb('a.state_changed_at', '<=', cutoff)]),
            // Refused by the officer and never issued: the decision is the final word.
            eb.and([
              eb('a.state', '<>', 'issued'),
              eb('d.decision', '=', 'rejected'),
              eb('d.decided_at', '<=', cutoff),
            ]),
          ]),
        )
        .orderBy('a.id')
        .limit(limit)
        .execute();
      return rows.map((r) => r.id);
    },

    async purgePersonalData(ids, at) {
      const purged: string[] = [];
      for (let start = 0; start < ids.length; start += PURGE_CHUNK_IDS) {
        const chunk = [...new Set(ids.slice(start, start + PURGE_CHUNK_IDS))];
        await db.transaction().execute(async (trx) => {
          // The write first: it takes SQLite's write lock, and PostgreSQL decides between racers.
          const marked = await trx
            .updateTable('applications')
            // The certificate names the person: gone too; its serial, fingerprint and end stay.
            .set({
              ...BLANK_PERSONAL_COLUMNS,
              email: '',
              certificate_pem: null,
              certificate_sealed: null,
              purged_at: at,
            })
            .where('id', 'in', chunk)
            .where('purged_at', 'is', null)
            .returning('id')
            .execute();
          const now = marked.map((r) => r.id);
          if (now.length === 0) return;
          await trx.deleteFrom('application_archive').where('application_id', 'in', now).execute();
          await trx.deleteFrom('application_corrections').where('application_id', 'in', now).execute();
          await trx.deleteFrom('application_attachments').where('application_id', 'in', now).execute();
          await trx.deleteFrom('email_challenges').where('application_id', 'in', now).execute();
          await trx.deleteFrom('email_confirmations').where('application_id', 'in', now).execute();
          await trx
            .insertInto('application_events')
            .values(
              now.map((id) => ({
                application_id: id,
                at,
                event: 'personal-data-purged',
                actor: 'server',
                detail: null,
              })),
            )
            .execute();
          purged.push(...now);
        });
      }
      return purged.sort();
    },
  };
}

/** The application's fields as its corrections leave them, applied in order. */
export function applyCorrections<
  T extends { nama: string; nip: string | null; jabatan: string | null; mobile?: string },
>(application: T, corrections: readonly Pick<StoredCorrection, 'fields'>[]): T {
  let out = application;
  for (const { fields } of corrections) {
    const next = { ...out };
    if (fields.nama !== undefined) next.nama = fields.nama;
    if (fields.nip !== undefined) next.nip = fields.nip;
    if (fields.jabatan !== undefined) next.jabatan = fields.jabatan;
    if (fields.mobile !== undefined) next.mobile = fields.mobile;
    out = next;
  }
  return out;
}
