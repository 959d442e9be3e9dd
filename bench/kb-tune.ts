import path from 'node:path';
import fs from 'node:fs';
import { loadArticles } from '../src/kb/load-articles';
import { ArticleIndex } from '../src/kb/search-index';
import { quality } from './kb-retrieval.bench';
/*
 * Picks the knowledge-base match and ranking options on the tune and dev splits only (never holdout): a grid over
 * field boosts (title, tags, player aliases), loose-match word lengths and the good-match cut, keeping settings that
 * stay silent on every off-topic question first, then the best top-3, MRR and top-1. Run: npx tsx bench/kb-tune.ts
 */
const Q = JSON.parse(fs.readFileSync(path.join(__dirname, 'kb-queries.json'), 'utf8'));
interface Row {
  title: number;
  tags: number;
  aliases: number;
  prefixMin: number;
  fuzzyMin: number;
  minScore: number;
  share: number;
  top3: number;
  top1: number;
  mrr: number;
  neg: number;
}
const tuneSet = [...Q.tune, ...Q.dev];
void (async () => {
  const { articles } = await loadArticles(path.join(__dirname, '..', 'knowledge-base'));
  const rows: Row[] = [];
  for (const title of [1.5, 2, 3])
    for (const tags of [1, 1.5, 2])
      for (const aliases of [1, 1.5, 2])
        for (const prefixMin of [4, 5, 6])
          for (const fuzzyMin of [5, 6])
            for (const minScore of [3, 4, 5, 6, 7, 8])
              for (const share of [0.2, 0.3, 0.4]) {
                const idx = new ArticleIndex(
                  articles,
                  { minScore, minShareOfBest: share },
                  {
                    boost: { title, tags, aliases, body: 1 },
                    fuzzyMinLength: fuzzyMin,
                    prefixMinLength: prefixMin,
                    weights: { fuzzy: 0.4, prefix: 0.5 },
                  },
                );
                const r = quality(idx, tuneSet);
                const neg = Q.negatives.filter((q: string) => idx.search(q, 3).length === 0).length;
                rows.push({
                  title,
                  tags,
                  aliases,
                  prefixMin,
                  fuzzyMin,
                  minScore,
                  share,
                  top3: r.top3,
                  top1: r.top1,
                  mrr: r.mrr,
                  neg,
                });
              }
  rows.sort(
    (a, b) =>
      (b.neg === Q.negatives.length ? 1 : 0) - (a.neg === Q.negatives.length ? 1 : 0) ||
      b.top3 - a.top3 ||
      b.neg - a.neg ||
      b.mrr - a.mrr ||
      b.top1 - a.top1,
  );
  for (const r of rows.slice(0, 12)) console.log(JSON.stringify(r));
  const current = new ArticleIndex(articles);
  const r = quality(current, tuneSet);
  const neg = Q.negatives.filter((q: string) => current.search(q, 3).length === 0).length;
  console.log('defaults now', JSON.stringify({ top3: r.top3, top1: r.top1, mrr: r.mrr, neg }));
})();
