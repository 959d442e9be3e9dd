import i18next from 'i18next';
import { type CatalogKey, en } from './catalog-en';
import { es } from './catalog-es';
import { DEFAULT_LOCALE, type Locale, LOCALES } from './locales';
import { ro } from './catalog-ro';

export { type Locale, LOCALES, DEFAULT_LOCALE, localeFromDiscord, pickLocale, isLocale } from './locales';
export { type CatalogKey } from './catalog-en';

/** The key a caller names: a catalog key without its plural suffix (`support.expectedWait`, not `..._other`). */
export type MessageKey = CatalogKey extends infer K
  ? K extends `${infer Base}_${'one' | 'other'}`
    ? Base
    : K
  : never;

export const CATALOGS: Record<Locale, Record<string, string>> = { en, es, ro };

/*
 * One i18next instance for the whole process, and for each workflow that imports this module: initialised
 * synchronously from the bundled catalogs (`initAsync: false`, no backend, no language detection), so it does no
 * I/O and starts no timer, and the same key, locale and values always give the same text, in a workflow as
 * anywhere. The language is an argument of every call, never the instance's state.
 */
const instance = i18next.createInstance();
void instance.init({
  initAsync: false,
  resources: Object.fromEntries(LOCALES.map((l) => [l, { translation: CATALOGS[l] }])),
  lng: DEFAULT_LOCALE,
  fallbackLng: DEFAULT_LOCALE,
  supportedLngs: [...LOCALES],
  // Keys are flat strings with dots in them; Discord text is not HTML, so nothing is escaped.
  keySeparator: false,
  nsSeparator: false,
  interpolation: { escapeValue: false, skipOnVariables: true },
  returnNull: false,
  showSupportNotice: false,
} as Parameters<typeof instance.init>[0]);

/** The text of `key` in `locale` (English when unset or missing there), with `{{values}}` filled in. */
export function t(locale: Locale | undefined, key: MessageKey, values: Record<string, unknown> = {}): string {
  return instance.t(key, { ...values, lng: locale ?? DEFAULT_LOCALE }) as string;
}
