/** The lifecycle problems and facts in the kiosk's language (catalog `lifecycle`). */
import type { LifecycleProblem } from '../../app/lifecycle/officer-requests';
import type { RevokeProblem } from '../../app/lifecycle/revoke-certificate';
import { formatSerial } from '../../app/receipt/receipt-document';
import type { CertificateRecord } from '../../protocol/lifecycle';
import { type Locale, localeTag, type Translate } from '../i18n/i18n';

const KNOWN_REFUSALS = [
  'unknown-certificate',
  'unknown-application',
  'serial-mismatch',
  'officer-locked',
  'unknown-officer',
  'stale-statement',
  'attachment-mismatch',
  'invalid-attachment',
  'purged',
] as const;
type KnownRefusal = (typeof KNOWN_REFUSALS)[number];
const isKnown = (code: string): code is KnownRefusal => (KNOWN_REFUSALS as readonly string[]).includes(code);

export function lifecycleProblemText(t: Translate, problem: LifecycleProblem): string {
  switch (problem.kind) {
    case 'session-ended':
    case 'not-enrolled':
    case 'offline':
    case 'no-key':
      return t(`lifecycle.problems.${problem.kind}`);
    case 'invalid':
      return t('lifecycle.problems.invalid', { fields: problem.fields.join(', ') });
    case 'refused':
      return isKnown(problem.serverCode)
        ? t(`lifecycle.problems.refused.${problem.serverCode}`)
        : t('lifecycle.problems.refused.other', { code: problem.serverCode });
    case 'server':
      return t('lifecycle.problems.server', { suffix: problem.serverCode ? ` (${problem.serverCode})` : '' });
  }
}

export function revokeProblemText(t: Translate, problem: RevokeProblem): string {
  if (problem.kind !== 'papers') return lifecycleProblemText(t, problem);
  return t(`lifecycle.papers.problems.${problem.problem}`, { name: t(`lifecycle.papers.${problem.paper}`) });
}

/** A date as the officer reads it, in the kiosk's language. */
export function formatDate(locale: Locale, iso: string | null): string {
  if (iso === null) return '–';
  return new Date(iso).toLocaleDateString(localeTag(locale), { dateStyle: 'long', timeZone: 'Asia/Jakarta' });
}

export function formatDateTime(locale: Locale, iso: string): string {
  return new Date(iso).toLocaleString(localeTag(locale), {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Jakarta',
  });
}

export { formatSerial };

/** Where a certificate stands, for its badge: revoked, followed, expired, or valid. */
export type CertificateStanding =
  | 'valid'
  | 'expired'
  | 'pending'
  | 'revoked'
  | 'failed'
  | 'renewal'
  | 'replacement';

export function certificateStanding(certificate: CertificateRecord, now: Date): CertificateStanding {
  const revocation = certificate.revocation;
  if (revocation !== null) return revocation.state === 'already-revoked' ? 'revoked' : revocation.state;
  if (certificate.followedBy !== null) return certificate.followedBy.relation;
  if (certificate.notAfter !== null && Date.parse(certificate.notAfter) <= now.getTime()) return 'expired';
  return 'valid';
}
