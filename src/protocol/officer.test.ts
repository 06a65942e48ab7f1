import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeWireRecord } from '../../tests/support/wire-records';
import {
  applicationHash,
  type DecisionPayload,
  decisionPayloadSchema,
  importNikHashKey,
  nikHash,
  signStatement,
  verifyStatement,
} from './officer';
import { P256_KEY_ALGORITHM } from './statement';
import type { FramedRecord } from './sync';

/** A record as a binary batch carries it: the picture by length and digest. */
async function framedRecord(): Promise<FramedRecord> {
  const { ektpImage, ...rest } = await makeWireRecord();
  const bytes = Buffer.from(ektpImage.dataBase64, 'base64');
  return {
    ...rest,
    ektpImage: {
      mediaType: ektpImage.mediaType,
      byteLength: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    },
  };
}

function decision(overrides: Partial<DecisionPayload> = {}): DecisionPayload {
  return {
    v: 1,
    type: 'decision',
    applicationId: '0b6f4a52-6d0e-4c59-9a3e-5a8f3c1d2e7b',
    applicationHash: 'a'.repeat(64),
    decision: 'approved',
    reasons: [],
    note: '',
    checklist: ['identity-matches'],
    officerId: '2f9c1e7a-3b4d-4e5f-8a6b-7c8d9e0f1a2b',
    keyId: '3a8b2c1d-4e5f-4a6b-9c7d-8e9f0a1b2c3d',
    kioskId: '6f1d2c3b-4a59-4e68-9d7c-8b0a1f2e3d4c',
    decidedAt: '2026-11-26T09:30:00.000+07:00',
    ...overrides,
  };
}

describe('applicationHash', () => {
  it('ignores the decision and the order of keys, and changes with any field', async () => {
    const record = await framedRecord();
    const hash = await applicationHash(record);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const reordered = Object.fromEntries(Object.entries(record).reverse()) as typeof record;
    expect(await applicationHash(reordered)).toBe(hash);
    const decided = { ...record, decision: { payload: '{}', signature: 'x'.repeat(86) } };
    expect(await applicationHash(decided)).toBe(hash);
    const changed = { ...record, applicant: { ...record.applicant, email: 'lain@madiunkota.go.id' } };
    expect(await applicationHash(changed)).not.toBe(hash);
    const otherPicture = { ...record, ektpImage: { ...record.ektpImage, sha256: 'b'.repeat(64) } };
    expect(await applicationHash(otherPicture)).not.toBe(hash);
  });
});

describe('signed statements', () => {
  it('verify with the signing key only, and only over the exact text', async () => {
    const keys = await crypto.subtle.generateKey(P256_KEY_ALGORITHM, false, ['sign', 'verify']);
    const other = await crypto.subtle.generateKey(P256_KEY_ALGORITHM, false, ['sign', 'verify']);
    const statement = await signStatement(keys.privateKey, JSON.stringify(decision()));
    expect(await verifyStatement(keys.publicKey, statement)).toBe(true);
    expect(await verifyStatement(other.publicKey, statement)).toBe(false);
    const tampered = statement.payload.replace('"approved"', '"rejected"');
    expect(await verifyStatement(keys.publicKey, { ...statement, payload: tampered })).toBe(false);
    // The same content with another spacing is another statement.
    const respaced = JSON.stringify(JSON.parse(statement.payload), null, 1);
    expect(await verifyStatement(keys.publicKey, { ...statement, payload: respaced })).toBe(false);
    expect(await verifyStatement(keys.publicKey, { ...statement, signature: 'A'.repeat(86) })).toBe(false);
  });
});

describe('decisionPayloadSchema', () => {
  it('wants a reason for a rejection and none for an approval', () => {
    expect(decisionPayloadSchema.safeParse(decision()).success).toBe(true);
    expect(decisionPayloadSchema.safeParse(decision({ decision: 'rejected' })).success).toBe(false);
    expect(
      decisionPayloadSchema.safeParse(decision({ decision: 'rejected', reasons: ['photo-mismatch'] }))
        .success,
    ).toBe(true);
    expect(decisionPayloadSchema.safeParse(decision({ reasons: ['photo-mismatch'] })).success).toBe(false);
    expect(decisionPayloadSchema.safeParse(decision({ note: 'x'.repeat(501) })).success).toBe(false);
  });
});

describe('nikHash', () => {
  it('is the same NIK under the same key, and another under another key', async () => {
    const key = await importNikHashKey(btoa(String.fromCharCode(...new Uint8Array(32).fill(7))));
    const other = await importNikHashKey(btoa(String.fromCharCode(...new Uint8Array(32).fill(8))));
    const hash = await nikHash(key, '3577014501900001');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await nikHash(key, '3577014501900001')).toBe(hash);
    expect(await nikHash(key, '3577014501900002')).not.toBe(hash);
    expect(await nikHash(other, '3577014501900001')).not.toBe(hash);
  });
});
