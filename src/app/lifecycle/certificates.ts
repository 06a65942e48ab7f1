/**
 * Renewal at the counter (Pasal 14): the certificates about to expire, per Perangkat Daerah, and
 * the search for one certificate by the holder's NIK or by its serial. Both ask the server with
 * the officer's signed query; a NIK travels only as the RA's keyed hash.
 */
import { parseNik } from '../../core/identity/nik';
import { fail, type Result } from '../../core/lib/brand';
import { certificateQueryText } from '../../core/lifecycle/statements';
import {
  type CertificateQueryPayload,
  type CertificateQueryRequest,
  type CertificateRecord,
  type ExpiringResponse,
  expiringResponseSchema,
  LIFECYCLE_LIMITS,
  lookupResponseSchema,
} from '../../protocol/lifecycle';
import { nikHash } from '../../protocol/officer';
import type { OfficerKeyStore } from '../officer/ports';
import { type LifecycleDeps, type LifecycleProblem, readAnswer, signAsOfficer } from './officer-requests';

/** What the officer typed in the search: a NIK, or a certificate serial. */
export type CertificateSearch = { nik: string } | { serialNumberHex: string };

export type SearchProblem = 'empty' | 'not-nik-or-serial';

/**
 * A NIK (16 digits, structurally valid; separators forgiven) or a serial in hex as OpenSSL or the
 * handover receipt prints it (`4A:6F:…`, spaces, any case). Sixteen digits that are a valid NIK are
 * a NIK: the RA's serials are longer.
 */
export function parseSearch(raw: string): Result<CertificateSearch, SearchProblem> {
  const text = raw.trim();
  if (text === '') return fail('empty');
  const nik = parseNik(text);
  if (nik.ok) return { ok: true, value: { nik: nik.value.nik } };
  const hex = text.replace(/[\s:]/g, '').toUpperCase().replace(/^0X/, '');
  if (!/^[0-9A-F]{2,40}$/.test(hex)) return fail('not-nik-or-serial');
  // OpenSSL prints whole bytes; a leading zero nibble may have been dropped when typed.
  return { ok: true, value: { serialNumberHex: hex.length % 2 === 0 ? hex : `0${hex}` } };
}

/** The officer's signed query as a request of this kiosk. */
export async function signedQuery(
  deps: LifecycleDeps,
  query: CertificateQueryPayload['query'],
): Promise<Result<CertificateQueryRequest, LifecycleProblem>> {
  const signed = await signAsOfficer(deps, (signer, at) =>
    certificateQueryText({ query, ...signer, askedAt: at }),
  );
  if (!signed.ok) return signed;
  return { ok: true, value: { kioskId: signed.value.kioskId, query: signed.value.statement } };
}

/** The certificates ending within `withinDays` (the server's window when absent), per Perangkat Daerah. */
export async function listExpiring(
  deps: LifecycleDeps,
  withinDays?: number,
): Promise<Result<ExpiringResponse, LifecycleProblem>> {
  if (
    withinDays !== undefined &&
    !(Number.isInteger(withinDays) && withinDays >= 1 && withinDays <= LIFECYCLE_LIMITS.maxWindowDays)
  ) {
    return fail({ kind: 'invalid', fields: ['withinDays'] });
  }
  const signed = await signedQuery(
    deps,
    withinDays === undefined ? { kind: 'expiring' } : { kind: 'expiring', withinDays },
  );
  if (!signed.ok) return signed;
  return readAnswer(await deps.transport.expiring(signed.value), expiringResponseSchema);
}

export interface FindDeps extends LifecycleDeps {
  keys: Pick<OfficerKeyStore, 'nikHashKey'>;
}

/** The issued certificates of this NIK (newest first), or the one with this serial. */
export async function findCertificates(
  search: CertificateSearch,
  deps: FindDeps,
): Promise<Result<CertificateRecord[], LifecycleProblem>> {
  let lookup: CertificateQueryPayload['query'];
  if ('nik' in search) {
    const key = await deps.keys.nikHashKey();
    if (key === null) return fail({ kind: 'no-key' });
    lookup = { kind: 'lookup', nikHash: await nikHash(key, search.nik) };
  } else {
    lookup = { kind: 'lookup', serialNumberHex: search.serialNumberHex };
  }
  const signed = await signedQuery(deps, lookup);
  if (!signed.ok) return signed;
  const answer = readAnswer(await deps.transport.lookup(signed.value), lookupResponseSchema);
  return answer.ok ? { ok: true, value: answer.value.certificates } : answer;
}
