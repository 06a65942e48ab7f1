/**
 * The store's side of the e-mail confirmation (Pasal 10; sync-server/src/domain/email-confirmation.ts):
 * one row per application for its latest confirmation mail, and one per address proven. Every
 * change to an application's mail starts with a write on its row: on PostgreSQL that is the row's
 * lock, on SQLite the database's write lock, so a second process waits and then sees what the first
 * did. A code is thereby used once and every wrong one is counted, whoever races.
 */
import { timingSafeEqual } from 'node:crypto';
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { normaliseEmail } from '../../../src/protocol/email';
import type { StoreDatabase } from './kysely-store';
import { serverSecret } from './server-secrets';
import type { EmailChallengeSnapshot, EmailConfirmation, EmailReservationOutcome, Store } from './store';

export interface EmailChallengesTable {
  application_id: string;
  email: string;
  code_hash: string | null;
  token_hash: string | null;
  sent_at: string | null;
  expires_at: string | null;
  wrong_attempts: number;
  code_mails: number;
  link_mails: number;
  next_mail_at: string | null;
  requested_by: string | null;
  used_at: string | null;
}

export interface EmailConfirmationsTable {
  application_id: string;
  email: string;
  confirmed_at: string;
  via: string;
}

type EmailMethods = Pick<
  Store,
  | 'emailCodeKey'
  | 'reserveEmailMail'
  | 'cancelEmailMail'
  | 'verifyEmailCode'
  | 'confirmEmailLink'
  | 'recordEmailConfirmation'
  | 'getEmailConfirmation'
  | 'emailsAwaitingMail'
>;

type Executor = Kysely<StoreDatabase> | Transaction<StoreDatabase>;
type ChallengeRow = Selectable<EmailChallengesTable>;

const EMAIL_CODE_KEY_NAME = 'email-code-key';
const CONFIRMED_EVENT = 'email-confirmed';

