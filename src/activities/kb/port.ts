import type { Locale } from '../../shared/i18n/locales';
import type { ArticleHit } from '../../shared/support-types';

export interface KnowledgeBase {
  /** Best articles first; an empty list when nothing is a good match. */
  /** Articles in `locale` first (see ArticleIndex.search); unset: English. */
  search(query: string, options?: { limit?: number; locale?: Locale }): Promise<ArticleHit[]>;
}
