import { type Kysely, type Selectable, sql, type Transaction, type UpdateObject } from 'kysely';
import type { CaForwardingTable, StoreDatabase } from './kysely-store';
import type { StoreKind } from './migrations';
import type { PersonalData, SealedCertificate, SealedOutcomeChange } from './sealed-personal';
import {
  type EventMeta,
  FORWARDING_STATUSES,
  type Forwarding,
  type ForwardingClaim,
  type ForwardingStatus,
  type PollSettlement,
  type RecordOutcomeResult,
  type Store,
  type StoredApplication,
  type SubmissionSettlement,
} from './store';

type ForwardingMethods = Pick<
  Store,
  | 'claimForSubmission'
  | 'settleSubmissions'
  | 'claimForPolling'
  | 'settlePolls'
  | 'getForwarding'
  | 'countForwardingByStatus'
>;

/** Who moves an application to `sent-to-ca` in its audit trail: the server's own job. */
const FORWARDER_ACTOR = 'server:forwarding';
const CA_ACTOR = 'ca';

/**
 * The forwarding job's side of the store (sync-server/src/ca/forwarding.ts). Holds are taken with
 * one statement that writes first: on SQLite that takes the database's write lock at once, on
 * PostgreSQL `FOR UPDATE SKIP LOCKED` lets two workers pass each other instead of queueing.
 */
export interface ForwardingDeps {
  getApplication(id: string): Promise<StoredApplication | null>;
  /** The store's one way to move an application's state, inside a transaction. */
  applyOutcome: ApplyOutcome;
  /** Personal data (the CSR among it) from the sealed archive. */
  personal(ids: readonly string[]): Promise<Map<string, PersonalData>>;
  /** Seals an issued certificate for its application (before the transaction: HPKE is async). */
  sealCertificate(applicationId: string, text: string): Promise<SealedCertificate>;
}

type ApplyOutcome = (
  trx: Transaction<StoreDatabase>,
  id: string,
  change: SealedOutcomeChange,
  meta: EventMeta,
) => Promise<RecordOutcomeResult>;

export function createForwardingMethods(
  db: Kysely<StoreDatabase>,
  kind: StoreKind,
  { getApplication, applyOutcome, personal, sealCertificate }: ForwardingDeps,
): ForwardingMethods {
  /** One transaction for a batch's answers; counts those still held by the caller. */
  const settleAll = <T>(
    settlements: readonly T[],
    settle: (trx: Transaction<StoreDatabase>, settlement: T) => Promise<boolean>,
  ): Promise<number> => {
    if (settlements.length === 0) return Promise.resolve(0);
    return db.transaction().execute(async (trx) => {
      let settled = 0;
      for (const settlement of settlements) if (await settle(trx, settlement)) settled++;
      return settled;
    });
  };

  return {
    async claimForSubmission(claim) {
      const held = await db.transaction().execute((trx) => claimSubmissions(trx, kind, claim));
      const claimed = [];
      for (const { applicationId, attempts } of held) {
        const application = await getApplication(applicationId);
        // Held rows are never deleted; a missing one would be a broken database, not a race.
        if (application === null) throw new Error('a claimed application is gone from the store');
        claimed.push({ application, attempts });
      }
      return claimed;
    },

    settleSubmissions(token, settlements, at) {
      return settleAll(settlements, (trx, settlement) =>
        settleSubmission(trx, applyOutcome, token, settlement, at),
      );
    },

    async claimForPolling(claim) {
      const rows = await db.transaction().execute(async (trx) => {
        const due = trx
          .selectFrom('ca_forwarding')
          .select('application_id')
          .where('status', '=', 'submitted')
          .where('next_poll_at', '<=', claim.at)
          .orderBy('next_poll_at')
          .orderBy('application_id')
          .limit(claim.limit)
          .$if(kind === 'postgres', (qb) => qb.forUpdate().skipLocked());
        return (
          trx
            .updateTable('ca_forwarding')
            .set({ claim_token: claim.token, next_poll_at: claim.leaseUntil, updated_at: claim.at })
            .where('application_id', 'in', due)
            // PostgreSQL re-checks this on a row another worker changed meanwhile.
            .where('status', '=', 'submitted')
            .returning(['application_id', 'ca_reference', 'poll_attempts'])
            .execute()
        );
      });
      if (rows.length === 0) return [];
      // The CSR names the applicant: it is in the sealed archive with the rest.
      const opened = await personal(rows.map((row) => row.application_id));
      const csrs = new Map([...opened].map(([id, p]) => [id, p.csrPem]));
      return rows
        .map((row) => ({
          applicationId: row.application_id,
          caReference: row.ca_reference ?? '',
          csrPem: csrs.get(row.application_id) ?? '',
          pollAttempts: Number(row.poll_attempts),
        }))
        .sort((a, b) => a.applicationId.localeCompare(b.applicationId));
    },

    async settlePolls(token, settlements, at) {
      // By settlement, not by id: a batch naming an id twice keeps each its own certificate.
      const sealed = new Map<PollSettlement, SealedCertificate>();
      await Promise.all(
        settlements.map(async (settlement) => {
          if (settlement.outcome !== 'issued') return;
          sealed.set(settlement, await sealCertificate(settlement.applicationId, settlement.certificatePem));
        }),
      );
      return settleAll(settlements, (trx, settlement) =>
        settlePoll(trx, applyOutcome, token, settlement, at, sealed),
      );
    },

    async getForwarding(applicationId) {
      const row = await db
        .selectFrom('ca_forwarding')
        .selectAll()
        .where('application_id', '=', applicationId)
        .executeTakeFirst();
      return row === undefined ? null : forwardingFromRow(row);
    },

    async countForwardingByStatus() {
      const rows = await db
        .selectFrom('ca_forwarding')
        .select(['status', (eb) => eb.fn.countAll<number | string | bigint>().as('count')])
        .groupBy('status')
        .execute();
      return Object.fromEntries(rows.map((row) => [toForwardingStatus(row.status), Number(row.count)]));
    },
  };
}

