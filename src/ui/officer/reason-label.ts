import type { RejectionReason } from '../../core/officer/decision';
import type { Locale } from '../i18n/i18n';

/** A configured rejection reason's label in the kiosk's language. */
export function reasonText(reason: RejectionReason, locale: Locale): string {
  return locale === 'id' ? reason.id : reason.en;
}

/** The label of a recorded reason code; a code no longer configured shows as itself. */
export function reasonLabel(reasons: readonly RejectionReason[], code: string, locale: Locale): string {
  const reason = reasons.find((r) => r.code === code);
  return reason ? reasonText(reason, locale) : code;
}
