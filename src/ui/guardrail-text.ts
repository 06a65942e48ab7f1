import type { Guardrail } from '../core/outbox/guardrails';
import type { Translate } from './i18n/i18n';

/** One message per tripped guardrail, saying what the officer should do about it. */
export function guardrailText(t: Translate, guardrail: Guardrail): string {
  switch (guardrail.kind) {
    case 'too-many-unsynced':
      return t('guardrails.reasons.too-many-unsynced', {
        unsynced: guardrail.unsynced,
        max: guardrail.max,
      });
    case 'oldest-too-old':
      return t('guardrails.reasons.oldest-too-old', { days: guardrail.ageDays, maxDays: guardrail.maxDays });
    case 'storage-nearly-full':
      return t('guardrails.reasons.storage-nearly-full');
    case 'software-outdated':
      return t('guardrails.reasons.software-outdated', {
        kioskVersion: guardrail.kioskVersion,
        minimumVersion: guardrail.minimumVersion,
      });
    case 'no-archive-key':
      return t('guardrails.reasons.no-archive-key');
  }
}

/** Guardrails a sync can lift (the officer should open the sync queue). */
export function liftedBySync(guardrail: Guardrail): boolean {
  return guardrail.kind === 'too-many-unsynced' || guardrail.kind === 'oldest-too-old';
}
