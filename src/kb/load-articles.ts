import fs from 'node:fs/promises';
import path from 'node:path';
import matter from 'gray-matter';
import { articleFrontMatterSchema, type KbArticle } from './article';

export interface LoadedKnowledgeBase {
  articles: KbArticle[];
  /** Files that were skipped, with the reason (bad front matter, unreadable), so staff can fix them. */
  problems: { file: string; reason: string }[];
}

/** Reads every `*.md` file under `dir` (recursively); a bad file is reported, not fatal. */
export async function loadArticles(dir: string): Promise<LoadedKnowledgeBase> {
  const root = path.resolve(dir);
  const files = (await listMarkdownFiles(root)).sort();
  const articles: KbArticle[] = [];
  const problems: LoadedKnowledgeBase['problems'] = [];
  for (const file of files) {
    try {
      articles.push(parseArticle(root, file, await fs.readFile(file, 'utf8')));
    } catch (err) {
      problems.push({ file, reason: (err as Error).message });
    }
  }
  return { articles, problems };
}

export function parseArticle(root: string, file: string, source: string): KbArticle {
  const parsed = matter(source);
  const result = articleFrontMatterSchema.safeParse(parsed.data);
  if (!result.success) {
    const fields = result.error.issues.map((i) => `${i.path.join('.') || 'front matter'}: ${i.message}`);
    throw new Error(`invalid front matter (${fields.join('; ')})`);
  }
  return {
    id: path.relative(root, file).split(path.sep).join('/'),
    file,
    title: result.data.title,
    url: result.data.url,
    tags: result.data.tags,
    aliases: result.data.aliases,
    body: parsed.content.trim(),
    lang: result.data.lang,
  };
}

async function listMarkdownFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const full = path.join(dir, entry.name);
      // Hidden files and a folder's README (notes for the people who edit the articles) are not articles.
      if (entry.name.startsWith('.') || entry.name.toLowerCase() === 'readme.md') return [];
      if (entry.isDirectory()) return listMarkdownFiles(full);
      return entry.isFile() && entry.name.toLowerCase().endsWith('.md') ? [full] : [];
    }),
  );
  return nested.flat();
}
