import fs from 'node:fs/promises';
import { type Logger } from 'pino';
import type { Locale } from '../../shared/i18n/locales';
import type { ArticleHit } from '../../shared/support-types';
import { loadArticles } from '../../kb/load-articles';
import { ArticleIndex, DEFAULT_RANKING, type RankingOptions } from '../../kb/search-index';
import { watchFolder } from '../../kb/watch';
import type { KnowledgeBase } from './port';

export interface FileKnowledgeBaseOptions {
  dir: string;
  /** Rebuild the index when a file in the folder changes (the worker does; the CLI does not). */
  watch?: boolean;
  ranking?: RankingOptions;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/** The knowledge base as a folder of Markdown articles, indexed in memory and reloaded when the folder changes. */
export class FileKnowledgeBase implements KnowledgeBase {
  private stopWatching?: () => Promise<void>;
  private reloads = 0;

  private constructor(
    private index: ArticleIndex,
    private readonly options: FileKnowledgeBaseOptions,
  ) {}

  static async open(options: FileKnowledgeBaseOptions): Promise<FileKnowledgeBase> {
    if (!(await isDirectory(options.dir))) {
      throw new Error(`the knowledge-base folder ${options.dir} does not exist (set KB_DIR)`);
    }
    const kb = new FileKnowledgeBase(await FileKnowledgeBase.build(options), options);
    if (options.watch) kb.stopWatching = watchFolder(options.dir, () => void kb.reload());
    return kb;
  }

  private static async build(options: FileKnowledgeBaseOptions): Promise<ArticleIndex> {
    const { articles, problems } = await loadArticles(options.dir);
    for (const p of problems)
      options.logger?.warn({ file: p.file, reason: p.reason }, 'knowledge-base article skipped');
    options.logger?.info({ dir: options.dir, articles: articles.length }, 'knowledge base indexed');
    return new ArticleIndex(articles, options.ranking ?? DEFAULT_RANKING);
  }

  /** Rebuilds the index; on failure the previous index keeps answering. */
  async reload(): Promise<void> {
    try {
      this.index = await FileKnowledgeBase.build(this.options);
      this.reloads += 1;
    } catch (err) {
      this.options.logger?.error(
        { err, dir: this.options.dir },
        'knowledge-base reload failed; keeping the old index',
      );
    }
  }

  get reloadCount(): number {
    return this.reloads;
  }

  get articleIndex(): ArticleIndex {
    return this.index;
  }

  async search(query: string, options: { limit?: number; locale?: Locale } = {}): Promise<ArticleHit[]> {
    return this.index.search(query, options.limit ?? 3, options.locale);
  }

  async close(): Promise<void> {
    await this.stopWatching?.();
  }
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await fs.stat(dir)).isDirectory();
  } catch {
    return false;
  }
}
