/** Outbox summaries as a store lists them, for tests of what the screens compute from them. */
import type { ClearOutboxSummary as OutboxSummary } from '../../src/app/ports';
import type { OutboxHistoryEntry, OutboxLifecycleState } from '../../src/core/outbox/lifecycle';
import type { SignedStatement } from '../../src/protocol/statement';

const SUMMARY_AT = '2026-11-26T02:00:00.000Z';

/** A history through `states`, every entry at `at`. */
function historyOf(states: readonly OutboxLifecycleState[], at = SUMMARY_AT): OutboxHistoryEntry[] {
  return states.map((state) => ({ state, at }));
}

/** An officer's decision as the record carries it (the signature is not checked by readers). */
export function decisionStatement(
  kind: 'approved' | 'rejected',
  { reasons = kind === 'rejected' ? ['lainnya'] : [], note = '' }: { reasons?: string[]; note?: string } = {},
): SignedStatement {
  return {
    payload: JSON.stringify({
      v: 1,
      type: 'decision',
      applicationId: '0f6d1c4a-2b3e-4d5f-8a9b-0c1d2e3f4a5b',
      applicationHash: 'a'.repeat(64),
      decision: kind,
      reasons,
      note,
      checklist: [],
      officerId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
      keyId: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
      kioskId: '3c4d5e6f-7a8b-4c9d-8e0f-2a3b4c5d6e7f',
      decidedAt: '2026-11-26T09:30:00.000+07:00',
    }),
    signature: 'A'.repeat(86),
  };
}

interface SummaryOptions {
  id?: string;
  createdAt?: string;
  states?: readonly OutboxLifecycleState[];
  decision?: SignedStatement;
  nama?: string;
  nik?: string;
  perangkatDaerah?: string;
  certificateType?: OutboxSummary['record']['certificateType'];
  overrides?: Partial<OutboxSummary>;
}

/** A summary whose `state` follows its history; held and decided by default as the options say. */
export function makeSummary(options: SummaryOptions = {}): OutboxSummary {
  const id = options.id ?? crypto.randomUUID();
  const createdAt = options.createdAt ?? SUMMARY_AT;
  const states = options.states ?? ['captured'];
  const last = states.at(-1);
  const state: OutboxSummary['state'] =
    last === 'captured'
      ? 'held'
      : last === 'rejected'
        ? 'rejected'
        : states.includes('synced')
          ? 'synced'
          : 'queued';
  return {
    id,
    state,
    createdAt,
    record: {
      id,
      createdAt,
      certificateType: options.certificateType ?? 'individu',
      applicant: {
        nama: options.nama ?? 'SITI RAHAYU',
        nik: options.nik ?? '3577014501900003',
        nip: null,
        email: 'siti.rahayu@madiunkota.go.id',
        perangkatDaerah: options.perangkatDaerah ?? 'Dinas Komunikasi dan Informatika',
      },
      ocrText: 'NIK : 3577014501900003',
      csrPem: 'x',
      encryptedPrivateKeyPem: '-----BEGIN ENCRYPTED PRIVATE KEY-----',
      ...(options.decision ? { decision: options.decision } : {}),
    },
    image: { mediaType: 'image/jpeg', bytes: 1000 },
    attachments: [],
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    syncedAt: states.includes('synced') ? createdAt : null,
    rejection: null,
    history: historyOf(states, createdAt),
    ...options.overrides,
  };
}
