import fs from 'node:fs';
import path from 'node:path';
import { loadArticles } from '../../kb/load-articles';
import { type CheckOutcome, fail, pass } from '../check';
import { type DoctorContext } from '../context';

/** The knowledge base loads the way the worker loads it: every file parses, and there is something to answer from. */
export async function knowledgeBase(ctx: DoctorContext): Promise<CheckOutcome> {
  const dir = ctx.config.kb.dir;
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    return fail(
      `KB_DIR ${dir} is not a folder`,
      'set KB_DIR to the folder of Markdown articles (the repository ships knowledge-base/)',
    );
  }
  const { articles, problems } = await loadArticles(dir);
  if (problems.length > 0) {
    const shown = problems
      .slice(0, 3)
      .map((p) => `${path.relative(dir, p.file)}: ${p.reason}`)
      .join('; ');
    const more = problems.length > 3 ? ` and ${problems.length - 3} more` : '';
    return fail(
      `${problems.length} of ${articles.length + problems.length} articles do not load (${shown}${more})`,
      'fix their front matter (title and url are required); the bot leaves these articles out until then',
    );
  }
  if (articles.length === 0) {
    return fail(
      `no articles in ${dir}`,
      'add Markdown articles with title and url front matter (see knowledge-base/README.md), or set KB_DIR',
    );
  }
  return pass(`${articles.length} articles from ${dir}`);
}
