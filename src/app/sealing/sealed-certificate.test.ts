import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64 } from '../../core/lib/pem';
import { generateSealKeyPair, type SealRecipientKey } from '../../core/sealing/seal';
import type { ApplicationStatus } from '../../protocol/sync';
import { openIssuedCertificate, sealIssuedCertificate } from './sealed-certificate';

const ID = '0b6e3c1a-5d2f-4e8a-9b7c-1f2e3d4c5b6a';
// Stands for a certificate: the text is what is sealed, whatever it holds.
const PEM = '-----BEGIN CERTIFICATE-----\nU0lUSSBSQUhBWVU=\n-----END CERTIFICATE-----\n';
const issued: ApplicationStatus = {
  id: ID,
  state: 'issued',
  changedAt: '2026-11-25T08:00:00.000Z',
  certificatePem: PEM,
  reason: null,
};

async function keys() {
  const [archive, counter, other] = await Promise.all([
    generateSealKeyPair(),
    generateSealKeyPair(),
    generateSealKeyPair(),
  ]);
  const recipients: SealRecipientKey[] = [
    { kind: 'archive', keyId: 'archive-1', publicKey: archive.publicKey },
    { kind: 'counter', keyId: 'counter-1', publicKey: counter.publicKey },
  ];
  return {
    recipients,
    counter: { keyId: 'counter-1', ...counter },
    other: { keyId: 'counter-2', ...other },
  };
}

describe('the issued certificate kept sealed until the handover', () => {
  it('keeps no text, only sealed bytes, which the counter key opens and another key does not', async () => {
    const { recipients, counter, other } = await keys();
    const kept = await sealIssuedCertificate(issued, recipients);
    expect(kept).toMatchObject({ id: ID, state: 'issued', certificatePem: null });
    expect(JSON.stringify(kept)).not.toContain('U0lUSSBSQUhBWVU');
    expect(await openIssuedCertificate(kept, [other, counter])).toEqual({ kind: 'text', pem: PEM });
    expect(await openIssuedCertificate(kept, [other])).toEqual({ kind: 'no-key' });
    expect(await openIssuedCertificate(kept, [])).toEqual({ kind: 'no-key' });
  });

  it('says damaged for a changed byte or unreadable bytes, and never throws', async () => {
    const { recipients, counter } = await keys();
    const kept = await sealIssuedCertificate(issued, recipients);
    const bytes = base64ToBytes(kept.certificateSealed ?? '');
    const changed = bytes.slice();
    changed[changed.length - 5] = (changed[changed.length - 5] ?? 0) ^ 0x01;
    expect(
      await openIssuedCertificate({ ...kept, certificateSealed: bytesToBase64(changed) }, [counter]),
    ).toEqual({
      kind: 'damaged',
    });
    expect(await openIssuedCertificate({ ...kept, certificateSealed: '%%%' }, [counter])).toEqual({
      kind: 'damaged',
    });
    // Sealed for another application: the context does not match.
    expect(await openIssuedCertificate({ ...kept, id: crypto.randomUUID() }, [counter])).toEqual({
      kind: 'damaged',
    });
  });

  it('leaves a status without a certificate as it is, and reads one kept in clear', async () => {
    const { recipients } = await keys();
    const received = { ...issued, state: 'received' as const, certificatePem: null };
    expect(await sealIssuedCertificate(received, recipients)).toEqual(received);
    expect(await openIssuedCertificate(received, [])).toEqual({ kind: 'none' });
    expect(await openIssuedCertificate(undefined, [])).toEqual({ kind: 'none' });
    expect(await openIssuedCertificate(issued, [])).toEqual({ kind: 'text', pem: PEM });
  });
});