async function claimSubmissions(
  trx: Transaction<StoreDatabase>,
  kind: StoreKind,
  claim: ForwardingClaim,
): Promise<{ applicationId: string; attempts: number }[]> {
  const candidates = trx
    .selectFrom('applications as a')
    .innerJoin('application_decisions as d', 'd.application_id', 'a.id')
    .innerJoin('application_releases as r', 'r.application_id', 'a.id')
    .leftJoin('ca_forwarding as f', 'f.application_id', 'a.id')
    .where('a.state', '=', 'received')
    .where('d.decision', '=', 'approved')
    // Pasal 10: nothing goes to the CA before the applicant proved the official e-mail.
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('email_confirmations as c')
          .select('c.application_id')
          .whereRef('c.application_id', '=', 'a.id')
          .where(sql<boolean>`c.email = lower(a.email)`),
      ),
    )
    .where((eb) =>
      eb.or([
        eb('f.application_id', 'is', null),
        eb.and([eb('f.status', '=', 'retry'), eb('f.next_attempt_at', '<=', claim.at)]),
        eb.and([eb('f.status', '=', 'claimed'), eb('f.claim_expires_at', '<=', claim.at)]),
      ]),
    )
    // Released first, first served.
    .orderBy('r.released_at')
    .orderBy('a.id')
    .limit(claim.limit);
  const hold = {
    status: 'claimed',
    claim_token: claim.token,
    claim_expires_at: claim.leaseUntil,
    updated_at: claim.at,
  } as const;
  // The upsert's guard is evaluated on the newest committed row: a hold another worker took after
  // this statement's snapshot is never taken again.
  const upsert = trx.insertInto('ca_forwarding').onConflict((oc) =>
    oc
      .column('application_id')
      .doUpdateSet({ ...hold, attempts: sql<number>`ca_forwarding.attempts + 1` })
      .where((eb) =>
        eb.or([
          eb.and([
            eb('ca_forwarding.status', '=', 'retry'),
            eb('ca_forwarding.next_attempt_at', '<=', claim.at),
          ]),
          eb.and([
            eb('ca_forwarding.status', '=', 'claimed'),
            eb('ca_forwarding.claim_expires_at', '<=', claim.at),
          ]),
        ]),
      ),
  );
  let rows: { application_id: string; attempts: number }[];
  if (kind === 'postgres') {
    // A row another worker claimed and committed while this SELECT ran is locked here after all
    // (PostgreSQL re-checks only the locked table, not the joined claim), and the upsert's guard
    // then refuses it. When every row went that way, look again: each SELECT sees the newest claims.
    rows = [];
    for (let look = 0; look < 5 && rows.length === 0; look++) {
      const ids = await candidates.select('a.id').forUpdate('a').skipLocked().execute();
      if (ids.length === 0) return [];
      rows = await upsert
        .values(ids.map(({ id }) => ({ application_id: id, ...hold, attempts: 1 })))
        .returning(['application_id', 'attempts'])
        .execute();
    }
  } else {
    // One INSERT … SELECT: the first statement writes, so the transaction holds SQLite's write
    // lock before it reads the candidates.
    rows = await upsert
      .columns(['application_id', 'status', 'claim_token', 'claim_expires_at', 'updated_at', 'attempts'])
      .expression(
        candidates.select([
          'a.id',
          sql<string>`${hold.status}`.as('status'),
          sql<string>`${hold.claim_token}`.as('claim_token'),
          sql<string>`${hold.claim_expires_at}`.as('claim_expires_at'),
          sql<string>`${hold.updated_at}`.as('updated_at'),
          sql<number>`1`.as('attempts'),
        ]),
      )
      .returning(['application_id', 'attempts'])
      .execute();
  }
  return rows
    .map((row) => ({ applicationId: row.application_id, attempts: Number(row.attempts) }))
    .sort((a, b) => a.applicationId.localeCompare(b.applicationId));
}

