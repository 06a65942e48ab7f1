import type { Kysely, Transaction } from 'kysely';
import {
  type AuditDetail,
  type AuditEvent,
  type ChainHead,
  canonicalJson,
  GENESIS,
} from '../../../src/core/audit/chain';
import type { AuditCheckpoint } from '../../../src/core/audit/checkpoint';
import type { AuditBreak, AuditStore } from './audit-store';
import type { StoreDatabase } from './kysely-store';

export interface KioskAuditEventsTable {
  kiosk_id: string;
  seq: number;
  at: string;
  type: string;
  subject: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
  received_at: string;
}

export interface KioskAuditCheckpointsTable {
  kiosk_id: string;
  seq: number;
  hash: string;
  at: string;
  key_fingerprint: string;
  public_key_spki: string;
  signature: string;
  received_at: string;
}

export interface ServerAuditEventsTable {
  seq: number;
  at: string;
  type: string;
  actor: string;
  subject: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
  key_id: string;
  mac: string;
}

export interface ServerAuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface AuditBreaksTable {
  id: string;
  chain: string;
  seq: number;
  problem: string;
  description: string;
  detected_at: string;
  source: string;
  evidence: string | null;
}

/** Rows per INSERT: 9 parameters a row, far below both dialects' limits. */
const CHUNK_ROWS = 200;

/**
 * The stored detail as the hash saw it. Text that is not JSON (edited by hand) comes back as a
 * detail no event was hashed with, so the verifier reports the event as changed.
 */
function detailOf(text: string | null): AuditDetail | null {
  if (text === null) return null;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as AuditDetail;
  } catch {
    // fall through
  }
  return { unreadable: text };
}

const detailText = (detail: AuditDetail | null) => (detail === null ? null : canonicalJson(detail));

const seqOf = (value: number | string | bigint) => Number(value);

