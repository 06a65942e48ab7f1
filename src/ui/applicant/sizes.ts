import { type Locale, localeTag } from '../i18n/i18n';

const MB = 1_000_000;

/** A file's size in MB, rounded up to 0.1 MB: a file over a limit never reads as within it. */
export function formatSize(bytes: number, locale: Locale): string {
  const value = Math.ceil(bytes / (MB / 10)) / 10;
  return `${new Intl.NumberFormat(localeTag(locale), { maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(value)} MB`;
}

/** A limit in whole MB, rounded down: a file the text allows is never refused. */
export function formatLimit(bytes: number, locale: Locale): string {
  const value = bytes >= MB ? Math.floor(bytes / MB) : Math.floor(bytes / (MB / 10)) / 10;
  return `${new Intl.NumberFormat(localeTag(locale), { maximumFractionDigits: 1 }).format(value)} MB`;
}
