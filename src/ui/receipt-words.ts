import type { ReceiptWords } from '../app/receipt/receipt-document';
import type { CertificateType } from '../core/certificate/types';
import { type Locale, localeTag, type Translate } from './i18n/i18n';

/** Receipts print Madiun's time (WIB), whatever the kiosk's own clock zone is set to. */
const TIME_ZONE = 'Asia/Jakarta';

export function receiptWords(t: Translate, locale: Locale, kind: 'submission' | 'handover'): ReceiptWords {
  const tag = localeTag(locale);
  const dateTime = new Intl.DateTimeFormat(tag, {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: TIME_ZONE,
  });
  const date = new Intl.DateTimeFormat(tag, { dateStyle: 'long', timeZone: TIME_ZONE });
  return {
    submissionTitle: t('receipt.submissionTitle'),
    handoverTitle: t('receipt.handoverTitle'),
    number: t('receipt.number'),
    type: t('receipt.type'),
    typeName: (type: CertificateType) => t(`form.types.${type}`),
    nama: t('receipt.nama'),
    perangkatDaerah: t('receipt.perangkatDaerah'),
    submittedAt: t('receipt.submittedAt'),
    handedOverAt: t('receipt.handedOverAt'),
    officer: t('receipt.officer'),
    serial: t('receipt.serial'),
    validity: t('receipt.validity'),
    footer: kind === 'submission' ? t('receipt.submissionFooter') : t('receipt.handoverFooter'),
    email: t('email.receipt.label'),
    emailConfirmedAtCounter: t('email.receipt.confirmedAtCounter'),
    dateTime: (iso) => `${dateTime.format(new Date(iso))} WIB`,
    date: (iso) => date.format(new Date(iso)),
  };
}
