import { type Insertable, type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { APPLICANT_CATEGORIES, type ApplicantCategory } from '../../../src/core/application/completeness';
import { isServerState } from '../../../src/core/application/server-state';
import { CERTIFICATE_TYPES, type CertificateType } from '../../../src/core/certificate/types';
import {
  INCIDENT_TYPES,
  type IncidentType,
  LOST_KEY_KINDS,
  type LostKeyKind,
  REVOCATION_ATTACHMENT_KINDS,
  REVOCATION_REASON_CODES,
  type RevocationAttachmentKind,
  type RevocationReasonCode,
} from '../../../src/protocol/lifecycle';
import { APPLICATION_RELATIONS, type ApplicationRelation } from '../../../src/protocol/sync';
import type { ArchiveSealer } from '../archive/archive-sealer';
import type { StoreDatabase } from './kysely-store';
import {
  type IssuedCertificate,
  type LifecycleStore,
  type NewIncident,
  REVOCATION_JOB_STATUSES,
  REVOCATION_OUTCOMES,
  type RevocationJobStatus,
  type RevocationOutcomeKind,
  type RevocationSettlement,
  type StoredIncident,
  type StoredRevocation,
} from './lifecycle-store';
import type { StoreKind } from './migrations';
import { isSealedBlob, type PersonalData, paperContext } from './sealed-personal';

export interface RevocationsTable {
  id: string;
  application_id: string;
  serial: string;
  reason: string;
  lost_key: string | null;
  note: string;
  officer_id: string;
  key_id: string;
  kiosk_id: string;
  payload: string;
  signature: string;
  requested_at: string;
  received_at: string;
  status: string;
  claim_token: string | null;
  claim_expires_at: string | null;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  outcome: string | null;
  revoked_at: string | null;
  incident_id: string | null;
  updated_at: string;
}

export interface RevocationAttachmentsTable {
  revocation_id: string;
  kind: string;
  media_type: string;
  data: Uint8Array;
}

export interface IncidentsTable {
  id: string;
  type: string;
  occurred_at: string;
  recorded_at: string;
  certificate_serial: string | null;
  application_id: string | null;
  description: string;
  actions_taken: string;
  reported_to: string;
  recorded_by: string;
  officer_id: string | null;
  kiosk_id: string | null;
  revocation_id: string | null;
  payload: string | null;
  signature: string | null;
}

/** The CA acts on revocations; its answers are events on the certificate's application. */
const CA_ACTOR = 'ca';

type Executor = Kysely<StoreDatabase> | Transaction<StoreDatabase>;

/**
 * The lifecycle side of the store (lifecycle-store.ts). Claims on revocation requests follow the
 * forwarding job's pattern (kysely-forwarding.ts): one statement that writes first, so SQLite's
 * write lock is taken at once, and `FOR UPDATE SKIP LOCKED` on PostgreSQL.
 */
export function createLifecycleMethods(
  db: Kysely<StoreDatabase>,
  kind: StoreKind,
  /** Personal data from the sealed archive (names for the lists, the lookup's details). */
  personal: (ids: readonly string[]) => Promise<Map<string, PersonalData>>,
  /** Seals and opens revocation papers. */
  sealer: ArchiveSealer,
): LifecycleStore {
  return {
    async listExpiringCertificates({ from, until, limit }) {
      const rows = await db
        .selectFrom('applications as a')
        .select([
          'a.id',
          'a.perangkat_daerah',
          'a.certificate_type',
          'a.certificate_serial',
          'a.certificate_not_after',
        ])
        .where('a.state', '=', 'issued')
        .where('a.certificate_serial', 'is not', null)
        .where('a.certificate_not_after', '>', utc(from))
        .where('a.certificate_not_after', '<=', utc(until))
        // Only the person's latest certificate of this type: an older one is not renewed.
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('applications as b')
                .select(sql`1`.as('one'))
                .whereRef('b.nik_hash', '=', 'a.nik_hash')
                .whereRef('b.certificate_type', '=', 'a.certificate_type')
                .where('b.state', '=', 'issued')
                .whereRef('b.id', '<>', 'a.id')
                .where((inner) =>
                  inner.or([
                    inner('b.certificate_not_after', '>', inner.ref('a.certificate_not_after')),
                    // The same end (issued within one second): the later arrival is the latest.
                    inner.and([
                      inner('b.certificate_not_after', '=', inner.ref('a.certificate_not_after')),
                      inner.or([
                        inner('b.received_at', '>', inner.ref('a.received_at')),
                        inner.and([
                          inner('b.received_at', '=', inner.ref('a.received_at')),
                          inner('b.id', '>', inner.ref('a.id')),
                        ]),
                      ]),
                    ]),
                  ]),
                ),
            ),
          ),
        )
        // Not one a renewal or replacement already follows, unless the CA or its officer refused it.
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('applications as f')
                .leftJoin('application_decisions as fd', 'fd.application_id', 'f.id')
                .select(sql`1`.as('one'))
                .whereRef('f.previous_application_id', '=', 'a.id')
                .where('f.state', '<>', 'ca-rejected')
                .where((inner) =>
                  inner.or([inner('fd.decision', 'is', null), inner('fd.decision', '<>', 'rejected')]),
                ),
            ),
          ),
        )
        // Not one asked to be revoked (unless the CA did not know it).
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('revocations as r')
                .select(sql`1`.as('one'))
                .whereRef('r.application_id', '=', 'a.id')
                .where((inner) =>
                  inner.or([inner('r.outcome', 'is', null), inner('r.outcome', '<>', 'unknown-certificate')]),
                ),
            ),
          ),
        )
        .orderBy('a.perangkat_daerah')
        .orderBy('a.certificate_not_after')
        .orderBy('a.id')
        .limit(limit)
        .execute();
      const opened = await personal(rows.map((row) => row.id));
      return rows.map((row) => ({
        applicationId: row.id,
        nama: opened.get(row.id)?.nama ?? '',
        perangkatDaerah: row.perangkat_daerah,
        certificateType: certificateTypeOf(row.certificate_type),
        serialNumberHex: row.certificate_serial ?? '',
        notAfter: row.certificate_not_after ?? '',
      }));
    },

    async findIssuedCertificates(lookup, limit) {
      const rows = await db
        .selectFrom('applications')
        .selectAll()
        .where('state', '=', 'issued')
        .where('certificate_serial', 'is not', null)
        .$if('nikHash' in lookup, (qb) =>
          qb.where('nik_hash', '=', 'nikHash' in lookup ? lookup.nikHash : ''),
        )
        .$if('serialNumberHex' in lookup, (qb) =>
          qb.where('certificate_serial', '=', 'serialNumberHex' in lookup ? lookup.serialNumberHex : ''),
        )
        .limit(limit)
        .execute();
      if (rows.length === 0) return [];
      const ids = rows.map((row) => row.id);
      const revocations = new Map(
        (await db.selectFrom('revocations').selectAll().where('application_id', 'in', ids).execute()).map(
          (row) => [row.application_id, revocationFromRow(row)],
        ),
      );
      const followers = await db
        .selectFrom('applications as f')
        .leftJoin('application_decisions as d', 'd.application_id', 'f.id')
        .select(['f.id', 'f.previous_application_id', 'f.previous_relation', 'f.state', 'f.received_at'])
        .where('f.previous_application_id', 'in', ids)
        .where('f.state', '<>', 'ca-rejected')
        .where((eb) => eb.or([eb('d.decision', 'is', null), eb('d.decision', '<>', 'rejected')]))
        .orderBy('f.received_at')
        .execute();
      const opened = await personal(ids);
      const followerOfId = new Map<string, IssuedCertificate['followedBy']>();
      for (const f of followers) {
        const relation = relationOf(f.previous_relation);
        if (f.previous_application_id === null || relation === null || !isServerState(f.state)) continue;
        // The first follower stays: a second one would be a duplicate the officer sees anyway.
        if (!followerOfId.has(f.previous_application_id)) {
          followerOfId.set(f.previous_application_id, { applicationId: f.id, relation, state: f.state });
        }
      }
      return rows
        .map((row): IssuedCertificate => {
          const p = opened.get(row.id);
          return {
            applicationId: row.id,
            certificateType: certificateTypeOf(row.certificate_type),
            serialNumberHex: row.certificate_serial ?? '',
            notAfter: row.certificate_not_after ?? null,
            nama: p?.nama ?? '',
            nik: p?.nik ?? '',
            nip: p?.nip ?? null,
            email: row.email,
            perangkatDaerah: row.perangkat_daerah,
            jabatan: p?.jabatan ?? null,
            host: p?.host ?? null,
            category: categoryOf(p?.category ?? null),
            mobile: p?.mobile ?? null,
            revocation: revocations.get(row.id) ?? null,
            followedBy: followerOfId.get(row.id) ?? null,
          };
        })
        .sort(
          (a, b) =>
            (b.notAfter ?? '').localeCompare(a.notAfter ?? '') ||
            a.applicationId.localeCompare(b.applicationId),
        );
    },

    async recordRevocation(revocation) {
      // The papers (a police report, a statement) name the person: sealed before the transaction.
      const sealedPapers = await Promise.all(
        revocation.attachments.map(async (paper) => ({
          paper,
          sealed: (await sealer.seal(paper.data, paperContext(revocation.requestId, paper.kind))).sealed,
        })),
      );
      return db.transaction().execute(async (trx) => {
        // A write first: SQLite's write lock at once; on PostgreSQL the unique keys decide a race.
        const inserted = await trx
          .insertInto('revocations')
          .values({
            id: revocation.requestId,
            application_id: revocation.applicationId,
            serial: revocation.serialNumberHex,
            reason: revocation.reason,
            lost_key: revocation.lostKey,
            note: revocation.note,
            officer_id: revocation.officerId,
            key_id: revocation.keyId,
            kiosk_id: revocation.kioskId,
            payload: revocation.payload,
            signature: revocation.signature,
            requested_at: revocation.requestedAt,
            received_at: utc(revocation.receivedAt),
            status: 'pending',
            attempts: 0,
            incident_id: revocation.incident?.id ?? null,
            updated_at: utc(revocation.receivedAt),
          })
          .onConflict((oc) => oc.doNothing())
          .returning('id')
          .executeTakeFirst();
        if (inserted === undefined) {
          const same = await revocationById(trx, revocation.requestId);
          if (same !== null) {
            return same.payload === revocation.payload && same.serialNumberHex === revocation.serialNumberHex
              ? { status: 'duplicate', revocation: same }
              : { status: 'conflict' };
          }
          const first = await trx
            .selectFrom('revocations')
            .selectAll()
            .where('serial', '=', revocation.serialNumberHex)
            .executeTakeFirst();
          if (first === undefined) throw new Error('a revocation neither inserted nor found');
          return { status: 'already-requested', revocation: revocationFromRow(first) };
        }
        for (const { paper, sealed } of sealedPapers) {
          await trx
            .insertInto('revocation_attachments')
            .values({
              revocation_id: revocation.requestId,
              kind: paper.kind,
              media_type: paper.mediaType,
              data: Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength),
            })
            .execute();
        }
        await trx
          .insertInto('application_events')
          .values(
            eventRow(revocation.applicationId, 'revocation-requested', {
              at: utc(revocation.receivedAt),
              actor: `officer:${revocation.officerId}`,
              detail: {
                requestId: revocation.requestId,
                serialNumberHex: revocation.serialNumberHex,
                reason: revocation.reason,
                ...(revocation.lostKey ? { lostKey: revocation.lostKey } : {}),
              },
            }),
          )
          .execute();
        if (revocation.incident !== null) await insertIncident(trx, revocation.incident);
        const stored = await revocationById(trx, revocation.requestId);
        if (stored === null) throw new Error('the revocation just inserted is gone');
        return { status: 'requested', revocation: stored };
      });
    },

    getRevocation: (requestId) => revocationById(db, requestId),

    async getRevocationAttachments(requestId) {
      const rows = await db
        .selectFrom('revocation_attachments')
        .select(['kind', 'media_type', 'data'])
        .where('revocation_id', '=', requestId)
        .orderBy('kind')
        .execute();
      return Promise.all(
        rows.map(async (row) => ({
          kind: attachmentKindOf(row.kind),
          mediaType: row.media_type,
          // Papers stored before the sealed archive are plain PDF/PNG/JPEG, which never start
          // with a sealed blob's magic.
          data: isSealedBlob(row.data)
            ? await sealer.open(new Uint8Array(row.data), paperContext(requestId, row.kind))
            : new Uint8Array(row.data),
        })),
      );
    },

    async listRevocations({ from, to }) {
      const [start, end] = [utc(from), utc(to)];
      const rows = await db
        .selectFrom('revocations')
        .selectAll()
        .where((eb) =>
          eb.or([
            eb.and([eb('received_at', '>=', start), eb('received_at', '<', end)]),
            eb.and([eb('revoked_at', '>=', start), eb('revoked_at', '<', end)]),
          ]),
        )
        .orderBy('received_at')
        .orderBy('id')
        .execute();
      return rows.map(revocationFromRow);
    },

    async latestRevocationAt() {
      const row = await db
        .selectFrom('revocations')
        .select((eb) => eb.fn.max('updated_at').as('latest'))
        .where('status', '=', 'done')
        .executeTakeFirst();
      return row?.latest ?? null;
    },

    async claimForRevocation(claim) {
      const rows = await db.transaction().execute((trx) => {
        const due = (qb: Executor) =>
          qb
            .selectFrom('revocations')
            .select('id')
            .where((eb) =>
              eb.or([
                eb('status', '=', 'pending'),
                eb.and([eb('status', '=', 'retry'), eb('next_attempt_at', '<=', claim.at)]),
                eb.and([eb('status', '=', 'claimed'), eb('claim_expires_at', '<=', claim.at)]),
              ]),
            )
            .orderBy('received_at')
            .orderBy('id')
            .limit(claim.limit)
            .$if(kind === 'postgres', (q) => q.forUpdate().skipLocked());
        return (
          trx
            .updateTable('revocations')
            .set((eb) => ({
              status: 'claimed',
              claim_token: claim.token,
              claim_expires_at: claim.leaseUntil,
              attempts: eb('attempts', '+', 1),
              updated_at: claim.at,
            }))
            .where('id', 'in', due(trx))
            // PostgreSQL re-checks this on a row another worker changed meanwhile.
            .where((eb) =>
              eb.or([
                eb('status', '=', 'pending'),
                eb.and([eb('status', '=', 'retry'), eb('next_attempt_at', '<=', claim.at)]),
                eb.and([eb('status', '=', 'claimed'), eb('claim_expires_at', '<=', claim.at)]),
              ]),
            )
            .returning(['id', 'application_id', 'serial', 'reason', 'attempts'])
            .execute()
        );
      });
      return rows
        .map((row) => ({
          requestId: row.id,
          applicationId: row.application_id,
          serialNumberHex: row.serial,
          reason: reasonOf(row.reason),
          attempts: Number(row.attempts),
        }))
        .sort((a, b) => a.requestId.localeCompare(b.requestId));
    },

    async settleRevocations(token, settlements, at) {
      if (settlements.length === 0) return 0;
      return db.transaction().execute(async (trx) => {
        let settled = 0;
        for (const settlement of settlements)
          if (await settleRevocation(trx, token, settlement, at)) settled++;
        return settled;
      });
    },

    recordIncident(incident) {
      return db.transaction().execute(async (trx) => {
        const inserted = await insertIncident(trx, incident);
        const stored = await incidentById(trx, incident.id);
        if (stored === null) throw new Error('an incident neither inserted nor found');
        if (inserted) return { status: 'recorded', incident: stored };
        return stored.payload === incident.payload && stored.recordedBy === incident.recordedBy
          ? { status: 'duplicate', incident: stored }
          : { status: 'conflict' };
      });
    },

    async listIncidents({ from, to, limit }) {
      const rows = await incidentQuery(db)
        .where('i.occurred_at', '>=', utc(from))
        .where('i.occurred_at', '<', utc(to))
        .orderBy('i.occurred_at')
        .orderBy('i.id')
        .$if(limit !== undefined, (qb) => qb.limit(limit ?? 0))
        .execute();
      return rows.map(incidentFromRow);
    },
  };
}