/** Ends the hold if `token` still has it; false when another worker took the application over. */
async function release(
  trx: Transaction<StoreDatabase>,
  token: string,
  applicationId: string,
  from: ForwardingStatus,
  changes: UpdateObject<StoreDatabase, 'ca_forwarding'>,
  at: string,
): Promise<boolean> {
  const row = await trx
    .updateTable('ca_forwarding')
    .set({ ...changes, claim_token: null, claim_expires_at: null, updated_at: at })
    .where('application_id', '=', applicationId)
    .where('claim_token', '=', token)
    .where('status', '=', from)
    .returning('application_id')
    .executeTakeFirst();
  return row !== undefined;
}

async function settleSubmission(
  trx: Transaction<StoreDatabase>,
  applyOutcome: ApplyOutcome,
  token: string,
  settlement: SubmissionSettlement,
  at: string,
): Promise<boolean> {
  const id = settlement.applicationId;
  switch (settlement.outcome) {
    case 'accepted': {
      const held = await release(
        trx,
        token,
        id,
        'claimed',
        {
          status: 'submitted',
          ca_reference: settlement.caReference,
          submitted_at: at,
          next_poll_at: at,
          poll_attempts: 0,
          last_error: null,
        },
        at,
      );
      if (!held) return false;
      const moved = await applyOutcome(
        trx,
        id,
        { state: 'sent-to-ca' },
        { at, actor: FORWARDER_ACTOR, detail: { caReference: settlement.caReference } },
      );
      // An administrator recorded the CA's answer by hand meanwhile: nothing left to ask the CA.
      if (moved.status === 'illegal') {
        await trx
          .updateTable('ca_forwarding')
          .set({ status: 'done', updated_at: at })
          .where('application_id', '=', id)
          .execute();
      }
      return true;
    }
    case 'refused': {
      const held = await release(
        trx,
        token,
        id,
        'claimed',
        { status: 'done', last_error: settlement.reason },
        at,
      );
      if (!held) return false;
      await applyOutcome(
        trx,
        id,
        { state: 'ca-rejected', reason: settlement.reason },
        { at, actor: CA_ACTOR },
      );
      return true;
    }
    case 'retry':
      return release(
        trx,
        token,
        id,
        'claimed',
        { status: 'retry', next_attempt_at: settlement.nextAttemptAt, last_error: settlement.error },
        at,
      );
  }
}

async function settlePoll(
  trx: Transaction<StoreDatabase>,
  applyOutcome: ApplyOutcome,
  token: string,
  settlement: PollSettlement,
  at: string,
  sealed: ReadonlyMap<PollSettlement, SealedCertificate>,
): Promise<boolean> {
  const id = settlement.applicationId;
  switch (settlement.outcome) {
    case 'pending':
      return release(
        trx,
        token,
        id,
        'submitted',
        {
          next_poll_at: settlement.nextPollAt,
          poll_attempts: sql<number>`ca_forwarding.poll_attempts + 1`,
        },
        at,
      );
    case 'issued': {
      const certificate = sealed.get(settlement);
      if (certificate === undefined) throw new Error(`the certificate of ${id} was not sealed`);
      if (!(await release(trx, token, id, 'submitted', { status: 'done', last_error: null }, at)))
        return false;
      await applyOutcome(
        trx,
        id,
        {
          state: 'issued',
          certificate,
          notAfter: settlement.notAfter,
          serialNumberHex: settlement.serialNumberHex,
        },
        {
          at,
          actor: CA_ACTOR,
          detail: { serialNumberHex: settlement.serialNumberHex, notAfter: settlement.notAfter },
        },
      );
      return true;
    }
    case 'rejected': {
      if (
        !(await release(trx, token, id, 'submitted', { status: 'done', last_error: settlement.reason }, at))
      ) {
        return false;
      }
      await applyOutcome(
        trx,
        id,
        { state: 'ca-rejected', reason: settlement.reason },
        { at, actor: CA_ACTOR },
      );
      return true;
    }
    case 'attention':
      return release(trx, token, id, 'submitted', { status: 'attention', last_error: settlement.error }, at);
  }
}

function forwardingFromRow(row: Selectable<CaForwardingTable>): Forwarding {
  return {
    applicationId: row.application_id,
    status: toForwardingStatus(row.status),
    attempts: Number(row.attempts),
    caReference: row.ca_reference ?? null,
    submittedAt: row.submitted_at ?? null,
    pollAttempts: Number(row.poll_attempts),
    nextAttemptAt: row.next_attempt_at ?? null,
    nextPollAt: row.next_poll_at ?? null,
    lastError: row.last_error ?? null,
  };
}

function toForwardingStatus(value: string): ForwardingStatus {
  const known = FORWARDING_STATUSES.find((status) => status === value);
  if (known === undefined) throw new Error(`stored forwarding row has an unknown status: ${value}`);
  return known;
}
