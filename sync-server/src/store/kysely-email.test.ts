/**
 * The store's side of the e-mail confirmation (Pasal 10), on SQLite and on PostgreSQL: limits kept
 * under races, wrong codes counted atomically, a code used once, links, and the sweep's work list.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, inject, test } from 'vitest';
import { EMAIL_LIMITS } from '../../../src/protocol/email';
import { makeApplication } from '../../../tests/support/applications';
import { type StoreTarget, seedApproved, storeTargets } from '../../../tests/support/forwarding-fixtures';
import type { EmailMailReservation, Store } from './store';

const START = Date.parse('2026-11-26T03:00:00.000Z');
const MINUTE = 60_000;
const at = (ms: number) => new Date(START + ms).toISOString();
const LIMITS = {
  minIntervalMs: EMAIL_LIMITS.resendIntervalMs,
  maxCodeMails: EMAIL_LIMITS.maxCodeMails,
  maxLinkMails: EMAIL_LIMITS.maxLinkMails,
};
const EMAIL = 'siti.rahayu@madiunkota.go.id';

function reservation(overrides: Partial<EmailMailReservation> = {}): EmailMailReservation {
  return {
    kind: 'code',
    applicationId: randomUUID(),
    email: EMAIL,
    codeHash: `code-${randomUUID()}`,
    tokenHash: `token-${randomUUID()}`,
    at: at(0),
    expiresAt: at(30 * MINUTE),
    requestedBy: 'kiosk:k1',
    limits: LIMITS,
    ...overrides,
  };
}

const attempt = (applicationId: string, codeHash: string, when = at(MINUTE)) => ({
  applicationId,
  email: EMAIL,
  codeHash,
  at: when,
  maxWrongCodes: EMAIL_LIMITS.maxWrongCodes,
  actor: 'kiosk:k1',
});

const postgresUrl = inject('databaseUrl');

describe.each(storeTargets(postgresUrl))('e-mail confirmation in the store ($kind)', ({ kind, create }) => {
  let target: StoreTarget;
  let store: Store;

  beforeEach(async () => {
    target = await create();
    store = await target.open();
  });
  afterEach(async () => {
    await store.close();
    await target.dispose();
  });

  /** A second connection of its own on PostgreSQL; SQLite is one process's database. */
  const second = async () => (kind === 'postgres' ? target.open() : store);
  const closeSecond = async (other: Store) => {
    if (other !== store) await other.close();
  };

  test('code mails: one a minute, five an application, none for an address already confirmed', async () => {
    const first = reservation();
    const { applicationId } = first;
    expect(await store.reserveEmailMail(first)).toMatchObject({ status: 'reserved', mailsLeft: 4 });
    expect(await store.reserveEmailMail(reservation({ applicationId, at: at(59_999) }))).toEqual({
      status: 'too-soon',
      retryAt: at(MINUTE),
    });
    for (let n = 1; n < 5; n++) {
      expect(await store.reserveEmailMail(reservation({ applicationId, at: at(n * MINUTE) }))).toMatchObject({
        status: 'reserved',
        mailsLeft: 4 - n,
      });
    }
    expect(await store.reserveEmailMail(reservation({ applicationId, at: at(60 * MINUTE) }))).toEqual({
      status: 'limit-reached',
    });
    // Another address of the same application counts against the same five.
    expect(
      await store.reserveEmailMail(
        reservation({ applicationId, email: 'lain@madiunkota.go.id', at: at(61 * MINUTE) }),
      ),
    ).toEqual({ status: 'limit-reached' });

    const confirmed = reservation();
    await store.recordEmailConfirmation({
      applicationId: confirmed.applicationId,
      email: 'SITI.Rahayu@madiunkota.go.id',
      confirmedAt: at(0),
      via: 'code',
      actor: 'test',
    });
    expect(await store.reserveEmailMail(confirmed)).toEqual({
      status: 'already-confirmed',
      confirmedAt: at(0),
    });
  });

  test('two processes asking for a code at once: one mail is reserved', async () => {
    const other = await second();
    try {
      const applicationId = randomUUID();
      const outcomes = await Promise.all(
        Array.from({ length: 6 }, (_, n) =>
          (n % 2 === 0 ? store : other).reserveEmailMail(reservation({ applicationId })),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'reserved')).toHaveLength(1);
      expect(outcomes.filter((o) => o.status === 'too-soon')).toHaveLength(5);
    } finally {
      await closeSecond(other);
    }
  });

  test('wrong codes are counted atomically: of eight at once five are wrong, the rest find the code dead; then the right one is refused too', async () => {
    const r = reservation();
    await store.reserveEmailMail(r);
    const other = await second();
    try {
      const outcomes = await Promise.all(
        Array.from({ length: 8 }, (_, n) =>
          (n % 2 === 0 ? store : other).verifyEmailCode(attempt(r.applicationId, `wrong-${n}`)),
        ),
      );
      const wrong = outcomes.flatMap((o) => (o.status === 'wrong-code' ? [o.attemptsLeft] : []));
      expect(wrong.sort()).toEqual([0, 1, 2, 3, 4]);
      expect(outcomes.filter((o) => o.status === 'locked')).toHaveLength(3);
    } finally {
      await closeSecond(other);
    }
    expect(await store.verifyEmailCode(attempt(r.applicationId, r.codeHash ?? ''))).toEqual({
      status: 'locked',
    });
    expect(await store.getEmailConfirmation(r.applicationId, EMAIL)).toBeNull();

    // A new code (a minute later) starts a fresh count.
    const again = reservation({
      applicationId: r.applicationId,
      at: at(2 * MINUTE),
      expiresAt: at(32 * MINUTE),
    });
    expect(await store.reserveEmailMail(again)).toMatchObject({ status: 'reserved' });
    expect(await store.verifyEmailCode(attempt(r.applicationId, 'wrong', at(3 * MINUTE)))).toEqual({
      status: 'wrong-code',
      attemptsLeft: 4,
    });
    expect(
      await store.verifyEmailCode(attempt(r.applicationId, again.codeHash ?? '', at(3 * MINUTE))),
    ).toEqual({
      status: 'confirmed',
      confirmedAt: at(3 * MINUTE),
    });
  });

  test('the right code, typed in two tabs at once, confirms once: one confirmation, one event', async () => {
    const r = reservation();
    await store.reserveEmailMail(r);
    const other = await second();
    try {
      const outcomes = await Promise.all(
        Array.from({ length: 4 }, (_, n) =>
          (n % 2 === 0 ? store : other).verifyEmailCode(attempt(r.applicationId, r.codeHash ?? '')),
        ),
      );
      expect(outcomes).toEqual(Array(4).fill({ status: 'confirmed', confirmedAt: at(MINUTE) }));
    } finally {
      await closeSecond(other);
    }
    expect(await store.getEmailConfirmation(r.applicationId, 'Siti.Rahayu@MADIUNKOTA.go.id')).toEqual({
      applicationId: r.applicationId,
      email: EMAIL,
      confirmedAt: at(MINUTE),
      via: 'code',
    });
    const events = await store.listApplicationEvents(r.applicationId);
    expect(events.map((e) => [e.event, e.actor, e.detail])).toEqual([
      ['email-confirmed', 'kiosk:k1', { via: 'code' }],
    ]);
    // The event never carries the address.
    expect(JSON.stringify(events)).not.toContain('siti');
  });

  test('a code works only for its address, before its expiry, and not after a newer mail replaced it', async () => {
    const r = reservation();
    await store.reserveEmailMail(r);
    expect(
      await store.verifyEmailCode({
        ...attempt(r.applicationId, r.codeHash ?? ''),
        email: 'lain@madiunkota.go.id',
      }),
    ).toEqual({ status: 'no-code' });
    expect(await store.verifyEmailCode(attempt(randomUUID(), r.codeHash ?? ''))).toEqual({
      status: 'no-code',
    });
    expect(await store.verifyEmailCode(attempt(r.applicationId, r.codeHash ?? '', at(30 * MINUTE)))).toEqual({
      status: 'expired',
    });
    const newer = reservation({
      applicationId: r.applicationId,
      at: at(31 * MINUTE),
      expiresAt: at(61 * MINUTE),
    });
    await store.reserveEmailMail(newer);
    expect(await store.verifyEmailCode(attempt(r.applicationId, r.codeHash ?? '', at(32 * MINUTE)))).toEqual({
      status: 'wrong-code',
      attemptsLeft: 4,
    });
    expect(await store.confirmEmailLink(r.tokenHash, at(32 * MINUTE))).toEqual({ status: 'invalid' });
  });

  test('the link confirms its application’s address until it expires, and again harmlessly after', async () => {
    const live = reservation({ kind: 'link', codeHash: null, requestedBy: 'server' });
    const late = reservation({ kind: 'link', codeHash: null, requestedBy: 'server' });
    await store.reserveEmailMail(live);
    await store.reserveEmailMail(late);
    expect(await store.confirmEmailLink('no-such-token', at(MINUTE))).toEqual({ status: 'invalid' });
    expect(await store.confirmEmailLink(late.tokenHash, at(30 * MINUTE))).toEqual({
      status: 'expired',
      applicationId: late.applicationId,
    });
    expect(await store.getEmailConfirmation(late.applicationId, EMAIL)).toBeNull();
    expect(await store.confirmEmailLink(live.tokenHash, at(MINUTE))).toEqual({
      status: 'confirmed',
      applicationId: live.applicationId,
      confirmedAt: at(MINUTE),
    });
    expect(await store.confirmEmailLink(live.tokenHash, at(40 * MINUTE))).toEqual({
      status: 'confirmed',
      applicationId: live.applicationId,
      confirmedAt: at(MINUTE),
    });
    expect((await store.getEmailConfirmation(live.applicationId, EMAIL))?.via).toBe('link');
    // A link-only mail has no code to type.
    expect(await store.verifyEmailCode(attempt(late.applicationId, 'anything'))).toEqual({
      status: 'no-code',
    });
  });

  test('a mail that could not be sent is given back: the earlier code works again and the minute is not used up', async () => {
    const first = reservation();
    await store.reserveEmailMail(first);
    const failed = reservation({
      applicationId: first.applicationId,
      at: at(2 * MINUTE),
      expiresAt: at(32 * MINUTE),
    });
    const outcome = await store.reserveEmailMail(failed);
    if (outcome.status !== 'reserved') throw new Error('the second code should be reserved');
    await store.cancelEmailMail({
      kind: 'code',
      applicationId: first.applicationId,
      tokenHash: failed.tokenHash,
      previous: outcome.previous,
      retryAt: null,
    });
    expect(
      await store.reserveEmailMail(reservation({ applicationId: first.applicationId, at: at(2 * MINUTE) })),
    ).toMatchObject({ status: 'reserved', mailsLeft: 3 });
    // That one replaced the first code; a cancellation naming an older token changes nothing.
    await store.cancelEmailMail({
      kind: 'code',
      applicationId: first.applicationId,
      tokenHash: first.tokenHash,
      previous: null,
      retryAt: null,
    });
    expect(
      await store.verifyEmailCode(attempt(first.applicationId, first.codeHash ?? '', at(3 * MINUTE))),
    ).toEqual({
      status: 'wrong-code',
      attemptsLeft: 4,
    });
  });

  test('the sweep’s list: approved, arrived, unconfirmed applications, each again only when its last link expired, at most three times', async () => {
    const mailed = makeApplication({ email: 'Pegawai.Satu@madiunkota.go.id' });
    const confirmed = makeApplication({ email: 'pegawai.dua@madiunkota.go.id' });
    const waiting = makeApplication({ email: 'pegawai.tiga@madiunkota.go.id' });
    await seedApproved(store, [mailed, confirmed, waiting], {
      release: false,
      confirmEmail: false,
      receivedAt: at(0),
    });
    const rejected = makeApplication();
    await store.insertApplications(
      [
        {
          ...rejected,
          decision: {
            decision: 'rejected',
            reasons: ['lainnya'],
            officerId: 'o1',
            keyId: randomUUID(),
            decidedAt: at(0),
            payload: '{}',
            signature: 'S'.repeat(86),
          },
        },
      ],
      at(0),
    );
    const undecided = makeApplication();
    await store.insertApplications([undecided], at(0));
    await store.recordEmailConfirmation({
      applicationId: confirmed.id,
      email: 'PEGAWAI.DUA@madiunkota.go.id',
      confirmedAt: at(0),
      via: 'code',
      actor: 'test',
    });

    const list = (when: number) =>
      store.emailsAwaitingMail({ at: at(when), limit: 10, maxLinkMails: LIMITS.maxLinkMails });
    expect((await list(0)).sort((a, b) => a.applicationId.localeCompare(b.applicationId))).toEqual(
      [
        { applicationId: mailed.id, email: 'pegawai.satu@madiunkota.go.id' },
        { applicationId: waiting.id, email: 'pegawai.tiga@madiunkota.go.id' },
      ].sort((a, b) => a.applicationId.localeCompare(b.applicationId)),
    );
    expect((await list(0)).length).toBe(2);

    const linkAt = (when: number, hours = 72) =>
      reservation({
        kind: 'link',
        codeHash: null,
        applicationId: mailed.id,
        email: 'pegawai.satu@madiunkota.go.id',
        at: at(when),
        expiresAt: at(when + hours * 60 * MINUTE),
        requestedBy: 'server',
      });
    expect(await store.reserveEmailMail(linkAt(0))).toMatchObject({ status: 'reserved', mailsLeft: 2 });
    expect((await list(MINUTE)).map((d) => d.applicationId)).toEqual([waiting.id]);
    // Racing sweeps: the second finds it not due.
    expect(await store.reserveEmailMail(linkAt(MINUTE))).toEqual({ status: 'not-due' });
    const day3 = 72 * 60 * MINUTE;
    expect((await list(day3)).map((d) => d.applicationId)).toContain(mailed.id);
    expect(await store.reserveEmailMail(linkAt(day3))).toMatchObject({ status: 'reserved', mailsLeft: 1 });
    expect(await store.reserveEmailMail(linkAt(2 * day3))).toMatchObject({
      status: 'reserved',
      mailsLeft: 0,
    });
    expect((await list(3 * day3)).map((d) => d.applicationId)).not.toContain(mailed.id);
    expect(await store.reserveEmailMail(linkAt(3 * day3))).toEqual({ status: 'limit-reached' });

    // Once confirmed, off the list for good.
    await store.recordEmailConfirmation({
      applicationId: waiting.id,
      email: waiting.email,
      confirmedAt: at(2 * MINUTE),
      via: 'link',
      actor: 'email-link',
    });
    expect(await list(2 * MINUTE)).toEqual([]);
  });

  test('a confirmation is kept once, the first one; the code key is one key for every process', async () => {
    const applicationId = randomUUID();
    const first = await store.recordEmailConfirmation({
      applicationId,
      email: EMAIL,
      confirmedAt: at(0),
      via: 'code',
      actor: 'kiosk:k1',
    });
    const again = await store.recordEmailConfirmation({
      applicationId,
      email: EMAIL.toUpperCase(),
      confirmedAt: at(MINUTE),
      via: 'link',
      actor: 'email-link',
    });
    expect(again).toEqual(first);
    expect((await store.listApplicationEvents(applicationId)).map((e) => e.event)).toEqual([
      'email-confirmed',
    ]);

    const key = await store.emailCodeKey();
    expect(key).toHaveLength(32);
    const other = await target.open();
    try {
      expect(await other.emailCodeKey()).toEqual(key);
    } finally {
      await other.close();
    }
  });
});
