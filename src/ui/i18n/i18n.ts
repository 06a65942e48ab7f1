import * as i18n from '@solid-primitives/i18n';
import { createMemo, createSignal } from 'solid-js';
import { en } from './en';
import { id } from './id';

export type Locale = 'id' | 'en';

/** The BCP 47 tag a locale's dates and numbers are formatted with. */
export function localeTag(locale: Locale): 'id-ID' | 'en-GB' {
  return locale === 'id' ? 'id-ID' : 'en-GB';
}
const dictionaries = { id, en };

export function createI18n(initial: Locale = 'id') {
  const [locale, setLocale] = createSignal<Locale>(initial);
  const dict = createMemo(() => i18n.flatten(dictionaries[locale()]));
  const t = i18n.translator(dict, i18n.resolveTemplate);
  return { locale, setLocale, t };
}

export type I18n = ReturnType<typeof createI18n>;
export type Translate = I18n['t'];
