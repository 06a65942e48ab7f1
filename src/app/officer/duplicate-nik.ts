/**
 * The duplicate-NIK flag before a decision (docs/officers.md): the same NIK in another open
 * application of this kiosk's outbox, and, when online, in open applications or valid certificates
 * anywhere (`POST /sync/nik-check`, kiosk-signed, NIKs only as the RA's keyed hash).
 */
import { readDecision } from '../../core/officer/decision';
import { currentState } from '../../core/outbox/lifecycle';
import { nikCheckResponseSchema, nikHash } from '../../protocol/officer';
import type { DeviceIdentityStore, OutboxSummary } from '../ports';
import { clearNikOf } from '../sealing/open-at-counter';
import { readServerError } from '../server-error';
import type { OfficerKeyStore, OfficerTransport } from './ports';

/** What the local check needs of an application (a summary: no file is read). */
export type NikCandidate = Pick<OutboxSummary, 'id' | 'history' | 'record'>;

/** `open`: not yet issued, refused or rejected; `certificate`: issued (or handed over). */
export type NikStanding = 'open' | 'certificate';

export interface LocalNikMatch {
  id: string;
  standing: NikStanding;
}

/** Whether an application still counts against its NIK, and how; null when it no longer does. */
export function nikStanding(candidate: Pick<NikCandidate, 'history' | 'record'>): NikStanding | null {
  const decision = candidate.record.decision;
  if (decision) {
    const read = readDecision(decision.payload);
    // An officer's rejection closes the application, wherever it is on its way.
    if (read.ok && read.value.decision === 'rejected') return null;
  }
  const state = currentState(candidate.history);
  switch (state) {
    case 'draft':
    case 'rejected':
    case 'ca-rejected':
    case null:
      return null;
    case 'issued':
    case 'handed-over':
      return 'certificate';
    case 'captured':
    case 'decided':
    case 'queued':
    case 'synced':
    case 'sent-to-ca':
      return 'open';
  }
}

/**
 * The other applications of this outbox with the same NIK that still count. Compared by the keyed
 * hash when the RA's key is at hand (as the server compares), else by the NIK itself: it never
 * leaves the kiosk either way.
 */
export async function localNikMatches(
  target: { id: string; nik: string },
  candidates: readonly NikCandidate[],
  key: CryptoKey | null,
): Promise<LocalNikMatch[]> {
  const wanted = key === null ? null : await nikHash(key, target.nik);
  /** A clear candidate by its NIK; a sealed one by the keyed hash kept beside the blob. */
  const same = async (candidate: NikCandidate): Promise<boolean> => {
    const nik = clearNikOf(candidate);
    if (nik !== null)
      return wanted === null || key === null ? nik === target.nik : (await nikHash(key, nik)) === wanted;
    const hashed = 'nikHash' in candidate.record ? candidate.record.nikHash : undefined;
    // Sealed without a hash (captured before any officer enrolled here): the server's check covers it.
    return wanted !== null && hashed === wanted;
  };
  const matches: LocalNikMatch[] = [];
  for (const candidate of candidates) {
    if (candidate.id === target.id) continue;
    const standing = nikStanding(candidate);
    if (standing === null) continue;
    if (await same(candidate)) matches.push({ id: candidate.id, standing });
  }
  return matches;
}

export type ServerNikCheck =
  | { kind: 'checked'; openApplications: number; validCertificates: number }
  /** No link, or no answer. */
  | { kind: 'offline' }
  /** No officer has enrolled here yet, so the kiosk has no RA key to hash with. */
  | { kind: 'no-key' }
  | { kind: 'not-enrolled' }
  | { kind: 'failed'; serverCode?: string };

export interface ServerNikCheckDeps {
  keys: Pick<OfficerKeyStore, 'nikHashKey'>;
  identity: Pick<DeviceIdentityStore, 'enrollment'>;
  transport: Pick<OfficerTransport, 'nikCheck'>;
}

/** Asks the server about one NIK; only its keyed hash goes over the wire. */
export async function checkNikAtServer(nik: string, deps: ServerNikCheckDeps): Promise<ServerNikCheck> {
  const key = await deps.keys.nikHashKey();
  if (key === null) return { kind: 'no-key' };
  const kiosk = await deps.identity.enrollment();
  if (kiosk === null) return { kind: 'not-enrolled' };
  const hash = await nikHash(key, nik);
  const answer = await deps.transport.nikCheck({ kioskId: kiosk.kioskId, hashes: [hash] });
  if (answer.kind === 'network-error') return { kind: 'offline' };
  if (answer.status === 401 || answer.status === 403) return { kind: 'not-enrolled' };
  if (answer.status !== 200) {
    const { code } = readServerError(answer.body);
    return code === undefined ? { kind: 'failed' } : { kind: 'failed', serverCode: code };
  }
  const parsed = nikCheckResponseSchema.safeParse(answer.body);
  const result = parsed.success ? parsed.data.results.find((r) => r.hash === hash) : undefined;
  if (!result) return { kind: 'failed' };
  return {
    kind: 'checked',
    openApplications: result.openApplications,
    validCertificates: result.validCertificates,
  };
}
