import { z } from 'zod';
import { DEFAULT_LOCALE, type Locale, LOCALES } from '../shared/i18n/locales';

/** Front matter every knowledge-base article must have. */
export const articleFrontMatterSchema = z.object({
  title: z.string().trim().min(1),
  url: z.url(),
  tags: z
    .union([z.array(z.string()), z.string()])
    .default([])
    .transform(toList),
  /**
   * How players ask about this topic in their own words when the article text doesn't use them (slang, short forms,
   * other names for a feature). Searched like tags, never shown.
   */
  aliases: z
    .union([z.array(z.string()), z.string()])
    .default([])
    .transform(toList),
  /** The article's language (`en`, `es`, `ro`); unset: English, the sample knowledge base's language. */
  lang: z.enum(LOCALES).default(DEFAULT_LOCALE),
});

function toList(value: string[] | string): string[] {
  return (Array.isArray(value) ? value : value.split(',')).map((t) => t.trim()).filter(Boolean);
}

export interface KbArticle {
  /** The file's path relative to the knowledge-base folder, with forward slashes: stable across machines. */
  id: string;
  /** The file's absolute path, for staff reading CLI output. */
  file: string;
  title: string;
  url: string;
  tags: string[];
  /** Player wording for the topic (front matter `aliases`); optional so hand-built articles in tests can skip it. */
  aliases?: string[];
  /** The Markdown body without front matter. */
  body: string;
  /** Front matter `lang`; optional so hand-built articles in tests can skip it (English). */
  lang?: Locale;
}
