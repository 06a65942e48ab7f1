import { describe, expect, it } from 'vitest';
import { heldApplication } from '../../../tests/support/held-applications';
import { createMemoryOutbox } from '../../adapters/db/memory-outbox';
import { generateSealKeyPair, type SealRecipientKey } from '../../core/sealing/seal';
import type { OutboxItem } from '../ports';
import { framedRecord } from '../sync-outbox';
import { clearNameOf, keyMaterialOf, openAtCounter } from './open-at-counter';
import { sealForOutbox } from './seal-application';

const ID = '00000000-0000-4000-8000-000000000001';
const NOW = '2026-11-25T08:00:00.000Z';
const CSR = '-----BEGIN CERTIFICATE REQUEST-----\nTUlJQ1Rlc3RDU1I=\n-----END CERTIFICATE REQUEST-----\n';
const KEY = '-----BEGIN ENCRYPTED PRIVATE KEY-----\nTUlJRVRlc3RLZXk=\n-----END ENCRYPTED PRIVATE KEY-----\n';
const DECISION = { payload: '{"kind":"decision"}', signature: 'A'.repeat(86) };

function application(): OutboxItem {
  return heldApplication(
    { id: ID, createdAt: NOW },
    {
      applicant: {
        nama: 'SITI RAHAYU',
        nik: '3577014501900003',
        nip: null,
        email: 'siti.rahayu@madiunkota.go.id',
        perangkatDaerah: 'Dinas Komunikasi dan Informatika',
      },
      ocrText: 'NIK : 3577014501900003',
      csrPem: CSR,
      encryptedPrivateKeyPem: KEY,
    },
    {
      image: { mediaType: 'image/png', blob: new Blob([new Uint8Array(64).fill(7)], { type: 'image/png' }) },
      attachments: [],
    },
  );
}

async function stored() {
  const [archive, counter] = await Promise.all([generateSealKeyPair(), generateSealKeyPair()]);
  const recipients: SealRecipientKey[] = [
    { kind: 'archive', keyId: 'archive-1', publicKey: archive.publicKey },
    { kind: 'counter', keyId: 'counter-1', publicKey: counter.publicKey },
  ];
  const outbox = createMemoryOutbox();
  await outbox.add(await sealForOutbox(application(), recipients, null));
  await outbox.decide(ID, DECISION, NOW);
  const item = outbox.get(ID);
  if (!item) throw new Error('not stored');
  return { item, counterKey: { keyId: 'counter-1', ...counter } };
}

describe('openAtCounter', () => {
  it('opens a sealed application into its capture shape with the decision kept beside it', async () => {
    const { item, counterKey } = await stored();
    const opened = await openAtCounter(item, [counterKey]);
    if (!opened.ok) throw new Error(opened.problem);
    expect(opened.value.record.decision).toEqual(DECISION);
    expect(opened.value.history).toEqual(item.history);
    const { decision: _d, ...undecided } = opened.value.record;
    expect((await framedRecord({ ...opened.value, record: undecided })).record).toEqual(
      (await framedRecord(application())).record,
    );
    // Nothing personal readable from the stored item itself.
    expect(clearNameOf(item)).toBeNull();
    // The fixture's CSR is no real request: the evidence is null, and nothing of it is kept.
    expect(await keyMaterialOf(item)).toEqual({ encryptedPrivateKeyPem: KEY, request: null });
  });

  it('says no-key for a session without a key to it, and damaged for a changed byte', async () => {
    const { item, counterKey } = await stored();
    const other = { keyId: 'counter-2', ...(await generateSealKeyPair()) };
    expect(await openAtCounter(item, [other])).toEqual({ ok: false, problem: 'no-key' });
    expect(await openAtCounter(item, [])).toEqual({ ok: false, problem: 'no-key' });
    if (!('sealed' in item)) throw new Error('not sealed');
    const changed = item.sealed.slice();
    changed[changed.length - 1] = (changed[changed.length - 1] ?? 0) ^ 1;
    expect(await openAtCounter({ ...item, sealed: changed }, [counterKey])).toEqual({
      ok: false,
      problem: 'damaged',
    });
  });

  it('gives a clear application back as it is', async () => {
    const clear = createMemoryOutbox({ items: [application()] }).get(ID);
    if (!clear) throw new Error('not stored');
    expect(await openAtCounter(clear, [])).toEqual({ ok: true, value: clear });
    expect(clearNameOf(clear)).toBe('SITI RAHAYU');
  });
});
