import path from 'node:path';
import { loadArticles } from '../src/kb/load-articles';
import { ArticleIndex } from '../src/kb/search-index';
import { tokenize, processTerm } from '../src/kb/terms';
/*
 * Why a question ranks as it does: its index terms, then the top five articles with scores and the good-match cut.
 * For tuning on the tune and dev splits. Run: npx tsx bench/kb-explain.ts "my question" ["another"...]
 */
void (async () => {
  const { articles } = await loadArticles(path.join(__dirname, '..', 'knowledge-base'));
  const index = new ArticleIndex(articles);
  for (const q of process.argv.slice(2)) {
    const terms = tokenize(q).map((t) => processTerm(t) ?? `(${t})`);
    const shown = new Set(index.search(q, 3).map((h) => h.id));
    console.log(`${q}\n  terms: ${terms.join(' ')}`);
    for (const r of index.rank(q).slice(0, 5))
      console.log(
        `  ${shown.has(r.article.id) ? '*' : ' '} ${r.score.toFixed(2).padStart(6)} ${r.article.id}`,
      );
  }
})();
