import { describe, expect, it } from 'vitest';
import { decisionStatement, makeSummary } from '../../../tests/support/outbox-summaries';
import type { OutboxLifecycleState } from '../../core/outbox/lifecycle';
import { type ClearOutboxSummary, NEW_HANDOVER } from '../ports';
import { type EmailStatus, maskName, statusDetails } from './status-details';

const ID = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d'; // SK-M6SC-7N75-YSQ
const DECIDED: OutboxLifecycleState[] = ['captured', 'decided', 'queued'];

describe('maskName', () => {
  it.each([
    ['SITI RAHAYU', 'S*** R*****'],
    ['  Bambang   Sutrisno ', 'B****** S*******'],
    ['A', 'A'],
    ['ÉMILE', 'É****'],
    ['', ''],
  ])('%j → %j', (nama, masked) => {
    expect(maskName(nama)).toBe(masked);
  });
});

describe('statusDetails', () => {
  it('says what the page shows of a held application, and never the NIK or the e-mail', () => {
    const item = makeSummary({ id: ID, createdAt: '2026-11-26T02:00:00.000Z', certificateType: 'jabatan' });
    const details = statusDetails(item);
    expect(details).toEqual({
      number: 'SK-M6SC-7N75-YSQ',
      stage: 'held',
      certificateType: 'jabatan',
      perangkatDaerah: 'Dinas Komunikasi dan Informatika',
      maskedName: 'S*** R*****',
      submittedAt: '2026-11-26T02:00:00.000Z',
      officerRejection: null,
      caReason: null,
      handedOverAt: null,
      email: null,
    });
    const shown = JSON.stringify(details);
    expect(shown).not.toContain(item.record.applicant.nik);
    expect(shown).not.toContain(item.record.applicant.email);
    expect(shown).not.toContain('SITI');
  });

  it("gives the officer's reasons and note for a rejection (Pasal 11 ayat 3)", () => {
    const item = makeSummary({
      states: DECIDED,
      decision: decisionStatement('rejected', {
        reasons: ['dokumen-tidak-terbaca', 'lainnya'],
        note: 'Foto e-KTP buram.',
      }),
    });
    expect(statusDetails(item)).toMatchObject({
      stage: 'rejected',
      officerRejection: { reasons: ['dokumen-tidak-terbaca', 'lainnya'], note: 'Foto e-KTP buram.' },
    });
  });

  it('gives no reasons for an approval', () => {
    const item = makeSummary({ states: DECIDED, decision: decisionStatement('approved') });
    expect(statusDetails(item)).toMatchObject({ stage: 'approved', officerRejection: null });
  });

  it("keeps the officer's reasons when the server refused the record afterwards", () => {
    const item = makeSummary({
      states: [...DECIDED, 'rejected'],
      decision: decisionStatement('rejected', { reasons: ['lainnya'], note: 'Data tidak sesuai.' }),
      overrides: {
        rejection: { code: 'invalid-decision', message: 'the decision signature does not verify' },
      },
    });
    expect(statusDetails(item)).toMatchObject({
      stage: 'refused-by-server',
      officerRejection: { reasons: ['lainnya'], note: 'Data tidak sesuai.' },
    });
  });

  it("gives the CA's reason for its rejection", () => {
    const item = makeSummary({
      states: [...DECIDED, 'synced', 'ca-rejected'],
      decision: decisionStatement('approved'),
      overrides: {
        serverStatus: {
          id: ID,
          state: 'ca-rejected',
          changedAt: '2026-11-27T02:00:00.000Z',
          certificatePem: null,
          reason: 'NIK tidak ditemukan di Dukcapil',
        },
      },
    });
    expect(statusDetails(item)).toMatchObject({
      stage: 'ca-rejected',
      caReason: 'NIK tidak ditemukan di Dukcapil',
    });
  });

  it('gives the handover date from the handover state, else from the history', () => {
    const states: OutboxLifecycleState[] = [...DECIDED, 'synced', 'issued', 'handed-over'];
    const fromState = makeSummary({
      states,
      decision: decisionStatement('approved'),
      overrides: { handover: { ...NEW_HANDOVER, handedOverAt: '2026-12-01T03:00:00.000Z' } },
    });
    const fromHistory = makeSummary({
      states,
      createdAt: '2026-11-26T02:00:00.000Z',
      decision: decisionStatement('approved'),
    });
    expect(statusDetails(fromState)).toMatchObject({
      stage: 'handed-over',
      handedOverAt: '2026-12-01T03:00:00.000Z',
    });
    expect(statusDetails(fromHistory).handedOverAt).toBe('2026-11-26T02:00:00.000Z');
  });

  describe('the official e-mail (Pasal 10)', () => {
    const SYNCED: OutboxLifecycleState[] = [...DECIDED, 'synced'];
    const received = (emailConfirmed?: boolean) => ({
      serverStatus: {
        id: ID,
        state: 'received' as const,
        changedAt: '2026-11-26T03:00:00.000Z',
        certificatePem: null,
        reason: null,
        ...(emailConfirmed === undefined ? {} : { emailConfirmed }),
      },
    });
    const confirmedAtCounter = {
      emailConfirmation: { email: 'siti@madiunkota.go.id', confirmedAt: '2026-11-26T02:05:00.000Z' },
    };

    it.each<
      [string, OutboxLifecycleState[], 'approved' | 'rejected', Partial<ClearOutboxSummary>, EmailStatus]
    >([
      [
        'confirmed with the code at the counter',
        DECIDED,
        'approved',
        confirmedAtCounter,
        'confirmed-at-counter',
      ],
      [
        'confirmed at the counter, whatever the server said before',
        SYNCED,
        'approved',
        { ...confirmedAtCounter, ...received(false) },
        'confirmed-at-counter',
      ],
      ['confirmed by the link, as the server says', SYNCED, 'approved', received(true), 'confirmed'],
      ['approved and held by the server for it alone', SYNCED, 'approved', received(false), 'waiting'],
      ['rejected: it waits for nothing', SYNCED, 'rejected', received(false), null],
      ['an older server that does not say', SYNCED, 'approved', received(), null],
      ['not at the server yet', DECIDED, 'approved', {}, null],
    ])('%s → %s', (_what, states, decision, overrides, email) => {
      const item = makeSummary({ id: ID, states, decision: decisionStatement(decision), overrides });
      expect(statusDetails(item).email).toBe(email);
      expect(JSON.stringify(statusDetails(item))).not.toContain('siti@');
    });
  });
});
