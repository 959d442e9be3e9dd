import MiniSearch from 'minisearch';
import { DEFAULT_LOCALE, type Locale } from '../shared/i18n/locales';
import type { ArticleHit } from '../shared/support-types';
import type { KbArticle } from './article';
import { buildExcerpt } from './excerpt';
import { SpellingCorrector } from './spelling';
import { processTerm, ruleWords, tokenize } from './terms';

export interface RankingOptions {
  /** Hits below this BM25 score are not a good answer; tuned on the labelled query set (bench/). */
  minScore: number;
  /** Hits scoring below this share of the best hit are dropped, so one strong answer is not padded with noise. */
  minShareOfBest: number;
}

export const DEFAULT_RANKING: RankingOptions = { minScore: 8, minShareOfBest: 0.3 };

/** How hard each field and each kind of loose match counts; picked with the benchmark's tuning splits. */
export interface MatchOptions {
  boost: { title: number; tags: number; aliases: number; body: number };
  /** Words at least this long may match with a typo (edit distance up to 20% of their length). */
  fuzzyMinLength: number;
  /** Words at least this long also match longer words that start with them. */
  prefixMinLength: number;
  weights: { fuzzy: number; prefix: number };
}

export const DEFAULT_MATCHING: MatchOptions = {
  boost: { title: 1.5, tags: 1, aliases: 1, body: 1 },
  fuzzyMinLength: 5,
  prefixMinLength: 4,
  weights: { fuzzy: 0.4, prefix: 0.5 },
};

/**
 * A BM25 index (MiniSearch) over titles, tags, player aliases and bodies, with fuzzy and prefix matching on the stemmed, synonym-
 * folded terms from terms.ts. Immutable: a reload builds a new index and swaps it in.
 */
export class ArticleIndex {
  private readonly search_: MiniSearch<KbArticle>;
  private readonly byId: Map<string, KbArticle>;

  constructor(
    readonly articles: KbArticle[],
    private readonly ranking: RankingOptions = DEFAULT_RANKING,
    matching: MatchOptions = DEFAULT_MATCHING,
  ) {
    this.byId = new Map(articles.map((a) => [a.id, a]));
    const speller = new SpellingCorrector([
      ...articles.flatMap((a) => tokenize([a.title, ...a.tags, ...(a.aliases ?? []), a.body].join(' '))),
      ...ruleWords(),
    ]);
    this.search_ = new MiniSearch<KbArticle>({
      idField: 'id',
      fields: ['title', 'tags', 'aliases', 'body'],
      extractField: (doc, field) => {
        if (field === 'tags') return doc.tags.join(' ');
        // Each alias is its own phrase; a full stop keeps one alias's words from running into the next.
        if (field === 'aliases') return (doc.aliases ?? []).join('. ');
        return (doc as unknown as Record<string, string>)[field];
      },
      tokenize,
      processTerm,
      searchOptions: {
        processTerm: (token) => processTerm(speller.correct(token)),
        boost: matching.boost,
        // Typos are forgiven on longer words only; short words fuzz into unrelated ones.
        fuzzy: (term) => (term.length >= matching.fuzzyMinLength ? 0.2 : false),
        prefix: (term) => term.length >= matching.prefixMinLength,
        weights: matching.weights,
        combineWith: 'OR',
      },
    });
    this.search_.addAll(articles);
  }

  get size(): number {
    return this.articles.length;
  }

  /** Every match with its raw score, best first: what staff see with `flexcord kb search`. */
  rank(query: string): { article: KbArticle; score: number }[] {
    return this.search_
      .search(query)
      .map((r) => ({ article: this.byId.get(String(r.id))!, score: r.score }))
      .filter((r) => r.article !== undefined);
  }

  /**
   * The good answers only (see RankingOptions), as the bot shows them. Articles in the user's language come first:
   * when any of them is a good answer, only those are shown; otherwise the good answers in any language are (an
   * English article beats no answer).
   */
  search(query: string, limit = 3, locale: Locale = DEFAULT_LOCALE): ArticleHit[] {
    const ranked = this.rank(query);
    const preferred = this.goodAnswers(ranked.filter((r) => (r.article.lang ?? DEFAULT_LOCALE) === locale));
    const answers = preferred.length > 0 ? preferred : this.goodAnswers(ranked);
    return answers.slice(0, limit).map(({ article, score }) => toHit(article, score, query));
  }

  private goodAnswers(
    ranked: { article: KbArticle; score: number }[],
  ): { article: KbArticle; score: number }[] {
    const best = ranked[0]?.score ?? 0;
    const cutoff = Math.max(this.ranking.minScore, best * this.ranking.minShareOfBest);
    return ranked.filter((r) => r.score >= cutoff);
  }
}

export function toHit(article: KbArticle, score: number, query: string): ArticleHit {
  return {
    id: article.id,
    title: article.title,
    excerpt: buildExcerpt(article.body, query),
    url: article.url,
    score: Math.round(score * 1000) / 1000,
  };
}
