import type { Locale } from '../../shared/i18n/locales';

/*
 * Asking for a person in Spanish or Romanian ("quiero hablar con una persona", "vreau să vorbesc cu un om"). Kept
 * deliberately narrow: a verb of wanting or talking followed by a word for a person, or the word alone. English has
 * its own, finer rules (human-request.ts). Pure: runs inside the workflow.
 */

/** Word edges that also hold next to accented letters (`\b` treats "ă" or "á" as a non-word character). */
const START = '(?:^|[\\s¿¡,.;:!?])';
const END = '(?=$|[\\s,.;:!?])';
const words = (alternatives: string) => `${START}(?:${alternatives})${END}`;

const PATTERNS: Partial<Record<Locale, { phrase: RegExp; alone: RegExp }>> = {
  es: {
    phrase: new RegExp(
      `${words('hablar|habla|hablo|quiero|quisiera|necesito|p[aá]same|ponme|comunicarme')}.*${words('persona|humano|humana|agente|operador|operadora|alguien del equipo|alguien de soporte')}`,
    ),
    alone: /^(un |una )?(humano|agente|operador|persona real)( por favor)?[.!?]*$/,
  },
  ro: {
    phrase: new RegExp(
      `${words('vreau|vorbesc|vorbi|vorbim|am nevoie|doresc|da-mi|dați-mi')}.*${words('persoan[aă]|om|oameni|agent|operator|cineva din echip[aă]|cineva de la suport')}`,
    ),
    alone: /^(un |o )?(om|agent|operator|persoan[aă] real[aă])( v[aă] rog| te rog)?[.!?]*$/,
  },
};

/** Whether the message asks for a person in the conversation's language (English is handled elsewhere). */
export function isHumanRequestIn(locale: Locale | undefined, text: string): boolean {
  const patterns = locale ? PATTERNS[locale] : undefined;
  if (!patterns) return false;
  const normalised = text.toLowerCase().replace(/\s+/g, ' ').trim();
  return patterns.phrase.test(normalised) || patterns.alone.test(normalised);
}
