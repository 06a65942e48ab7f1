import { describe, expect, it } from 'vitest';
import { certificateQueryPayloadSchema, revocationPayloadSchema } from '../../protocol/lifecycle';
import { readStatementText } from '../officer/statement-text';
import { certificateQueryText, incidentText, revocationText } from './statements';

const signer = {
  officerId: '1f2e3d4c-5b6a-4978-8a1b-2c3d4e5f6a7b',
  keyId: '7e1c2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f',
  kioskId: '0f6d1c4a-2b3e-4d5f-8a9b-0c1d2e3f4a5b',
};
const revocation = {
  requestId: '5e0a4c93-7d6f-4b2c-9e3f-4a5b6c7d8e9f',
  applicationId: '3d8c2a71-5b4e-4f0a-9c1d-2e3f4a5b6c7d',
  serialNumberHex: '4A6F01',
  reason: 'keyCompromise' as const,
  lostKey: null,
  note: '',
  attachments: [],
  ...signer,
  requestedAt: '2026-11-26T09:30:00.000+07:00',
};

describe('the lifecycle statements an officer signs', () => {
  it('are JSON with the schema’s keys in order, and read back strictly', () => {
    const text = certificateQueryText({
      query: { kind: 'expiring' },
      ...signer,
      askedAt: '2026-11-26T09:30:00.000+07:00',
    });
    expect(text.ok && Object.keys(JSON.parse(text.value))).toEqual([
      'v',
      'type',
      'query',
      'officerId',
      'keyId',
      'kioskId',
      'askedAt',
    ]);
    if (!text.ok) return;
    expect(readStatementText(certificateQueryPayloadSchema, text.value).ok).toBe(true);
    const extra = JSON.stringify({ ...JSON.parse(text.value), note: 'tambahan' });
    expect(readStatementText(certificateQueryPayloadSchema, extra)).toEqual({
      ok: false,
      problem: 'invalid',
    });
  });

  it('name every problem by field, and refuse a lost key without both papers', () => {
    expect(
      revocationText({ ...revocation, serialNumberHex: '4a6f01', reason: 'unspecified' as 'superseded' }),
    ).toEqual({
      ok: false,
      problem: [
        { field: 'serialNumberHex', message: 'a certificate serial in upper-case hex' },
        { field: 'reason', message: expect.any(String) },
      ],
    });
    const lost = revocationText({ ...revocation, lostKey: 'lost' });
    expect(lost.ok).toBe(false);
    expect(!lost.ok && lost.problem.map((p) => p.field)).toEqual(['attachments']);
    const papers = ['police-report', 'owner-statement'].map((kind) => ({
      kind: kind as 'police-report',
      mediaType: 'application/pdf' as const,
      byteLength: 10,
      sha256: 'a'.repeat(64),
    }));
    const complete = revocationText({ ...revocation, lostKey: 'lost', attachments: papers });
    expect(complete.ok && readStatementText(revocationPayloadSchema, complete.value).ok).toBe(true);
  });

  it('an incident needs a description and a known type', () => {
    const incident = {
      incidentId: '6f1b5da4-8e7a-4c3d-af4a-5b6c7d8e9fa0',
      incidentType: 'authentication' as const,
      occurredAt: '2026-11-25T10:00:00.000+07:00',
      certificateSerialHex: null,
      applicationId: null,
      description: 'Gagal masuk ke aplikasi tanda tangan',
      actionsTaken: '',
      reportedTo: '',
      ...signer,
      recordedAt: '2026-11-26T09:30:00.000+07:00',
    };
    expect(incidentText(incident).ok).toBe(true);
    const bad = incidentText({ ...incident, description: ' ', incidentType: 'phishing' as 'other' });
    expect(!bad.ok && bad.problem.map((p) => p.field).sort()).toEqual(['description', 'incidentType']);
  });
});