export function createEmailMethods(db: Kysely<StoreDatabase>): EmailMethods {
  const codeKey = serverSecret(db, EMAIL_CODE_KEY_NAME);

  return {
    emailCodeKey: codeKey,

    reserveEmailMail(r) {
      return db.transaction().execute(async (trx): Promise<EmailReservationOutcome> => {
        // A row to lock, for an application never mailed; it changes nothing for the others.
        await trx
          .insertInto('email_challenges')
          .values({
            application_id: r.applicationId,
            email: r.email,
            wrong_attempts: 0,
            code_mails: 0,
            link_mails: 0,
          })
          .onConflict((oc) => oc.column('application_id').doNothing())
          .execute();
        const row = await lockChallenge(trx, 'application_id', r.applicationId);
        if (row === undefined) throw new Error('the e-mail challenge row vanished inside its transaction');
        const confirmed = await confirmationOf(trx, r.applicationId, r.email);
        if (confirmed !== undefined)
          return { status: 'already-confirmed', confirmedAt: confirmed.confirmed_at };
        const at = Date.parse(r.at);
        const codeMails = Number(row.code_mails);
        const linkMails = Number(row.link_mails);
        let mailsLeft: number;
        if (r.kind === 'code') {
          if (codeMails >= r.limits.maxCodeMails) return { status: 'limit-reached' };
          const last = row.sent_at === null ? null : Date.parse(row.sent_at);
          if (last !== null && at - last < r.limits.minIntervalMs) {
            return { status: 'too-soon', retryAt: new Date(last + r.limits.minIntervalMs).toISOString() };
          }
          mailsLeft = r.limits.maxCodeMails - codeMails - 1;
        } else {
          if (linkMails >= r.limits.maxLinkMails) return { status: 'limit-reached' };
          if (row.next_mail_at !== null && Date.parse(row.next_mail_at) > at) return { status: 'not-due' };
          mailsLeft = r.limits.maxLinkMails - linkMails - 1;
        }
        await trx
          .updateTable('email_challenges')
          .set({
            email: r.email,
            code_hash: r.codeHash,
            token_hash: r.tokenHash,
            sent_at: r.at,
            expires_at: r.expiresAt,
            wrong_attempts: 0,
            // No automatic link mail while this mail's link still works.
            next_mail_at: r.expiresAt,
            requested_by: r.requestedBy,
            used_at: null,
            ...(r.kind === 'code' ? { code_mails: codeMails + 1 } : { link_mails: linkMails + 1 }),
          })
          .where('application_id', '=', r.applicationId)
          .execute();
        return { status: 'reserved', mailsLeft, previous: snapshotOf(row) };
      });
    },

    async cancelEmailMail(c) {
      const previous = c.previous;
      await db
        .updateTable('email_challenges')
        .set((eb) => ({
          ...(previous === null
            ? { code_hash: null, token_hash: null, sent_at: null, expires_at: null, used_at: null }
            : {
                email: previous.email,
                code_hash: previous.codeHash,
                token_hash: previous.tokenHash,
                sent_at: previous.sentAt,
                expires_at: previous.expiresAt,
                wrong_attempts: previous.wrongAttempts,
                requested_by: previous.requestedBy,
                used_at: previous.usedAt,
              }),
          next_mail_at: c.retryAt ?? previous?.nextMailAt ?? null,
          ...(c.kind === 'code'
            ? { code_mails: eb('code_mails', '-', 1) }
            : { link_mails: eb('link_mails', '-', 1) }),
        }))
        .where('application_id', '=', c.applicationId)
        // Only this reservation's: a newer one that replaced it stays.
        .where('token_hash', '=', c.tokenHash)
        .execute();
    },

    verifyEmailCode(a) {
      return db.transaction().execute(async (trx) => {
        const row = await lockChallenge(trx, 'application_id', a.applicationId);
        const confirmed = await confirmationOf(trx, a.applicationId, a.email);
        if (confirmed !== undefined)
          return { status: 'confirmed', confirmedAt: confirmed.confirmed_at } as const;
        if (row === undefined || row.code_hash === null || row.email !== a.email || row.used_at !== null) {
          return { status: 'no-code' } as const;
        }
        if (Number(row.wrong_attempts) >= a.maxWrongCodes) return { status: 'locked' } as const;
        if (row.expires_at === null || Date.parse(row.expires_at) <= Date.parse(a.at)) {
          return { status: 'expired' } as const;
        }
        if (!sameHash(row.code_hash, a.codeHash)) {
          const counted = await trx
            .updateTable('email_challenges')
            .set((eb) => ({ wrong_attempts: eb('wrong_attempts', '+', 1) }))
            .where('application_id', '=', a.applicationId)
            .returning('wrong_attempts')
            .executeTakeFirstOrThrow();
          return {
            status: 'wrong-code',
            attemptsLeft: Math.max(0, a.maxWrongCodes - Number(counted.wrong_attempts)),
          } as const;
        }
        await trx
          .updateTable('email_challenges')
          .set({ used_at: a.at })
          .where('application_id', '=', a.applicationId)
          .execute();
        const confirmation = await insertConfirmation(trx, {
          applicationId: a.applicationId,
          email: a.email,
          confirmedAt: a.at,
          via: 'code',
          actor: a.actor,
        });
        return { status: 'confirmed', confirmedAt: confirmation.confirmedAt } as const;
      });
    },

    confirmEmailLink(tokenHash, at) {
      return db.transaction().execute(async (trx) => {
        const row = await lockChallenge(trx, 'token_hash', tokenHash);
        if (row === undefined) return { status: 'invalid' } as const;
        const applicationId = row.application_id;
        const confirmed = await confirmationOf(trx, applicationId, row.email);
        if (confirmed !== undefined) {
          return { status: 'confirmed', applicationId, confirmedAt: confirmed.confirmed_at } as const;
        }
        if (row.expires_at === null || Date.parse(row.expires_at) <= Date.parse(at)) {
          return { status: 'expired', applicationId } as const;
        }
        await trx
          .updateTable('email_challenges')
          .set({ used_at: at })
          .where('application_id', '=', applicationId)
          .execute();
        const confirmation = await insertConfirmation(trx, {
          applicationId,
          email: row.email,
          confirmedAt: at,
          via: 'link',
          actor: 'email-link',
        });
        return { status: 'confirmed', applicationId, confirmedAt: confirmation.confirmedAt } as const;
      });
    },

    recordEmailConfirmation(confirmation) {
      return db
        .transaction()
        .execute((trx) =>
          insertConfirmation(trx, { ...confirmation, email: normaliseEmail(confirmation.email) }),
        );
    },

    async getEmailConfirmation(applicationId, email) {
      const row = await confirmationOf(db, applicationId, normaliseEmail(email));
      return row === undefined ? null : confirmationFromRow(row);
    },

    async emailsAwaitingMail(query) {
      const rows = await db
        .selectFrom('applications as a')
        .innerJoin('application_decisions as d', 'd.application_id', 'a.id')
        .leftJoin('email_confirmations as c', (join) =>
          join.onRef('c.application_id', '=', 'a.id').on(sql<boolean>`c.email = lower(a.email)`),
        )
        .leftJoin('email_challenges as m', 'm.application_id', 'a.id')
        .select(['a.id', 'a.email'])
        .where('a.state', '=', 'received')
        // Its address was deleted after retention (sealed archive, issue 8).
        .where('a.purged_at', 'is', null)
        // A rejected application goes nowhere: its applicant is not asked for anything.
        .where('d.decision', '=', 'approved')
        .where('c.application_id', 'is', null)
        .where((eb) =>
          eb.or([
            eb('m.application_id', 'is', null),
            eb.and([
              eb.or([eb('m.next_mail_at', 'is', null), eb('m.next_mail_at', '<=', query.at)]),
              eb('m.link_mails', '<', query.maxLinkMails),
            ]),
          ]),
        )
        .orderBy('a.received_at')
        .orderBy('a.id')
        .limit(query.limit)
        .execute();
      return rows.map((row) => ({ applicationId: row.id, email: normaliseEmail(row.email) }));
    },
  };
}

