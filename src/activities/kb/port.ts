import type { ArticleHit } from '../../shared/support-types';

export interface KnowledgeBase {
  /** Best articles first; an empty list when nothing is a good match. */
  search(query: string, options?: { limit?: number }): Promise<ArticleHit[]>;
}
