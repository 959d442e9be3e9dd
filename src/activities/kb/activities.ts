import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import type { ArticleHit } from '../../shared/support-types';
import { SUPPORT_FAILURE_TYPES } from '../../shared/support-failures';
import { type Locale, LOCALES } from '../../shared/i18n/locales';
import type { KnowledgeBase } from './port';

export interface KbDeps {
  knowledgeBase: KnowledgeBase;
}

const searchInput = z.object({
  query: z.string().max(4000),
  limit: z.number().int().min(1).max(10),
  locale: z.enum(LOCALES).optional(),
});

export function createKbActivities(deps: KbDeps) {
  return {
    /** The bot's answer candidates for one user message; an empty list when nothing is a good match. */
    async searchKnowledgeBase(input: {
      query: string;
      limit: number;
      locale?: Locale;
    }): Promise<ArticleHit[]> {
      const parsed = searchInput.safeParse(input);
      if (!parsed.success) {
        throw ApplicationFailure.nonRetryable(
          `bad search input: ${parsed.error.message}`,
          SUPPORT_FAILURE_TYPES.badRequest,
        );
      }
      if (parsed.data.query.trim().length === 0) return [];
      return deps.knowledgeBase.search(parsed.data.query, {
        limit: parsed.data.limit,
        ...(parsed.data.locale ? { locale: parsed.data.locale } : {}),
      });
    },
  };
}

export type KbActivities = ReturnType<typeof createKbActivities>;
