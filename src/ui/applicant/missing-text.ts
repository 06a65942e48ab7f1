import type { ApplicantCategory, MissingItem } from '../../core/application/completeness';
import type { Locale, Translate } from '../i18n/i18n';
import { formatLimit } from './sizes';

export interface MissingContext {
  t: Translate;
  language: Locale;
  /** The official e-mail domains, for the e-mail's message. */
  domains: string;
  category: ApplicantCategory | '';
  /** Limits for the files' messages (bytes). */
  maxAttachmentBytes: number;
  maxEktpBytes: number;
  agreementVersion: string;
}

function missingCase(item: never): never {
  throw new Error(`no text for ${JSON.stringify(item)}`);
}

/** One missing item as the applicant reads it, in the kiosk's language. */
export function missingText(item: MissingItem, ctx: MissingContext): string {
  const { t } = ctx;
  switch (item.field) {
    case 'certificateType':
      return t('problems.certificateType.required');
    case 'nama':
      return t(`problems.nama.${item.reason}`);
    case 'nik':
      return t(`problems.nik.${item.reason}`);
    case 'nip':
      if (item.reason === 'required' || item.reason === 'wrong-kind')
        return t(`applicant.missing.nip.${item.reason}`, {
          category: ctx.category === '' ? '' : t(`applicant.category.options.${ctx.category}`),
        });
      return t(`problems.nip.${item.reason}`);
    case 'email':
      return t(`problems.email.${item.reason}`, { domains: ctx.domains });
    case 'perangkatDaerah':
      return item.reason === 'required'
        ? t('problems.perangkatDaerah.required')
        : t('applicant.missing.perangkatDaerah');
    case 'jabatan':
      return t(`problems.jabatan.${item.reason}`);
    case 'host':
      return t(`problems.host.${item.reason}`);
    case 'category':
      return t('applicant.missing.category');
    case 'mobile':
      return t(`applicant.missing.mobile.${item.reason}`);
    case 'ektpScan':
      return t(`applicant.missing.ektpScan.${item.reason}`, {
        max: formatLimit(ctx.maxEktpBytes, ctx.language),
      });
    case 'attachment':
      return t(`applicant.missing.attachment.${item.reason}`, {
        name: t(`applicant.papers.kinds.${item.kind}`),
        max: formatLimit(ctx.maxAttachmentBytes, ctx.language),
      });
    case 'signatureSpecimen':
      return t('applicant.missing.signatureSpecimen');
    case 'obligations':
      return t('applicant.missing.obligations');
    case 'agreement':
      return t(`applicant.missing.agreement.${item.reason}`, { version: ctx.agreementVersion });
    case 'key':
      return t('applicant.missing.key');
    default:
      return missingCase(item);
  }
}

/**
 * The form field an item (or a draft field) belongs to, for its inline error (the input's id);
 * null for the rest.
 */
export function inputOf(item: Pick<MissingItem, 'field'>): string | null {
  switch (item.field) {
    case 'nama':
    case 'nik':
      return `ektp-${item.field}`;
    case 'nip':
    case 'email':
    case 'jabatan':
    case 'host':
    case 'mobile':
    case 'perangkatDaerah':
      return item.field;
    default:
      return null;
  }
}