function eventFromRow(row: {
  seq: number;
  at: string;
  type: string;
  subject: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
}): AuditEvent {
  return {
    seq: seqOf(row.seq),
    at: row.at,
    type: row.type,
    subject: row.subject,
    detail: detailOf(row.detail),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export function createAuditMethods(db: Kysely<StoreDatabase>): AuditStore {
  const kioskHead = async (executor: Kysely<StoreDatabase> | Transaction<StoreDatabase>, kioskId: string) => {
    const row = await executor
      .selectFrom('kiosk_audit_events')
      .select(['seq', 'hash'])
      .where('kiosk_id', '=', kioskId)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? null : { seq: seqOf(row.seq), hash: row.hash };
  };

  return {
    kioskAuditHead: (kioskId) => kioskHead(db, kioskId),

    async kioskAuditHashes(kioskId, from, to) {
      const rows = await db
        .selectFrom('kiosk_audit_events')
        .select(['seq', 'hash'])
        .where('kiosk_id', '=', kioskId)
        .where('seq', '>=', from)
        .where('seq', '<=', to)
        .execute();
      return new Map(rows.map((r) => [seqOf(r.seq), r.hash]));
    },

    async appendKioskAudit(kioskId, expected, events, checkpoints, receivedAt) {
      try {
        return await db.transaction().execute(async (trx) => {
          const head = await kioskHead(trx, kioskId);
          if (head?.seq !== expected?.seq || head?.hash !== expected?.hash) return 'head-moved' as const;
          for (let i = 0; i < events.length; i += CHUNK_ROWS) {
            await trx
              .insertInto('kiosk_audit_events')
              .values(
                events.slice(i, i + CHUNK_ROWS).map((e) => ({
                  kiosk_id: kioskId,
                  seq: e.seq,
                  at: e.at,
                  type: e.type,
                  subject: e.subject,
                  detail: detailText(e.detail),
                  prev_hash: e.prevHash,
                  hash: e.hash,
                  received_at: receivedAt,
                })),
              )
              .execute();
          }
          if (checkpoints.length > 0) {
            await trx
              .insertInto('kiosk_audit_checkpoints')
              .values(
                checkpoints.map((c) => ({
                  kiosk_id: kioskId,
                  seq: c.seq,
                  hash: c.hash,
                  at: c.at,
                  key_fingerprint: c.keyFingerprint,
                  public_key_spki: c.publicKeySpki,
                  signature: c.signature,
                  received_at: receivedAt,
                })),
              )
              .execute();
          }
          return 'stored' as const;
        });
      } catch (error) {
        // A concurrent upload of the same kiosk stored the same seqs first.
        if (isUniqueViolation(error)) return 'head-moved';
        throw error;
      }
    },

    async kioskAuditEvents(kioskId, afterSeq, limit) {
      const rows = await db
        .selectFrom('kiosk_audit_events')
        .selectAll()
        .where('kiosk_id', '=', kioskId)
        .where('seq', '>', afterSeq)
        .orderBy('seq')
        .limit(limit)
        .execute();
      return rows.map(eventFromRow);
    },

    async kioskAuditCheckpoints(kioskId) {
      const rows = await db
        .selectFrom('kiosk_audit_checkpoints')
        .selectAll()
        .where('kiosk_id', '=', kioskId)
        .orderBy('seq')
        .execute();
      return rows.map(
        (r): AuditCheckpoint => ({
          seq: seqOf(r.seq),
          hash: r.hash,
          at: r.at,
          keyFingerprint: r.key_fingerprint,
          publicKeySpki: r.public_key_spki,
          signature: r.signature,
        }),
      );
    },

    async auditedKiosks() {
      const rows = await db
        .selectFrom('kiosk_audit_events')
        .select('kiosk_id')
        .distinct()
        .orderBy('kiosk_id')
        .execute();
      return rows.map((r) => r.kiosk_id);
    },

    async knownDeviceKeys(spkis) {
      if (spkis.length === 0) return new Set();
      const rows = await db
        .selectFrom('kiosks')
        .select('public_key_spki')
        .where('public_key_spki', 'in', [...new Set(spkis)])
        .execute();
      return new Set(rows.map((r) => r.public_key_spki));
    },

    appendServerAudit(seal) {
      return db.transaction().execute(async (trx) => {
        // Writing the head row first takes its lock in both dialects (PostgreSQL: the row;
        // SQLite: the database), so the head read below cannot change until this commits.
        await trx.updateTable('server_audit_head').set({ id: 1 }).where('id', '=', 1).execute();
        const row = await trx
          .selectFrom('server_audit_head')
          .select(['seq', 'hash'])
          .where('id', '=', 1)
          .executeTakeFirst();
        const head: ChainHead = row === undefined ? GENESIS : { seq: seqOf(row.seq), hash: row.hash };
        const event = await seal(head);
        await trx
          .insertInto('server_audit_events')
          .values({
            seq: event.seq,
            at: event.at,
            type: event.type,
            actor: event.actor,
            subject: event.subject,
            detail: detailText(event.detail),
            prev_hash: event.prevHash,
            hash: event.hash,
            key_id: event.keyId,
            mac: event.mac,
          })
          .execute();
        await trx
          .updateTable('server_audit_head')
          .set({ seq: event.seq, hash: event.hash })
          .where('id', '=', 1)
          .execute();
        return event;
      });
    },

    async serverAuditEvents(afterSeq, limit) {
      const rows = await db
        .selectFrom('server_audit_events')
        .selectAll()
        .where('seq', '>', afterSeq)
        .orderBy('seq')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ ...eventFromRow(r), actor: r.actor, keyId: r.key_id, mac: r.mac }));
    },

    async recordAuditBreak(entry: AuditBreak) {
      const inserted = await db
        .insertInto('audit_breaks')
        .values({
          id: entry.id,
          chain: entry.chain,
          seq: entry.seq,
          problem: entry.problem,
          description: entry.description,
          detected_at: entry.detectedAt,
          source: entry.source,
          evidence: entry.evidence,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    async listAuditBreaks() {
      const rows = await db
        .selectFrom('audit_breaks')
        .selectAll()
        .orderBy('detected_at')
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        chain: r.chain,
        seq: seqOf(r.seq),
        problem: r.problem,
        description: r.description,
        detectedAt: r.detected_at,
        source: r.source === 'upload' ? 'upload' : 'verify',
        evidence: r.evidence,
      }));
    },
  };
}
