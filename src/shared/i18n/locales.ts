/*
 * The languages flexcord speaks to users, and how Discord's locales map onto them. Pure: used by the workflows too.
 */

export const LOCALES = ['en', 'es', 'ro'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * flexcord's language for a Discord locale (`es-ES`, `es-419`, `ro`, `en-GB`…): its language part, when flexcord
 * has that language; undefined otherwise.
 */
export function localeFromDiscord(discordLocale: string | null | undefined): Locale | undefined {
  const language = discordLocale?.toLowerCase().split(/[-_]/)[0];
  return isLocale(language) ? language : undefined;
}

/** The first of the candidates flexcord speaks (the interaction's, then the server's), else English. */
export function pickLocale(...candidates: (string | null | undefined)[]): Locale {
  for (const candidate of candidates) {
    const locale = isLocale(candidate) ? candidate : localeFromDiscord(candidate);
    if (locale) return locale;
  }
  return DEFAULT_LOCALE;
}