/** Ends the hold if `token` still has it: the new columns, or false when another worker took it over. */
async function settleRevocation(
  trx: Transaction<StoreDatabase>,
  token: string,
  settlement: RevocationSettlement,
  at: string,
): Promise<boolean> {
  const common = { claim_token: null, claim_expires_at: null, updated_at: at };
  const changes =
    settlement.outcome === 'retry'
      ? {
          ...common,
          status: 'retry',
          next_attempt_at: settlement.nextAttemptAt,
          last_error: settlement.error,
        }
      : settlement.outcome === 'unknown-certificate'
        ? { ...common, status: 'attention', outcome: settlement.outcome, last_error: settlement.error }
        : {
            ...common,
            status: 'done',
            outcome: settlement.outcome,
            revoked_at: utc(settlement.revokedAt),
            last_error: null,
          };
  const held = await trx
    .updateTable('revocations')
    .set(changes)
    .where('id', '=', settlement.requestId)
    .where('claim_token', '=', token)
    .where('status', '=', 'claimed')
    .returning(['application_id', 'serial', 'reason'])
    .executeTakeFirst();
  if (held === undefined) return false;
  if (settlement.outcome === 'retry') return true;
  await trx
    .insertInto('application_events')
    .values(
      settlement.outcome === 'unknown-certificate'
        ? eventRow(held.application_id, 'revocation-failed', {
            at,
            actor: CA_ACTOR,
            detail: { requestId: settlement.requestId, error: settlement.error },
          })
        : eventRow(held.application_id, 'revoked', {
            at,
            actor: CA_ACTOR,
            detail: {
              requestId: settlement.requestId,
              serialNumberHex: held.serial,
              reason: held.reason,
              revokedAt: utc(settlement.revokedAt),
              result: settlement.outcome,
            },
          }),
    )
    .execute();
  return true;
}

