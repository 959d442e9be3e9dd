import { termsOf } from './terms';

const MAX_EXCERPT = 200;

/** Markdown to plain sentences: headings, emphasis, links and list markers go, the words stay. */
export function plainSentences(markdown: string): string[] {
  const text = markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/^#{1,6}\s+.*$/gm, ' ')
    .replace(/^\s*(?:[-*+]|\d+\.)\s+/gm, '')
    .replace(/[*_`>|]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return text.split(/(?<=[.!?])\s+/).filter((s) => s.length > 0);
}

/** The sentence that shares most terms with the question (the first one when none does), shortened. */
export function buildExcerpt(body: string, query: string): string {
  const sentences = plainSentences(body);
  if (sentences.length === 0) return '';
  const wanted = termsOf(query);
  let best = 0;
  let bestScore = 0;
  sentences.forEach((sentence, i) => {
    let score = 0;
    for (const term of termsOf(sentence)) if (wanted.has(term)) score += 1;
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  const excerpt = sentences.slice(best, best + 2).join(' ');
  return excerpt.length <= MAX_EXCERPT ? excerpt : `${excerpt.slice(0, MAX_EXCERPT - 1).trimEnd()}…`;
}
