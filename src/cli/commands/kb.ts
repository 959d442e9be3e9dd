import path from 'node:path';
import { type Command } from 'commander';
import { z } from 'zod';
import { loadArticles } from '../../kb/load-articles';
import { ArticleIndex, toHit } from '../../kb/search-index';
import { loadConfig } from '../../config';
import { UserError } from '../user-error';
import { DEFAULT_LOCALE, type Locale, LOCALES } from '../../shared/i18n/locales';

const optionsSchema = z.object({
  kb: z.string().min(1).optional(),
  json: z.boolean().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(5),
  all: z.boolean().optional(),
  lang: z.enum(LOCALES).default(DEFAULT_LOCALE),
});

export interface KbSearchRow {
  rank: number;
  file: string;
  id: string;
  title: string;
  url: string;
  score: number;
  /** Whether the bot would show this article (it passes the "good match" cut). */
  shownByBot: boolean;
  excerpt: string;
}

/** Ranked articles for a question, marking which ones the FAQ bot would actually show. */
export async function searchKnowledgeBaseFolder(
  dir: string,
  question: string,
  options: { limit: number; botLimit?: number; locale?: Locale },
): Promise<{ rows: KbSearchRow[]; articles: number; problems: { file: string; reason: string }[] }> {
  const { articles, problems } = await loadArticles(dir);
  const index = new ArticleIndex(articles);
  const shown = new Set(index.search(question, options.botLimit ?? 3, options.locale).map((h) => h.id));
  const rows = index
    .rank(question)
    .slice(0, options.limit)
    .map(({ article, score }, i) => {
      const hit = toHit(article, score, question);
      return {
        rank: i + 1,
        file: article.file,
        id: article.id,
        title: hit.title,
        url: hit.url,
        score: hit.score,
        shownByBot: shown.has(article.id),
        excerpt: hit.excerpt,
      };
    });
  return { rows, articles: articles.length, problems };
}

export function registerKbCommand(program: Command): void {
  const kb = program.command('kb').description('the knowledge base the FAQ bot answers from');
  kb.command('search')
    .description('show the articles the bot would suggest for a question, ranked, with scores')
    .argument('<question>', 'the question, as a user would write it')
    .option('--kb <dir>', 'a knowledge-base folder (default: KB_DIR)')
    .option('--limit <n>', 'how many ranked articles to list', '5')
    .option('--json', 'print JSON: one object per hit with file, title, score')
    .option(
      '--lang <lang>',
      `the user's language (${LOCALES.join(', ')}): its articles come first`,
      DEFAULT_LOCALE,
    )
    .action(async (question: string, raw: unknown) => {
      const opts = optionsSchema.parse(raw);
      const dir = path.resolve(opts.kb ?? loadConfig().kb.dir);
      let result: Awaited<ReturnType<typeof searchKnowledgeBaseFolder>>;
      try {
        result = await searchKnowledgeBaseFolder(dir, question, { limit: opts.limit, locale: opts.lang });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT')
          throw new UserError(`no knowledge base at ${dir}`);
        throw err;
      }
      for (const p of result.problems) console.error(`skipped ${p.file}: ${p.reason}`);
      if (opts.json) {
        console.log(JSON.stringify({ question, dir, articles: result.articles, hits: result.rows }, null, 2));
        return;
      }
      if (result.rows.length === 0) {
        console.log(`No article matches (searched ${result.articles} in ${dir}).`);
        return;
      }
      for (const row of result.rows) {
        const mark = row.shownByBot ? '*' : ' ';
        console.log(`${mark}${row.rank}. ${row.score.toFixed(2).padStart(7)}  ${row.title}  (${row.id})`);
        console.log(`             ${row.excerpt}`);
      }
      console.log(`\n* = the bot would show it. ${result.articles} articles in ${dir}.`);
    });
}