/** Inserts the incident and, when it names an application, its event; false when the id was taken. */
async function insertIncident(trx: Transaction<StoreDatabase>, incident: NewIncident): Promise<boolean> {
  const inserted = await trx
    .insertInto('incidents')
    .values({
      id: incident.id,
      type: incident.type,
      occurred_at: utc(incident.occurredAt),
      recorded_at: utc(incident.recordedAt),
      certificate_serial: incident.certificateSerialHex,
      application_id: incident.applicationId,
      description: incident.description,
      actions_taken: incident.actionsTaken,
      reported_to: incident.reportedTo,
      recorded_by: incident.recordedBy,
      officer_id: incident.officerId,
      kiosk_id: incident.kioskId,
      revocation_id: incident.revocationId,
      payload: incident.payload,
      signature: incident.signature,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted === undefined) return false;
  if (incident.applicationId !== null) {
    await trx
      .insertInto('application_events')
      .values(
        eventRow(incident.applicationId, 'incident-recorded', {
          at: utc(incident.recordedAt),
          actor: incident.recordedBy,
          detail: { incidentId: incident.id, type: incident.type, occurredAt: utc(incident.occurredAt) },
        }),
      )
      .execute();
  }
  return true;
}

function incidentQuery(executor: Executor) {
  return executor
    .selectFrom('incidents as i')
    .leftJoin('officers as o', 'o.id', 'i.officer_id')
    .selectAll('i')
    .select('o.nama as officer_nama');
}

async function incidentById(executor: Executor, id: string): Promise<StoredIncident | null> {
  const row = await incidentQuery(executor).where('i.id', '=', id).executeTakeFirst();
  return row === undefined ? null : incidentFromRow(row);
}

async function revocationById(executor: Executor, id: string): Promise<StoredRevocation | null> {
  const row = await executor.selectFrom('revocations').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? null : revocationFromRow(row);
}

function incidentFromRow(row: Selectable<IncidentsTable> & { officer_nama: string | null }): StoredIncident {
  return {
    id: row.id,
    type: incidentTypeOf(row.type),
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    certificateSerialHex: row.certificate_serial ?? null,
    applicationId: row.application_id ?? null,
    description: row.description,
    actionsTaken: row.actions_taken,
    reportedTo: row.reported_to,
    recordedBy: row.recorded_by,
    officerId: row.officer_id ?? null,
    kioskId: row.kiosk_id ?? null,
    revocationId: row.revocation_id ?? null,
    payload: row.payload ?? null,
    signature: row.signature ?? null,
    recordedByName: row.officer_nama ?? null,
  };
}

function revocationFromRow(row: Selectable<RevocationsTable>): StoredRevocation {
  return {
    requestId: row.id,
    applicationId: row.application_id,
    serialNumberHex: row.serial,
    reason: reasonOf(row.reason),
    lostKey: lostKeyOf(row.lost_key),
    note: row.note,
    officerId: row.officer_id,
    kioskId: row.kiosk_id,
    requestedAt: row.requested_at,
    receivedAt: row.received_at,
    status: jobStatusOf(row.status),
    outcome: outcomeOf(row.outcome),
    attempts: Number(row.attempts),
    nextAttemptAt: row.next_attempt_at ?? null,
    lastError: row.last_error ?? null,
    revokedAt: row.revoked_at ?? null,
    incidentId: row.incident_id ?? null,
    payload: row.payload,
  };
}

function eventRow(
  applicationId: string,
  event: string,
  meta: { at: string; actor: string; detail: Record<string, string> },
): Insertable<StoreDatabase['application_events']> {
  return {
    application_id: applicationId,
    at: meta.at,
    event,
    actor: meta.actor,
    detail: JSON.stringify(meta.detail),
  };
}

/** One text form for times compared as text: UTC, milliseconds, `Z`. */
function utc(value: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error('not a time');
  return new Date(ms).toISOString();
}

function oneOf<T extends string>(values: readonly T[], what: string) {
  return (value: string): T => {
    const known = values.find((v) => v === value);
    if (known === undefined) throw new Error(`stored ${what} is unknown: ${value}`);
    return known;
  };
}

const certificateTypeOf: (value: string) => CertificateType = oneOf(CERTIFICATE_TYPES, 'certificate type');
const reasonOf: (value: string) => RevocationReasonCode = oneOf(REVOCATION_REASON_CODES, 'revocation reason');
const jobStatusOf: (value: string) => RevocationJobStatus = oneOf(
  REVOCATION_JOB_STATUSES,
  'revocation status',
);
const incidentTypeOf: (value: string) => IncidentType = oneOf(INCIDENT_TYPES, 'incident type');
const attachmentKindOf: (value: string) => RevocationAttachmentKind = oneOf(
  REVOCATION_ATTACHMENT_KINDS,
  'revocation paper kind',
);
const lostKeyOf = (value: string | null): LostKeyKind | null =>
  value === null ? null : oneOf(LOST_KEY_KINDS, 'lost-key kind')(value);
const outcomeOf = (value: string | null): RevocationOutcomeKind | null =>
  value === null ? null : oneOf(REVOCATION_OUTCOMES, 'revocation outcome')(value);
const categoryOf = (value: string | null): ApplicantCategory | null =>
  APPLICANT_CATEGORIES.find((c) => c === value) ?? null;
const relationOf = (value: string | null): ApplicationRelation | null =>
  APPLICATION_RELATIONS.find((r) => r === value) ?? null;