/**
 * The row, locked for the rest of the transaction: a write that changes nothing (PostgreSQL's row
 * lock; SQLite's write lock from the first statement on).
 */
function lockChallenge(
  trx: Transaction<StoreDatabase>,
  column: 'application_id' | 'token_hash',
  value: string,
): Promise<ChallengeRow | undefined> {
  return trx
    .updateTable('email_challenges')
    .set((eb) => ({ wrong_attempts: eb.ref('wrong_attempts') }))
    .where(column, '=', value)
    .returningAll()
    .executeTakeFirst();
}

function confirmationOf(executor: Executor, applicationId: string, email: string) {
  return executor
    .selectFrom('email_confirmations')
    .selectAll()
    .where('application_id', '=', applicationId)
    .where('email', '=', email)
    .executeTakeFirst();
}

/** The first confirmation stays; the event is written only with it. */
async function insertConfirmation(
  trx: Transaction<StoreDatabase>,
  c: EmailConfirmation & { actor: string },
): Promise<EmailConfirmation> {
  const inserted = await trx
    .insertInto('email_confirmations')
    .values({ application_id: c.applicationId, email: c.email, confirmed_at: c.confirmedAt, via: c.via })
    .onConflict((oc) => oc.columns(['application_id', 'email']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted !== undefined) {
    await trx
      .insertInto('application_events')
      .values({
        application_id: c.applicationId,
        at: c.confirmedAt,
        event: CONFIRMED_EVENT,
        actor: c.actor,
        // How, never the address.
        detail: JSON.stringify({ via: c.via }),
      })
      .execute();
    return confirmationFromRow(inserted);
  }
  return confirmationFromRow(await confirmationOf(trx, c.applicationId, c.email).then(must));
}

function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('a confirmation that refused an insert must be readable');
  return value;
}

function confirmationFromRow(row: Selectable<EmailConfirmationsTable>): EmailConfirmation {
  return { applicationId: row.application_id, email: row.email, confirmedAt: row.confirmed_at, via: row.via };
}

function snapshotOf(row: ChallengeRow): EmailChallengeSnapshot {
  return {
    email: row.email,
    codeHash: row.code_hash ?? null,
    tokenHash: row.token_hash ?? null,
    sentAt: row.sent_at ?? null,
    expiresAt: row.expires_at ?? null,
    wrongAttempts: Number(row.wrong_attempts),
    nextMailAt: row.next_mail_at ?? null,
    usedAt: row.used_at ?? null,
    requestedBy: row.requested_by ?? null,
  };
}

/** Hex digests compared in constant time. */
function sameHash(stored: string, offered: string): boolean {
  const a = Buffer.from(stored, 'utf8');
  const b = Buffer.from(offered, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
