/**
 * A renewal or replacement submitted at the counter: the record names the certificate it follows,
 * travels in the batch and counts in the officer's hash; another person's NIK or another type is
 * refused before any key is made.
 */
import { describe, expect, it } from 'vitest';
import { clearItem } from '../../../tests/support/clear-items';
import { createMemoryOutbox } from '../../adapters/db/memory-outbox';
import type { ProfileSet } from '../../core/certificate/profile';
import { applicationHash } from '../../protocol/officer';
import { certificateProfiles } from '../certificate-profiles';
import { inProcessKeyMaker } from '../key-request';
import { submitApplication } from '../submit-application';
import { framedRecord } from '../sync-outbox';
import type { FollowUpStart } from './follow-up';

const PASSPHRASE = 'kuda-lumping-sepeda-hijau-42';

function fastProfiles(): ProfileSet {
  const profiles = structuredClone(certificateProfiles);
  for (const profile of Object.values(profiles.profiles)) profile.keyAlgorithm = 'ECDSA-P256';
  return profiles;
}

const followUp: FollowUpStart = {
  previous: {
    applicationId: '3d8c2a71-5b4e-4f0a-9c1d-2e3f4a5b6c7d',
    serialNumberHex: '4A6F01',
    relation: 'renewal',
  },
  certificateType: 'individu',
  notAfter: '2026-12-20T00:00:00.000Z',
  prefill: {
    nama: 'SITI RAHAYU',
    nik: '3577014501900003',
    nip: '199001052015022001',
    email: 'siti.rahayu@madiunkota.go.id',
    perangkatDaerah: 'Dinas Komunikasi dan Informatika',
    jabatan: '',
    host: '',
    category: 'pns',
    mobile: '+6281234567890',
  },
};

async function submit(draft: { nik?: string; certificateType?: 'individu' | 'jabatan' } = {}) {
  const outbox = createMemoryOutbox();
  let made = 0;
  const result = await submitApplication(
    {
      draft: {
        certificateType: draft.certificateType ?? 'individu',
        nama: 'SITI RAHAYU',
        nik: draft.nik ?? '3577014501900003',
        nip: '199001052015022001',
        email: 'siti.rahayu@madiunkota.go.id',
        perangkatDaerah: 'Dinas Komunikasi dan Informatika',
        jabatan: draft.certificateType === 'jabatan' ? 'Kepala Seksi' : '',
        host: '',
      },
      image: new Blob([new Uint8Array(600)], { type: 'image/png' }),
      ocrText: '',
      passphrase: PASSPHRASE,
      passphraseConfirmation: PASSPHRASE,
      followUp,
    },
    {
      outbox,
      keyMaker: {
        make: (...args) => {
          made += 1;
          return inProcessKeyMaker.make(...args);
        },
      },
      now: () => new Date('2026-11-26T03:00:00.000Z'),
      newId: () => '0b6e3c1a-5d2f-4e8a-9b7c-1f2e3d4c5b6a',
      settings: {
        profiles: fastProfiles(),
        emailDomains: ['madiunkota.go.id'],
        passphrase: { minLength: 15, maxLength: 128, minScore: 0, blocklist: [] },
        maxImageBytes: 10_000,
      },
      pbkdf2Iterations: 1000,
    },
  );
  return { outbox, result, made: () => made };
}

describe('a follow-up application', () => {
  it('names the certificate it follows in the record, the batch and the hash the officer signs', async () => {
    const { outbox, result } = await submit();
    expect(result).toEqual({ ok: true, id: '0b6e3c1a-5d2f-4e8a-9b7c-1f2e3d4c5b6a' });
    const [item] = outbox.all();
    if (!item) throw new Error('nothing stored');
    expect(item.record.previous).toEqual(followUp.previous);
    const framed = (await framedRecord(clearItem(item))).record;
    expect(framed.previous).toEqual(followUp.previous);
    // Another link is another record: the officer's signature would not cover it.
    expect(
      await applicationHash({ ...framed, previous: { ...followUp.previous, relation: 'replacement' } }),
    ).not.toBe(await applicationHash(framed));
  });

  it.each([
    ['another NIK', { nik: '3577011203850002' }, 'nik-differs'],
    ['another certificate type', { certificateType: 'jabatan' as const }, 'type-differs'],
  ])('with %s is refused before a key is made', async (_what, draft, problem) => {
    const { outbox, result, made } = await submit(draft);
    expect(result).toEqual({ ok: false, problem: { kind: 'follow-up', problem } });
    expect(made()).toBe(0);
    expect(outbox.all()).toEqual([]);
  });
});
